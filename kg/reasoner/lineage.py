"""Licence terms carried down lineage: a model derived from a base whose weights licence binds derivatives
(the derive permission obliges the derivative to keep the licence's terms or the original's name, as the
Llama and Gemma licences do) is under those terms too, whatever its own record states.

The links come from ``based_on`` (``schema:isBasedOn`` and the ``aio:derivation`` nodes); the base must be
among the models classified together (the bundled KG holds the bases of its derived models).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from kg.reasoner.facts import ModelFacts
from kg.vocab import AIO, DERIVATION_KIND_SLUGS, MODEL

_BASED_ON = "https://schema.org/isBasedOn"
_DERIVATION = str(AIO.derivation)
_BASE_MODEL = str(AIO.baseModel)
_KIND = str(AIO.derivationKind)
_SOURCE = "http://www.w3.org/ns/prov#wasDerivedFrom"
_KIND_SLUGS = {str(k): v for k, v in DERIVATION_KIND_SLUGS.items()}
_WEIGHTS = str(AIO.Weights)


@dataclass(frozen=True)
class Link:
    """A derived model's link to one base: the base's IRI, the kind of derivation and its sources."""

    base: str
    kind: str | None
    sources: tuple[str, ...]


def links_from_plain(records: Iterable[tuple[int, Mapping[str, Any]]]) -> dict[str, list[Link]]:
    """Model IRI -> its links to bases, from plain records (``based_on``)."""
    from kg.records.entity_fields import derivations_of
    from kg.records.plain import as_list, text

    out: dict[str, list[Link]] = {}
    for _, record in records:
        if not record.get("based_on") or record.get("id") in (None, ""):
            continue
        links = []
        for entry in derivations_of(record, as_list):
            if entry.get("model") in (None, ""):
                continue
            base = text(entry["model"])
            links.append(Link(base if ":" in base else str(MODEL[base]),
                              text(entry["kind"]) if entry.get("kind") else None,
                              tuple(text(s) for s in as_list(entry.get("source")))))
        out[str(MODEL[text(record["id"])])] = links
    return out


def links_from_triples(triples: Iterable[Any]) -> dict[str, list[Link]]:
    """Model IRI -> its links to bases, from record triples (pyoxigraph terms)."""
    based: dict[str, list[str]] = {}
    derivations: dict[str, list[str]] = {}
    props: dict[str, dict[str, list[str]]] = {}
    for t in triples:
        p = t.predicate.value
        if p == _BASED_ON:
            based.setdefault(t.subject.value, []).append(t.object.value)
        elif p == _DERIVATION:
            derivations.setdefault(t.subject.value, []).append(t.object.value)
        elif p in (_BASE_MODEL, _KIND, _SOURCE):
            props.setdefault(t.subject.value, {}).setdefault(p, []).append(t.object.value)
    out: dict[str, list[Link]] = {}
    for model, bases in based.items():
        detail = {}
        for node in derivations.get(model, []):
            dp = props.get(node, {})
            for base in dp.get(_BASE_MODEL, []):
                kind = (dp.get(_KIND) or [None])[0]
                detail[base] = (_KIND_SLUGS.get(kind, kind) if kind else None, tuple(dp.get(_SOURCE, [])))
        out[model] = [Link(b, *detail.get(b, (None, ()))) for b in dict.fromkeys(bases)]
    return out


def binding_duties(licence: str) -> list[Any]:
    """The duties by which ``licence`` binds derivatives: those of its derive permission that oblige the
    derivative to carry the licence on (``odrl:nextPolicy``) or the original's name (``aio:nameDerivative``)."""
    from kg.license_terms import DERIVE, rules_of

    binding = {"http://www.w3.org/ns/odrl/2/nextPolicy", str(AIO.nameDerivative)}
    return [d for r in rules_of(licence) if r.kind == "permission" and r.action == DERIVE
            for d in r.duties if d.action in binding]


def carried_terms(facts: Mapping[str, ModelFacts], links: Mapping[str, list[Link]]) -> dict[str, list[dict]]:
    """Model IRI -> the base licences whose terms it carries, each with the base, the kind and the reason."""
    from kg.license_terms import licence_id

    out: dict[str, list[dict]] = {}
    for model, model_links in links.items():
        if model not in facts:
            continue
        for link in model_links:
            base = facts.get(link.base)
            claim = base.deciding.get(_WEIGHTS) if base is not None else None
            for licence in claim.licences if claim is not None else []:
                duties = binding_duties(licence)
                if not duties:
                    continue
                lid = licence_id(licence)
                clause = next((d.clause or d.comment for d in duties if d.clause or d.comment), "")
                evidence = next((d.source for d in duties if d.source), "")
                how = f" ({link.kind})" if link.kind else ""
                because = (f"licence carried from the base: derived{how} from {base.id}, whose weights licence "
                           f"{lid} binds derivatives" + (f" ({clause})" if clause else "")
                           + (f" [{evidence}]" if evidence else ""))
                out.setdefault(model, []).append({"license": lid, "from": base.id, "kind": link.kind,
                                                  "because": because, "link_sources": list(link.sources)})
    return out
