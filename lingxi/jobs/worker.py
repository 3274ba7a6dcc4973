"""The background worker: huey's consumer on threads, plus a maintenance thread.

``start_worker()`` runs inside ``lingxi serve`` (embedded mode) or ``lingxi worker`` (scaled out).
The maintenance thread has its own event loop and engines; it

- at start, queues again the jobs a dead worker left ``running`` and sends every ``queued`` job
  (one that was accepted but never reached the queue is sent now; duplicates are harmless);
- dispatches outbox events every ``poll_seconds`` and right after a local commit that wrote some;
- every ``sweep_seconds``, recovers orphaned jobs again (workers on other hosts may have died);
- every hour, deletes delivered outbox events older than ``dispatcher.OUTBOX_KEEP`` (the audit log, not the
  outbox, is the permanent record).
"""

from __future__ import annotations

import asyncio
import threading
import time
from datetime import timedelta
from typing import Literal

import structlog
from huey.consumer import Consumer

from lingxi.config import Settings, get_settings
from lingxi.db import Database
from lingxi.events.dispatcher import dispatch_all, purge_dispatched
from lingxi.events.outbox import add_waker, remove_waker
from lingxi.jobs.queue import JobQueue, get_queue
from lingxi.jobs.registry import load_handlers
from lingxi.jobs.runner import LEASE, close_thread_runtime, recover_jobs, worker_id

log = structlog.get_logger("lingxi.worker")
PURGE_EVERY_SECONDS = 3600.0


class _EmbeddedConsumer(Consumer):
    """huey's consumer without its process-wide signal handlers (the host process owns those)."""

    def _set_signal_handlers(self) -> None:
        pass


class Worker:
    def __init__(
        self,
        settings: Settings,
        queue: JobQueue,
        *,
        threads: int,
        dispatcher: bool,
        lease: timedelta,
        poll_seconds: float,
        sweep_seconds: float,
        shutdown_timeout: float,
    ):
        self.settings = settings
        self.queue = queue
        self.dispatcher = dispatcher
        self.lease = lease
        self.poll_seconds = poll_seconds
        self.sweep_seconds = sweep_seconds
        self.id = worker_id()
        self._stop = threading.Event()
        self._wake = threading.Event()
        self._ready = threading.Event()
        queue.huey.on_shutdown(name="lingxi_close_runtime")(close_thread_runtime)
        self.consumer = _EmbeddedConsumer(
            queue.huey,
            workers=max(threads, 1),
            worker_type="thread",
            periodic=False,
            initial_delay=0.05,
            backoff=1.5,
            max_delay=1.0,
            shutdown_timeout=shutdown_timeout,
        )
        self._consumer_thread = threading.Thread(target=self.consumer.run, name="lingxi-consumer", daemon=True)
        self._maintenance_thread = threading.Thread(target=self._maintain, name="lingxi-maintenance", daemon=True)

    def start(self) -> Worker:
        if self.dispatcher:
            add_waker(self._wake)
        self._maintenance_thread.start()
        self._consumer_thread.start()
        log.info("worker_started", worker=self.id, queue=self.queue.mode, threads=self.consumer.workers)
        return self

    def wait_ready(self, timeout: float = 30.0) -> bool:
        """True once the startup recovery has run."""
        return self._ready.wait(timeout)

    def wake(self) -> None:
        self._wake.set()

    def stop(self, timeout: float | None = None) -> None:
        self._stop.set()
        self._wake.set()
        remove_waker(self._wake)
        self.consumer.stop(graceful=True)
        self._consumer_thread.join(timeout)
        self._maintenance_thread.join(timeout)
        log.info("worker_stopped", worker=self.id)

    def _maintain(self) -> None:
        with asyncio.Runner() as runner:
            db = Database(self.settings)
            try:
                self._recover(runner, db, startup=True)
                self._ready.set()
                last_sweep = last_purge = time.monotonic()
                while not self._stop.is_set():
                    self._wake.wait(self.poll_seconds)
                    self._wake.clear()
                    if self._stop.is_set():
                        break
                    if self.dispatcher:
                        try:
                            runner.run(dispatch_all(db))
                        except Exception:  # noqa: BLE001 - the next round retries
                            log.exception("dispatch_failed")
                    if time.monotonic() - last_sweep >= self.sweep_seconds:
                        self._recover(runner, db, startup=False)
                        last_sweep = time.monotonic()
                    if self.dispatcher and time.monotonic() - last_purge >= PURGE_EVERY_SECONDS:
                        self._purge(runner, db)
                        last_purge = time.monotonic()
            finally:
                self._ready.set()
                runner.run(db.dispose())

    def _purge(self, runner: asyncio.Runner, db: Database) -> None:
        try:
            runner.run(purge_dispatched(db))
        except Exception:  # noqa: BLE001 - tried again next hour
            log.exception("outbox_purge_failed")

    def _recover(self, runner: asyncio.Runner, db: Database, *, startup: bool) -> None:
        try:
            resend: Literal["all", "stale", "none"]
            if startup:
                resend = "all"
            else:
                # Jobs wait although the queue is empty: their messages were lost (or never sent).
                resend = "stale" if self.queue.pending_count() == 0 else "none"
            recovery = runner.run(recover_jobs(db, lease=self.lease, resend=resend))
        except Exception:  # noqa: BLE001 - the next sweep retries
            log.exception("job_recovery_failed")
            return
        for job_id in recovery.to_send:
            try:
                self.queue.send(job_id)
            except Exception:  # noqa: BLE001
                log.exception("job_send_failed", job_id=str(job_id))


def start_worker(
    settings: Settings | None = None,
    *,
    queue: JobQueue | None = None,
    threads: int | None = None,
    dispatcher: bool = True,
    lease: timedelta = LEASE,
    poll_seconds: float = 1.0,
    sweep_seconds: float = 30.0,
    shutdown_timeout: float = 10.0,
    handler_modules: tuple[str, ...] = (),
) -> Worker:
    """Start the in-process worker; call ``.stop()`` on the result at shutdown."""
    settings = settings or get_settings()
    if queue is None:
        queue = get_queue() if settings is get_settings() else JobQueue(settings)
    load_handlers(handler_modules)
    worker = Worker(
        settings,
        queue,
        threads=threads if threads is not None else settings.worker_threads,
        dispatcher=dispatcher,
        lease=lease,
        poll_seconds=poll_seconds,
        sweep_seconds=sweep_seconds,
        shutdown_timeout=shutdown_timeout,
    )
    return worker.start()
