"""Plain records (the JSON, YAML and CSV form) to RDF.

``kg/data/context.jsonld`` says the same mapping as a JSON-LD context, and ``tests/test_records.py``
proves the two give isomorphic graphs.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import pyoxigraph as ox

from kg.records.entity_fields import entity_triples
from kg.records.history import history_triples
from kg.records.terms import (
    ARTIFACT_NODES,
    AVAILABILITY_NODES,
    C_MODEL,
    C_RELEASE,
    P_ARTIFACT,
    P_AS_OF,
    P_AVAILABILITY,
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
    as_list,
    claims_of,
    date_literal,
    iri_or_literal,
    license_nodes,
    model_node,
    release_node,
    term_key,
    text,
)
from kg.vocab import HF, WIKIDATA

if TYPE_CHECKING:
    from kg.records.model import Location, RecordSet


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
    mkey = term_key(model)
    if sink is not None and where is not None:
        sink.add_record(mkey, where)
    add(ox.Triple(model, RDF_TYPE, C_MODEL))
    if record.get("id") not in (None, ""):
        add(ox.Triple(model, P_ID, ox.Literal(text(record["id"]))))
    for key, predicate in (("name", P_NAME), ("developer", P_DEVELOPER)):
        value = record.get(key)
        # an explicitly empty or blank name stays an (empty) literal, so that the shapes refuse it as they do
        # the same value in Turtle; only a missing key (or an empty CSV cell, never passed here) is missing
        for item in as_list(value) or ([""] if isinstance(value, str) else []):
            add(ox.Triple(model, predicate, ox.Literal(text(item))))
    for key, predicate in (("date", P_ISSUED), ("as_of", P_AS_OF), ("checked", P_CHECKED)):
        for value in as_list(record.get(key)):
            add(ox.Triple(model, predicate, date_literal(value)))
    links: list[ox.NamedNode | ox.Literal] = []
    for repo in as_list(record.get("huggingface")):
        s = text(repo)
        links.append(iri_or_literal(s if s.startswith(HF) else HF + s))
    for qid in as_list(record.get("wikidata")):
        s = text(qid)
        links.append(iri_or_literal(s if s.startswith(WIKIDATA) else WIKIDATA + s))
    links.extend(iri_or_literal(v) for v in as_list(record.get("links")))
    for link in links:
        add(ox.Triple(model, P_MATCH, link))
    for value in as_list(record.get("source")):
        add(ox.Triple(model, P_SOURCE, iri_or_literal(value)))
    for value in as_list(record.get("dataset")):
        add(ox.Triple(model, P_DATASET, iri_or_literal(value)))
    entity_triples(model, record, add)

    artifacts = record.get("artifacts") or {}
    if not isinstance(artifacts, Mapping):
        artifacts = {}
    for slug, entry in artifacts.items():
        slug = text(slug)
        for n, claim in enumerate(claims_of(entry), start=1):
            release = release_node(model, slug, n)
            if sink is not None and where is not None:
                sink.add_record(term_key(release), where, slug)
            add(ox.Triple(model, P_RELEASE, release))
            add(ox.Triple(release, RDF_TYPE, C_RELEASE))
            add(ox.Triple(release, P_ARTIFACT, ARTIFACT_NODES.get(slug) or ox.Literal(slug)))
            availability = claim.get("availability")
            if availability not in (None, ""):
                value = text(availability)
                add(ox.Triple(release, P_AVAILABILITY, AVAILABILITY_NODES.get(value) or ox.Literal(value)))
            for node, extra in license_nodes(claim.get("license")):
                add(ox.Triple(release, P_LICENSE, node))
                triples.extend(extra)
            for value in as_list(claim.get("url")):
                add(ox.Triple(release, P_URL, iri_or_literal(value)))
            for value in as_list(claim.get("source")):
                add(ox.Triple(release, P_SOURCE, iri_or_literal(value)))
            for value in as_list(claim.get("as_of")):
                add(ox.Triple(release, P_AS_OF, date_literal(value)))
            for value in as_list(claim.get("checked")):
                add(ox.Triple(release, P_CHECKED, date_literal(value)))
            if claim.get("history"):
                history_triples(release, claim, add)
    return triples
