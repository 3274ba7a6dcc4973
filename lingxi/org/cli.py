"""``lingxi user``: manage users from the command line."""

from __future__ import annotations

from typing import Annotated

import anyio
import typer

app = typer.Typer(no_args_is_help=True, add_completion=False)


@app.callback()
def _user() -> None:
    """Manage users."""


async def _create(tenant_slug: str, email: str, name: str, roles: list[str], password: str | None) -> str | None:
    import lingxi.models  # noqa: F401  (every table mapped before the first query)
    from lingxi.auth.passwords import policy_of
    from lingxi.db import get_database
    from lingxi.errors import NotFound
    from lingxi.org.service import create_user, temporary_password
    from lingxi.tenancy.context import Actor
    from lingxi.tenancy.service import tenant_by_slug

    db = get_database()
    try:
        async with db.unit_of_work(Actor.system()) as session:
            tenant = await tenant_by_slug(session, tenant_slug)
            if tenant is None:
                raise NotFound(f"tenant {tenant_slug!r} not found", code="tenant_not_found")
            # From here on the session works inside that one tenant.
            session.info["actor"] = Actor.system(tenant.id)
            generated = None if password else temporary_password(policy_of(tenant.settings))
            await create_user(session, tenant, email=email, name=name, password=password or generated, role_names=roles)
    finally:
        await db.dispose()
    return generated


@app.command("create")
def create(
    tenant: str = typer.Option(..., "--tenant", help="The tenant's slug"),
    email: str = typer.Option(..., "--email"),
    name: str = typer.Option(..., "--name"),
    role: Annotated[
        list[str] | None, typer.Option("--role", help="Role name, e.g. 销售代表; repeat for several")
    ] = None,
    password: str = typer.Option(None, "--password", help="Generated and printed when left out"),
) -> None:
    """Create a user in a tenant with the given roles."""
    from lingxi.errors import LingxiError

    try:
        generated = anyio.run(_create, tenant, email, name, list(role or []), password)
    except LingxiError as exc:
        typer.echo(f"error: {exc.message} ({exc.code}) {exc.details or ''}".rstrip(), err=True)
        raise typer.Exit(1) from exc
    typer.echo(f"User {email} created in {tenant!r}")
    if generated:
        typer.echo(f"Password (shown once): {generated}")
