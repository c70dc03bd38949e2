"""Values a scanned page offers to the declaration form: ID numbers, dates, names.

Only suggestions: the form shows them to the citizen and never overwrites what they typed.
"""

from __future__ import annotations

import re
from datetime import date

_ID_RE = re.compile(r"(?<!\d)(\d{12})(?!\d)")
_DATE_RE = re.compile(r"(?<!\d)(\d{1,2})\s*[/.-]\s*(\d{1,2})\s*[/.-]\s*(\d{4})(?!\d)")
_NAME_RE = re.compile(
    r"(?:Họ,? chữ đệm,? (?:và )?tên(?: người yêu cầu)?|Họ và tên|Tôi là)\s*:\s*([^\n.,:;0-9]{3,60})", re.IGNORECASE
)


def find_fields(text: str) -> dict[str, list[str]]:
    """``{"id_number": [...], "dates": ["dd/mm/yyyy", ...], "names": [...]}`` in reading order, no repeats."""
    out: dict[str, list[str]] = {"id_number": [], "dates": [], "names": []}

    def add(key: str, value: str) -> None:
        if value and value not in out[key]:
            out[key].append(value)

    for m in _ID_RE.finditer(text):
        add("id_number", m.group(1))
    for m in _DATE_RE.finditer(text):
        d, mo, y = (int(g) for g in m.groups())
        try:
            add("dates", date(y, mo, d).strftime("%d/%m/%Y"))
        except ValueError:
            continue
    for m in _NAME_RE.finditer(text):
        name = " ".join(m.group(1).split())
        if 2 <= len(name.split()) <= 6:
            add("names", name)
    return out
