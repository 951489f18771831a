"""The nested record fields of docs/design.md section 7 (parameters and lineage) to RDF and back, and the
helpers the CSV writer and importers use for them.

Family, modality, weights date and organisations are plain fields of the table (``kg.records.fields``);
``record_to_triples`` calls ``parameter_triples`` and ``derivation_triples``, ``records_from_triples``
calls ``parameters_plain`` and ``based_on_plain``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

import pyoxigraph as ox

from kg.records.terms import as_list, iri_or_literal, text
from kg.vocab import AIO, DERIVATION_KIND_SLUGS, DERIVATION_KINDS, FAMILY, MODEL

_N = ox.NamedNode
XSD_INTEGER = _N("http://www.w3.org/2001/XMLSchema#integer")
P_TOTAL = _N(str(AIO.totalParameters))
P_ACTIVE = _N(str(AIO.activeParameters))
P_DERIVATION = _N(str(AIO.derivation))
P_BASE_MODEL = _N(str(AIO.baseModel))
P_DERIVATION_KIND = _N(str(AIO.derivationKind))
C_DERIVATION = _N(str(AIO.Derivation))
P_BASED_ON = _N("https://schema.org/isBasedOn")
P_SOURCE = _N("http://www.w3.org/ns/prov#wasDerivedFrom")
RDF_TYPE = _N("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")

_KIND_NODES = {slug: _N(str(iri)) for slug, iri in DERIVATION_KINDS.items()}
_KIND_OF = {_N(str(iri)): slug for iri, slug in DERIVATION_KIND_SLUGS.items()}
_SCALE = {"": 1, "k": 10**3, "m": 10**6, "b": 10**9, "t": 10**12}
_COUNT = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([kKmMbBtT]?)\s*$")

def parameter_count(value: Any) -> int | None:
    """A parameter count from ``8030000000``, ``"8B"``, ``"1.5T"`` or ``"470M"``; None if it is none of those."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if value > 0 else None
    match = _COUNT.match(str(value))
    if not match:
        return None
    try:
        number = Decimal(match.group(1)) * _SCALE[match.group(2).lower()]
    except InvalidOperation:
        return None
    return int(number) if number > 0 and number == number.to_integral_value() else None


def _count_literal(value: Any) -> ox.Literal:
    count = parameter_count(value)
    return ox.Literal(str(count), datatype=XSD_INTEGER) if count is not None else ox.Literal(str(value).strip())


def parameters_of(record: Mapping[str, Any]) -> dict[str, Any]:
    """``{"total": ..., "active": ...}`` from ``parameters`` (a mapping or just the total) or the CSV columns."""
    value = record.get("parameters")
    out: dict[str, Any] = {}
    if isinstance(value, Mapping):
        out = {k: value[k] for k in ("total", "active") if value.get(k) not in (None, "")}
    elif value not in (None, ""):
        out["total"] = value
    for key in ("total", "active"):
        flat = record.get(f"parameters_{key}")
        if flat not in (None, "") and key not in out:
            out[key] = flat
    return out


def derivations_of(record: Mapping[str, Any], as_list: Callable[[Any], list[Any]]) -> list[dict[str, Any]]:
    """``based_on`` as a list of ``{"model", "kind", "source"}`` (kind and source may be absent).

    Accepts a record id or URL, a mapping, a list of either, or the CSV's parallel ``;``-separated
    ``based_on``, ``based_on_kind`` and ``based_on_source`` cells.
    """
    value = record.get("based_on")
    items = value if isinstance(value, list) else ([value] if isinstance(value, Mapping) else as_list(value))
    kinds = as_list(record.get("based_on_kind"))
    sources = as_list(record.get("based_on_source"))
    out: list[dict[str, Any]] = []
    for n, item in enumerate(items):
        entry = dict(item) if isinstance(item, Mapping) else {"model": item}
        if n < len(kinds) and "kind" not in entry and kinds[n] not in ("", "-"):
            entry["kind"] = kinds[n]
        if n < len(sources) and "source" not in entry and sources[n] not in ("", "-"):
            entry["source"] = sources[n]
        out.append(entry)
    return out


def _model_ref(value: str) -> ox.NamedNode | ox.Literal:
    return iri_or_literal(value if ":" in value else str(MODEL[value]))


