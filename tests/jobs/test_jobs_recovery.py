"""Finding jobs whose worker died, without killing anything: the rules of ``recover_jobs``."""

from __future__ import annotations

import subprocess
import sys
from datetime import timedelta

from jobkit import cancel, job_state
from sqlalchemy import update

from lingxi.jobs.models import Job
from lingxi.jobs.runner import MAX_ATTEMPTS, recover_jobs, worker_id
from lingxi.kit.models import utcnow
from lingxi.tenancy.context import Actor


def dead_pid() -> int:
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


async def add_running_job(kit, owner: str, *, heartbeat_age: timedelta, attempts: int = 1) -> Job:
    async with kit.db.unit_of_work(Actor.system(kit.id)) as s:
        job = Job(tenant_id=kit.id, kind="test.echo", params={}, created_by_id=kit.admin.id)
        s.add(job)
    async with kit.db.unit_of_work(Actor.system()) as s:
        await s.execute(
            update(Job)
            .where(Job.id == job.id)
            .values(status="running", worker_id=owner, heartbeat_at=utcnow() - heartbeat_age, attempts=attempts)
            .execution_options(synchronize_session=False)
        )
    return job


async def test_orphans_are_found_and_live_jobs_left_alone(tenant):
    here = worker_id().rpartition(":")[0]
    dead_here = await add_running_job(tenant, f"{here}:{dead_pid()}", heartbeat_age=timedelta(seconds=1))
    alive_elsewhere = await add_running_job(tenant, "other-host/1:42", heartbeat_age=timedelta(seconds=5))
    silent_elsewhere = await add_running_job(tenant, "other-host/1:43", heartbeat_age=timedelta(minutes=10))
    exhausted = await add_running_job(
        tenant, "other-host/1:44", heartbeat_age=timedelta(minutes=10), attempts=MAX_ATTEMPTS
    )
    mine_not_running = await add_running_job(tenant, worker_id(), heartbeat_age=timedelta(seconds=1))
    try:
        recovery = await recover_jobs(tenant.db, resend="none")
        assert {dead_here.id, silent_elsewhere.id, mine_not_running.id} <= set(recovery.requeued)
        assert exhausted.id in recovery.failed
        assert alive_elsewhere.id not in recovery.requeued
        assert set(recovery.requeued) <= set(recovery.to_send)

        requeued = await job_state(tenant.db, dead_here.id)
        assert requeued.status == "queued" and requeued.worker_id is None and "stopped" in requeued.error
        failed = await job_state(tenant.db, exhausted.id)
        assert failed.status == "failed" and "given up" in failed.error
        assert (await job_state(tenant.db, alive_elsewhere.id)).status == "running"
    finally:
        await cancel(tenant.db, dead_here.id, silent_elsewhere.id, mine_not_running.id)
        async with tenant.db.unit_of_work(Actor.system()) as s:
            await s.execute(
                update(Job)
                .where(Job.id == alive_elsewhere.id)
                .values(status="cancelled")
                .execution_options(synchronize_session=False)
            )


async def test_queued_jobs_are_resent_by_policy(tenant, monkeypatch):
    async with tenant.db.unit_of_work(Actor.system(tenant.id)) as s:
        fresh = Job(tenant_id=tenant.id, kind="test.echo", params={})
        stale = Job(tenant_id=tenant.id, kind="test.echo", params={})
        s.add_all([fresh, stale])
    async with tenant.db.unit_of_work(Actor.system()) as s:
        await s.execute(
            update(Job)
            .where(Job.id == stale.id)
            .values(updated_at=utcnow() - timedelta(hours=1))
            .execution_options(synchronize_session=False)
        )
    try:
        assert {fresh.id, stale.id}.isdisjoint((await recover_jobs(tenant.db, resend="none")).to_send)
        stale_round = (await recover_jobs(tenant.db, resend="stale")).to_send
        assert stale.id in stale_round and fresh.id not in stale_round
        # Sent again just now: not stale any more.
        assert stale.id not in (await recover_jobs(tenant.db, resend="stale")).to_send
        assert {fresh.id, stale.id} <= set((await recover_jobs(tenant.db, resend="all")).to_send)
    finally:
        await cancel(tenant.db, fresh.id, stale.id)
