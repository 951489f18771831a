"""A fast evaluator of a SHACL Core subset, over an in-memory index.

``supports(shape)`` says up front whether a shape (with everything it refers to) is inside the subset;
the caller sends the others to pySHACL whole. Inside it, the engine follows the SHACL specification
constraint by constraint (value nodes as sets, ``sh:pattern`` as SPARQL's REGEX, ill-typed literals
failing ``sh:datatype``, boolean parameters active only when ``true``);
``tests/test_validation_differential.py`` checks it against pySHACL on generated shapes and data, and
``tests/test_shacl_core_conformance.py`` against the specification's text where pySHACL departs from it.
It is fast because it walks dictionaries keyed by predicate instead of querying a graph per focus node.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from itertools import islice
from typing import Any

import pyoxigraph as ox
import rdflib
from rdflib.namespace import RDF, RDFS, XSD

from kg.logs import quiet_literals
from kg.perf import gc_paused
from kg.records.model import to_rdflib
from kg.validation.shapes import Path_, Shape

Term = Any
_TYPE = f"<{RDF.type}>"
_SUBCLASS = f"<{RDFS.subClassOf}>"
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
    #: The constraint's compiled parameter (for the default message).
    param: Any = None


class Index:
    """The data graph as ``predicate -> subject -> [objects]``, inverses built on first use.

    Terms are their N-Triples strings (``<iri>``, ``_:id``, ``"text"^^<datatype>``): pyoxigraph
    serialises the triples in Rust, and Python then hashes and compares plain, interned strings,
    which is cheaper than hashing pyoxigraph term objects.
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
        self._predicates: dict[str, list[str]] | None = None
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
            return self.subjects(arg, node)  # paths are normalized(): only a predicate is inverted
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

    def predicates(self, subject: str) -> list[str]:
        """The predicates of the triples with ``subject`` (for sh:closed), the index built on first use."""
        if self._predicates is None:
            self._predicates = {}
            for predicate, by_subject in self.out.items():
                for s in by_subject:
                    self._predicates.setdefault(s, []).append(predicate)
        return self._predicates.get(subject, [])

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


def normalized(path: Path_, inverse: bool = False) -> Path_:
    """The same path with inverses on predicates only: ``^(a/b)`` is ``^b/^a``, ``^(a|b)`` is ``^a|^b``,
    ``^^a`` is ``a`` (SPARQL 1.1, 9.1)."""
    if isinstance(path, ox.NamedNode):
        return ("^", path) if inverse else path
    op, arg = path
    if op == "^":
        return normalized(arg, not inverse)
    if op in ("/", "|"):
        members = tuple(normalized(p, inverse) for p in arg)
        return (op, members[::-1] if op == "/" and inverse else members)
    return (op, normalized(arg, inverse))


def path_supported(path: Path_) -> bool:
    """Predicate, inverse, sequence and alternative paths, nested; not ``*``, ``+`` nor ``?``."""
    if isinstance(path, ox.NamedNode):
        return True
    op, arg = path
    if op == "^":
        return path_supported(arg)
    if op in ("/", "|"):
        return all(path_supported(p) for p in arg)
    return False


def _nested(shape: Shape) -> list[Shape]:
    """The shapes ``shape`` refers to: its property shapes and the members of its logical constraints."""
    found = list(shape.properties)
    for _component, param in shape.constraints:
        if isinstance(param, Shape):
            found.append(param)
        elif isinstance(param, list):
            found.extend(m for m in param if isinstance(m, Shape))
    return found


def unsupported(shape: Shape) -> list[str]:
    """Why the fast engine cannot evaluate ``shape`` exactly (empty when it can): its own reasons, those of
    every shape it refers to, and recursion (which SHACL leaves undefined)."""
    reasons: list[str] = []
    done: set[int] = set()

    def visit(s: Shape, stack: tuple[int, ...]) -> None:
        if id(s) in stack:
            reasons.append(f"{s.node} refers to itself (a recursive shape)")
            return
        if id(s) in done:
            return
        done.add(id(s))
        reasons.extend(s.unsupported)
        if s.path is not None and not path_supported(s.path):
            reasons.append(f"{s.node}: the path form is not in the fast subset")
        for nested in _nested(s):
            visit(nested, (*stack, id(s)))

    visit(shape, ())
    return reasons


def supports(shape: Shape) -> bool:
    """Whether the fast engine evaluates ``shape`` exactly as the SHACL specification says."""
    return not unsupported(shape)


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
    """Every result of the shapes over the indexed data (the shapes must be ``supports``-ed)."""
    out: list[RawResult] = []
    with gc_paused():
        for shape in shapes:
            if shape.deactivated:
                continue
            for focus in focus_nodes(shape, index):
                check(shape, focus, index, out)
    return [RawResult(r.shape, to_ox(r.focus), r.path, to_ox(r.value) if r.value is not None else None,
                      r.component, r.param) for r in out]


