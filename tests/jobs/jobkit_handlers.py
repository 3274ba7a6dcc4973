"""Job handlers used by the job tests; also imported by worker subprocesses (``-i jobkit_handlers``)."""

from __future__ import annotations

import asyncio

from lingxi.accounts.models import Account
from lingxi.jobs.registry import job_handler


@job_handler("test.echo")
async def echo(job, ctx):
    await ctx.progress(1, 1)
    return {"params": job.params, "actor": str(ctx.actor.user_id), "is_admin": ctx.actor.is_admin}


@job_handler("test.fail")
async def fail(job, ctx):
    raise ValueError("the spreadsheet is empty")


@job_handler("test.slow")
async def slow(job, ctx):
    steps = int(job.params.get("steps", 5))
    for i in range(steps):
        await asyncio.sleep(float(job.params.get("delay", 0.5)))
        await ctx.progress(i + 1, steps)
    return {"steps": steps, "attempt": job.attempts}


@job_handler("test.create_account")
async def create_account(job, ctx):
    async with ctx.unit_of_work() as s:
        account = Account(name=job.params["name"], owner_id=ctx.actor.user_id)
        s.add(account)
        await ctx.progress(1, 1, session=s)  # inside the write transaction: no second writer
    return {"account_id": str(account.id)}
