"""Helpers of the job tests: queues on a temporary folder (or Redis), waiting for a job."""

from __future__ import annotations

import asyncio
import uuid

import jobkit_handlers  # noqa: F401  (registers the test.* job kinds)
from sqlalchemy import update

from lingxi.config import Settings
from lingxi.jobs.models import Job
from lingxi.tenancy.context import Actor

REDIS_URL = "redis://127.0.0.1:6379/0"


def redis_answers() -> bool:
    try:
        import redis

        return bool(redis.Redis.from_url(REDIS_URL, socket_connect_timeout=0.5).ping())
    except Exception:  # noqa: BLE001
        return False


def drop_redis_queue(name: str) -> None:
    import redis

    client = redis.Redis.from_url(REDIS_URL)
    for key in client.scan_iter(match=f"huey.*{name}*"):
        client.delete(key)


class RecordingQueue:
    """Stands in for the queue: remembers what was sent."""

    mode = "recording"

    def __init__(self) -> None:
        self.sent: list[uuid.UUID] = []

    def send(self, job_id: uuid.UUID) -> None:
        self.sent.append(job_id)


def worker_settings(settings: Settings, data_dir, redis_url: str | None = None) -> Settings:
    return settings.model_copy(
        update={"data_dir": data_dir, "database_url": settings.sqlalchemy_url, "redis_url": redis_url}
    )


def admin_actor(kit) -> Actor:
    return Actor(tenant_id=kit.id, user_id=kit.admin.id, is_admin=True)


async def job_state(db, job_id: uuid.UUID) -> Job:
    async with db.unit_of_work(Actor.system(), write=False) as s:
        job = await s.get(Job, job_id)
        assert job is not None
        s.expunge(job)
        return job


async def wait_for(
    db, job_id: uuid.UUID, statuses=("succeeded", "failed"), within: float = 30.0, min_progress: int = 0
) -> Job:
    deadline = asyncio.get_running_loop().time() + within
    while True:
        job = await job_state(db, job_id)
        if job.status in statuses and job.progress >= min_progress:
            return job
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError(f"job {job_id} stayed {job.status} (progress {job.progress}, error {job.error})")
        await asyncio.sleep(0.1)


async def cancel(db, *job_ids: uuid.UUID) -> None:
    """Keep jobs a test left queued on purpose from running in a later test's worker."""
    async with db.unit_of_work(Actor.system()) as s:
        await s.execute(
            update(Job)
            .where(Job.id.in_(job_ids), Job.status == "queued")
            .values(status="cancelled")
            .execution_options(synchronize_session=False)
        )
