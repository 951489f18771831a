"""The schema.org / FAIR4ML description a model page embeds (``<script type="application/ld+json">``), for
search engines and dataset crawlers that read pages, not SPARQL.

It says what the KG says in terms those readers know: ``fair4ml:MLModel`` and ``schema:CreativeWork``,
name, identifier, release date, the developing organisations (``creator``, ``fair4ml:sharedBy``), the
weights' licence, the registries' pages (``sameAs``), the base models (``isBasedOn``,
``fair4ml:fineTunedFrom``) and the training and evaluation data (``fair4ml:trainedOn``,
``fair4ml:evaluatedOn``), with the openness category as a keyword.
"""

from __future__ import annotations

import json
from typing import Any

import pyoxigraph as ox

from kg.exports.fair4ml import EVALUATED_ON, FINE_TUNED_FROM, SHARED_BY, TRAINED_ON, fair4ml_triples
from kg.records.rdf_to_plain import records_from_triples
from kg.vocab import AIO, HF, WIKIDATA

CONTEXT = {"@vocab": "https://schema.org/", "fair4ml": "https://w3id.org/fair4ml#"}


def model_triples(engine: Any, iri: str) -> list[ox.Triple]:
    """The model's statements, its releases' and its derivations'."""
    sparql = f"""CONSTRUCT {{ <{iri}> ?p ?o . ?n ?np ?no }} WHERE {{
      {{ <{iri}> ?p ?o }} UNION {{ <{iri}> <{AIO.hasRelease}>|<{AIO.derivation}> ?n . ?n ?np ?no }} }}"""
    return list(engine.internal_query(sparql))


def _values(triples: list[ox.Triple], subject: Any, predicate: ox.NamedNode) -> list[str]:
    return sorted(dict.fromkeys(t.object.value for t in triples if t.subject == subject and t.predicate == predicate))


def model_jsonld(engine: Any, iri: str, category: str | None) -> dict[str, Any] | None:
    """The JSON-LD object of one model, or None when the store has no such model."""

    triples = model_triples(engine, iri)
    records = records_from_triples(triples)
    if not records:
        return None
    record = records[0]
    node = ox.NamedNode(iri)
    derived = fair4ml_triples(triples)
    doc: dict[str, Any] = {"@context": CONTEXT, "@id": iri, "@type": ["fair4ml:MLModel", "CreativeWork"],
                           "name": record.get("name"), "identifier": record.get("id"), "url": {"@id": iri}}
    if record.get("date"):
        doc["datePublished"] = record["date"]
    orgs = _values(derived, node, SHARED_BY)
    if orgs:
        doc["creator"] = [{"@id": o, "@type": "Organization"} for o in orgs]
        doc["fair4ml:sharedBy"] = [{"@id": o} for o in orgs]
    elif record.get("developer"):
        doc["creator"] = {"@type": "Organization", "name": record["developer"]}
    weights = _weights_licences(triples, node)
    if weights:
        doc["license"] = [{"@id": w} for w in weights]
    same = [HF + record["huggingface"]] if isinstance(record.get("huggingface"), str) else []
    same += [WIKIDATA + record["wikidata"]] if isinstance(record.get("wikidata"), str) else []
    same += list(record.get("links") or [])
    if same:
        doc["sameAs"] = [{"@id": u} for u in same]
    bases = _values(triples, node, ox.NamedNode("https://schema.org/isBasedOn"))
    if bases:
        doc["isBasedOn"] = [{"@id": b} for b in bases]
    for key, predicate in (("fair4ml:fineTunedFrom", FINE_TUNED_FROM), ("fair4ml:trainedOn", TRAINED_ON),
                           ("fair4ml:evaluatedOn", EVALUATED_ON)):
        values = _values(derived, node, predicate)
        if values:
            doc[key] = [{"@id": v} for v in values]
    if category:
        doc["keywords"] = [category, "AI model openness"]
    return doc


def _weights_licences(triples: list[ox.Triple], node: ox.NamedNode) -> list[str]:
    releases = {t.object for t in triples if t.subject == node and t.predicate == ox.NamedNode(str(AIO.hasRelease))}
    weights = {t.subject for t in triples if t.subject in releases and t.predicate == ox.NamedNode(str(AIO.artifact))
               and t.object == ox.NamedNode(str(AIO.Weights))}
    return sorted({t.object.value for t in triples if t.subject in weights and isinstance(t.object, ox.NamedNode)
                   and t.predicate == ox.NamedNode("http://purl.org/dc/terms/license")})


def script_text(doc: dict[str, Any]) -> str:
    """The JSON for a ``<script>`` element: ``</`` escaped so no value can end the element."""
    return json.dumps(doc, ensure_ascii=False, indent=1).replace("</", "<\\/")
