"""Compile the ontology's class definitions into Python predicates: the fast rule path.

The categories and MOF classes are OWL defined classes built from a small set of constructs
(intersectionOf, unionOf, someValuesFrom, hasValue, oneOf, named classes). This module turns each
definition into a predicate over a model's deciding claims, so the meaning lives only in the axioms;
``tests/test_reasoner_differential.py`` proves the predicates agree with HermiT on every combination.
Only positive constructs are supported, for which the closed evaluation of one model's claims gives
exactly the open-world entailments.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

import rdflib
from rdflib import OWL, RDF, RDFS, URIRef
from rdflib.collection import Collection
from rdflib.term import Node

from kg.reasoner.facts import Claim, ModelFacts
from kg.vocab import AIO, CATEGORIES, DIMENSIONS, MOF_CLASSES

DCT_LICENSE = URIRef("http://purl.org/dc/terms/license")
#: A predicate over a model (ModelFacts) or one of its claims (Claim).
Predicate = Callable[[object], bool]


class UnsupportedAxiomError(ValueError):
    """A class definition uses a construct the rule path does not compile."""


@dataclass
class Compiled:
    """The compiled rule path: category and MOF class predicates and the dimension values per category."""

    categories: dict[str, Predicate]
    mof_classes: dict[str, Predicate]
    dimensions: dict[str, dict[str, str]]
    expressions: dict[str, Node]


class Compiler:
    """Compiles class expressions of one ontology graph (with licence typing) into predicates."""

    def __init__(self, graph: rdflib.Graph):
        self.g = graph
        self._subclass_cache: dict[Node, set[Node]] = {}

    def superclasses(self, cls: Node) -> set[Node]:
        """``cls`` and its asserted named superclasses, transitively."""
        if cls not in self._subclass_cache:
            seen = {cls}
            todo = [cls]
            while todo:
                for sup in self.g.objects(todo.pop(), RDFS.subClassOf):
                    if isinstance(sup, URIRef) and sup not in seen:
                        seen.add(sup)
                        todo.append(sup)
            self._subclass_cache[cls] = seen
        return self._subclass_cache[cls]

    def is_instance(self, individual: str, cls: Node) -> bool:
        """Whether the ontology asserts ``individual`` in ``cls`` (directly, via a subclass, or oneOf)."""
        ind = URIRef(individual)
        for t in self.g.objects(ind, RDF.type):
            if cls in self.superclasses(t):
                return True
        return ind in self.one_of(cls)

    @cache  # noqa: B019 - one compiler per ontology graph
    def one_of(self, cls: Node) -> frozenset[Node]:
        """The enumerated members of ``cls`` (via an equivalent owl:oneOf), if any."""
        members: set[Node] = set()
        for expr in [cls, *self.g.objects(cls, OWL.equivalentClass)]:
            lst = self.g.value(expr, OWL.oneOf)
            if lst is not None:
                members.update(Collection(self.g, lst))
        return frozenset(members)

    def definition(self, cls: URIRef) -> Node:
        """The equivalent class expression of a defined class."""
        for expr in self.g.objects(cls, OWL.equivalentClass):
            if self.g.value(expr, OWL.oneOf) is None:
                return expr
        raise UnsupportedAxiomError(f"{cls} has no owl:equivalentClass definition")

    def compile(self, expr: Node) -> Predicate:
        """A predicate for the class expression ``expr``."""
        g = self.g
        if isinstance(expr, URIRef):
            if expr == AIO.AIModel:
                return lambda x: isinstance(x, ModelFacts)
            if expr == AIO.ArtifactRelease:
                return lambda x: isinstance(x, Claim)
            return self.compile(self.definition(expr))
        inter = g.value(expr, OWL.intersectionOf)
        if inter is not None:
            parts = tuple(self.compile(e) for e in Collection(g, inter))

            def conjunction(x: object) -> bool:
                for part in parts:  # noqa: SIM110 - a plain loop is about twice as fast as all() here
                    if not part(x):
                        return False
                return True

            return conjunction
        union = g.value(expr, OWL.unionOf)
        if union is not None:
            alternatives = tuple(self.compile(e) for e in Collection(g, union))

            def disjunction(x: object) -> bool:
                for alternative in alternatives:  # noqa: SIM110 - as above
                    if alternative(x):
                        return True
                return False

            return disjunction
        prop = g.value(expr, OWL.onProperty)
        if prop is None:
            raise UnsupportedAxiomError(f"unsupported class expression {expr!r}")
        value = g.value(expr, OWL.hasValue)
        filler = g.value(expr, OWL.someValuesFrom)
        if prop == AIO.hasRelease and filler is not None:
            inner = self.compile(filler)
            kind = self.required_kind(filler)
            if kind is not None:
                # the filler requires ``aio:artifact owl:hasValue kind``, and a model has one deciding claim
                # per kind: only that claim can satisfy it (same result, without scanning every claim)
                return lambda m: isinstance(m, ModelFacts) and (c := m.deciding.get(kind)) is not None and inner(c)
            return lambda m: isinstance(m, ModelFacts) and any(inner(c) for c in m.deciding.values())
        if prop == AIO.artifact and value is not None:
            v = str(value)
            return lambda c: isinstance(c, Claim) and c.kind == v
        if prop == AIO.availability:
            if value is not None:
                v = str(value)
                return lambda c: isinstance(c, Claim) and c.availability == v
            if filler is not None:
                members = {str(m) for m in self.one_of(filler)}
                if not members:
                    raise UnsupportedAxiomError(f"availability filler {filler} is not an enumeration")
                return lambda c: isinstance(c, Claim) and c.availability in members
        if prop == DCT_LICENSE and filler is not None:
            cls = filler
            cache: dict[str, bool] = {}

            def licensed(c: object) -> bool:
                if not isinstance(c, Claim):
                    return False
                for lic in c.licences:
                    if lic not in cache:
                        cache[lic] = not lic.startswith("_:") and self.is_instance(lic, cls)
                    if cache[lic]:
                        return True
                return False

            return licensed
        raise UnsupportedAxiomError(f"unsupported restriction on {prop}")

    def required_kind(self, expr: Node) -> str | None:
        """The artifact kind a release expression requires (a conjunct ``aio:artifact owl:hasValue K``)."""
        g = self.g
        conjuncts = [expr]
        inter = g.value(expr, OWL.intersectionOf)
        if inter is not None:
            conjuncts = list(Collection(g, inter))
        for part in conjuncts:
            if g.value(part, OWL.onProperty) == AIO.artifact and g.value(part, OWL.hasValue) is not None:
                return str(g.value(part, OWL.hasValue))
        return None

    def dimension_values(self, category: URIRef) -> dict[str, str]:
        """The dimension values a category implies (subClassOf owl:hasValue restrictions)."""
        out: dict[str, str] = {}
        dims = set(DIMENSIONS)
        for sup in self.g.objects(category, RDFS.subClassOf):
            prop = self.g.value(sup, OWL.onProperty)
            value = self.g.value(sup, OWL.hasValue)
            if prop in dims and value is not None:
                out[str(prop)] = str(value)
        return out


def compile_ontology(graph: rdflib.Graph) -> Compiled:
    """Compile every category and MOF class of ``graph``."""
    c = Compiler(graph)
    return Compiled(
        categories={str(cls): c.compile(cls) for cls in CATEGORIES},
        mof_classes={str(cls): c.compile(cls) for cls in MOF_CLASSES},
        dimensions={str(cls): c.dimension_values(cls) for cls in CATEGORIES},
        expressions={str(cls): c.definition(cls) for cls in [*CATEGORIES, *MOF_CLASSES]},
    )
