"""``lingxi worker``: a standalone worker process for the scaled-out mode.

It consumes the same queue (``LINGXI_REDIS_URL``, or ``data_dir/queue.db``) and database as the API
processes, and delivers outbox events. SIGTERM or Ctrl-C stops it after the running jobs finish
(up to ``--shutdown-timeout``); a job cut short by ``kill -9`` is picked up when a worker restarts.
"""

from __future__ import annotations

import signal
import threading
from datetime import timedelta
from typing import Annotated

import typer

app = typer.Typer(help="Background jobs.", no_args_is_help=True)


@app.callback()
def _jobs() -> None:
    """Background jobs."""


@app.command("worker")
def worker_command(
    threads: Annotated[int | None, typer.Option(help="Job threads (default: LINGXI_WORKER_THREADS).")] = None,
    dispatcher: Annotated[bool, typer.Option(help="Also deliver outbox events.")] = True,
    lease_seconds: Annotated[
        float, typer.Option(help="A running job without a heartbeat this long is run again.")
    ] = 120.0,
    shutdown_timeout: Annotated[float, typer.Option(help="Seconds to let running jobs finish on SIGTERM.")] = 30.0,
    queue: Annotated[
        str, typer.Option(help="Queue name, to keep several installations apart on one Redis.")
    ] = "lingxi",
    handler_module: Annotated[
        list[str] | None, typer.Option("--import", "-i", help="Extra module(s) defining job handlers or subscribers.")
    ] = None,
) -> None:
    """Run jobs and deliver events until stopped."""
    import logging

    import lingxi.models  # noqa: F401  (the whole schema and the audit/outbox hooks)
    from lingxi.config import get_settings
    from lingxi.jobs.queue import JobQueue, set_queue
    from lingxi.jobs.worker import start_worker

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    stop = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stop.set())
    settings = get_settings()
    job_queue = JobQueue(settings, name=queue)
    set_queue(job_queue)  # jobs enqueued by handlers in this process go to the same queue
    worker = start_worker(
        settings,
        queue=job_queue,
        threads=threads,
        dispatcher=dispatcher,
        lease=timedelta(seconds=lease_seconds),
        shutdown_timeout=shutdown_timeout,
        handler_modules=tuple(handler_module or ()),
    )
    typer.echo(f"lingxi worker {worker.id} running ({worker.queue.mode} queue); Ctrl-C to stop", err=True)
    while not stop.wait(1.0):
        pass
    worker.stop(timeout=shutdown_timeout + 5)


if __name__ == "__main__":
    app()
