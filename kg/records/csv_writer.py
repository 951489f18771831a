"""The CSV form of docs/design.md section 4: plain records as one row per model."""

from __future__ import annotations

import csv
from typing import Any, TextIO

from kg.records.entity_fields import CSV_COLUMNS, derivations_of
from kg.records.terms import as_list
from kg.vocab import ARTIFACTS

_CLAIM_PARTS = ("license", "url", "source", "as_of", "checked")


def _claims(entry: Any) -> list[dict[str, Any]]:
    return entry if isinstance(entry, list) else [entry]


def claim_column(slug: str, n: int) -> str:
    """The column of the ``n``-th claim about ``slug``: ``weights``, then ``weights-2`` (``#weights-2`` in RDF)."""
    return slug if n == 1 else f"{slug}-{n}"


def csv_columns(records: list[dict[str, Any]]) -> list[str]:
    """The CSV header for ``records``: fixed columns, then the artifact columns that are used.

    A second claim about one artifact gets its own columns (``weights-2``, ``weights-2_license``...).
    """
    used: dict[str, int] = {}
    parts: set[tuple[str, str]] = set()
    for r in records:
        for slug, entry in (r.get("artifacts") or {}).items():
            claims = _claims(entry)
            used[slug] = max(used.get(slug, 0), len(claims))
            for n, claim in enumerate(claims, start=1):
                parts.update((claim_column(slug, n), part) for part in claim)
    columns = ["id", "name", "developer", "date"]
    for slug in ARTIFACTS:
        for n in range(1, used.get(slug, 0) + 1):
            column = claim_column(slug, n)
            columns.append(column)
            columns.extend(f"{column}_{p}" for p in _CLAIM_PARTS if (column, p) in parts)
    columns.extend(["source", "huggingface", "wikidata"])
    for extra in ("links", "as_of", "checked", "dataset", "based_on"):
        if any(extra in r for r in records):
            columns.append(extra)
    flat = [flat_entity_fields(r) for r in records]
    columns.extend(c for c in CSV_COLUMNS if any(c in f for f in flat))
    return columns


def flat_entity_fields(rec: dict[str, Any]) -> dict[str, Any]:
    """The section 7 fields of a plain record as CSV cells (lineage as parallel ``;``-separated cells,
    ``-`` where a link has no kind or source; one source per link)."""
    out: dict[str, Any] = {k: rec[k] for k in ("family", "modality", "weights_date", "organisations") if k in rec}
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
        row: dict[str, Any] = {k: v for k, v in rec.items() if k != "artifacts"}
        row.update(flat_entity_fields(rec))
        for slug, entry in (rec.get("artifacts") or {}).items():
            for n, claim in enumerate(_claims(entry), start=1):
                column = claim_column(slug, n)
                row[column] = claim.get("availability")
                for part in _CLAIM_PARTS:
                    if part in claim:
                        row[f"{column}_{part}"] = claim[part]
        writer.writerow([_cell(row.get(c)) for c in columns])


