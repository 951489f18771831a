"""A fast evaluator of the SHACL Core subset in ``kg.validation.shapes``, over an in-memory index.

It follows pySHACL's semantics constraint by constraint (value nodes as sets, ``sh:pattern`` matched
from the start of the string, ill-typed literals failing ``sh:datatype``) and
``tests/test_shapes.py`` and ``bench/validate.py`` check that it gives pySHACL's results. It is fast
because it walks dictionaries keyed by predicate instead of querying a graph per focus node.
"""

from __future__ import annotations

import gc
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import pyoxigraph as ox
import rdflib
from rdflib.namespace import RDF, RDFS, SH, XSD

from kg.records.model import to_rdflib
from kg.validation.shapes import Path_, Shape

Term = Any
_TYPE = ox.NamedNode(str(RDF.type))
_SUBCLASS = ox.NamedNode(str(RDFS.subClassOf))
_XSD_STRING = ox.NamedNode(str(XSD.string))
_LANG_STRING = ox.NamedNode(str(RDF.langString))
_C = {name: ox.NamedNode(str(SH[name])) for name in (
    "MinCountConstraintComponent", "MaxCountConstraintComponent", "PatternConstraintComponent",
    "InConstraintComponent", "DatatypeConstraintComponent", "NodeKindConstraintComponent",
    "ClassConstraintComponent", "HasValueConstraintComponent", "OrConstraintComponent",
    "AndConstraintComponent", "NotConstraintComponent", "NodeConstraintComponent",
    "MinLengthConstraintComponent", "MaxLengthConstraintComponent")}
_KINDS = {
    "IRI": (ox.NamedNode,), "BlankNode": (ox.BlankNode,), "Literal": (ox.Literal,),
    "BlankNodeOrIRI": (ox.BlankNode, ox.NamedNode), "BlankNodeOrLiteral": (ox.BlankNode, ox.Literal),
    "IRIOrLiteral": (ox.NamedNode, ox.Literal),
}


@dataclass(frozen=True)
class RawResult:
    """One failed constraint, before it is located and worded for people."""

    shape: Shape
    focus: Term
    path: Path_ | None
    value: Term | None
    component: ox.NamedNode


class Index:
    """The data graph as ``predicate -> subject -> [objects]``, inverses built on first use."""

    def __init__(self, triples: Iterable[ox.Triple]):
        out: dict[Any, dict[Any, list[Any]]] = {}
        with gc_paused():
            for s, p, o in triples:
                by_subject = out.get(p)
                if by_subject is None:
                    by_subject = out[p] = {}
                objects = by_subject.get(s)
                if objects is None:
                    by_subject[s] = [o]
                elif o not in objects:
                    objects.append(o)
        self.out = out
        self._inverse: dict[Any, dict[Any, list[Any]]] = {}
        self._superclasses: dict[Any, frozenset[Any]] = {}

    def objects(self, subject: Term, predicate: ox.NamedNode) -> list[Term]:
        by_subject = self.out.get(predicate)
        return by_subject.get(subject, []) if by_subject else []

    def subjects(self, predicate: ox.NamedNode, obj: Term) -> list[Term]:
        inverse = self._inverse.get(predicate)
        if inverse is None:
            inverse = {}
            for subject, objects in self.out.get(predicate, {}).items():
                for o in objects:
                    inverse.setdefault(o, []).append(subject)
            self._inverse[predicate] = inverse
        return inverse.get(obj, [])

    def values(self, node: Term, path: Path_) -> list[Term]:
        """The value nodes of ``path`` from ``node`` (a set, in first-seen order)."""
        if isinstance(path, ox.NamedNode):
            return self.objects(node, path)
        op, arg = path
        if op == "^":
            if isinstance(arg, ox.NamedNode):
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


@contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector: building millions of small dicts and lists otherwise
    triggers full collections over every term already read, which more than doubles the time."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


class _Failed(Exception):
    """Raised by the first result when only conformance is asked."""


class _FirstFailure(list):
    def append(self, item: Any) -> None:  # noqa: D102 - stops at the first result
        raise _Failed


def focus_nodes(shape: Shape, index: Index) -> list[Term]:
    """The focus nodes of a shape's targets."""
    found: dict[Term, None] = {}
    for cls in shape.target_classes:
        found.update(dict.fromkeys(index.instances(cls)))
    found.update(dict.fromkeys(shape.target_nodes))
    for predicate in shape.target_subjects_of:
        found.update(dict.fromkeys(index.out.get(predicate, {})))
    for predicate in shape.target_objects_of:
        for objects in index.out.get(predicate, {}).values():
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
    return out


def _compiled(shape: Shape) -> list[tuple[str, ox.NamedNode, Any, Any]]:
    """(name, component, parameter, value test or None) per constraint, worked out once per shape."""
    found = shape.compiled
    if found is None:
        found = []
        for component, param in shape.constraints:
            name = component.value.rsplit("#", 1)[-1]
            found.append((name, component, param, _VALUE_TESTS.get(name)))
        shape.compiled = found
        shape.simple_test = (found[0][3], found[0][2]) if (
            len(found) == 1 and found[0][3] is not None and shape.path is None and not shape.properties
            and not shape.deactivated) else None
    return found


def conforms(shape: Shape, node: Term, index: Index) -> bool:
    """Whether ``node`` conforms to ``shape`` (any result, whatever its severity, is a failure)."""
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
    values = [focus] if shape.path is None else index.values(focus, shape.path)
    path = shape.path
    for name, component, param, test in _compiled(shape):
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


def _pattern(v: Term, regex: Any, index: Index) -> bool:
    if isinstance(v, ox.BlankNode):
        return False
    return regex.match(v.value) is not None


def _length(v: Term) -> int | None:
    return None if isinstance(v, ox.BlankNode) else len(v.value)


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


def _datatype(v: Term, rule: ox.NamedNode, index: Index) -> bool:
    if not isinstance(v, ox.Literal):
        return False
    return _datatype_ok(v.value, v.datatype.value, v.language, rule.value)


def _node_kind(v: Term, kind: ox.NamedNode, index: Index) -> bool:
    return isinstance(v, _KINDS.get(kind.value.rsplit("#", 1)[-1], ()))


_VALUE_TESTS = {
    "PatternConstraintComponent": _pattern,
    "InConstraintComponent": lambda v, allowed, index: v in allowed,
    "DatatypeConstraintComponent": _datatype,
    "NodeKindConstraintComponent": _node_kind,
    "ClassConstraintComponent": lambda v, cls, index: not isinstance(v, ox.Literal) and index.is_instance(v, cls),
    "OrConstraintComponent": lambda v, members, index: any(conforms(m, v, index) for m in members),
    "AndConstraintComponent": lambda v, members, index: all(conforms(m, v, index) for m in members),
    "NotConstraintComponent": lambda v, member, index: not conforms(member, v, index),
    "NodeConstraintComponent": lambda v, member, index: conforms(member, v, index),
    "MinLengthConstraintComponent": lambda v, n, index: (_length(v) or 0) >= n if _length(v) is not None
    else False,
    "MaxLengthConstraintComponent": lambda v, n, index: _length(v) is not None and _length(v) <= n,
}

__all__ = ["Index", "RawResult", "conforms", "focus_nodes", "to_rdflib", "validate"]
