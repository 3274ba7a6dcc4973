"""Masking of personal data before text leaves for an external LLM provider.

Phones (mainland mobiles, landlines, +country numbers), emails and PRC resident ID numbers (18
characters with a valid check digit, or the old 15-digit form) become placeholders such as
``[PHONE_1]``; the same value always gets the same placeholder within one ``Masker``, so the model
can still tell that two mentions are one person, and ``unmask`` puts the values back into its reply.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"

EMAIL = re.compile(r"(?<![\w.+-])[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")
ID_NUMBER = re.compile(r"(?<![0-9A-Za-z])(?:[1-9]\d{5}(?:18|19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}[0-9Xx]|[1-9]\d{7}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3})(?![0-9A-Za-z])")
PHONE = re.compile(
    r"(?<![0-9A-Za-z])(?:"
    r"(?:\+|00)\d{1,3}[\s-]?(?:\(?\d{1,4}\)?[\s-]?){1,4}\d{2,4}"  # +86 138 0013 8000, +1 (415) 555-0100
    r"|1[3-9]\d[\s-]?\d{4}[\s-]?\d{4}"  # 13800138000, 138-0013-8000
    r"|0\d{2,3}[\s-]?\d{7,8}"  # 021-62345678, 0755 8888 6666
    r"|\(0\d{2,3}\)\s?\d{7,8}"
    r"|400[\s-]?\d{3}[\s-]?\d{4}"  # 400 service numbers
    r")(?![0-9A-Za-z])"
)


def valid_id_number(value: str) -> bool:
    """True for an 18-character resident ID whose check digit matches, or a 15-digit old one."""
    value = value.upper()
    if len(value) == 15:
        return value.isdigit()
    if len(value) != 18 or not value[:17].isdigit():
        return False
    total = sum(int(d) * w for d, w in zip(value[:17], _ID_WEIGHTS, strict=True))
    return _ID_CHECK[total % 11] == value[17]


@dataclass
class Masker:
    """Replaces personal data with numbered placeholders and can put it back."""

    values: dict[str, str] = field(default_factory=dict)  # placeholder -> original
    _seen: dict[tuple[str, str], str] = field(default_factory=dict)
    _counts: dict[str, int] = field(default_factory=dict)

    def _placeholder(self, kind: str, value: str) -> str:
        key = (kind, value)
        if key not in self._seen:
            n = self._counts.get(kind, 0) + 1
            self._counts[kind] = n
            placeholder = f"[{kind}_{n}]"
            self._seen[key] = placeholder
            self.values[placeholder] = value
        return self._seen[key]

    def mask(self, text: str) -> str:
        if not text:
            return text
        text = EMAIL.sub(lambda m: self._placeholder("EMAIL", m.group()), text)
        text = ID_NUMBER.sub(
            lambda m: self._placeholder("ID", m.group()) if valid_id_number(m.group()) else m.group(), text
        )
        return PHONE.sub(lambda m: self._placeholder("PHONE", m.group()) if _digits(m.group()) >= 7 else m.group(), text)

    def unmask(self, text: str) -> str:
        if not text or not self.values:
            return text
        return re.sub(r"\[(?:EMAIL|ID|PHONE)_\d+\]", lambda m: self.values.get(m.group(), m.group()), text)


def _digits(value: str) -> int:
    return sum(c.isdigit() for c in value)


def mask_text(text: str) -> str:
    """One-off masking when nothing needs restoring."""
    return Masker().mask(text)
