"""``lingxi demo``: load the demo tenant and print how to log in."""

from __future__ import annotations

import asyncio

import typer

from lingxi.demo.scale import MAX_SCALE

app = typer.Typer(add_completion=False)


@app.command()
def demo(
    scale: int = typer.Option(0, "--scale", min=0, max=MAX_SCALE, help="Extra contacts for benchmarks (50000 to 1000000)"),
    seed: int = typer.Option(42, "--seed", help="Random seed: the same seed gives the same data"),
    password: str = typer.Option(None, "--password", help="Password of the demo users (default LINGXI_DEMO_PASSWORD, else generated)"),
    reset: bool = typer.Option(False, "--reset", help="Delete the demo tenant first and load it again"),
    migrate: bool = typer.Option(True, "--migrate/--no-migrate", help="Apply database migrations first"),
    size: float = typer.Option(1.0, "--size", min=0.01, max=10.0, help="Factor on the base volumes (0.1 for a quick try)"),
) -> None:
    """Load tenant `demo` (灵犀演示公司): ~200 accounts, 600 contacts, deals, orders, tickets and users in every role."""
    from lingxi.config import get_settings
    from lingxi.db import Database
    from lingxi.demo.generator import load_demo
    from lingxi.errors import LingxiError

    settings = get_settings()
    if migrate:
        from lingxi.migrate import upgrade

        upgrade(settings)

    async def run() -> None:
        db = Database(settings)
        try:
            result = await load_demo(db, password=password, scale_contacts=scale or None, seed=seed, reset=reset, size=size)
        except LingxiError as exc:  # e.g. a password that the policy refuses
            typer.echo(f"error: {exc.message} {exc.details or ''}".rstrip(), err=True)
            raise typer.Exit(1) from exc
        finally:
            await db.dispose()
        if result.created:
            typer.echo(f"Demo tenant '{result.slug}' created{' (after reset)' if result.reset else ''} "
                       f"in {result.timings.get('total_s', 0):.1f}s.")
        for note in result.notes:
            typer.echo(f"  {note}")
        counts = result.counts
        typer.echo("  " + ", ".join(f"{counts.get(k, 0):,} {label}" for k, label in (
            ("account", "accounts"), ("contact", "contacts"), ("lead", "leads"), ("opportunity", "opportunities"),
            ("activity", "activities"), ("ticket", "tickets"), ("sales_order", "orders"), ("user", "users"))))
        typer.echo("")
        typer.echo(f"  Open      {settings_url(settings)}   (start it with: lingxi serve)")
        typer.echo(f"  Tenant    {result.slug}")
        typer.echo(f"  Email     {result.admin_email}")
        if result.password:
            typer.echo(f"  Password  {result.password}" + ("   (generated: keep it)" if result.password_source == "generated" else ""))
            others = ", ".join(email for email, _, _ in result.users[1:])
            typer.echo(f"  Same password for: {others}")
        else:
            typer.echo("  Password  unchanged (the tenant existed; use --reset to start over)")

    asyncio.run(run())


def settings_url(settings: object) -> str:
    host = getattr(settings, "host", "127.0.0.1")
    port = getattr(settings, "port", 8000)
    return f"http://{host}:{port}"
