"""Plain records (the JSON, YAML and CSV form) to RDF, field by field as the table in ``kg.records.fields``
says (``kg.records.mapping``); the nested fields (parameters, based_on, artifacts, history) have their
nodes made here and in ``kg.records.entity_fields`` and ``kg.records.history``.

``kg/data/context.jsonld`` says the same mapping as a JSON-LD context, and ``tests/test_records.py``
proves the two give isomorphic graphs.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import pyoxigraph as ox

from kg.records.entity_fields import derivation_triples, parameter_triples
from kg.records.fields import CLAIM_FIELDS, RECORD_FIELDS
from kg.records.history import history_triples
from kg.records.mapping import Add, Term, emit_fields, write_plan
from kg.records.terms import (
    ARTIFACT_NODES,
    C_MODEL,
    C_RELEASE,
    P_ARTIFACT,
    P_RELEASE,
    RDF_TYPE,
    claims_of,
    model_node,
    release_node,
    term_key,
    text,
)

if TYPE_CHECKING:
    from kg.records.model import Location, RecordSet

_CLAIM_NESTED = {"history": history_triples}
_RECORD_PLAN = write_plan(RECORD_FIELDS)
_CLAIM_PLAN = write_plan(CLAIM_FIELDS)


def record_to_triples(
    record: Mapping[str, Any],
    *,
    index: int = 0,
    sink: RecordSet | None = None,
    where: Location | None = None,
) -> list[ox.Triple]:
    """The RDF of one plain record (see ``docs/records.md``).

    With ``sink``, notes there that the model's record and its releases were written at ``where``.
    """
    triples: list[ox.Triple] = []
    add = triples.append
    model = model_node(record.get("id"), f"record{index}")
    if sink is not None and where is not None:
        sink.add_record(term_key(model), where)
    add(ox.Triple(model, RDF_TYPE, C_MODEL))

    def artifacts(subject: Term, mapping: Mapping[str, Any], add: Add) -> None:
        artifact_triples(model, mapping, add, sink, where)

    emit_fields(model, record, _RECORD_PLAN, add,
                {"parameters": parameter_triples, "based_on": derivation_triples, "artifacts": artifacts})
    return triples


def artifact_triples(model: ox.NamedNode | ox.BlankNode, record: Mapping[str, Any], add: Add,
                     sink: RecordSet | None = None, where: Location | None = None) -> None:
    """Add a release node per claim of the record's ``artifacts``, with the claim's fields."""
    entries = record.get("artifacts") or {}
    if not isinstance(entries, Mapping):
        return
    note = sink.add_record if sink is not None and where is not None else None
    for slug, entry in entries.items():
        slug = slug.strip() if slug.__class__ is str else text(slug)
        kind = ARTIFACT_NODES.get(slug) or ox.Literal(slug)
        # the usual entry is one claim as a dict (every CSV cell gives one)
        for n, claim in enumerate((entry,) if entry.__class__ is dict else claims_of(entry), start=1):
            release = release_node(model, slug, n)
            if note is not None:
                note(term_key(release), where, slug)
            add(ox.Triple(model, P_RELEASE, release))
            add(ox.Triple(release, RDF_TYPE, C_RELEASE))
            add(ox.Triple(release, P_ARTIFACT, kind))
            emit_fields(release, claim, _CLAIM_PLAN, add, _CLAIM_NESTED)
