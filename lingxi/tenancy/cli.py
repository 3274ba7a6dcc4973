"""``lingxi tenant``: manage tenants from the command line."""

from __future__ import annotations

import anyio
import typer

app = typer.Typer(no_args_is_help=True, add_completion=False)


@app.callback()
def _tenant() -> None:
    """Manage tenants."""


async def _create(slug: str, name: str, admin_email: str, admin_password: str | None, admin_name: str) -> str | None:
    import lingxi.models  # noqa: F401  (every table mapped before the first query)
    from lingxi.auth.passwords import policy_of
    from lingxi.db import get_database
    from lingxi.org.service import create_user, temporary_password
    from lingxi.tenancy.context import Actor
    from lingxi.tenancy.service import create_tenant

    db = get_database()
    try:
        async with db.unit_of_work(Actor.system()) as session:
            tenant = await create_tenant(session, slug, name)
            generated = None if admin_password else temporary_password(policy_of(tenant.settings))
            await create_user(
                session,
                tenant,
                email=admin_email,
                name=admin_name,
                password=admin_password or generated,
                role_names=("管理员",),
            )
    finally:
        await db.dispose()
    return generated


@app.command("create")
def create(
    slug: str = typer.Argument(..., help="Short lower-case identifier, used to sign in"),
    name: str = typer.Option(..., "--name", help="Display name of the organisation"),
    admin_email: str = typer.Option(..., "--admin-email", help="Email of the first administrator"),
    admin_password: str = typer.Option(None, "--admin-password", help="Generated and printed when left out"),
    admin_name: str = typer.Option("Administrator", "--admin-name", help="Name of the first administrator"),
) -> None:
    """Create a tenant with the default roles and pipeline, and its first administrator."""
    from lingxi.errors import LingxiError

    try:
        generated = anyio.run(_create, slug, name, admin_email, admin_password, admin_name)
    except LingxiError as exc:
        typer.echo(f"error: {exc.message} ({exc.code}) {exc.details or ''}".rstrip(), err=True)
        raise typer.Exit(1) from exc
    typer.echo(f"Tenant {slug!r} created; administrator {admin_email}")
    if generated:
        typer.echo(f"Administrator password (shown once): {generated}")
