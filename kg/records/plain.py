"""The plain record form (JSON, YAML, CSV rows as mappings): its RDF mapping and term helpers, in one place
for callers. The mapping itself is ``kg.records.to_rdf``; the term helpers are ``kg.records.terms``."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from kg.records.fields import RECORD_KEYS
from kg.records.model import Location, RecordSet
from kg.records.terms import (
    C_LICENSE_DOC,
    C_MODEL,
    C_RELEASE,
    P_ARTIFACT,
    P_AS_OF,
    P_AVAILABILITY,
    P_BASED_ON,
    P_CHECKED,
    P_DATASET,
    P_DEVELOPER,
    P_ID,
    P_ISSUED,
    P_LICENSE,
    P_MATCH,
    P_NAME,
    P_RELEASE,
    P_SOURCE,
    P_URL,
    RDF_TYPE,
    RDFS_LABEL,
    XSD,
    as_list,
    claims_of,
    date_literal,
    iri_or_literal,
    license_nodes,
    model_node,
    release_node,
    text,
)
from kg.records.to_rdf import record_to_triples

#: The top-level keys of a plain record; anything else is kept out of the graph.
MODEL_FIELDS = RECORD_KEYS


def records_to_recordset(records: Iterable[Mapping[str, Any]], file: str = "") -> RecordSet:
    """Plain records (from JSON, YAML or an importer) as a ``RecordSet``."""
    result = RecordSet(files=[file] if file else [])
    where = Location(file)
    for index, record in enumerate(records):
        result.add_plain(index, record, where)
    return result


__all__ = [
    "C_LICENSE_DOC", "C_MODEL", "C_RELEASE", "MODEL_FIELDS", "P_ARTIFACT", "P_AS_OF",
    "P_AVAILABILITY", "P_BASED_ON", "P_CHECKED", "P_DATASET", "P_DEVELOPER", "P_ID", "P_ISSUED", "P_LICENSE",
    "P_MATCH", "P_NAME", "P_RELEASE", "P_SOURCE", "P_URL", "RDFS_LABEL", "RDF_TYPE", "XSD", "as_list", "claims_of",
    "date_literal", "iri_or_literal", "license_nodes", "model_node", "record_to_triples", "records_to_recordset",
    "release_node", "text",
]
