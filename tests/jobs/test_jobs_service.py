"""Accepting jobs (sent only after commit) and running them in the in-process worker."""

from __future__ import annotations

import asyncio
import uuid

import pytest
from jobkit import (
    REDIS_URL,
    admin_actor,
    cancel,
    drop_redis_queue,
    job_state,
    redis_answers,
    wait_for,
    worker_settings,
)
from sqlalchemy import select

from lingxi.accounts.models import Account
from lingxi.audit.models import AuditLog
from lingxi.authz.service import load_actor
from lingxi.errors import BadRequest
from lingxi.events.subscribers import subscribe, unsubscribe
from lingxi.jobs.models import Job
from lingxi.jobs.queue import JobQueue, set_queue
from lingxi.jobs.service import enqueue_job
from lingxi.jobs.worker import start_worker
from lingxi.tenancy.context import Actor


async def test_job_is_sent_only_after_commit(tenant, recording_queue):
    async with tenant.db.unit_of_work(admin_actor(tenant)) as s:
        job = await enqueue_job(s, admin_actor(tenant), "test.echo", params={"x": 1})
        assert recording_queue.sent == []
        assert job.status == "queued" and job.created_by_id == tenant.admin.id
    assert recording_queue.sent == [job.id]

    with pytest.raises(RuntimeError):
        async with tenant.db.unit_of_work(admin_actor(tenant)) as s:
            dropped = await enqueue_job(s, admin_actor(tenant), "test.echo")
            raise RuntimeError("abort")
    assert recording_queue.sent == [job.id]
    async with tenant.db.unit_of_work(Actor.system(), write=False) as s:
        assert await s.get(Job, dropped.id) is None
    await cancel(tenant.db, job.id)


async def test_unknown_kind_is_refused(tenant, recording_queue):
    async with tenant.db.unit_of_work(admin_actor(tenant)) as s:
        with pytest.raises(BadRequest):
            await enqueue_job(s, admin_actor(tenant), "no.such.kind")


async def test_job_runs_in_the_worker_and_succeeds(tenant, worker):
    async with tenant.db.unit_of_work(admin_actor(tenant)) as s:
        job = await enqueue_job(s, admin_actor(tenant), "test.echo", entity="accounts", params={"file": "a.csv"})
    done = await wait_for(tenant.db, job.id)
    assert done.status == "succeeded", done.error
    assert done.result == {"params": {"file": "a.csv"}, "actor": str(tenant.admin.id), "is_admin": True}
    assert (done.progress, done.total, done.attempts) == (1, 1, 1)
    assert done.started_at is not None and done.finished_at is not None and done.error is None


async def test_failing_handler_marks_the_job_failed(tenant, worker):
    async with tenant.db.unit_of_work(admin_actor(tenant)) as s:
        job = await enqueue_job(s, admin_actor(tenant), "test.fail")
    done = await wait_for(tenant.db, job.id)
    assert done.status == "failed"
    assert done.error == "ValueError: the spreadsheet is empty"
    assert done.attempts == 1


async def test_job_works_as_its_creator(tenant, worker):
    user, _ = await tenant.add_user("rep", roles=("销售代表",))
    async with tenant.db.unit_of_work(Actor.system(tenant.id)) as s:
        actor = await load_actor(s, user)
    async with tenant.db.unit_of_work(actor) as s:
        job = await enqueue_job(s, actor, "test.create_account", params={"name": "From a job"})
    done = await wait_for(tenant.db, job.id)
    assert done.status == "succeeded", done.error
    account_id = done.result["account_id"]
    async with tenant.db.unit_of_work(Actor.system(tenant.id), write=False) as s:
        account = await s.get(Account, uuid.UUID(account_id))
        assert account.owner_id == user.id
        entry = (await s.scalars(select(AuditLog).where(AuditLog.record_id == account_id))).one()
        assert entry.action == "create" and entry.actor_id == user.id and entry.request_id == f"job:{job.id}"


async def test_duplicate_message_runs_the_job_once(tenant, worker):
    async with tenant.db.unit_of_work(admin_actor(tenant)) as s:
        job = await enqueue_job(s, admin_actor(tenant), "test.slow", params={"steps": 2, "delay": 0.2})
    worker.queue.send(job.id)
    worker.queue.send(job.id)
    done = await wait_for(tenant.db, job.id)
    await asyncio.sleep(0.5)
    assert done.status == "succeeded" and (await job_state(tenant.db, job.id)).attempts == 1


async def test_worker_start_sends_jobs_that_never_reached_the_queue(tenant, settings, tmp_path, recording_queue):
    # Accepted and committed, but the process died before the id reached the queue.
    async with tenant.db.unit_of_work(admin_actor(tenant)) as s:
        job = await enqueue_job(s, admin_actor(tenant), "test.echo")
    wsettings = worker_settings(settings, tmp_path)
    queue = JobQueue(wsettings, name=f"t{uuid.uuid4().hex[:8]}")
    set_queue(queue)
    w = start_worker(wsettings, queue=queue, threads=1, dispatcher=False)
    try:
        done = await wait_for(tenant.db, job.id)
    finally:
        await asyncio.to_thread(w.stop, 20)
    assert done.status == "succeeded"


async def test_worker_dispatches_events_right_after_commit(tenant, settings, tmp_path):
    wsettings = worker_settings(settings, tmp_path)
    queue = JobQueue(wsettings, name=f"t{uuid.uuid4().hex[:8]}")
    seen: list[uuid.UUID] = []

    @subscribe("accounts.created")
    async def on_created(event, db) -> None:
        if event.tenant_id == tenant.id:
            seen.append(event.record_id)

    w = start_worker(wsettings, queue=queue, threads=1, dispatcher=True, poll_seconds=60)
    try:
        await asyncio.to_thread(w.wait_ready)
        await asyncio.sleep(0.5)  # let the first round (events of earlier tests) pass
        async with tenant.db.unit_of_work(admin_actor(tenant)) as s:
            account = Account(name="Pushed")
            s.add(account)
        for _ in range(100):
            if account.id in seen:
                break
            await asyncio.sleep(0.1)
    finally:
        unsubscribe(on_created)
        await asyncio.to_thread(w.stop, 20)
    assert seen == [account.id]  # delivered well before the 60 s poll


@pytest.mark.skipif(not redis_answers(), reason=f"Redis does not answer at {REDIS_URL}; Redis mode not tested")
async def test_redis_mode_runs_jobs(tenant, settings, tmp_path):
    name = f"lingxi-test-{uuid.uuid4().hex[:8]}"
    wsettings = worker_settings(settings, tmp_path, redis_url=REDIS_URL)
    queue = JobQueue(wsettings, name=name)
    assert queue.mode == "redis"
    set_queue(queue)
    w = start_worker(wsettings, queue=queue, threads=2, dispatcher=False)
    try:
        async with tenant.db.unit_of_work(admin_actor(tenant)) as s:
            job = await enqueue_job(s, admin_actor(tenant), "test.echo", params={"mode": "redis"})
        done = await wait_for(tenant.db, job.id)
    finally:
        await asyncio.to_thread(w.stop, 20)
        set_queue(None)
        drop_redis_queue(name)
    assert done.status == "succeeded" and done.result["params"] == {"mode": "redis"}
    assert not (tmp_path / "queue.db").exists()
