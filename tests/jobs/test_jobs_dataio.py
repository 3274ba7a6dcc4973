"""Import and export run as real jobs in the worker's threads, each with its own database engines,
while the API keeps serving from its own: a user's CSV goes in and comes back out."""

from __future__ import annotations

import csv
import io
import uuid

from jobkit import wait_for

CSV = "姓名,邮箱,手机\n张伟,zhang.wei@example.com,13800138001\n李娜,li.na@example.com,13800138002\n"


async def test_import_then_export_through_the_worker(client, tenant, worker):
    r = await client.post(
        "/api/v1/contacts/import", files={"file": ("contacts.csv", CSV.encode("utf-8-sig"))}, headers=tenant.headers()
    )
    assert r.status_code == 202, r.text
    done = await wait_for(tenant.db, uuid.UUID(r.json()["job_id"]))
    assert done.status == "succeeded", done.error
    assert done.result["totals"]["created"] == 2

    # The API's own connections still work after the worker's threads ran the job.
    for _ in range(3):
        listed = await client.get("/api/v1/contacts", headers=tenant.headers())
        assert listed.status_code == 200
    assert sorted(c["name"] for c in listed.json()["data"]) == ["张伟", "李娜"]

    r = await client.post("/api/v1/contacts/export", json={"fields": ["name", "email"]}, headers=tenant.headers())
    assert r.status_code == 202, r.text
    job_id = r.json()["job_id"]
    done = await wait_for(tenant.db, uuid.UUID(job_id))
    assert done.status == "succeeded", done.error
    file = await client.get(f"/api/v1/exports/{job_id}/download", headers=tenant.headers())
    assert file.status_code == 200
    rows = list(csv.reader(io.StringIO(file.content.decode("utf-8-sig"))))
    assert sorted(row[1] for row in rows[1:]) == ["张伟", "李娜"]
