"""Segmentation for the search index: jieba for Chinese; words, numbers, phones and emails for the rest.

``terms`` turns a field value into index terms (generous: every way a user may later type it);
``query_terms`` turns a search box into the few terms that must match (strict: one term per thing typed).
Both normalise the same way (NFKC, lower case), so ``ＡＢＣ`` and ``abc`` are one term. The search
matches query terms as prefixes of index terms, so typing the start of a word, number or email is enough.
"""

from __future__ import annotations

import logging
import os
import re
import tempfile
import threading
import unicodedata
from collections import Counter
from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path

import jieba

MAX_TERM_LENGTH = 100
MAX_QUERY_TERMS = 8
# A whole run of Chinese up to this length is also a term, so names and companies match from their start.
MAX_WHOLE_RUN = 16
MIN_PHONE_DIGITS = 7

# English function words and URL noise, then Chinese function characters.
STOP_WORDS = frozenset(
    "a an and are as at be by for from in is it of on or that the this to was with".split()
    + "http https www mailto com cn net".split()
    + list("的了和与及或是在也就都而等对把被之其这那着过吗呢吧啊个")
)

_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002fa1f"
_TOKEN = re.compile(
    r"(?P<email>[a-z0-9._%+\-]+@[a-z0-9\-]+(?:\.[a-z0-9\-]+)+)"
    r"|(?P<phone>\+?\(?\d[\d\s\-()]{5,}\d)"
    r"|(?P<word>[a-z0-9]+(?:[._\-/:'+#&][a-z0-9]+)*)"
    rf"|(?P<cjk>[{_CJK}]+)"
)
_SEPARATOR = re.compile(r"[._\-/:'+#&]")
_ALNUM_RUN = re.compile(r"[a-z]+|[0-9]+")
_CJK_CHAR = re.compile(rf"[{_CJK}]")

_ready = False
_ready_lock = threading.Lock()
log = logging.getLogger(__name__)


def _cache_dir() -> str:
    """jieba caches its prefix dictionary; keep that cache in the data dir (or a temp dir), never
    next to the installed package, which may be read-only."""
    from lingxi.config import get_settings

    candidates = []
    try:
        candidates.append(get_settings().data_dir / "cache")
    except Exception:  # noqa: BLE001 - unreadable settings must not stop segmentation
        log.warning("settings unavailable; jieba's cache goes to the temp dir")
    uid = os.getuid() if hasattr(os, "getuid") else 0
    candidates.append(Path(tempfile.gettempdir()) / f"lingxi-jieba-{uid}")
    for path in candidates:
        try:
            path.mkdir(parents=True, exist_ok=True)
        except OSError:
            continue
        if os.access(path, os.W_OK):
            return str(path.resolve())
    return tempfile.gettempdir()


def _ensure_ready() -> None:
    global _ready
    if _ready:
        return
    with _ready_lock:
        if _ready:
            return
        jieba.setLogLevel(logging.WARNING)
        if jieba.dt.tmp_dir is None:
            jieba.dt.tmp_dir = _cache_dir()
        jieba.initialize()
        _ready = True


def warm_up() -> None:
    """Load the segmenter's dictionary once at start, not on the first request."""
    _ensure_ready()


def normalize(text: str) -> str:
    return unicodedata.normalize("NFKC", text).lower()


def _keep(term: str) -> bool:
    return bool(term) and term not in STOP_WORDS


def _cap(term: str) -> str:
    return term[:MAX_TERM_LENGTH]


def _is_phone(digits: str) -> bool:
    return len(digits) >= MIN_PHONE_DIGITS


def _email_terms(email: str) -> Iterator[str]:
    local, _, domain = email.partition("@")
    yield email
    yield local
    yield domain
    yield from _word_terms(local)
    yield from _word_terms(domain)


