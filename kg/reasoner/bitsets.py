"""Class expressions as bit masks over a model's claims: how the rule path evaluates many classes fast.

Every ``hasRelease some F`` restriction of the compiled classes is an *atom*: one bit, set for a model when
its deciding claim of F's artifact kind (or, when F names no kind, any of its claims) meets F. A class
expression becomes the disjunctive normal form of its atoms, a few masks; the model is in the class when
its bits cover one of them. A claim's bits depend only on its kind, availability and licences, so they are
computed once per distinct claim and cached: a model's bits are an OR over its claims. This evaluates the
same positive constructs as ``Compiler.model_test`` (intersection, union, someValuesFrom, hasValue, oneOf,
named classes) with the same result; ``tests/test_reasoner_bitsets.py`` checks both on generated models.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from rdflib import OWL, URIRef
from rdflib.collection import Collection
from rdflib.term import Node

from kg.reasoner.axioms import ClaimTest, Compiler, always, never
from kg.reasoner.facts import Claim
from kg.vocab import AIO

#: A test over a model's bits.
BitsTest = Callable[[int], bool]
#: Disjunctive normal form: the class holds when the bits cover one of the masks (no masks: never).
Masks = tuple[int, ...]


def _minimal(masks: set[int]) -> Masks:
    """The masks no other mask is contained in (a conjunction implied by a weaker one adds nothing)."""
    ordered = sorted(masks, key=lambda m: (m.bit_count(), m))
    kept: list[int] = []
    for m in ordered:
        if not any(k & m == k for k in kept):
            kept.append(m)
    return tuple(kept)


def holds(masks: Masks) -> BitsTest:
    """A test of ``masks`` over a model's bits, as one small closure."""
    if not masks:
        return never
    if masks == (0,):
        return always
    if len(masks) == 1:
        (m,) = masks
        return lambda bits: bits & m == m
    if len(masks) == 2:  # unrolled: a generator per call would cost more than the test
        m1, m2 = masks
        return lambda bits: bits & m1 == m1 or bits & m2 == m2
    if len(masks) == 3:
        m1, m2, m3 = masks
        return lambda bits: bits & m1 == m1 or bits & m2 == m2 or bits & m3 == m3

    def covers_one(bits: int) -> bool:
        for m in masks:  # noqa: SIM110 - a plain loop is faster than any() over a generator
            if bits & m == m:
                return True
        return False

    return covers_one


class Bitsets:
    """The atoms of one compiler's class expressions and the per-claim cache of their bits."""

    def __init__(self, compiler: Compiler):
        self.compiler = compiler
        self._atoms: dict[tuple[str | None, object], int] = {}
        #: artifact kind (None: any kind) -> [(bit, test of one claim)]
        self._tests: dict[str | None, list[tuple[int, ClaimTest]]] = {}
        self._claims: dict[tuple[object, ...], int] = {}

    def masks(self, expr: Node) -> Masks:
        """``expr`` (a model class expression) as minimal masks of atoms."""
        c, g = self.compiler, self.compiler.g
        if isinstance(expr, URIRef):
            if expr == AIO.AIModel:
                return (0,)
            if expr == AIO.ArtifactRelease:
                return ()
            return self.masks(c.definition(expr))
        inter = g.value(expr, OWL.intersectionOf)
        if inter is not None:
            out: set[int] = {0}
            for part in Collection(g, inter):
                out = {a | b for a in out for b in self.masks(part)}
            return _minimal(out)
        union = g.value(expr, OWL.unionOf)
        if union is not None:
            return _minimal({m for part in Collection(g, union) for m in self.masks(part)})
        filler = g.value(expr, OWL.someValuesFrom)
        if g.value(expr, OWL.onProperty) == AIO.hasRelease and filler is not None:
            kind = c.required_kind(filler)
            inner = c.claim_test(filler, kind)
            return () if inner is never else (1 << self._atom(kind, filler, inner),)
        return () if c.model_test(expr) is never else (0,)  # raises on what the compiler does not support

    def test(self, expr: Node) -> BitsTest:
        """A test of ``expr`` over a model's bits."""
        return holds(self.masks(expr))

    def _atom(self, kind: str | None, filler: Node, test: ClaimTest) -> int:
        key = (kind, self._shape(filler))
        bit = self._atoms.get(key)
        if bit is None:
            bit = self._atoms[key] = len(self._atoms)
            self._tests.setdefault(kind, []).append((bit, test))
            self._claims.clear()  # cached claim bits lack the new atom
        return bit

    def _shape(self, expr: Node) -> object:
        """A hashable form of a class expression, equal for expressions that say the same (blank nodes differ)."""
        g = self.compiler.g
        if isinstance(expr, URIRef):
            return str(expr)
        parts = []
        for p, o in g.predicate_objects(expr):
            if p in (OWL.intersectionOf, OWL.unionOf, OWL.oneOf):
                parts.append((str(p), frozenset(self._shape(x) for x in Collection(g, o))))
            elif p == OWL.someValuesFrom:
                parts.append((str(p), self._shape(o)))
            else:
                parts.append((str(p), str(o)))
        return frozenset(parts)

    def bits(self, deciding: Mapping[str, Claim]) -> int:
        """The atoms a model's deciding claims meet."""
        cache = self._claims
        out = 0
        for kind, claim in deciding.items():
            key = (kind, claim.availability, *claim.licences)
            b = cache.get(key)
            if b is None:
                b = cache[key] = self._claim_bits(kind, claim)
            out |= b
        return out

    def _claim_bits(self, kind: str, claim: Claim) -> int:
        out = 0
        for group in (kind, None):
            for bit, test in self._tests.get(group, ()):
                if test(claim):
                    out |= 1 << bit
        return out