def family_slug(key: str | None) -> str | None:
    """A family IRI as its slug (other values as they are)."""
    return None if key is None else _strip(key, FAMILY)


def derivation_node(model: ox.NamedNode | ox.BlankNode, n: int) -> ox.NamedNode | ox.BlankNode:
    """``<model>#based-on`` for the first derivation with a kind or source, ``#based-on-2`` for the next."""
    suffix = "based-on" if n == 1 else f"based-on-{n}"
    if isinstance(model, ox.NamedNode):
        return _N(f"{model.value}#{suffix}")
    return ox.BlankNode(f"{model.value}_{suffix.replace('-', '_')}")


def parameter_triples(model: ox.NamedNode | ox.BlankNode, record: Mapping[str, Any],
                      add: Callable[[ox.Triple], None]) -> None:
    """Add the parameter counts of ``record`` (``parameters``, or the CSV's flat columns)."""
    params = parameters_of(record)
    for key, predicate in (("total", P_TOTAL), ("active", P_ACTIVE)):
        if key in params:
            add(ox.Triple(model, predicate, _count_literal(params[key])))


def derivation_triples(model: ox.NamedNode | ox.BlankNode, record: Mapping[str, Any],
                       add: Callable[[ox.Triple], None]) -> None:
    """Add each base of ``record`` (``schema:isBasedOn``), with a derivation node where a kind or source is known."""
    n = 0
    for entry in derivations_of(record, as_list):
        if entry.get("model") in (None, ""):
            continue
        base = _model_ref(text(entry["model"]))
        add(ox.Triple(model, P_BASED_ON, base))
        if entry.get("kind") in (None, "") and not as_list(entry.get("source")):
            continue
        n += 1
        node = derivation_node(model, n)
        add(ox.Triple(model, P_DERIVATION, node))
        add(ox.Triple(node, RDF_TYPE, C_DERIVATION))
        add(ox.Triple(node, P_BASE_MODEL, base))
        if entry.get("kind") not in (None, ""):
            kind = text(entry["kind"])
            add(ox.Triple(node, P_DERIVATION_KIND, _KIND_NODES.get(kind) or ox.Literal(kind)))
        for source in as_list(entry.get("source")):
            add(ox.Triple(node, P_SOURCE, iri_or_literal(source)))


def _suffix_number(node: Any) -> int:
    tail = node.value.rsplit("-", 1)[-1]
    return int(tail) if tail.isdigit() else 1


def _strip(value: str, namespace: Any) -> str:
    ns = str(namespace)
    return value[len(ns):] if value.startswith(ns) else value


def parameters_plain(props: Mapping[Any, list[Any]]) -> dict[str, Any]:
    """``{"parameters": {"total": ..., "active": ...}}`` from a model's statements (empty when none)."""
    params = {}
    for key, predicate in (("total", P_TOTAL), ("active", P_ACTIVE)):
        if props.get(predicate):
            v = props[predicate][0]
            params[key] = int(v.value) if v.datatype == XSD_INTEGER else v.value
    return {"parameters": params} if params else {}


def based_on_plain(props: Mapping[Any, list[Any]], by_subject: Mapping[Any, Mapping[Any, list[Any]]],
                   ) -> dict[str, Any]:
    """``{"based_on": ...}`` from a model's statements and its derivation nodes' (empty when none)."""
    derived: list[dict[str, Any]] = []
    covered: set[str] = set()
    for node in sorted(props.get(P_DERIVATION, []), key=_suffix_number):
        dp = by_subject.get(node, {})
        if not dp.get(P_BASE_MODEL):
            continue
        base = _strip(dp[P_BASE_MODEL][0].value, MODEL)
        covered.add(base)
        entry: dict[str, Any] = {"model": base}
        if dp.get(P_DERIVATION_KIND):
            kind = dp[P_DERIVATION_KIND][0]
            entry["kind"] = _KIND_OF.get(kind, kind.value)
        if dp.get(P_SOURCE):
            entry["source"] = sorted(v.value for v in dp[P_SOURCE])
        derived.append(entry)
    plain = sorted(b for b in (_strip(v.value, MODEL) for v in props.get(P_BASED_ON, [])) if b not in covered)
    if derived:
        return {"based_on": derived + plain}
    if plain:
        return {"based_on": plain[0] if len(plain) == 1 else plain}
    return {}
