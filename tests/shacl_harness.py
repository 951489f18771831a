"""Run a shapes graph (Turtle) over data (N-Triples) on the fast engine and on pySHACL, results as keys.

A key is (focus, path, value, source constraint component, severity), terms in N-Triples form and the
path in SPARQL syntax, so that two engines' results compare as multisets.
"""

from __future__ import annotations

from collections import Counter

import pyoxigraph as ox
import rdflib

from kg.logs import quiet_literals
from kg.records.model import to_rdflib
from kg.validation import engine as fast
from kg.validation.pyshacl_run import run_pyshacl
from kg.validation.report import path_text
from kg.validation.shapes import ShapeSet, compile_shapes, parse_shapes_text

PREFIXES = """@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix ex: <http://example.org/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
"""

Key = tuple[str, str, str, str, str]


def shapes(text: str) -> ShapeSet:
    return compile_shapes(parse_shapes_text(PREFIXES + text))


def triples(data: str) -> list[ox.Triple]:
    """The triples of Turtle text (with the prefixes above); parse once, since blank nodes are fresh."""
    return [q.triple for q in ox.parse(PREFIXES + data, format=ox.RdfFormat.TURTLE)]


def data_graph(data: list[ox.Triple]) -> rdflib.Graph:
    """The rdflib graph of ``data``, literals as written and blank nodes with the same labels."""
    graph = rdflib.Graph()
    normalize = rdflib.NORMALIZE_LITERALS
    rdflib.NORMALIZE_LITERALS = False
    with quiet_literals():
        try:
            for t in data:
                graph.add((to_rdflib(t.subject), to_rdflib(t.predicate), to_rdflib(t.object)))
        finally:
            rdflib.NORMALIZE_LITERALS = normalize
    return graph


def _key(focus, path, value, component, severity: str) -> Key:
    return (str(focus), path_text(path, full=True), str(value) if value is not None else "",
            component.value.rsplit("#", 1)[-1], severity)


def fast_results(shape_set: ShapeSet, data: list[ox.Triple]) -> Counter[Key]:
    """The fast engine's results (every shape must be supported)."""
    assert all(fast.supports(s) for s in shape_set.shapes), [fast.unsupported(s) for s in shape_set.shapes]
    index = fast.Index(data)
    return Counter(_key(r.focus, r.path, r.value, r.component, r.shape.severity)
                   for r in fast.validate(shape_set.shapes, index))


def pyshacl_results(shape_set: ShapeSet, data: list[ox.Triple]) -> Counter[Key]:
    found, _report = run_pyshacl(data_graph(data), shape_set.graph)
    return Counter(_key(r.focus, r.path, r.value, r.component, r.severity) for r in found)
