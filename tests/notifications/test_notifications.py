"""In-app notifications: sent inside the sender's transaction, read and marked read by their user only,
paginated, and pushed live to the user's open stream once committed."""

from __future__ import annotations

import asyncio
import json
import shutil
import socket
import subprocess
import time
import uuid

import pytest
import redis

from lingxi.errors import ValidationFailed
from lingxi.notifications import live
from lingxi.notifications.live import LiveHub, get_hub
from lingxi.notifications.service import notify
from lingxi.tenancy.context import Actor

pytestmark = pytest.mark.asyncio


async def _send(kit, user_id, n: int = 1, **kw):
    async with kit.db.unit_of_work(Actor.system(kit.id)) as s:
        for i in range(n):
            await notify(
                s,
                tenant_id=kit.id,
                user_id=user_id,
                kind=kw.get("kind", "task.assigned"),
                title=kw.get("title", f"任务 {i}"),
                body="请处理",
                link="/tasks/1",
                data={"task_id": str(uuid.uuid4()), "n": i},
                priority=kw.get("priority", "normal"),
            )


def _events(text: str) -> list[dict]:
    out = []
    for block in text.split("\n\n"):
        lines = dict(line.split(": ", 1) for line in block.splitlines() if ": " in line and not line.startswith(":"))
        if lines.get("event") == "notification":
            out.append({"id": lines["id"], **json.loads(lines["data"])})
    return out


async def test_inbox_lists_own_newest_first_with_unread_count_and_pages(client, tenant):
    user, token = await tenant.add_user("rep", roles=("销售代表",))
    await _send(tenant, user.id, 5)
    await _send(tenant, tenant.admin.id, 2)  # someone else's
    h = tenant.headers(token)

    r = await client.get("/api/v1/notifications", params={"limit": 3}, headers=h)
    assert r.status_code == 200, r.text
    page = r.json()
    assert page["unread_count"] == 5 and len(page["data"]) == 3 and page["next_cursor"]
    first = page["data"][0]
    assert first["title"] == "任务 4" and first["body"] == "请处理" and first["link"] == "/tasks/1"
    assert first["data"]["n"] == 4 and first["priority"] == "normal" and first["read_at"] is None
    assert set(first) == {"id", "kind", "title", "body", "link", "data", "priority", "read_at", "created_at"}

    rest = (
        await client.get("/api/v1/notifications", params={"limit": 3, "cursor": page["next_cursor"]}, headers=h)
    ).json()
    assert [n["title"] for n in rest["data"]] == ["任务 1", "任务 0"] and rest["next_cursor"] is None

    bad = await client.get("/api/v1/notifications", params={"cursor": "!!nope"}, headers=h)
    assert bad.status_code == 400 and bad.json()["error"]["code"] == "invalid_cursor"


async def test_mark_one_and_all_read(client, tenant):
    user, token = await tenant.add_user("rep", roles=("销售代表",))
    await _send(tenant, user.id, 3)
    h = tenant.headers(token)
    items = (await client.get("/api/v1/notifications", headers=h)).json()["data"]

    r = await client.post(f"/api/v1/notifications/{items[0]['id']}/read", headers=h)
    assert r.status_code == 200 and r.json()["read_at"] is not None
    again = await client.post(f"/api/v1/notifications/{items[0]['id']}/read", headers=h)
    assert again.json()["read_at"] == r.json()["read_at"]  # the first reading stands

    unread = (await client.get("/api/v1/notifications", params={"unread": "true"}, headers=h)).json()
    assert unread["unread_count"] == 2 and len(unread["data"]) == 2
    read = (await client.get("/api/v1/notifications", params={"unread": "false"}, headers=h)).json()
    assert [n["id"] for n in read["data"]] == [items[0]["id"]]

    assert (await client.post("/api/v1/notifications/read-all", headers=h)).json() == {"updated": 2}
    assert (await client.get("/api/v1/notifications", headers=h)).json()["unread_count"] == 0
    assert (await client.post("/api/v1/notifications/read-all", headers=h)).json() == {"updated": 0}


async def test_no_one_reads_or_marks_anothers_notifications(client, tenant, other_tenant):
    user, token = await tenant.add_user("rep", roles=("销售代表",))
    await _send(tenant, tenant.admin.id, 1)
    await _send(other_tenant, other_tenant.admin.id, 1)
    admins = (await client.get("/api/v1/notifications", headers=tenant.headers())).json()["data"]
    foreign = (await client.get("/api/v1/notifications", headers=other_tenant.headers())).json()["data"]
    assert len(admins) == 1 and len(foreign) == 1

    mine = (await client.get("/api/v1/notifications", headers=tenant.headers(token))).json()
    assert mine["data"] == [] and mine["unread_count"] == 0
    for nid, h in ((admins[0]["id"], tenant.headers(token)), (foreign[0]["id"], tenant.headers())):
        r = await client.post(f"/api/v1/notifications/{nid}/read", headers=h)
        assert r.status_code == 404 and r.json()["error"]["code"] == "notification_not_found"
    await client.post("/api/v1/notifications/read-all", headers=tenant.headers(token))
    assert (await client.get("/api/v1/notifications", headers=tenant.headers())).json()["unread_count"] == 1
    assert (await client.post("/api/v1/notifications/nope/read", headers=h)).status_code == 422


