"""CycloneDX 1.6 ML-BOMs (JSON): one ``machine-learning-model`` component per model, its training data a
``data`` component its model card points at.

The component's ``bom-ref`` is the model's KG IRI; ``supplier`` its developer; ``licenses`` the weights'
licence as an SPDX expression; a ``distribution`` external reference the weights' URL. Properties in the
``ai-openness:`` namespace carry the openness category, MOF class, the weights' licence terms
(``ai-openness:license-terms:commercial_use``...), each artifact's availability and licence, and the whole
record. The document is written as the format's JSON and checked, in the tests,
by ``cyclonedx-python-lib``'s schema validation.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from typing import Any

from kg import __version__
from kg.bom.facts import (
    AVAILABLE,
    ModelFacts,
    licence_expression,
    licences_of_expression,
    record_json,
    slug_of,
)
from kg.errors import UnreadableInputError
from kg.vocab import MODEL

NS = "ai-openness:"
MODEL_TYPE = "machine-learning-model"


def _prop(name: str, value: Any) -> dict[str, str]:
    return {"name": NS + name, "value": str(value)}


def _licences(claim: dict[str, Any]) -> list[dict[str, str]]:
    expression = licence_expression(claim.get("license"))
    return [{"expression": expression}] if expression else []


def _url(claim: dict[str, Any]) -> str | None:
    url = claim.get("url")
    return (url[0] if isinstance(url, list) else url) if url else None


def _components(facts: ModelFacts) -> list[dict[str, Any]]:
    record, iri = facts.record, str(MODEL[facts.id])
    weights = facts.claim("weights")
    component: dict[str, Any] = {"type": MODEL_TYPE, "bom-ref": iri, "name": str(record.get("name") or facts.id)}
    if record.get("developer"):
        component["supplier"] = {"name": str(record["developer"])}
    if weights.get("availability") in AVAILABLE:
        component["licenses"] = _licences(weights) or [{"expression": "NOASSERTION"}]
        if _url(weights):
            component["externalReferences"] = [{"type": "distribution", "url": _url(weights)}]
    props = [_prop("category", facts.category)]
    if facts.mof_class:
        props.append(_prop("mof-class", facts.mof_class))
    for slug in record.get("artifacts") or {}:
        claim = facts.claim(slug)
        if claim.get("availability"):
            props.append(_prop(f"artifact:{slug}:availability", claim["availability"]))
        expression = licence_expression(claim.get("license"))
        if expression:
            props.append(_prop(f"artifact:{slug}:license", expression))
    props.extend(_terms_properties(facts.license_terms))
    props.append(_prop("record", record_json(record)))
    component["properties"] = props
    out = [component]
    data = facts.claim("training_data")
    if data.get("availability") not in (None, "unknown"):
        ref = iri + "#cdx-training-data"
        dataset: dict[str, Any] = {"type": "data", "bom-ref": ref, "name": f"{component['name']} training data",
                                   "data": [{"type": "dataset", "name": f"{component['name']} training data"}],
                                   "properties": [_prop("availability", data["availability"])]}
        if data["availability"] in AVAILABLE:
            if _licences(data):
                dataset["licenses"] = _licences(data)
            if _url(data):
                dataset["externalReferences"] = [{"type": "distribution", "url": _url(data)}]
        component["modelCard"] = {"modelParameters": {"datasets": [{"ref": ref}]}}
        out.append(dataset)
    return out


def _terms_properties(terms: dict[str, Any] | None) -> list[dict[str, str]]:
    """``ai-openness:license-terms:<key>`` properties for what the weights' licence allows."""
    if not terms:
        return []
    out = []
    for key in ("commercial_use", "derivatives", "redistribution", "user_cap", "use_restrictions"):
        if terms.get(key) is not None:
            value = terms[key]
            out.append(_prop(f"license-terms:{key}", str(value).lower() if isinstance(value, bool) else value))
    for key in ("excluded_territories", "sources"):
        if terms.get(key):
            out.append(_prop(f"license-terms:{key}", ";".join(str(v) for v in terms[key])))
    return out


def to_cyclonedx(models: list[ModelFacts]) -> str:
    """The CycloneDX 1.6 JSON document describing ``models``."""
    now = dt.datetime.now(dt.timezone.utc).replace(microsecond=0).isoformat().replace("+00:00", "Z")
    components = [c for facts in models for c in _components(facts)]
    doc = {
        "bomFormat": "CycloneDX", "specVersion": "1.6", "serialNumber": f"urn:uuid:{uuid.uuid4()}", "version": 1,
        "metadata": {"timestamp": now, "tools": {"components": [
            {"type": "application", "name": "openness", "version": __version__,
             "externalReferences": [{"type": "website", "url": "https://w3id.org/ai-openness"}]}]}},
        "components": components,
    }
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"


