"""The CSV form of docs/design.md section 4: plain records as one row per model."""

from __future__ import annotations

import csv
from typing import Any, TextIO

from kg.records.entity_fields import derivations_of
from kg.records.fields import CSV_CLAIM_FIELDS, CSV_HEADER_FIELDS
from kg.records.terms import as_list
from kg.vocab import ARTIFACTS

#: Claim key -> its column suffix (``_license``), in the column group's order; the availability is the slug.
_CLAIM_PARTS = {f.key: f.csv for f in CSV_CLAIM_FIELDS if f.csv}
#: The record fields whose value is a cell as it is (the others are flattened by ``model_cells``).
_PLAIN_CELLS = tuple(f for f in CSV_HEADER_FIELDS if f.csv and not f.csv_only)


def _claims(entry: Any) -> list[dict[str, Any]]:
    return entry if isinstance(entry, list) else [entry]


def claim_column(slug: str, n: int) -> str:
    """The column of the ``n``-th claim about ``slug``: ``weights``, then ``weights-2`` (``#weights-2`` in RDF)."""
    return slug if n == 1 else f"{slug}-{n}"


def csv_columns(records: list[dict[str, Any]]) -> list[str]:
    """The CSV header for ``records``: the table's columns in its CSV order, each that is always written or
    that a record uses, the artifact column groups that are used where the table places them.

    A second claim about one artifact gets its own columns (``weights-2``, ``weights-2_license``...).
    """
    cells = [model_cells(r) for r in records]
    columns: list[str] = []
    for f in CSV_HEADER_FIELDS:
        if f.key == "artifacts":
            columns.extend(_artifact_columns(records))
        elif f.csv and (f.csv_always or any(f.csv in c for c in cells)):
            columns.append(f.csv)
    return columns


def _artifact_columns(records: list[dict[str, Any]]) -> list[str]:
    """Per artifact slug in the vocabulary's order, per claim: the slug's column and the claim parts used."""
    used: dict[str, int] = {}
    parts: set[tuple[str, str]] = set()
    for r in records:
        for slug, entry in (r.get("artifacts") or {}).items():
            claims = _claims(entry)
            used[slug] = max(used.get(slug, 0), len(claims))
            for n, claim in enumerate(claims, start=1):
                parts.update((claim_column(slug, n), part) for part in claim)
    columns = []
    for slug in ARTIFACTS:
        for n in range(1, used.get(slug, 0) + 1):
            column = claim_column(slug, n)
            columns.append(column)
            columns.extend(column + suffix for part, suffix in _CLAIM_PARTS.items() if (column, part) in parts)
    return columns


def model_cells(rec: dict[str, Any]) -> dict[str, Any]:
    """A plain record's model-level CSV cells by column: the table's plain fields as they are, parameters
    and lineage flat (lineage as parallel ``;``-separated cells, ``-`` where a link has no kind or source;
    one source per link)."""
    out: dict[str, Any] = {f.csv: rec[f.key] for f in _PLAIN_CELLS if f.key in rec}
    params = rec.get("parameters") or {}
    for key in ("total", "active"):
        if key in params:
            out[f"parameters_{key}"] = params[key]
    links = derivations_of(rec, as_list)
    if links:
        out["based_on"] = [str(e["model"]) for e in links]
        if any("kind" in e for e in links):
            out["based_on_kind"] = [str(e.get("kind", "-")) for e in links]
        if any(e.get("source") for e in links):
            out["based_on_source"] = [(as_list(e.get("source")) or ["-"])[0] for e in links]
    return out


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return ";".join(str(v) for v in value)
    return str(value)


def write_csv(records: list[dict[str, Any]], out: TextIO) -> None:
    """One row per model, every claim about an artifact in its own columns."""
    columns = csv_columns(records)
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(columns)
    for rec in records:
        row = model_cells(rec)
        for slug, entry in (rec.get("artifacts") or {}).items():
            for n, claim in enumerate(_claims(entry), start=1):
                column = claim_column(slug, n)
                row[column] = claim.get("availability")
                for part, suffix in _CLAIM_PARTS.items():
                    if part in claim:
                        row[column + suffix] = claim[part]
        writer.writerow([_cell(row.get(c)) for c in columns])


