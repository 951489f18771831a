"""Compile the ontology's class definitions into Python predicates: the fast rule path.

The categories and MOF classes are OWL defined classes built from a small set of constructs
(intersectionOf, unionOf, someValuesFrom, hasValue, oneOf, named classes). This module turns each
definition into a predicate over a model's deciding claims, so the meaning lives only in the axioms;
``tests/test_reasoner_differential.py`` proves the predicates agree with HermiT on every combination.
Only positive constructs are supported, for which the closed evaluation of one model's claims gives
exactly the open-world entailments.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any

import rdflib
from rdflib import OWL, RDF, RDFS, URIRef
from rdflib.collection import Collection
from rdflib.term import Node

from kg.reasoner.facts import Claim, ModelFacts
from kg.vocab import AIO, CATEGORIES, DIMENSIONS, MOF_CLASSES

DCT_LICENSE = URIRef("http://purl.org/dc/terms/license")
#: A predicate over a model (ModelFacts) or one of its claims (Claim).
Predicate = Callable[[object], bool]
#: A test over a model's deciding claims (artifact kind IRI -> Claim).
ModelTest = Callable[[Mapping[str, Claim]], bool]
#: A test over one claim.
ClaimTest = Callable[[Claim], bool]


def always(_: object) -> bool:
    """The test of a class every individual of its level is in (``aio:AIModel`` for models)."""
    return True


def never(_: object) -> bool:
    """The test of a class no individual of its level is in (a claim restriction, for a model)."""
    return False


def _simplified(parts: list[Callable[[Any], bool]], unit: Callable[[Any], bool],
                zero: Callable[[Any], bool]) -> Callable[[Any], bool] | list[Callable[[Any], bool]]:
    """``parts`` without the ``unit`` test; a single test when that settles it (``zero`` absorbing, nothing
    left, one part left), else the remaining parts (two or more) for the caller to combine."""
    parts = [p for p in parts if p is not unit]
    if any(p is zero for p in parts):
        return zero
    if not parts:
        return unit
    return parts[0] if len(parts) == 1 else parts


def all_of(parts: list[Callable[[Any], bool]]) -> Callable[[Any], bool]:
    """The conjunction of tests, as one closure (``always`` parts dropped, ``never`` absorbing)."""
    simple = _simplified(parts, always, never)
    if not isinstance(simple, list):
        return simple
    parts = simple
    if len(parts) == 2:
        a, b = parts
        return lambda x: a(x) and b(x)
    if len(parts) == 3:
        a, b, c = parts
        return lambda x: a(x) and b(x) and c(x)
    members = tuple(parts)

    def conjunction(x: Any) -> bool:
        for part in members:  # noqa: SIM110 - a plain loop is about twice as fast as all() here
            if not part(x):
                return False
        return True

    return conjunction


def any_of(parts: list[Callable[[Any], bool]]) -> Callable[[Any], bool]:
    """The disjunction of tests, as one closure (``never`` parts dropped, ``always`` absorbing)."""
    simple = _simplified(parts, never, always)
    if not isinstance(simple, list):
        return simple
    parts = simple
    if len(parts) == 2:
        a, b = parts
        return lambda x: a(x) or b(x)
    if len(parts) == 3:
        a, b, c = parts
        return lambda x: a(x) or b(x) or c(x)
    members = tuple(parts)

    def disjunction(x: Any) -> bool:
        for part in members:  # noqa: SIM110 - as above
            if part(x):
                return True
        return False

    return disjunction


class UnsupportedAxiomError(ValueError):
    """A class definition uses a construct the rule path does not compile."""


@dataclass
class Compiled:
    """The compiled rule path: category and MOF class tests (over ``ModelFacts.deciding``) and dimension values."""

    categories: dict[str, ModelTest]
    mof_classes: dict[str, ModelTest]
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
        """A predicate for the class expression ``expr`` over a model (ModelFacts) or a claim (Claim)."""
        model, claim = self.model_test(expr), self.claim_test(expr)

        def predicate(x: object) -> bool:
            if isinstance(x, ModelFacts):
                return model(x.deciding)
            return isinstance(x, Claim) and claim(x)

        return predicate

    def model_test(self, expr: Node) -> ModelTest:
        """A test of ``expr`` over a model's deciding claims (artifact kind -> Claim), as one flat closure.

        Each restriction ``hasRelease some F`` where F requires ``aio:artifact owl:hasValue K`` looks at the
        one deciding claim of kind K only, since a model has exactly one per kind.
        """
        g = self.g
        if isinstance(expr, URIRef):
            if expr == AIO.AIModel:
                return always
            if expr == AIO.ArtifactRelease:
                return never
            return self.model_test(self.definition(expr))
        inter = g.value(expr, OWL.intersectionOf)
        if inter is not None:
            return all_of([self.model_test(e) for e in Collection(g, inter)])
        union = g.value(expr, OWL.unionOf)
        if union is not None:
            return any_of([self.model_test(e) for e in Collection(g, union)])
        prop = g.value(expr, OWL.onProperty)
        filler = g.value(expr, OWL.someValuesFrom)
        if prop == AIO.hasRelease and filler is not None:
            kind = self.required_kind(filler)
            inner = self.claim_test(filler, kind)
            if inner is never:
                return never
            if kind is not None:
                if inner is always:
                    return lambda d: kind in d
                return lambda d: (c := d.get(kind)) is not None and inner(c)
            return lambda d: any(inner(c) for c in d.values())
        self.claim_test(expr)  # a restriction on claims (or an unsupported one, which raises)
        return never

    def claim_test(self, expr: Node, kind: str | None = None) -> ClaimTest:
        """A test of ``expr`` over one claim; ``kind``, when given, is the artifact kind the claim is known to have."""
        g = self.g
        if isinstance(expr, URIRef):
            if expr == AIO.AIModel:
                return never
            if expr == AIO.ArtifactRelease:
                return always
            return self.claim_test(self.definition(expr), kind)
        inter = g.value(expr, OWL.intersectionOf)
        if inter is not None:
            return all_of([self.claim_test(e, kind) for e in Collection(g, inter)])
        union = g.value(expr, OWL.unionOf)
        if union is not None:
            return any_of([self.claim_test(e, kind) for e in Collection(g, union)])
        prop = g.value(expr, OWL.onProperty)
        if prop is None:
            raise UnsupportedAxiomError(f"unsupported class expression {expr!r}")
        value = g.value(expr, OWL.hasValue)
        filler = g.value(expr, OWL.someValuesFrom)
        if prop == AIO.hasRelease and filler is not None:
            self.model_test(expr)  # a restriction on models: no claim has releases
            return never
        if prop == AIO.artifact and value is not None:
            v = str(value)
            if kind is not None:
                return always if v == kind else never
            return lambda c: c.kind == v
        if prop == AIO.availability:
            if value is not None:
                v = str(value)
                return lambda c: c.availability == v
            if filler is not None:
                members = frozenset(str(m) for m in self.one_of(filler))
                if not members:
                    raise UnsupportedAxiomError(f"availability filler {filler} is not an enumeration")
                return lambda c: c.availability in members
        if prop == DCT_LICENSE and filler is not None:
            return self.licensed(filler)
        raise UnsupportedAxiomError(f"unsupported restriction on {prop}")

    def licensed(self, cls: Node) -> ClaimTest:
        """Whether a claim has a licence the ontology types as ``cls`` (free-text licences never are)."""
        cache: dict[str, bool] = {}
        is_instance = self.is_instance

        def test(c: Claim) -> bool:
            for lic in c.licences:
                ok = cache.get(lic)
                if ok is None:
                    ok = cache[lic] = not lic.startswith("_:") and is_instance(lic, cls)
                if ok:
                    return True
            return False

        return test

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

    def deciding_kinds(self, expr: Node) -> Callable[[Mapping[str, Claim]], list[str]]:
        """The artifact kinds whose claims make a model meet ``expr``, in the definition's order: every kind a
        conjunct requires, and of a union only the members the model meets (a reason names what decided)."""
        g = self.g
        if isinstance(expr, URIRef):
            return (lambda d: []) if expr == AIO.AIModel else self.deciding_kinds(self.definition(expr))
        inter = g.value(expr, OWL.intersectionOf)
        if inter is not None:
            parts = [self.deciding_kinds(e) for e in Collection(g, inter)]
            return lambda d: [k for part in parts for k in part(d)]
        union = g.value(expr, OWL.unionOf)
        if union is not None:
            members = [(self.model_test(e), self.deciding_kinds(e)) for e in Collection(g, union)]
            return lambda d: [k for test, kinds in members if test(d) for k in kinds(d)]
        filler = g.value(expr, OWL.someValuesFrom)
        kind = self.required_kind(filler) if g.value(expr, OWL.onProperty) == AIO.hasRelease and filler else None
        found = [kind] if kind is not None else []
        return lambda d: found

    def accepted_availability(self, expr: Node, kind: str) -> set[str]:
        """The availability values under which a release of ``kind`` can meet ``expr`` (any, for a union)."""
        g = self.g
        if isinstance(expr, URIRef):
            return set() if expr == AIO.AIModel else self.accepted_availability(self.definition(expr), kind)
        out: set[str] = set()
        for key in (OWL.intersectionOf, OWL.unionOf):
            lst = g.value(expr, key)
            if lst is not None:
                for e in Collection(g, lst):
                    out |= self.accepted_availability(e, kind)
        filler = g.value(expr, OWL.someValuesFrom)
        on_release = g.value(expr, OWL.onProperty) == AIO.hasRelease and filler is not None
        if on_release and self.required_kind(filler) == kind:
            out |= self.availability_values(filler)
        return out

    def availability_values(self, release_expr: Node) -> set[str]:
        """The availability values a release expression allows (``hasValue`` or ``someValuesFrom`` a oneOf)."""
        g = self.g
        inter = g.value(release_expr, OWL.intersectionOf)
        for part in Collection(g, inter) if inter is not None else [release_expr]:
            if g.value(part, OWL.onProperty) == AIO.availability:
                value, filler = g.value(part, OWL.hasValue), g.value(part, OWL.someValuesFrom)
                return {str(value)} if value is not None else {str(m) for m in self.one_of(filler)}
        return set()

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


def artifact_kinds(g: rdflib.Graph, expr: Node) -> list[str]:
    """The artifact kinds a class expression names (``aio:artifact owl:hasValue K``), in order."""
    if isinstance(expr, URIRef):
        return []
    if g.value(expr, OWL.onProperty) == AIO.artifact:
        value = g.value(expr, OWL.hasValue)
        return [str(value)] if value is not None else []
    kinds: list[str] = []
    for key in (OWL.intersectionOf, OWL.unionOf):
        lst = g.value(expr, key)
        if lst is not None:
            for member in Collection(g, lst):
                kinds.extend(artifact_kinds(g, member))
    filler = g.value(expr, OWL.someValuesFrom)
    if filler is not None:
        kinds.extend(artifact_kinds(g, filler))
    return kinds


def compile_ontology(graph: rdflib.Graph, compiler: Compiler | None = None) -> Compiled:
    """Compile every category and MOF class of ``graph`` into tests over a model's deciding claims."""
    c = compiler or Compiler(graph)
    return Compiled(
        categories={str(cls): c.model_test(cls) for cls in CATEGORIES},
        mof_classes={str(cls): c.model_test(cls) for cls in MOF_CLASSES},
        dimensions={str(cls): c.dimension_values(cls) for cls in CATEGORIES},
        expressions={str(cls): c.definition(cls) for cls in [*CATEGORIES, *MOF_CLASSES]},
    )