def _phone_terms(raw: str) -> Iterator[str]:
    digits = re.sub(r"\D", "", raw)
    if not _is_phone(digits):
        # Not a phone: a few numbers that happen to sit close together.
        yield from re.findall(r"\d+", raw)
        return
    yield digits
    for prefix in ("0086", "86"):
        if digits.startswith(prefix) and len(digits) - len(prefix) >= MIN_PHONE_DIGITS:
            yield digits[len(prefix) :]
            break
    # Each group of a formatted number ("021-6234 5678" → "6234", "62345678" via the groups below).
    groups = re.findall(r"\d+", raw)
    if len(groups) > 1:
        for i, group in enumerate(groups):
            if len(group) >= 3:
                yield group
                yield "".join(groups[i:])


def _word_terms(word: str) -> Iterator[str]:
    """``so-2024-0001`` → itself, its tails (``2024-0001``, ``0001``), its parts and ``so20240001``;
    ``tk2024`` → itself, ``tk`` and ``2024``."""
    parts = [p for p in _SEPARATOR.split(word) if p]
    yield word
    if len(parts) > 1:
        seps = [m.end() for m in _SEPARATOR.finditer(word)]
        for end in seps[:8]:
            tail = word[end:]
            if tail[:1].isalnum():
                yield tail
        if any(c.isdigit() for c in word):
            yield "".join(parts)
    for part in parts[:16]:
        if len(parts) > 1:
            yield part
        runs = _ALNUM_RUN.findall(part)
        if len(runs) > 1:
            yield from runs


def _cjk_index_terms(run: str) -> tuple[str, ...]:
    return _cjk_short_terms(run) if len(run) <= MAX_WHOLE_RUN else _cjk_terms(run)


@lru_cache(maxsize=50_000)
def _cjk_short_terms(run: str) -> tuple[str, ...]:
    """Cached: names, cities and titles repeat across records, and jieba is the costly part."""
    return _cjk_terms(run)


def _cjk_terms(run: str) -> tuple[str, ...]:
    _ensure_ready()
    found = list(jieba.cut_for_search(run))
    if 2 <= len(run) <= MAX_WHOLE_RUN:
        found.append(run)
    return tuple(found)


def _match_terms(kind: str | None, value: str) -> tuple[str, ...]:
    """The distinct terms of one token."""
    if kind == "email":
        found = _email_terms(value)
    elif kind == "phone":
        found = _phone_terms(value)
    elif kind == "word":
        found = _word_terms(value)
    else:
        found = _cjk_index_terms(value)
    return tuple(dict.fromkeys(_cap(t) for t in found if _keep(t)))


def term_counts(text: str | None) -> Counter[str]:
    """Index terms of ``text`` with how often each occurs (a term counts once per word, phone,
    email or Chinese run it comes from)."""
    counts: Counter[str] = Counter()
    if not text:
        return counts
    for m in _TOKEN.finditer(normalize(text)):
        counts.update(dict.fromkeys(_match_terms(m.lastgroup, m.group()), 1))
    return counts


def terms(text: str | None) -> list[str]:
    """The distinct index terms of a field value, in order of first appearance."""
    return list(term_counts(text))


def query_terms(q: str | None) -> list[str]:
    """The terms a query must match (as prefixes), one per word, number, phone or email typed;
    Chinese is segmented precisely (``华鼎科技`` → ``华鼎``, ``科技``)."""
    if not q:
        return []
    out: dict[str, None] = {}
    for m in _TOKEN.finditer(normalize(q)):
        kind = m.lastgroup
        value = m.group()
        if kind == "phone":
            digits = re.sub(r"\D", "", value)
            found = [digits] if _is_phone(digits) else re.findall(r"\d+", value)
        elif kind == "cjk":
            _ensure_ready()
            found = [w for w in jieba.cut(value) if w.strip()]
        else:
            found = [value]
        for term in found:
            if _keep(term):
                out.setdefault(_cap(term), None)
    return list(out)[:MAX_QUERY_TERMS]


def is_cjk(term: str) -> bool:
    return bool(_CJK_CHAR.match(term))
