"""The business calendar: is it a working day and working hours where the tenant is, and when is the next
working time. Mainland China's public holidays and adjusted workdays (调休) come from ``chinese_calendar``
for the years it knows; other years fall back to the tenant's working days and its own holiday list."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from lingxi.agent.context.settings import ContextSettings

try:
    import chinese_calendar
except ImportError:  # pragma: no cover - an optional dependency
    chinese_calendar = None


def _zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (KeyError, ValueError):
        return ZoneInfo("Asia/Shanghai")


def day_status(day: date, settings: ContextSettings) -> tuple[bool, str | None]:
    """(is a working day, the holiday's name when it is one)."""
    if day in settings.extra_workdays:
        return True, None
    if day in settings.holidays:
        return False, "company holiday"
    if settings.public_holidays and chinese_calendar is not None:
        try:
            on_holiday, name = chinese_calendar.get_holiday_detail(day)
        except NotImplementedError:  # a year the package has no data for
            pass
        else:
            if name is not None:  # a public holiday, or a weekend made a workday (调休)
                return (not on_holiday), (name if on_holiday else None)
            return (not on_holiday) and day.weekday() in settings.working_days, None
    return day.weekday() in settings.working_days, None


def _clock(value: str) -> time:
    hours, minutes = value.split(":")
    return time(int(hours), int(minutes))


def business_time(now: datetime, settings: ContextSettings, timezone: str) -> dict[str, Any]:
    local = now.astimezone(_zone(timezone))
    workday, holiday = day_status(local.date(), settings)
    start, end = _clock(settings.work_start), _clock(settings.work_end)
    in_hours = workday and start <= local.time() < end
    next_start: datetime | None = None
    day = local.date()
    for offset in range(0, 40):
        candidate = day + timedelta(days=offset)
        if not day_status(candidate, settings)[0]:
            continue
        opening = datetime.combine(candidate, start, tzinfo=local.tzinfo)
        if opening > local:
            next_start = opening
            break
    return {
        "local_time": local.isoformat(timespec="minutes"),
        "timezone": str(local.tzinfo),
        "weekday": local.strftime("%A"),
        "is_workday": workday,
        "holiday": holiday,
        "in_working_hours": in_hours,
        "working_hours": f"{settings.work_start}-{settings.work_end}",
        "next_working_start": next_start.isoformat(timespec="minutes") if next_start else None,
    }
