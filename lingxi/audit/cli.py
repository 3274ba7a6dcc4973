"""``lingxi audit verify``: check the hash chains of the audit log."""

from __future__ import annotations

import asyncio
import uuid
from typing import Annotated

import typer

from lingxi.audit.chain import VerifyReport, verify

app = typer.Typer(help="Audit log tools.", no_args_is_help=True)


@app.callback()
def _audit() -> None:
    """Audit log tools."""


async def _run(tenant: uuid.UUID | None) -> VerifyReport:
    from lingxi.db import Database

    db = Database()
    try:
        return await verify(db, tenant)
    finally:
        await db.dispose()


@app.command("verify")
def verify_command(
    tenant: Annotated[uuid.UUID | None, typer.Option(help="Check only this tenant's chain (its id).")] = None,
) -> None:
    """Recompute every hash chain; exit 1 when a row was changed, deleted or moved."""
    report = asyncio.run(_run(tenant))
    if not report.ok:
        typer.secho(
            f"AUDIT LOG TAMPERED: {len(report.problems)} problem(s) in {report.chains} chain(s), "
            f"{report.rows} row(s) checked",
            fg=typer.colors.RED,
            err=True,
        )
        for problem in report.problems:
            typer.echo(f"  {problem}", err=True)
        raise typer.Exit(1)
    typer.echo(f"audit log intact: {report.chains} chain(s), {report.rows} row(s) verified")
    for chain, (seq, digest) in sorted(report.heads.items()):
        typer.echo(f"  {chain}  seq={seq}  head={digest}")


if __name__ == "__main__":
    app()