def from_cyclonedx(data: dict[str, Any], file: str) -> list[dict[str, Any]]:
    """The records of the machine-learning-model components of a CycloneDX document."""
    if data.get("bomFormat") != "CycloneDX":
        raise UnreadableInputError(file, "not a CycloneDX document (no \"bomFormat\": \"CycloneDX\")")
    components = [c for c in _all_components(data.get("components") or []) if isinstance(c, dict)]
    by_ref = {c.get("bom-ref"): c for c in components if c.get("bom-ref")}
    records = []
    for c in components:
        if c.get("type") != MODEL_TYPE:
            continue
        props = {p.get("name"): p.get("value") for p in c.get("properties") or [] if isinstance(p, dict)}
        if props.get(NS + "record"):
            try:
                records.append(json.loads(props[NS + "record"]))
            except json.JSONDecodeError as exc:
                raise UnreadableInputError(file, f"component {c.get('bom-ref') or c.get('name')}: its "
                                                 f"{NS}record property is not JSON: {exc.msg}") from None
            continue
        records.append(_native_record(c, props, by_ref))
    if not records:
        raise UnreadableInputError(file, f"the CycloneDX document has no component of type {MODEL_TYPE}")
    return records


def _all_components(components: list[Any]) -> list[Any]:
    out = []
    for c in components:
        out.append(c)
        if isinstance(c, dict):
            out.extend(_all_components(c.get("components") or []))
    return out


def _licence_ids(component: dict[str, Any]) -> list[str]:
    out: list[str] = []
    for entry in component.get("licenses") or []:
        if not isinstance(entry, dict):
            continue
        if entry.get("expression"):
            out.extend(licences_of_expression(entry["expression"]))
        lic = entry.get("license") or {}
        if isinstance(lic, dict) and (lic.get("id") or lic.get("name")):
            out.append(str(lic.get("id") or lic.get("name")))
    return out


def _distribution(component: dict[str, Any]) -> str | None:
    for ref in component.get("externalReferences") or []:
        if isinstance(ref, dict) and ref.get("type") == "distribution" and ref.get("url"):
            return str(ref["url"])
    return None


def _claim(availability: str | None, url: str | None, licences: list[str]) -> dict[str, Any]:
    claim: dict[str, Any] = {"availability": availability or ("public" if url else "unknown")}
    if url:
        claim["url"] = url
    if licences and claim["availability"] in AVAILABLE:
        claim["license"] = licences[0] if len(licences) == 1 else licences
    return claim


def _native_record(c: dict[str, Any], props: dict[str, Any], by_ref: dict[str, Any]) -> dict[str, Any]:
    """A record from a component's own CycloneDX fields (for BOMs written by other tools)."""
    ref = str(c.get("bom-ref") or "")
    name = str(c.get("name") or ref or "model")
    record: dict[str, Any] = {"id": ref[len(str(MODEL)):] if ref.startswith(str(MODEL)) else slug_of(name),
                              "name": name}
    supplier = c.get("supplier") or c.get("manufacturer") or {}
    if isinstance(supplier, dict) and supplier.get("name"):
        record["developer"] = supplier["name"]
    artifacts: dict[str, Any] = {}
    weights = _claim(props.get(NS + "artifact:weights:availability"), _distribution(c), _licence_ids(c))
    if weights["availability"] != "unknown":
        artifacts["weights"] = weights
    datasets = ((c.get("modelCard") or {}).get("modelParameters") or {}).get("datasets") or []
    for entry in datasets:
        data = by_ref.get(entry.get("ref")) if isinstance(entry, dict) and "ref" in entry else None
        if data is not None:
            dprops = {p.get("name"): p.get("value") for p in data.get("properties") or [] if isinstance(p, dict)}
            artifacts.setdefault("training_data", _claim(dprops.get(NS + "availability"), _distribution(data),
                                                         _licence_ids(data)))
        elif isinstance(entry, dict):
            url = (entry.get("contents") or {}).get("url")
            artifacts.setdefault("training_data", _claim(None, url, []))
    for key, value in props.items():
        parts = str(key).split(":")
        if len(parts) == 4 and parts[:2] == ["ai-openness", "artifact"] and parts[3] == "availability":
            artifacts.setdefault(parts[2], {"availability": value})
    if artifacts:
        record["artifacts"] = artifacts
    return record
