"""Validate model records against the project's SHACL shapes (and a user's own).

>>> from kg.records.plain import records_to_recordset
>>> report = validate(records_to_recordset([{"id": "m", "name": "M", "developer": "D",
...     "source": ["https://example.org"], "artifacts": {"weights": "maybe"}}]))
>>> print(*[r.message for r in report.results])  # doctest: +NORMALIZE_WHITESPACE
artifacts.weights: 'maybe' is not an availability, a claim mapping, or a list of claims;
use one of public, gated, not-released, unknown

Records are independent except for their ids, so the fast engine needs no graph store: it indexes the
triples by predicate once and checks each focus node by dictionary look-ups. Each shape outside its SHACL
Core subset (``engine.supports``) is handed to pySHACL whole, and the results of both are merged.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from functools import lru_cache
from itertools import chain
from pathlib import Path

import pyoxigraph as ox
import rdflib

from kg.records.model import RecordSet, term_key, to_rdflib
from kg.validation import engine as fast
from kg.validation.messages import default_message
from kg.validation.pyshacl_run import pyshacl_shapes_graph, run_pyshacl
from kg.validation.report import SEVERITIES, Locator, Report, Result
from kg.validation.shapes import SHP, Shape, ShapeSet, compile_shapes, load_shapes, our_shapes_graph
from kg.validation.yaml_lines import with_yaml_lines
from kg.vocab import AIO

__all__ = ["Report", "Result", "licence_typing", "our_shapes", "validate"]

_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
_MODEL = ox.NamedNode(str(AIO.AIModel))
_LICENSE_CLASS = ox.NamedNode(str(AIO.License))
_TERMS_KNOWN = ox.NamedNode(str(AIO.TermsKnownLicense))
_LICENSE = ox.NamedNode("http://purl.org/dc/terms/license")
_IDENTIFIER = ox.NamedNode("http://purl.org/dc/terms/identifier")


@lru_cache(maxsize=1)
def our_shapes() -> ShapeSet:
    """The project's shapes, parsed and compiled once per process."""
    return compile_shapes(our_shapes_graph())


def licence_typing(triples: Iterable[ox.Triple]) -> list[ox.Triple]:
    """``<licence> a aio:License`` for each licence IRI of the data that is SPDX or known to the KG.

    This is the closed-world knowledge ``shp:ReleaseLicenseKnown`` checks with ``sh:class``; a licence whose
    terms the KG states is also ``aio:TermsKnownLicense`` (``shp:ReleaseLicenceTerms`` warns about others).
    """
    from kg.license_terms import licence_classes, licence_terms
    from kg.licenses import known_license

    iris = {t.object for t in triples if t.predicate == _LICENSE and isinstance(t.object, ox.NamedNode)}
    out = []
    for iri in sorted(iris, key=lambda n: n.value):
        if known_license(rdflib.URIRef(iri.value)):
            out.append(ox.Triple(iri, _TYPE, _LICENSE_CLASS))
            if AIO.TermsKnownLicense in licence_classes(licence_terms(iri.value)):
                out.append(ox.Triple(iri, _TYPE, _TERMS_KNOWN))
    return out


def data_graph(records: RecordSet) -> rdflib.Graph:
    """The graph plain pySHACL validates: the records plus the licence typing."""
    graph = records.graph()
    for t in licence_typing(records.triples):
        graph.add((to_rdflib(t.subject), to_rdflib(t.predicate), to_rdflib(t.object)))
    return graph


def validate(
    records: RecordSet,
    extra_shapes: Sequence[str | Path] = (),
    fail_on: str = "Violation",
    engine: str = "auto",
    release_triples: bool = False,
) -> Report:
    """Validate ``records``; ``engine`` is ``auto`` (fast where it can) or ``pyshacl`` (pySHACL only).

    ``release_triples`` lets a caller that is done with ``records.triples`` have them emptied once
    indexed (and the rdflib graph for pySHACL built, where needed): a third of the memory on big files.
    """
    if fail_on not in SEVERITIES:
        raise ValueError(f"fail_on must be one of {SEVERITIES}")
    ours = our_shapes()
    shape_sets = [ours]
    if extra_shapes:
        shape_sets.append(load_shapes([Path(p) for p in extra_shapes]))
    plans = [(shape_set, split_shapes(shape_set, engine)) for shape_set in shape_sets]
    problems = records.check_fields()  # before the records become triples (it checks the plain form)
    models = _models(records)
    repeated = _repeated_models(records)
    with fast.gc_paused():
        index = fast.Index(chain(records.triples, licence_typing(records.triples)))
    locator = Locator(records, index)
    results: list[Result] = []
    graph: rdflib.Graph | None = None
    if any(slow for _set, (_fast, slow) in plans):
        graph = data_graph(records)
    if release_triples:
        records.triples = []
    for shape_set, (fast_shapes, slow) in plans:
        for raw in fast.validate(fast_shapes, index):
            results.append(_located(locator, raw.shape, raw.focus, raw.path, raw.value, raw.shape.severity,
                                    raw.component, default_message(raw.component, raw.param, raw.focus,
                                                                   raw.path, raw.value) or ""))
        if slow:
            assert graph is not None
            results.extend(_from_pyshacl(shape_set, slow, graph, locator))
    results.extend(_record_results(records, repeated, ours, locator, {(r.focus, r.shape) for r in results}))
    results = with_yaml_lines(_with_field_problems(results, problems))
    order = {node: i for i, node in enumerate(models)}
    results.sort(key=lambda r: (order.get(r.record, len(order)), r.file or "", r.row or 0,
                                SEVERITIES.index(r.severity) if r.severity in SEVERITIES else 9,
                                r.column or "", r.message))
    return Report(results=results, records=len(order), files=list(records.files), fail_on=fail_on)


