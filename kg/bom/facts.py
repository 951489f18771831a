"""What a BOM says about each model: its plain record, category and MOF class, and licence expressions."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

import pyoxigraph as ox

#: Availability values that mean the artifact can be obtained.
AVAILABLE = ("public", "gated")
_REF_SAFE = re.compile(r"[^A-Za-z0-9.-]+")


def record_json(record: dict[str, Any]) -> str:
    """A record as the compact JSON a BOM carries."""
    return json.dumps(record, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


@dataclass
class ModelFacts:
    """One model as a BOM describes it."""

    record: dict[str, Any]
    category: str
    mof_class: str | None
    #: ``license_terms`` of ``classify --format json``: what the weights' licence allows (None: not released)
    license_terms: dict[str, Any] | None = None

    @property
    def id(self) -> str:
        return str(self.record.get("id", ""))

    def claim(self, slug: str) -> dict[str, Any]:
        """The first claim about artifact ``slug`` (an empty one when the record says nothing)."""
        entry = (self.record.get("artifacts") or {}).get(slug)
        if isinstance(entry, list):
            entry = entry[0] if entry else None
        if isinstance(entry, str):
            return {"availability": entry}
        return dict(entry or {})


def model_facts(triples: list[ox.Triple]) -> list[ModelFacts]:
    """The plain record and classification of every model in ``triples``, in record order."""
    from kg.reasoner import classify_triples
    from kg.records.rdf_to_plain import records_from_triples

    records = records_from_triples(triples)
    results = {r.id: r for r in classify_triples(triples)}
    out = []
    for record in records:
        result = results.get(record.get("id"))
        terms = result.as_json().get("license_terms") if result else None
        out.append(ModelFacts(record, result.category if result else "unclassified",
                              result.mof_class if result else None, terms))
    return out


def licence_expression(licences: Any) -> str | None:
    """The SPDX licence expression of a claim's licence(s): SPDX ids as they are, others ``LicenseRef-<id>``."""
    from kg.licenses import canonical_license_id, is_identifier, resolve_license

    if licences in (None, "", []):
        return None
    parts = []
    for name in licences if isinstance(licences, list) else [licences]:
        name = str(name)
        iri = resolve_license(name)
        spdx = iri is not None and str(iri).startswith("http://spdx.org/licenses/")
        if spdx:
            parts.append(str(iri).rsplit("/", 1)[1])
        else:
            lid = canonical_license_id(name) if is_identifier(name) else None
            parts.append("LicenseRef-" + _REF_SAFE.sub("-", lid or name).strip("-"))
    return " AND ".join(parts)


def licences_of_expression(expression: str) -> list[str]:
    """The licence ids an SPDX expression names (``LicenseRef-`` dropped), for a record's ``license``."""
    tokens = re.split(r"\s+(?:AND|OR|WITH)\s+|[()]", expression or "")
    out = []
    for token in tokens:
        token = token.strip()
        if token and token != "NOASSERTION" and token != "NONE":
            out.append(token[len("LicenseRef-"):] if token.startswith("LicenseRef-") else token)
    return out


def slug_of(name: str) -> str:
    """A record id made from a name (``Llama 3.1 8B`` -> ``llama-3.1-8b``)."""
    return re.sub(r"[^a-z0-9._-]+", "-", name.lower()).strip("-") or "model"
