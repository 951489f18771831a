"""Write records in every format of docs/design.md section 4 (RDF, JSON, YAML and the CSV)."""

from __future__ import annotations

import io
import json
from collections.abc import Iterable
from typing import Any, TextIO

import pyoxigraph as ox
import yaml

from kg.records.csv_writer import write_csv
from kg.records.model import RecordSet
from kg.records.rdf_to_plain import records_from_triples

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


__all__ = ["WRITE_FORMATS", "serialize_triples", "to_string", "write", "write_csv"]
