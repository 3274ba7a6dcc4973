"""The acceptance test: an accepted job survives ``kill -9`` of the worker process.

A real worker process (``python -m lingxi.jobs.cli worker``) runs a slow job; it is killed with
SIGKILL mid-job, with a second job waiting in the queue and a third that was accepted but never
reached the queue. A new worker process finishes all three.
"""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from jobkit import (
    REDIS_URL,
    admin_actor,
    drop_redis_queue,
    job_state,
    redis_answers,
    wait_for,
    worker_settings,
)

from lingxi.jobs.models import Job
from lingxi.jobs.queue import JobQueue, set_queue
from lingxi.jobs.service import enqueue_job

HERE = Path(__file__).parent
ROOT = HERE.parent.parent

pytestmark = pytest.mark.slow


def start_worker_process(env: dict[str, str], queue: str, log: Path) -> subprocess.Popen[bytes]:
    cmd = [
        sys.executable,
        "-m",
        "lingxi.jobs.cli",
        "worker",
        "--threads",
        "1",
        "--no-dispatcher",
        "--queue",
        queue,
        "--import",
        "jobkit_handlers",
        "--lease-seconds",
        "600",  # recovery must come from noticing the dead process, not a timeout
    ]
    with log.open("ab") as out:
        return subprocess.Popen(cmd, env=env, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT)


def stop(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


@pytest.mark.parametrize("mode", ["sqlite", "redis"])
async def test_job_survives_kill_9(tenant, settings, tmp_path, mode):
    if mode == "redis" and not redis_answers():
        pytest.skip(f"Redis does not answer at {REDIS_URL}; the Redis-mode kill test needs it")
    redis_url = REDIS_URL if mode == "redis" else None
    name = f"kill-{uuid.uuid4().hex[:8]}"
    wsettings = worker_settings(settings, tmp_path, redis_url=redis_url)
    queue = JobQueue(wsettings, name=name)
    set_queue(queue)
    env = {k: v for k, v in os.environ.items() if not k.startswith("LINGXI_")}
    env.update(
        LINGXI_DATA_DIR=str(tmp_path),
        LINGXI_DATABASE_URL=settings.sqlalchemy_url,
        LINGXI_SECRET_KEY="test-secret",
        PYTHONPATH=os.pathsep.join([str(HERE), str(ROOT), env.get("PYTHONPATH", "")]),
        PYTHONUNBUFFERED="1",
    )
    if redis_url:
        env["LINGXI_REDIS_URL"] = redis_url
    log = tmp_path / "worker.log"
    first = second = None
    try:
        first = start_worker_process(env, name, log)
        actor = admin_actor(tenant)
        async with tenant.db.unit_of_work(actor) as s:
            slow = await enqueue_job(s, actor, "test.slow", params={"steps": 8, "delay": 0.4})
        async with tenant.db.unit_of_work(actor) as s:
            waiting = await enqueue_job(s, actor, "test.echo", params={"behind": "slow"})
        async with tenant.db.unit_of_work(actor) as s:  # accepted, but its id never reached the queue
            unsent = Job(tenant_id=tenant.id, kind="test.echo", params={"unsent": True}, created_by_id=tenant.admin.id)
            s.add(unsent)

        running = await wait_for(tenant.db, slow.id, statuses=("running",), within=90, min_progress=1)
        assert running.attempts == 1 and 1 <= running.progress < 8

        os.kill(first.pid, signal.SIGKILL)
        await asyncio.to_thread(first.wait)  # reap it, as its parent would
        orphan = await job_state(tenant.db, slow.id)
        assert orphan.status == "running" and orphan.worker_id.endswith(f":{first.pid}")
        assert (await job_state(tenant.db, waiting.id)).status == "queued"

        second = start_worker_process(env, name, log)
        done = await wait_for(tenant.db, slow.id, within=90)
        assert done.status == "succeeded", done.error
        assert done.attempts == 2 and done.result == {"steps": 8, "attempt": 2}
        assert done.worker_id.endswith(f":{second.pid}")
        for job in (waiting, unsent):
            finished = await wait_for(tenant.db, job.id, within=60)
            assert finished.status == "succeeded", finished.error
            assert finished.attempts == 1
    except BaseException:
        if log.exists():
            print(log.read_text()[-6000:])
        raise
    finally:
        for proc in (first, second):
            if proc is not None:
                stop(proc)
        set_queue(None)
        if redis_url:
            drop_redis_queue(name)