def _compiled(shape: Shape) -> list[tuple[str, ox.NamedNode, Any, Any]]:
    """(name, component, parameter, value test or None) per constraint, worked out once per shape."""
    found = shape.compiled
    if found is None:
        found = []
        for component, param in shape.constraints:
            name = component.value.rsplit("#", 1)[-1]
            if name == "InConstraintComponent":
                param = frozenset(nt(v) for v in param)
            elif name in ("ClassConstraintComponent", "HasValueConstraintComponent", "EqualsConstraintComponent",
                          "DisjointConstraintComponent"):
                param = nt(param)
            elif name == "ClosedConstraintComponent":
                active, ignored = param
                allowed = {nt(p.path) for p in shape.properties if isinstance(p.path, ox.NamedNode)}
                param = frozenset(allowed | {nt(p) for p in ignored}) if active else None
            found.append((name, component, param, _VALUE_TESTS.get(name)))
        shape.nt_path = nt_path(normalized(shape.path)) if shape.path is not None else None
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
                    out.append(RawResult(shape, focus, path, v, component, param))
            continue
        for value in _FOCUS_TESTS[name](focus, values, param, index):
            if name == "ClosedConstraintComponent":
                predicate, value = value
                out.append(RawResult(shape, focus, to_ox(predicate), value, component, param))
            else:
                out.append(RawResult(shape, focus, path, value, component, param))
    for prop in shape.properties:
        for v in values:
            check(prop, v, index, out)


def _min_count(focus: str, values: list[str], n: int, index: Index) -> list[None]:
    return [None] if len(values) < n else []


def _max_count(focus: str, values: list[str], n: int, index: Index) -> list[None]:
    return [None] if len(values) > n else []


def _has_value(focus: str, values: list[str], term: str, index: Index) -> list[None]:
    return [] if term in values else [None]


def _unique_lang(focus: str, values: list[str], active: bool, index: Index) -> list[None]:
    """One result (without a value) per language tag two value nodes share (SHACL 4.4.4)."""
    if not active:
        return []
    counts: dict[str, int] = {}
    for v in values:
        tag = _language(v)
        if tag:
            counts[tag] = counts.get(tag, 0) + 1
    return [None for n in counts.values() if n > 1]


def _closed(focus: str, values: list[str], allowed: frozenset[str] | None, index: Index) -> list[tuple[str, str]]:
    """(predicate, object) of each triple of a value node whose predicate is not allowed (SHACL 4.8.1)."""
    if allowed is None:
        return []
    return [(p, o) for v in values for p in index.predicates(v) if p not in allowed for o in index.objects(v, p)]


def _equals(focus: str, values: list[str], predicate: str, index: Index) -> list[str]:
    others = index.objects(focus, predicate)
    return [v for v in values if v not in others] + [o for o in others if o not in values]


def _disjoint(focus: str, values: list[str], predicate: str, index: Index) -> list[str]:
    others = index.objects(focus, predicate)
    return [v for v in values if v in others]


_FOCUS_TESTS = {
    "MinCountConstraintComponent": _min_count,
    "MaxCountConstraintComponent": _max_count,
    "HasValueConstraintComponent": _has_value,
    "UniqueLangConstraintComponent": _unique_lang,
    "ClosedConstraintComponent": _closed,
    "EqualsConstraintComponent": _equals,
    "DisjointConstraintComponent": _disjoint,
}


def _language(v: str) -> str | None:
    """The (lowercase) language tag of a literal in N-Triples form, or None."""
    if not v.startswith('"'):
        return None
    return to_ox(v).language or None


def _lang_matches(tag: str, ranges: tuple[str, ...]) -> bool:
    """SPARQL langMatches (RFC 4647 basic filtering) of a non-empty tag against any of ``ranges``."""
    return any(r == "*" or tag == r or tag.startswith(r + "-") for r in ranges)


def _language_in(v: str, ranges: tuple[str, ...], index: Index) -> bool:
    tag = _language(v)
    return bool(tag) and _lang_matches(tag, ranges)


def _pattern(v: str, pattern: Any, index: Index) -> bool:
    if v.startswith("_"):
        return False
    return pattern.search(lexical(v))


def _length(v: str) -> int | None:
    return None if v.startswith("_") else len(lexical(v))


@lru_cache(maxsize=65536)
def _datatype_ok(lexical: str, datatype: str, language: str | None, rule: str) -> bool:
    """pySHACL's sh:datatype test, on the rdflib literal equal to the oxigraph one."""
    from pyshacl.constraints.core.value_constraints import DatatypeConstraintComponent

    with quiet_literals():  # an ill-typed literal is a result here, not a log record
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


def _min_length(v: str, n: int, index: Index) -> bool:
    length = _length(v)
    return length is not None and length >= n


def _max_length(v: str, n: int, index: Index) -> bool:
    length = _length(v)
    return length is not None and length <= n


_VALUE_TESTS = {
    "PatternConstraintComponent": _pattern,
    "InConstraintComponent": lambda v, allowed, index: v in allowed,
    "DatatypeConstraintComponent": _datatype,
    "NodeKindConstraintComponent": _node_kind,
    "ClassConstraintComponent": lambda v, cls, index: not v.startswith('"') and index.is_instance(v, cls),
    "OrConstraintComponent": lambda v, members, index: any(conforms(m, v, index) for m in members),
    "AndConstraintComponent": lambda v, members, index: all(conforms(m, v, index) for m in members),
    "XoneConstraintComponent": lambda v, members, index: sum(conforms(m, v, index) for m in members) == 1,
    "NotConstraintComponent": lambda v, member, index: not conforms(member, v, index),
    "NodeConstraintComponent": lambda v, member, index: conforms(member, v, index),
    "MinLengthConstraintComponent": _min_length,
    "MaxLengthConstraintComponent": _max_length,
    "LanguageInConstraintComponent": _language_in,
}

__all__ = ["Index", "RawResult", "conforms", "focus_nodes", "nt", "supports", "to_ox", "to_rdflib", "unsupported",
           "validate"]
