"""Calendar and task tools: events with invitations, reminders delivered when due, tasks for a person."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from lingxi.agent.tools.models import ToolReminder
from lingxi.agent.tools.reminders import deliver_due
from lingxi.notifications.models import Notification
from lingxi.tenancy.context import Actor


async def _inbox(kit, user_id):
    async with kit.db.unit_of_work(Actor.system(kit.id), write=False) as s:
        rows = await s.execute(select(Notification.kind, Notification.title, Notification.link)
                               .where(Notification.user_id == user_id).order_by(Notification.created_at))
        return [tuple(r) for r in rows.all()]


async def test_an_event_invites_its_attendees(tenant, tools):
    colleague, _ = await tenant.add_user("colleague", roles=("销售代表",))
    acct = (await tools.call(tenant, "accounts.create", {"name": "远山贸易"}))["output"]
    out = (await tools.call(tenant, "calendar.create_event", {
        "title": "远山贸易方案演示", "start_at": "2030-05-06T02:00:00Z", "attendee_ids": [str(colleague.id)],
        "related_entity": "accounts", "related_id": acct["id"], "location": "上海"}))["output"]
    event = out["event"]
    assert event["end_at"].startswith("2030-05-06T03:00:00") and event["account_id"] == acct["id"]
    assert out["notified"] == 1
    assert await _inbox(tenant, colleague.id) == [("calendar_invite", "日程邀请：远山贸易方案演示", f"/r/calendar_events/{event['id']}")]
    related = (await tools.call(tenant, "accounts.relate", {"id": acct["id"], "related": "calendar_events"}))["output"]
    assert [e["id"] for e in related["data"]] == [event["id"]]
    bad = await tools.call(tenant, "calendar.create_event", {"title": "x", "start_at": "2030-05-06T02:00:00Z",
                                                             "end_at": "2030-05-06T01:00:00Z"}, ok=False)
    assert bad["error"]["code"] == "invalid_range"
    nobody = await tools.call(tenant, "calendar.create_event", {"title": "x", "start_at": "2030-05-06T02:00:00Z",
                                                                "attendee_ids": ["00000000-0000-0000-0000-000000000001"]}, ok=False)
    assert nobody["error"]["code"] == "user_not_found"


async def test_a_reminder_is_delivered_once_when_due(tenant, tools):
    user, token = await tenant.add_user("rep", roles=("销售代表",))
    at = datetime.now(UTC) + timedelta(hours=2)
    out = (await tools.call(tenant, "calendar.create_reminder", {"title": "给王总回电话", "remind_at": at.isoformat(),
                                                                 "note": "确认报价"}, token=token))["output"]
    assert out["task"]["type"] == "task" and out["task"]["owner_id"] == str(user.id)
    await deliver_due(tenant.db, now=at - timedelta(minutes=1))
    assert await _inbox(tenant, user.id) == []
    await deliver_due(tenant.db, now=at + timedelta(seconds=1))
    assert await _inbox(tenant, user.id) == [("reminder", "给王总回电话", f"/r/activities/{out['task']['id']}")]
    await deliver_due(tenant.db, now=at + timedelta(minutes=5))
    assert len(await _inbox(tenant, user.id)) == 1
    async with tenant.db.unit_of_work(Actor.system(tenant.id), write=False) as s:
        sent = await s.scalar(select(ToolReminder.sent_at).where(ToolReminder.user_id == user.id))
    assert sent is not None
    past = await tools.call(tenant, "calendar.create_reminder", {"title": "x", "remind_at": "2001-01-01T00:00:00Z"}, expect=422)
    assert past["error"]["details"]["errors"][0]["field"] == "remind_at"


async def test_assigning_completing_and_the_agenda(tenant, tools):
    rep, rep_token = await tenant.add_user("rep", roles=("销售代表",))
    due = (datetime.now(UTC) + timedelta(days=1)).isoformat()
    out = (await tools.call(tenant, "tasks.assign", {"assignee_id": str(rep.id), "subject": "准备投标文件",
                                                     "due_at": due, "priority": "high"}))["output"]
    task = out["task"]
    assert task["owner_id"] == str(rep.id) and task["type"] == "task" and out["notified"]
    assert (await _inbox(tenant, rep.id))[0][:2] == ("task_assigned", "新任务：准备投标文件")
    agenda = (await tools.call(tenant, "calendar.agenda", {"days": 3}, token=rep_token))["output"]
    assert [t["subject"] for t in agenda["tasks"]] == ["准备投标文件"]
    done = (await tools.call(tenant, "tasks.complete", {"task_id": task["id"], "outcome": "已提交"}, token=rep_token))["output"]
    assert done["task"]["status"] == "completed" and done["task"]["completed_at"]
    again = (await tools.call(tenant, "tasks.complete", {"task_id": task["id"]}, token=rep_token))["output"]
    assert again["task"]["completed_at"] == done["task"]["completed_at"]  # completing twice changes nothing
    assert (await tools.call(tenant, "calendar.agenda", {}, token=rep_token))["output"]["tasks"] == []
