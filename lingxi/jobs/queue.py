"""The job queue: huey, with SQLite storage in ``data_dir/queue.db`` (embedded mode) or Redis
(``LINGXI_REDIS_URL``, scaled-out mode).

The queue carries only job ids. The ``job`` row is the source of truth: a message lost between
dequeue and completion (a worker killed with ``kill -9``, a Redis flush) is recovered from the
rows by ``lingxi.jobs.runner.recover_jobs``, and a message delivered twice is harmless because a
job is claimed with a conditional update before it runs.
"""

from __future__ import annotations

import threading
import uuid

from huey import Huey, RedisHuey, SqliteHuey

from lingxi.config import Settings, get_settings

TASK_NAME = "lingxi.run_job"


class JobQueue:
    def __init__(self, settings: Settings, name: str = "lingxi"):
        self.settings = settings
        self.name = name
        self.huey: Huey
        if settings.redis_url:
            self.huey = RedisHuey(name, url=settings.redis_url, results=False, utc=True, blocking=True, read_timeout=1)
        else:
            settings.data_dir.mkdir(parents=True, exist_ok=True)
            self.huey = SqliteHuey(
                name, filename=str(settings.data_dir / "queue.db"), results=False, utc=True, timeout=30
            )

        def run_job(job_id: str) -> None:
            from lingxi.jobs.runner import run_in_worker_thread

            run_in_worker_thread(self.settings, uuid.UUID(job_id))

        self._task = self.huey.task(name=TASK_NAME)(run_job)

    @property
    def mode(self) -> str:
        return "redis" if self.settings.redis_url else "sqlite"

    def send(self, job_id: uuid.UUID) -> None:
        self._task(str(job_id))

    def pending_count(self) -> int:
        return int(self.huey.pending_count())


_queue: JobQueue | None = None
_lock = threading.Lock()


def get_queue() -> JobQueue:
    global _queue
    with _lock:
        if _queue is None:
            _queue = JobQueue(get_settings())
        return _queue


def set_queue(queue: JobQueue | None) -> None:
    global _queue
    with _lock:
        _queue = queue
