"""Small helpers every importer shares: record ids from names, list-or-scalar fields, dates."""

from __future__ import annotations

import datetime as _dt
import re
from collections.abc import Iterable

_NOT_SLUG = re.compile(r"[^a-z0-9._-]+")
_MONTHS = {m: i for i, m in enumerate(
    ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"], start=1)}


def slugify(text: str) -> str:
    """A record id (lowercase letters, digits, ``.``, ``_``, ``-``) made from a name.

    >>> slugify("Llama 3.1 8B (Instruct)")
    'llama-3.1-8b-instruct'
    """
    slug = _NOT_SLUG.sub("-", text.strip().lower()).strip("-._")
    return slug or "unnamed"


def as_list(value: object) -> list:
    """A YAML/JSON field that may be absent, one value or a list, as a list without empty items."""
    if value is None:
        return []
    items: Iterable = value if isinstance(value, (list, tuple)) else [value]
    return [v for v in items if v not in (None, "")]


def today() -> str:
    """Today's date as ``YYYY-MM-DD``: the ``as_of`` of facts read from a live registry."""
    return _dt.date.today().isoformat()


def normalise_date(value: object) -> str | None:
    """``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD`` from the date spellings registries use, else None.

    >>> [normalise_date(v) for v in ("2024 NOV", "2024-10", "2023-02-24T00:00:00Z", 2021, "soon")]
    ['2024-11', '2024-10', '2023-02-24', '2021', None]
    """
    if isinstance(value, (_dt.date, _dt.datetime)):
        return value.isoformat()[:10]
    text = str(value or "").strip()
    if re.fullmatch(r"\d{4}", text):
        return text
    m = re.fullmatch(r"(\d{4})[-/ ]([A-Za-z]{3})[A-Za-z]*\.?", text) or re.fullmatch(
        r"([A-Za-z]{3})[A-Za-z]*\.? (\d{4})", text
    )
    if m:
        year, month = (m.group(1), m.group(2)) if m.group(1).isdigit() else (m.group(2), m.group(1))
        number = _MONTHS.get(month.lower())
        return f"{year}-{number:02d}" if number else None
    m = re.match(r"(\d{4})-(\d{1,2})(?:-(\d{1,2}))?(?:$|[T ])", text)
    if m:
        year, month, day = m.group(1), int(m.group(2)), m.group(3)
        if not 1 <= month <= 12:
            return None
        if day is None:
            return f"{year}-{month:02d}"
        try:
            return _dt.date(int(year), month, int(day)).isoformat()
        except ValueError:
            return None
    return None
