"""A fast evaluator of the SHACL Core subset in ``kg.validation.shapes``, over an in-memory index.

It follows pySHACL's semantics constraint by constraint (value nodes as sets, ``sh:pattern`` matched
from the start of the string, ill-typed literals failing ``sh:datatype``) and
``tests/test_shapes.py`` and ``bench/validate.py`` check that it gives pySHACL's results. It is fast
because it walks dictionaries keyed by predicate instead of querying a graph per focus node.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from itertools import islice
from typing import Any

import pyoxigraph as ox
import rdflib
from rdflib.namespace import RDF, RDFS, SH, XSD

from kg.perf import gc_paused
from kg.records.model import to_rdflib
from kg.validation.shapes import Path_, Shape

Term = Any
_TYPE = f"<{RDF.type}>"
_SUBCLASS = f"<{RDFS.subClassOf}>"
_C = {name: ox.NamedNode(str(SH[name])) for name in (
    "MinCountConstraintComponent", "MaxCountConstraintComponent", "PatternConstraintComponent",
    "InConstraintComponent", "DatatypeConstraintComponent", "NodeKindConstraintComponent",
    "ClassConstraintComponent", "HasValueConstraintComponent", "OrConstraintComponent",
    "AndConstraintComponent", "NotConstraintComponent", "NodeConstraintComponent",
    "MinLengthConstraintComponent", "MaxLengthConstraintComponent")}
_CHUNK = 200_000
#: sh:nodeKind -> the first characters of the N-Triples forms it allows.
_KINDS = {
    "IRI": "<", "BlankNode": "_", "Literal": '"', "BlankNodeOrIRI": "_<", "BlankNodeOrLiteral": '_"',
    "IRIOrLiteral": '<"',
}


def nt(term: Any) -> str:
    """The N-Triples form of a pyoxigraph term (the engine's representation)."""
    return str(term)


@lru_cache(maxsize=262144)
def to_ox(term: str) -> Any:
    """The pyoxigraph term of an N-Triples string."""
    if term.startswith("<"):
        return ox.NamedNode(term[1:-1])
    if term.startswith("_:"):
        return ox.BlankNode(term[2:])
    return next(iter(ox.parse(f"<x:s> <x:p> {term} .", format=ox.RdfFormat.N_TRIPLES))).object


def nt_path(path: Path_) -> Any:
    """A compiled path with its predicates as N-Triples strings."""
    if isinstance(path, ox.NamedNode):
        return str(path)
    op, arg = path
    if op == "^":
        return ("^", nt_path(arg))
    return (op, tuple(nt_path(p) for p in arg))


def lexical(term: str) -> str:
    """An IRI's text or a literal's lexical form."""
    if term.startswith("<"):
        return term[1:-1]
    return to_ox(term).value


@dataclass(frozen=True)
class RawResult:
    """One failed constraint, before it is located and worded for people."""

    shape: Shape
    focus: Term
    path: Path_ | None
    value: Term | None
    component: ox.NamedNode


class Index:
    """The data graph as ``predicate -> subject -> [objects]``, inverses built on first use.

    Terms are their N-Triples strings (``<iri>``, ``_:id``, ``"text"^^<datatype>``): pyoxigraph
    serialises the triples in Rust, and Python then hashes and compares plain, interned strings,
    several times faster than pyoxigraph term objects.
    """

    def __init__(self, triples: Iterable[ox.Triple]):
        out: dict[str, dict[str, list[str]]] = {}
        seen: dict[str, str] = {}
        triples = iter(triples)
        with gc_paused():
            while True:  # in chunks, so that the text of a million records never sits in memory at once
                chunk = list(islice(triples, _CHUNK))
                if not chunk:
                    break
                text = ox.serialize(chunk, format=ox.RdfFormat.N_TRIPLES).decode("utf-8")
                del chunk
                for line in text.split(" .\n"):
                    if not line:
                        continue
                    s, p, o = line.split(" ", 2)
                    s = seen.setdefault(s, s)
                    o = seen.setdefault(o, o)
                    by_subject = out.get(p)
                    if by_subject is None:
                        by_subject = out[p] = {}
                    objects = by_subject.get(s)
                    if objects is None:
                        by_subject[s] = [o]
                    elif o not in objects:
                        objects.append(o)
        self.out = out
        self._inverse: dict[str, dict[str, list[str]]] = {}
        self._superclasses: dict[str, frozenset[str]] = {}
        #: (id of a path-less shape, node) -> conforms; shapes outlive the index that memoises them.
        self.memo: dict[tuple[int, str], bool] = {}

    def ox_objects(self, subject: Any, predicate: ox.NamedNode) -> list[Any]:
        """``objects`` for pyoxigraph terms in and out (for reports)."""
        return [to_ox(o) for o in self.objects(str(subject), str(predicate))]

    def ox_subjects(self, predicate: ox.NamedNode, obj: Any) -> list[Any]:
        """``subjects`` for pyoxigraph terms in and out (for reports)."""
        return [to_ox(s) for s in self.subjects(str(predicate), str(obj))]

    def objects(self, subject: str, predicate: str) -> list[str]:
        by_subject = self.out.get(predicate)
        return by_subject.get(subject, []) if by_subject else []

    def subjects(self, predicate: str, obj: str) -> list[str]:
        inverse = self._inverse.get(predicate)
        if inverse is None:
            inverse = {}
            for subject, objects in self.out.get(predicate, {}).items():
                for o in objects:
                    inverse.setdefault(o, []).append(subject)
            self._inverse[predicate] = inverse
        return inverse.get(obj, [])

    def values(self, node: str, path: Any) -> list[str]:
        """The value nodes of ``path`` (in ``nt_path`` form) from ``node`` (a set, in first-seen order)."""
        if isinstance(path, str):
            return self.objects(node, path)
        op, arg = path
        if op == "^":
            if isinstance(arg, str):
                return self.subjects(arg, node)
            raise ValueError("only a predicate can be inverted in the fast subset")
        if op == "/":
            current = [node]
            for step in arg:
                nxt: dict[Term, None] = {}
                for n in current:
                    nxt.update(dict.fromkeys(self.values(n, step)))
                current = list(nxt)
            return current
        found: dict[Term, None] = {}
        for alternative in arg:
            found.update(dict.fromkeys(self.values(node, alternative)))
        return list(found)

    def superclasses(self, cls: Term) -> frozenset[Term]:
        """``cls`` and every class it is an ``rdfs:subClassOf*`` of in the data graph."""
        cached = self._superclasses.get(cls)
        if cached is None:
            seen, todo = {cls}, [cls]
            while todo:
                for parent in self.objects(todo.pop(), _SUBCLASS):
                    if parent not in seen:
                        seen.add(parent)
                        todo.append(parent)
            cached = self._superclasses[cls] = frozenset(seen)
        return cached

    def is_instance(self, node: Term, cls: Term) -> bool:
        return any(cls in self.superclasses(t) for t in self.objects(node, _TYPE))

    def instances(self, cls: Term) -> list[Term]:
        """The focus nodes of ``sh:targetClass cls``: instances of it or of its subclasses."""
        classes = [cls, *(c for c in self.out.get(_SUBCLASS, {}) if cls in self.superclasses(c) and c != cls)]
        found: dict[Term, None] = {}
        for c in classes:
            found.update(dict.fromkeys(self.subjects(_TYPE, c)))
        return list(found)


class _Failed(Exception):
    """Raised by the first result when only conformance is asked."""


class _FirstFailure(list):
    def append(self, item: Any) -> None:  # noqa: D102 - stops at the first result
        raise _Failed


def focus_nodes(shape: Shape, index: Index) -> list[Term]:
    """The focus nodes of a shape's targets."""
    found: dict[Term, None] = {}
    for cls in shape.target_classes:
        found.update(dict.fromkeys(index.instances(nt(cls))))
    found.update(dict.fromkeys(nt(n) for n in shape.target_nodes))
    for predicate in shape.target_subjects_of:
        found.update(dict.fromkeys(index.out.get(nt(predicate), {})))
    for predicate in shape.target_objects_of:
        for objects in index.out.get(nt(predicate), {}).values():
            found.update(dict.fromkeys(objects))
    return list(found)


def validate(shapes: Iterable[Shape], index: Index) -> list[RawResult]:
    """Every result of the shapes over the indexed data."""
    out: list[RawResult] = []
    with gc_paused():
        for shape in shapes:
            if shape.deactivated:
                continue
            for focus in focus_nodes(shape, index):
                check(shape, focus, index, out)
    return [RawResult(r.shape, to_ox(r.focus), r.path, to_ox(r.value) if r.value is not None else None,
                      r.component) for r in out]


def _compiled(shape: Shape) -> list[tuple[str, ox.NamedNode, Any, Any]]:
    """(name, component, parameter, value test or None) per constraint, worked out once per shape."""
    found = shape.compiled
    if found is None:
        found = []
        for component, param in shape.constraints:
            name = component.value.rsplit("#", 1)[-1]
            if name == "InConstraintComponent":
                param = frozenset(nt(v) for v in param)
            elif name in ("ClassConstraintComponent", "HasValueConstraintComponent"):
                param = nt(param)
            found.append((name, component, param, _VALUE_TESTS.get(name)))
        shape.nt_path = nt_path(shape.path) if shape.path is not None else None
        shape.compiled = found
        shape.simple_test = (found[0][3], found[0][2]) if (
            len(found) == 1 and found[0][3] is not None and shape.path is None and not shape.properties
            and not shape.deactivated) else None
    return found


def conforms(shape: Shape, node: Term, index: Index) -> bool:
    """Whether ``node`` conforms to ``shape`` (any result, whatever its severity, is a failure)."""
    if shape.path is None:  # a test of the node alone: the same answer for every focus that has it
        key = (id(shape), node)
        known = index.memo.get(key)
        if known is None:
            known = index.memo[key] = _conforms(shape, node, index)
        return known
    return _conforms(shape, node, index)


def _conforms(shape: Shape, node: Term, index: Index) -> bool:
    _compiled(shape)
    simple = shape.simple_test
    if simple is not None:
        return bool(simple[0](node, simple[1], index))
    try:
        check(shape, node, index, _FirstFailure())
    except _Failed:
        return False
    return True


def check(shape: Shape, focus: Term, index: Index, out: list[RawResult]) -> None:
    """Append the results of ``shape`` for one focus node to ``out``."""
    if shape.deactivated:
        return
    compiled = _compiled(shape)
    values = [focus] if shape.path is None else index.values(focus, shape.nt_path)
    path = shape.path
    for name, component, param, test in compiled:
        if test is not None:
            for v in values:
                if not test(v, param, index):
                    out.append(RawResult(shape, focus, path, v, component))
            continue
        if name == "MinCountConstraintComponent":
            if len(values) < param:
                out.append(RawResult(shape, focus, path, None, component))
            continue
        if name == "MaxCountConstraintComponent":
            if len(values) > param:
                out.append(RawResult(shape, focus, path, None, component))
            continue
        if name == "HasValueConstraintComponent" and param not in values:
            out.append(RawResult(shape, focus, path, None, component))
    for prop in shape.properties:
        for v in values:
            check(prop, v, index, out)


def _pattern(v: str, regex: Any, index: Index) -> bool:
    if v.startswith("_"):
        return False
    return regex.match(lexical(v)) is not None


def _length(v: str) -> int | None:
    return None if v.startswith("_") else len(lexical(v))


@lru_cache(maxsize=65536)
def _datatype_ok(lexical: str, datatype: str, language: str | None, rule: str) -> bool:
    """pySHACL's sh:datatype test, on the rdflib literal equal to the oxigraph one."""
    from pyshacl.constraints.core.value_constraints import DatatypeConstraintComponent

    if language:
        literal = rdflib.Literal(lexical, lang=language)
    elif datatype == str(XSD.string):
        literal = rdflib.Literal(lexical)
    else:
        literal = rdflib.Literal(lexical, datatype=rdflib.URIRef(datatype))
    rule_ref = rdflib.URIRef(rule)
    if literal.datatype == rule_ref:
        if getattr(literal, "ill_typed", None) is True:
            return False
        return bool(DatatypeConstraintComponent._assert_actual_datatype(None, literal, rule_ref))
    if rule_ref == RDFS.Literal:
        return True
    if rule_ref == RDFS.Datatype and literal.datatype is not None:
        return True
    if literal.datatype is None and literal.language is None and rule_ref == XSD.string:
        return True
    return bool(rule_ref == RDF.langString and literal.language)


def _datatype(v: str, rule: ox.NamedNode, index: Index) -> bool:
    if not v.startswith('"'):
        return False
    literal = to_ox(v)
    return _datatype_ok(literal.value, literal.datatype.value, literal.language, rule.value)


def _node_kind(v: str, kind: ox.NamedNode, index: Index) -> bool:
    return v[0] in _KINDS.get(kind.value.rsplit("#", 1)[-1], "")


_VALUE_TESTS = {
    "PatternConstraintComponent": _pattern,
    "InConstraintComponent": lambda v, allowed, index: v in allowed,
    "DatatypeConstraintComponent": _datatype,
    "NodeKindConstraintComponent": _node_kind,
    "ClassConstraintComponent": lambda v, cls, index: not v.startswith('"') and index.is_instance(v, cls),
    "OrConstraintComponent": lambda v, members, index: any(conforms(m, v, index) for m in members),
    "AndConstraintComponent": lambda v, members, index: all(conforms(m, v, index) for m in members),
    "NotConstraintComponent": lambda v, member, index: not conforms(member, v, index),
    "NodeConstraintComponent": lambda v, member, index: conforms(member, v, index),
    "MinLengthConstraintComponent": lambda v, n, index: (_length(v) or 0) >= n if _length(v) is not None
    else False,
    "MaxLengthConstraintComponent": lambda v, n, index: _length(v) is not None and _length(v) <= n,
}

__all__ = ["Index", "RawResult", "conforms", "focus_nodes", "nt", "to_ox", "to_rdflib", "validate"]