async def test_rolled_back_notification_is_neither_stored_nor_pushed(client, tenant):
    sub = get_hub().subscribe(tenant.id, tenant.admin.id)
    try:
        with pytest.raises(RuntimeError):
            async with tenant.db.unit_of_work(Actor.system(tenant.id)) as s:
                await notify(s, tenant_id=tenant.id, user_id=tenant.admin.id, kind="x", title="never")
                raise RuntimeError("the sender's change failed")
        await asyncio.sleep(0.05)
        assert sub.queue.empty()
        assert (await client.get("/api/v1/notifications", headers=tenant.headers())).json()["data"] == []
    finally:
        get_hub().unsubscribe(sub)


async def test_bad_priority_is_refused(tenant):
    async with tenant.db.unit_of_work(Actor.system(tenant.id)) as s:
        with pytest.raises(ValidationFailed) as err:
            await notify(s, tenant_id=tenant.id, user_id=tenant.admin.id, kind="x", title="t", priority="shout")
    assert err.value.code == "invalid_priority"


async def test_stream_pushes_new_notifications_live_and_resumes_after_last_event_id(client, tenant):
    user, token = await tenant.add_user("rep", roles=("销售代表",))
    h = tenant.headers(token)
    hub = get_hub()
    task = asyncio.create_task(client.get("/api/v1/notifications/stream", params={"seconds": 2}, headers=h))
    for _ in range(100):  # wait until the stream has subscribed
        if hub.subscribers(tenant.id, user.id):
            break
        await asyncio.sleep(0.01)
    assert hub.subscribers(tenant.id, user.id) == 1
    await _send(tenant, user.id, 2, title="客户投诉升级", priority="urgent")
    await _send(tenant, tenant.admin.id, 1, title="not for rep")
    r = await task
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/event-stream")
    events = _events(r.text)
    assert [e["title"] for e in events] == ["客户投诉升级", "客户投诉升级"]
    assert events[0]["priority"] == "urgent" and events[0]["kind"] == "task.assigned"
    assert all("user_id" not in e and "tenant_id" not in e for e in events)
    assert hub.subscribers(tenant.id, user.id) == 0

    # Reconnecting with the first event's id replays what came after it.
    await _send(tenant, user.id, 1, title="新任务")
    r = await client.get(
        "/api/v1/notifications/stream", params={"seconds": 1}, headers={**h, "Last-Event-ID": events[0]["id"]}
    )
    assert [e["title"] for e in _events(r.text)] == ["客户投诉升级", "新任务"]


@pytest.fixture
def redis_url():
    exe = shutil.which("redis-server")
    if exe is None:
        pytest.skip("redis-server is not installed")
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    proc = subprocess.Popen(
        [exe, "--port", str(port), "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"redis://127.0.0.1:{port}/0"
    client = redis.Redis.from_url(url)
    deadline = time.monotonic() + 10
    while True:
        try:
            client.ping()
            break
        except redis.ConnectionError:
            if time.monotonic() > deadline:
                proc.kill()
                pytest.fail("redis-server did not start")
            time.sleep(0.05)
    yield url
    client.close()
    proc.terminate()
    proc.wait(5)


async def test_with_redis_a_notification_reaches_streams_in_every_process(tenant, redis_url, monkeypatch):
    here, there = LiveHub(), LiveHub()  # two server processes
    here.configure(redis_url)
    there.configure(redis_url)
    monkeypatch.setattr(live, "_hub", here)
    subs = [here.subscribe(tenant.id, tenant.admin.id), there.subscribe(tenant.id, tenant.admin.id)]
    try:
        probe = redis.Redis.from_url(redis_url)
        for _ in range(200):  # both listeners subscribed to the channel
            if probe.pubsub_numsub(live.REDIS_CHANNEL)[0][1] == 2:
                break
            await asyncio.sleep(0.02)
        probe.close()
        await _send(tenant, tenant.admin.id, 1, title="跨进程提醒")
        got = [await asyncio.wait_for(s.queue.get(), timeout=5) for s in subs]
        assert [g["title"] for g in got] == ["跨进程提醒", "跨进程提醒"]
    finally:
        for hub, sub in zip((here, there), subs, strict=True):
            hub.unsubscribe(sub)
        for hub in (here, there):
            for task in hub._listeners.values():
                task.cancel()


async def test_stream_catches_up_from_the_table_what_live_delivery_missed(client, tenant, monkeypatch):
    """Another process (a worker on SQLite, without Redis) stores a notification this process never hears
    of: the stream finds it when it re-reads the table."""
    from lingxi.notifications import endpoints

    monkeypatch.setattr(endpoints, "CATCH_UP_SECONDS", 0.3)
    monkeypatch.setattr(get_hub(), "publish", lambda payload: None)  # nothing arrives live
    user, token = await tenant.add_user("rep", roles=("销售代表",))
    task = asyncio.create_task(
        client.get("/api/v1/notifications/stream", params={"seconds": 2}, headers=tenant.headers(token))
    )
    await asyncio.sleep(0.5)
    await _send(tenant, user.id, 1, title="另一个进程发出的提醒")
    r = await task
    assert [e["title"] for e in _events(r.text)] == ["另一个进程发出的提醒"]
    assert r.text.count(": ping") >= 2
