"""Next step and its date, resolved against a reference date.

Chinese time expressions go to jionlp's time extractor; English ones to rules for the relative forms
("next Friday", "in two weeks", "tomorrow", "end of month") and to dateparser for absolute dates. A few
relative forms jionlp resolves loosely ("两周后" as a week range, "月底") are resolved here first.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

_CN_DIGITS = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10,
              "半": 0.5}
_EN_NUMBERS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
               "eight": 8, "nine": 9, "ten": 10, "couple of": 2, "few": 3}
_WEEKDAYS = {"monday": 0, "mon": 0, "tuesday": 1, "tue": 1, "tues": 1, "wednesday": 2, "wed": 2, "thursday": 3,
             "thu": 3, "thurs": 3, "friday": 4, "fri": 4, "saturday": 5, "sat": 5, "sunday": 6, "sun": 6}
_STEP_WORDS = re.compile(
    r"下一步|接下来|然后|之后|计划|准备|打算|安排|约|再|需要|要|跟进|回访|拜访|演示|发送|发|寄|提交|签约|签合同|确认|开会|电话|"
    r"next step|follow up|follow-up|schedule|send|call|meet|demo|visit|sign|review|confirm|will|plan to|going to",
    re.I,
)
_CLAUSE_SPLIT = re.compile(r"[。！？!?；;\n，]|,\s|\.\s")
_PAST = re.compile(r"了|[见聊谈去来做用]过|刚|今天上午|昨天|\b(?:met|visited|had|talked|spoke|called|discussed|was|were|said)\b", re.I)
# a clause that opens with an instruction ("Send the deck…", "寄样品…") is a step to take
_IMPERATIVE = re.compile(r"^(?:send|call|email|schedule|book|prepare|share|follow up|set up|arrange|visit|sign|寄|发|约|安排|准备|提交|跟进|回访)", re.I)
_NEXT_MARK = re.compile(r"(下一步|接下来|next steps?)[:：是为,，\s]*", re.I)


def _cn_num(s: str) -> float:
    if s.isdigit():
        return int(s)
    if s in _CN_DIGITS:
        return _CN_DIGITS[s]
    if s.startswith("十"):
        return 10 + _CN_DIGITS.get(s[1:], 0)
    if "十" in s:
        a, _, b = s.partition("十")
        return _CN_DIGITS.get(a, 1) * 10 + _CN_DIGITS.get(b, 0)
    return 0


def _add_months(d: date, months: int) -> date:
    y, m = divmod(d.month - 1 + months, 12)
    year, month = d.year + y, m + 1
    return date(year, month, min(d.day, calendar.monthrange(year, month)[1]))


def _month_end(d: date) -> date:
    return date(d.year, d.month, calendar.monthrange(d.year, d.month)[1])


_RULES: list[tuple[re.Pattern[str], Callable[[re.Match[str], date], date]]] = [
    (re.compile(r"(\d+|[一二两三四五六七八九十半]+)\s?(?:个)?(周|星期|礼拜)(?:之?后|以后)"),
     lambda m, d: d + timedelta(weeks=_cn_num(m.group(1)))),
    (re.compile(r"(\d+|[一二两三四五六七八九十]+)\s?(?:天|日)(?:之?后|以后|内)"), lambda m, d: d + timedelta(days=_cn_num(m.group(1)))),
    (re.compile(r"(\d+|[一二两三四五六七八九十半]+)\s?个月(?:之?后|以后)"), lambda m, d: _add_months(d, int(_cn_num(m.group(1))))),
    (re.compile(r"下个?月底|下月底"), lambda m, d: _month_end(_add_months(d.replace(day=1), 1))),
    (re.compile(r"(?:这个?月|本月)?月底"), lambda m, d: _month_end(d)),
    (re.compile(r"下个?月初|下月初"), lambda m, d: _add_months(d.replace(day=1), 1)),
    (re.compile(r"下个?月(?![初底中末\d一二三四五六七八九十号])"), lambda m, d: _add_months(d.replace(day=1), 1)),
    (re.compile(r"周末"), lambda m, d: d + timedelta(days=(5 - d.weekday()) % 7 or 7)),
    (re.compile(r"\bin\s+(a|an|one|two|three|four|five|six|seven|eight|nine|ten|couple of|few|\d+)\s+(day|week|month)s?\b", re.I),
     lambda m, d: _en_offset(m, d)),
    (re.compile(r"\b(a|an|one|two|three|four|five|six|\d+)\s+(day|week|month)s?\s+(?:from now|later)\b", re.I),
     lambda m, d: _en_offset(m, d)),
    (re.compile(r"\bday after tomorrow\b", re.I), lambda m, d: d + timedelta(days=2)),
    (re.compile(r"\btomorrow\b|\btmr\b|\btmrw\b", re.I), lambda m, d: d + timedelta(days=1)),
    (re.compile(r"\btoday\b|\btonight\b|\bthis (?:afternoon|evening|morning)\b", re.I), lambda m, d: d),
    (re.compile(r"\bnext week\b", re.I), lambda m, d: d + timedelta(days=7 - d.weekday())),
    (re.compile(r"\bnext month\b", re.I), lambda m, d: _add_months(d.replace(day=1), 1)),
    (re.compile(r"\b(?:by |at )?(?:the )?end of (?:the |this )?month\b|\bmonth[- ]end\b", re.I), lambda m, d: _month_end(d)),
    (re.compile(r"\bend of next month\b", re.I), lambda m, d: _month_end(_add_months(d.replace(day=1), 1))),
    (re.compile(r"\bnext (monday|tuesday|wednesday|thursday|friday|saturday|sunday|mon|tue|tues|wed|thu|thurs|fri|sat|sun)\b", re.I),
     lambda m, d: d + timedelta(days=7 - d.weekday() + _WEEKDAYS[m.group(1).lower()])),
    (re.compile(r"\b(?:this |on |by |until |coming )?(monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b", re.I),
     lambda m, d: d + timedelta(days=(_WEEKDAYS[m.group(1).lower()] - d.weekday()) % 7 or 7)),
]


def _en_offset(m: re.Match[str], d: date) -> date:
    raw = m.group(1).lower()
    n = int(raw) if raw.isdigit() else _EN_NUMBERS.get(raw, 1)
    unit = m.group(2).lower()
    if unit == "day":
        return d + timedelta(days=n)
    if unit == "week":
        return d + timedelta(weeks=n)
    return _add_months(d, n)


def _en_absolute(text: str, ref: date) -> tuple[int, date] | None:
    month_names = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?"
    pattern = re.compile(rf"\b(?:{month_names}\s+\d{{1,2}}(?:st|nd|rd|th)?(?:,?\s+\d{{4}})?|\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?{month_names}(?:\s+\d{{4}})?|\d{{4}}-\d{{1,2}}-\d{{1,2}}|\d{{1,2}}/\d{{1,2}}(?:/\d{{2,4}})?)\b", re.I)
    m = pattern.search(text)
    if not m:
        return None
    import dateparser

    parsed = dateparser.parse(
        m.group(0), languages=["en"],
        settings={"RELATIVE_BASE": _dt(ref), "PREFER_DATES_FROM": "future", "DATE_ORDER": "MDY"},
    )
    return (m.start(), parsed.date()) if parsed else None


def _dt(d: date) -> Any:
    from datetime import datetime

    return datetime(d.year, d.month, d.day)


def resolve_date(text: str, ref: date, jionlp: Callable[[], Any]) -> tuple[int, date] | None:
    """The first date the text names, with its position."""
    found: list[tuple[int, date]] = []
    for rx, fn in _RULES:
        m = rx.search(text)
        if m:
            found.append((m.start(), fn(m, ref)))
    absolute = _en_absolute(text, ref)
    if absolute:
        found.append(absolute)
    if re.search(r"[\u4e00-\u9fff]", text):
        jio = jionlp()
        from jionlp.algorithm.ner import extract_time

        try:
            items = extract_time(text, time_base={"year": ref.year, "month": ref.month, "day": ref.day})
        except Exception:  # noqa: BLE001 - jionlp raises on odd strings
            items = []
        del jio
        for item in items:
            if item.get("type") not in ("time_point", "time_span"):
                continue
            if re.fullmatch(r"(今年|去年|上个?月|本月|这个月|上周|本周|这周|上季度|本季度|\d{4}年)", item["text"]):
                continue
            if any(start <= item["offset"][0] < start + 4 for start, _ in found):
                continue
            # "周五前" / "4月10日之前" is a span from now until that day: the deadline is its end
            deadline = item["type"] == "time_span" and re.search(r"(?:之|以)?前$", item["text"])
            try:
                value = date.fromisoformat(item["detail"]["time"][1 if deadline else 0][:10])
            except (KeyError, ValueError, TypeError, IndexError):
                continue
            found.append((item["offset"][0], value))
    if not found:
        return None
    return min(found, key=lambda x: x[0])


def find_next_step(text: str, ref: date, jionlp: Callable[[], Any]) -> tuple[str | None, str | None]:
    """The clause that says what happens next, and its date (ISO), if the text says so."""
    clauses = [c.strip(" ，,、") for c in _CLAUSE_SPLIT.split(text) if c and c.strip(" ，,、")]
    best: tuple[int, str, date | None] | None = None
    for i, clause in enumerate(clauses):
        marked = _NEXT_MARK.search(clause)
        when = resolve_date(clause, ref, jionlp)
        future = when is not None and when[1] >= ref
        # a later day says more about what comes next than "today", which often opens a visit report
        score = (3 if marked else 0) + (2 if future and when[1] > ref else 1 if future else 0) + (1 if _STEP_WORDS.search(clause) else 0) + (1 if _IMPERATIVE.match(clause) else 0)
        if _PAST.search(clause) and not marked and (when is None or when[1] <= ref):
            score -= 2
        if score >= 2 and (best is None or score >= best[0]):
            step = clause[marked.end():] if marked else clause
            best = (score, step.strip(" ，,：:"), when[1] if future and when else None)
        del i
    if best is None:
        return None, None
    step, when = best[1], best[2]
    if when is None:
        later = resolve_date(text, ref, jionlp)
        when = later[1] if later and later[1] >= ref else None
    return step or None, when.isoformat() if when else None
