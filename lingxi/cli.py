"""The ``lingxi`` command."""

from __future__ import annotations

import importlib
import os

import typer

app = typer.Typer(help="Lingxi (灵犀) CRM", no_args_is_help=True, add_completion=False)


def _mount(module: str, name: str, help_text: str, *, single: bool = False) -> None:
    """Mount a domain's typer app; ``single`` makes its one command ``lingxi NAME`` itself."""
    try:
        sub = importlib.import_module(module).app
    except ModuleNotFoundError as exc:
        if exc.name == module:
            return
        raise
    if single:
        command = sub.registered_commands[0]
        app.command(name, help=help_text)(command.callback)
    else:
        app.add_typer(sub, name=name, help=help_text)


@app.command()
def serve(
    host: str = typer.Option(None, help="Address to bind (default LINGXI_HOST or 127.0.0.1)"),
    port: int = typer.Option(None, help="Port (default LINGXI_PORT or 8000)"),
    worker: bool = typer.Option(None, "--worker/--no-worker", help="Run the background worker in this process"),
    migrate: bool = typer.Option(True, "--migrate/--no-migrate", help="Apply database migrations first"),
    workers: int = typer.Option(1, min=1, max=64, help="API processes (one per core is a good start)"),
) -> None:
    """Apply migrations, then serve the API, the web UI and the background worker."""
    import uvicorn

    from lingxi.app import create_app
    from lingxi.config import get_settings
    from lingxi.logging import configure_logging

    settings = get_settings()
    configure_logging(settings)
    if workers > 2 and settings.is_sqlite:
        # SQLite has one writer at a time: two processes (one per core on a small machine) measured
        # 1.7x the throughput of one; beyond that they mostly wait for the write lock. Scale out on PostgreSQL.
        typer.echo("with SQLite, serve at most 2 API processes; use PostgreSQL (LINGXI_DATABASE_URL) for more", err=True)
        raise typer.Exit(2)
    if migrate:
        from lingxi.migrate import upgrade

        upgrade(settings)
    run_worker = settings.worker if worker is None else worker
    typer.echo(f"Lingxi serving on http://{host or settings.host}:{port or settings.port}  (worker: {'on' if run_worker else 'off'})")
    options = {
        "host": host or settings.host,
        "port": port or settings.port,
        "log_level": settings.log_level.lower(),
        "access_log": False,
        "proxy_headers": True,
    }
    if workers == 1:
        uvicorn.run(create_app(run_worker=run_worker), **options)
    else:
        # Each process builds its own app from the environment; the job worker runs in each of them
        # (the queue hands every job to exactly one consumer).
        os.environ["LINGXI_WORKER"] = "true" if run_worker else "false"
        uvicorn.run("lingxi.app:app_from_settings", factory=True, workers=workers, **options)


@app.command()
def migrate() -> None:
    """Apply database migrations and exit."""
    from lingxi.migrate import upgrade

    upgrade()
    typer.echo("database is at the latest schema")


_mount("lingxi.demo.cli", "demo", "Load the demo tenant (tenant `demo`, admin admin@demo.lingxi)", single=True)
_mount("lingxi.tenancy.cli", "tenant", "Manage tenants")
_mount("lingxi.org.cli", "user", "Manage users")
_mount("lingxi.audit.cli", "audit", "Audit trail: verify the hash chain")
_mount("lingxi.jobs.cli", "jobs", "Background jobs: run a standalone worker")


def main() -> None:
    os.environ.setdefault("PYTHONUNBUFFERED", "1")
    app()


if __name__ == "__main__":
    main()
