"""RDF records back to the plain form (for the CSV, JSON and YAML writers), field by field as the table in
``kg.records.fields`` says (``kg.records.mapping.plain_fields``)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from typing import Any

import pyoxigraph as ox

from kg.records.entity_fields import based_on_plain, parameters_plain
from kg.records.fields import CLAIM_FIELDS, RECORD_FIELDS
from kg.records.history import history_of
from kg.records.mapping import license_text, plain_fields
from kg.records.terms import C_MODEL, P_ARTIFACT, P_RELEASE, RDF_TYPE, RDFS_LABEL
from kg.vocab import ARTIFACT_SLUGS

_SLUG_OF = {ox.NamedNode(str(iri)): slug for iri, slug in ARTIFACT_SLUGS.items()}

Statements = Mapping[Any, Mapping[Any, list[Any]]]


def records_from_triples(triples: Iterable[ox.Triple]) -> list[dict[str, Any]]:
    """The plain records of the models in ``triples`` (model order as first typed)."""
    by_subject: dict[Any, dict[Any, list[Any]]] = defaultdict(lambda: defaultdict(list))
    models: list[Any] = []
    for t in triples:
        by_subject[t.subject][t.predicate].append(t.object)
        if t.predicate == RDF_TYPE and t.object == C_MODEL:
            models.append(t.subject)
    labels = {s: props[RDFS_LABEL][0].value for s, props in by_subject.items() if props.get(RDFS_LABEL)}
    return [record_of(by_subject[model], by_subject, labels) for model in dict.fromkeys(models)]


def record_of(props: Mapping[Any, list[Any]], by_subject: Statements, labels: Mapping[Any, str]) -> dict[str, Any]:
    """One model's plain record from its statements (``props``) and the other subjects' (``by_subject``)."""
    return plain_fields(props, RECORD_FIELDS, labels, {
        "parameters": parameters_plain,
        "based_on": lambda p: based_on_plain(p, by_subject),
        "artifacts": lambda p: artifacts_plain(p, by_subject, labels),
    })


def artifacts_plain(props: Mapping[Any, list[Any]], by_subject: Statements,
                    labels: Mapping[Any, str]) -> dict[str, Any]:
    """``{"artifacts": {slug: claim or [claims]}}`` from a model's release nodes (empty when none)."""
    artifacts: dict[str, list[dict[str, Any]]] = {}
    for release in sorted(props.get(P_RELEASE, []), key=lambda r: r.value):
        rprops = by_subject[release]
        kind = rprops.get(P_ARTIFACT, [None])[0]
        if kind is None:
            continue
        claim = plain_fields(rprops, CLAIM_FIELDS, labels, {
            "history": lambda p: {"history": states} if (states := history_of(p, by_subject, labels)) else {}})
        artifacts.setdefault(_SLUG_OF.get(kind, kind.value), []).append(claim)
    if not artifacts:
        return {}
    return {"artifacts": {slug: (claims[0] if len(claims) == 1 else claims) for slug, claims in artifacts.items()}}


__all__ = ["license_text", "records_from_triples"]
