"""Write records in every format of docs/design.md section 4 (RDF, JSON, YAML and the CSV)."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable
from typing import Any, TextIO

import pyoxigraph as ox
import yaml

from kg.records.entity_fields import CSV_COLUMNS
from kg.records.model import RecordSet
from kg.records.rdf_to_plain import records_from_triples
from kg.vocab import ARTIFACTS

PREFIXES = {
    "aio": "https://w3id.org/ai-openness/ontology#",
    "model": "https://w3id.org/ai-openness/model/",
    "aiol": "https://w3id.org/ai-openness/license/",
    "spdx": "http://spdx.org/licenses/",
    "dcterms": "http://purl.org/dc/terms/",
    "schema": "https://schema.org/",
    "prov": "http://www.w3.org/ns/prov#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "fair4ml": "https://w3id.org/fair4ml#",
}
WRITE_FORMATS = ("turtle", "nt", "jsonld", "xml", "csv", "json", "yaml")
_OX_FORMATS = {"turtle": ox.RdfFormat.TURTLE, "nt": ox.RdfFormat.N_TRIPLES, "xml": ox.RdfFormat.RDF_XML}


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
    from kg.records.entity_fields import derivations_of
    from kg.records.plain import as_list

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


def serialize_triples(triples: Iterable[ox.Triple], fmt: str) -> str:
    """Triples as Turtle, N-Triples, RDF/XML or JSON-LD (compacted with the project's context, embedded).

    Each statement is written once, however often it was given.
    """
    triples = list(dict.fromkeys(triples))
    if fmt in _OX_FORMATS:
        data = ox.serialize(triples, format=_OX_FORMATS[fmt],
                            prefixes=PREFIXES if fmt == "turtle" else None)
        return data.decode("utf-8")
    if fmt == "jsonld":
        from kg.exports.jsonld import to_jsonld

        return to_jsonld(triples, "inline")
    raise ValueError(f"unknown RDF format {fmt!r}")


def write(data: RecordSet | Iterable[ox.Triple] | list[dict[str, Any]], fmt: str, out: TextIO) -> None:
    """Write records (a RecordSet, triples or plain records) to ``out`` in ``fmt``."""
    if isinstance(data, list) and data and isinstance(data[0], dict):
        from kg.records.plain import records_to_recordset

        data = records_to_recordset(data)
    triples = data.triples if isinstance(data, RecordSet) else list(data)
    if fmt in ("turtle", "nt", "xml", "jsonld"):
        out.write(serialize_triples(triples, fmt))
        return
    if fmt == "csv":
        from kg.exports.csv_lossless import refuse_lossy_csv

        refuse_lossy_csv(list(triples))
    records = records_from_triples(triples)
    if fmt == "csv":
        write_csv(records, out)
    elif fmt == "json":
        json.dump(records, out, indent=2, ensure_ascii=False)
        out.write("\n")
    elif fmt == "yaml":
        yaml.safe_dump(records, out, sort_keys=False, allow_unicode=True)
    else:
        raise ValueError(f"unknown format {fmt!r}; expected one of {', '.join(WRITE_FORMATS)}")


def to_string(data: RecordSet | Iterable[ox.Triple] | list[dict[str, Any]], fmt: str) -> str:
    """``write`` into a string."""
    buf = io.StringIO()
    write(data, fmt, buf)
    return buf.getvalue()
