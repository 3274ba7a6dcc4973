"""Account rules."""

from __future__ import annotations

import re
import unicodedata

# Legal-form words dropped when comparing company names (Chinese and English).
_LEGAL_FORMS = (
    "股份有限公司", "有限责任公司", "有限公司", "集团", "公司", "分公司",
    "co., ltd.", "co.,ltd.", "co. ltd", "co ltd", "ltd.", "ltd", "inc.", "inc", "llc", "gmbh", "corporation", "corp.", "corp",
    "limited", "company", "group", "plc",
)
_PUNCT = re.compile(r"[\s\.,，。()（）\-_&'\"·]+")


def normalize_company_name(name: str | None) -> str | None:
    """``"华鼎科技（上海）有限公司"`` and ``"华鼎科技(上海)"`` compare equal; so do
    ``"Acme Corp."`` and ``"ACME Corporation"``. Used for duplicate detection."""
    if not name:
        return None
    text = unicodedata.normalize("NFKC", name).lower().strip()
    changed = True
    while changed:
        changed = False
        for form in _LEGAL_FORMS:
            if text.endswith(form) and len(text) > len(form):
                text = text[: -len(form)].rstrip(" ,.")
                changed = True
    text = _PUNCT.sub("", text)
    return text or None