def _located(locator: Locator, shape: Shape | None, focus, path, value, severity: str, component,
             fallback: str = "", origin: str = "shacl") -> Result:
    result = Result(severity=severity, focus=focus, path=path, value=value,
                    message=locator.message(shape, focus, value, fallback), shape=shape.node if shape else None,
                    component=component, origin=origin)
    return locator.locate(result, shape)


def split_shapes(shape_set: ShapeSet, engine: str = "auto") -> tuple[list[Shape], list[Shape]]:
    """The shapes with targets the fast engine evaluates, and those pySHACL must (all, for ``pyshacl``)."""
    if engine == "pyshacl":
        return [], list(shape_set.shapes)
    fast_shapes = [s for s in shape_set.shapes if fast.supports(s)]
    return fast_shapes, [s for s in shape_set.shapes if s not in fast_shapes]


def _from_pyshacl(shape_set: ShapeSet, slow: list[Shape], graph: rdflib.Graph, locator: Locator) -> list[Result]:
    found, _report = run_pyshacl(graph, pyshacl_shapes_graph(shape_set, slow), shape_set.files)
    out = []
    for r in found:
        shape = shape_set.all_shapes.get(r.shape)
        param = shape.parameter(r.component) if shape is not None else None
        fallback = default_message(r.component, param, r.focus, r.path, r.value) \
            or (r.messages[0] if r.messages else f"the value does not conform ({r.component.value})")
        out.append(_located(locator, shape, r.focus, r.path, r.value, r.severity, r.component, fallback))
    return out


def _models(records: RecordSet) -> list[ox.NamedNode | ox.BlankNode]:
    seen: dict[ox.NamedNode | ox.BlankNode, None] = {}
    for t in records.triples:
        if t.predicate == _TYPE and t.object == _MODEL:
            seen.setdefault(t.subject, None)
    return list(seen)


def _repeated_models(records: RecordSet) -> list[ox.NamedNode | ox.BlankNode]:
    """Model nodes whose record was read more than once (two CSV rows or files with one id)."""
    counts = Counter(t.subject for t in records.triples if t.predicate == _TYPE and t.object == _MODEL)
    return [node for node, n in counts.items() if n > 1]


def _record_results(records: RecordSet, repeated: list, ours: ShapeSet, locator: Locator,
                    reported: set) -> list[Result]:
    """What only the records as read show: one id used by two records that became one RDF node, and CSV
    columns that name no field."""
    out: list[Result] = []
    unique = ours.all_shapes.get(ox.NamedNode(str(SHP.ModelIdUnique)))
    for node in repeated:
        if unique is None or (node, unique.node) in reported:
            continue
        # one result at each repeat of the id, so that every row after the first is named
        for where in records.locations_of(term_key(node))[1:]:
            result = _located(locator, unique, node, unique.path, None, unique.severity,
                              ox.NamedNode("http://www.w3.org/ns/shacl#MaxCountConstraintComponent"),
                              origin="records")
            result.file, result.row = where.file, where.row
            out.append(result)
    return out


def _about(result: Result, models: set) -> bool:
    """Whether ``result`` is about one of ``models`` or a node of its record (``<model>#weights``,
    ``#based-on``, ``#weights-state-1``; for a blank model node, ``_:record0_based_on`` and the like)."""
    if result.record in models:
        return True
    focus = result.focus
    if not isinstance(focus, (ox.NamedNode, ox.BlankNode)):
        return False
    for model in models:
        if type(model) is type(focus) and focus.value.startswith(model.value) and \
                focus.value[len(model.value):len(model.value) + 1] in ("", "#", "_"):
            return True
    return False


def _with_field_problems(results: list[Result], problems: list) -> list[Result]:
    """The structural problems of the plain records (unknown keys and columns, wrong types) as violations.

    A record with such a problem is reported with those only: the shapes' results about it would mostly
    repeat them (a misspelt key also leaves a field missing), so they wait until the structure is fixed.
    """
    if not problems:
        return results
    held = {p.subject for p in problems if p.subject is not None}
    out = [r for r in results if r.origin != "shacl" or not _about(r, held)]
    for p in problems:
        message = p.message if p.line is None or p.column else f"{p.message} (line {p.line})"
        out.append(Result(severity="Violation", focus=p.subject, path=None,
                          value=None if p.value is None else ox.Literal(p.value), message=message, file=p.file,
                          row=p.line if p.column else None, column=p.column, record=p.subject,
                          record_label=p.record if p.subject is not None else None, origin="schema", field=p.path))
    return out
