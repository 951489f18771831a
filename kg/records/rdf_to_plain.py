"""RDF records back to the plain form (for the CSV, JSON and YAML writers)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Any

import pyoxigraph as ox

from kg.records import terms as P
from kg.records.entity_fields import entity_fields
from kg.records.history import history_of
from kg.vocab import ARTIFACT_SLUGS, AVAILABILITY_VALUES, HF, LICENSE, SPDX, WIKIDATA

_SLUG_OF = {ox.NamedNode(str(iri)): slug for iri, slug in ARTIFACT_SLUGS.items()}
_AVAIL_OF = {ox.NamedNode(str(iri)): v for iri, v in AVAILABILITY_VALUES.items()}


def _value(term: Any) -> str:
    return term.value


def license_text(term: Any, labels: dict[Any, str]) -> str:
    """The licence as written in a plain record: SPDX id, KG licence id, or its free-text name."""
    if isinstance(term, ox.NamedNode):
        for ns in (str(SPDX), str(LICENSE)):
            if term.value.startswith(ns):
                return term.value[len(ns):]
        return term.value
    return labels.get(term, "")


def records_from_triples(triples: Iterable[ox.Triple]) -> list[dict[str, Any]]:
    """The plain records of the models in ``triples`` (model order as first typed)."""
    by_subject: dict[Any, dict[Any, list[Any]]] = defaultdict(lambda: defaultdict(list))
    models: list[Any] = []
    for t in triples:
        by_subject[t.subject][t.predicate].append(t.object)
        if t.predicate == P.RDF_TYPE and t.object == P.C_MODEL:
            models.append(t.subject)
    labels = {s: _value(props[P.RDFS_LABEL][0]) for s, props in by_subject.items() if props.get(P.RDFS_LABEL)}
    out = []
    for model in dict.fromkeys(models):
        props = by_subject[model]
        rec: dict[str, Any] = {}
        for key, pred in (("id", P.P_ID), ("name", P.P_NAME), ("developer", P.P_DEVELOPER),
                          ("date", P.P_ISSUED)):
            if props.get(pred):
                rec[key] = _value(props[pred][0])
        hf, wd, links = [], [], []
        for link in props.get(P.P_MATCH, []):
            v = _value(link)
            if v.startswith(HF):
                hf.append(v[len(HF):])
            elif v.startswith(WIKIDATA):
                wd.append(v[len(WIKIDATA):])
            else:
                links.append(v)
        for key, values in (("huggingface", hf), ("wikidata", wd), ("links", links)):
            if values:
                rec[key] = values[0] if len(values) == 1 and key != "links" else sorted(values)
        if props.get(P.P_SOURCE):
            rec["source"] = sorted(_value(v) for v in props[P.P_SOURCE])
        for key, pred in (("as_of", P.P_AS_OF), ("checked", P.P_CHECKED)):
            if props.get(pred):
                rec[key] = _value(props[pred][0])
        if props.get(P.P_DATASET):
            rec["dataset"] = _value(props[P.P_DATASET][0])
        rec.update(entity_fields(props, by_subject))
        artifacts: dict[str, list[dict[str, Any]]] = {}
        for release in sorted(props.get(P.P_RELEASE, []), key=lambda r: r.value):
            rprops = by_subject[release]
            kind = rprops.get(P.P_ARTIFACT, [None])[0]
            if kind is None:
                continue
            slug = _SLUG_OF.get(kind, _value(kind))
            claim: dict[str, Any] = {}
            if rprops.get(P.P_AVAILABILITY):
                a = rprops[P.P_AVAILABILITY][0]
                claim["availability"] = _AVAIL_OF.get(a, _value(a))
            lic = [license_text(v, labels) for v in rprops.get(P.P_LICENSE, [])]
            if lic:
                claim["license"] = lic[0] if len(lic) == 1 else sorted(lic)
            for key, pred in (("url", P.P_URL), ("source", P.P_SOURCE)):
                vals = sorted(_value(v) for v in rprops.get(pred, []))
                if vals:
                    claim[key] = vals[0] if key == "url" and len(vals) == 1 else vals
            for key, pred in (("as_of", P.P_AS_OF), ("checked", P.P_CHECKED)):
                if rprops.get(pred):
                    claim[key] = _value(rprops[pred][0])
            history = history_of(rprops, by_subject, lambda term: license_text(term, labels))
            if history:
                claim["history"] = history
            artifacts.setdefault(slug, []).append(claim)
        if artifacts:
            rec["artifacts"] = {
                slug: (claims[0] if len(claims) == 1 else claims) for slug, claims in artifacts.items()
            }
        out.append(rec)
    return out


__all__ = ["records_from_triples"]
