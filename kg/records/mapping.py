"""The record mapping, driven by the field table (``kg.records.fields``): each field's codec turns its plain
value into RDF terms, reads them back, and gives the values the reasoner's fact collectors keep.

``emit_fields`` writes a mapping's fields as triples and ``plain_fields`` reads them back, in the table's
order; nested fields (parameters, based_on, artifacts, history) are handed to the caller's handlers.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from functools import cache, lru_cache
from typing import Any

import pyoxigraph as ox

from kg.records.fields import Field
from kg.records.terms import (
    AVAILABILITY_NODES,
    IRI_SAFE,
    as_list,
    date_literal,
    entity_ref,
    iri_or_literal,
    license_nodes,
    term_key,
    text,
    texts,
)
from kg.vocab import FAMILY, HF, LICENSE, MODALITIES, ORG, SPDX, WIKIDATA

Add = Callable[[ox.Triple], None]
Term = ox.NamedNode | ox.BlankNode | ox.Literal


class Codec:
    """Plain values to terms and back; the base case is an IRI where the value is one, else a literal."""

    def one(self, value: str) -> Term:
        """The term of one value, given as non-empty stripped text."""
        return ox.NamedNode(value) if IRI_SAFE.match(value) else ox.Literal(value)

    def terms(self, value: Any) -> list[Term]:
        """The terms of a field's value (a scalar, a list or a ``;``-separated string)."""
        return [self.one(text(v)) for v in as_list(value)]

    def emit(self, subject: Term, predicate: ox.NamedNode, value: Any, add: Add) -> None:
        """Add the triples stating ``value`` about ``subject``."""
        if value.__class__ is str and ";" not in value and (stripped := value.strip()):
            add(ox.Triple(subject, predicate, self.one(stripped)))  # the usual cell: ``terms`` in one step
            return
        for term in self.terms(value):
            add(ox.Triple(subject, predicate, term))

    def decode(self, term: Term, labels: Mapping[Any, str]) -> Any:
        """The plain value of one term; None when the term is not this field's (another shares the predicate)."""
        return term.value

    def keys(self, value: Any, labels: dict[str, str]) -> list[str]:
        """What the fact collectors keep of a plain value: each term's value (``_:id`` for a blank node)."""
        if value.__class__ is str and ";" not in value:  # the usual cell, on the path of classifying a file
            value = value.strip()
            return [value] if value else []
        return texts(value)


class Identifier(Codec):
    """One literal for the whole value (a record id is never split at ``;``)."""

    def one(self, value: str) -> Term:
        return ox.Literal(value)

    def terms(self, value: Any) -> list[Term]:
        return [] if value in (None, "") else [ox.Literal(text(value))]

    def keys(self, value: Any, labels: dict[str, str]) -> list[str]:
        return [] if value in (None, "") else [text(value)]


class Text(Codec):
    """Literals; an explicitly empty or blank text stays one empty literal, so the shapes refuse it as they do
    the same value in Turtle (the fact collectors, as ever, skip it)."""

    def one(self, value: str) -> Term:
        return ox.Literal(value)

    def terms(self, value: Any) -> list[Term]:
        return [ox.Literal(text(v)) for v in as_list(value) or ([""] if isinstance(value, str) else [])]


class Date(Codec):
    """Typed date literals (``YYYY``, ``YYYY-MM``, ``YYYY-MM-DD``)."""

    def one(self, value: str) -> Term:
        return _date_term(value)


@lru_cache(maxsize=4096)
def _date_term(value: str) -> ox.Literal:
    """``date_literal``, once per text (records repeat a few dates many times)."""
    return date_literal(value)


class Prefixed(Codec):
    """An id in another registry (``owner/name``, ``Q42``) as the registry's IRI; back, only those IRIs."""

    def __init__(self, prefix: str):
        self.prefix = prefix

    def one(self, value: str) -> Term:
        return iri_or_literal(value if value.startswith(self.prefix) else self.prefix + value)

    def decode(self, term: Term, labels: Mapping[Any, str]) -> Any:
        return term.value[len(self.prefix):] if term.value.startswith(self.prefix) else None


class Entity(Codec):
    """An organisation or family slug as its IRI in ``namespace`` (an IRI as itself); back, the slug."""

    def __init__(self, namespace: Any):
        self.namespace = namespace

    def one(self, value: str) -> Term:
        return entity_ref(self.namespace, value)

    def decode(self, term: Term, labels: Mapping[Any, str]) -> Any:
        ns = str(self.namespace)
        return term.value[len(ns):] if term.value.startswith(ns) else term.value

    def keys(self, value: Any, labels: dict[str, str]) -> list[str]:
        return [term.value for term in self.terms(value)]


class Vocabulary(Codec):
    """A value of a controlled list as its named individual (other text as a literal validation reports).

    ``single``: the whole value is one term (an availability is never split at ``;``)."""

    def __init__(self, nodes: Mapping[str, ox.NamedNode], single: bool):
        self.nodes = nodes
        self.values = {node: value for value, node in nodes.items()}
        self.single = single
        #: a listed value -> its key, for the usual cell that is exactly one listed value
        self.listed = {value: [node.value] for value, node in nodes.items()}

    def _items(self, value: Any) -> list[str]:
        if self.single:
            return [] if value in (None, "") else [text(value)]
        return [text(v) for v in as_list(value)]

    def one(self, value: str) -> Term:
        return self.nodes.get(value) or ox.Literal(value)

    def terms(self, value: Any) -> list[Term]:
        return [self.one(s) for s in self._items(value)]

    def decode(self, term: Term, labels: Mapping[Any, str]) -> Any:
        return self.values.get(term, term.value)

    def keys(self, value: Any, labels: dict[str, str]) -> list[str]:
        if value.__class__ is str and (listed := self.listed.get(value)) is not None:
            return listed.copy()
        nodes = self.nodes
        out = []
        for s in self._items(value):
            node = nodes.get(s)
            out.append(node.value if node is not None else s)
        return out


class License(Codec):
    """SPDX ids and the KG's licence ids as their IRIs; free-text names as a labelled licence document."""

    def emit(self, subject: Term, predicate: ox.NamedNode, value: Any, add: Add) -> None:
        for node, extra in license_nodes(value):
            add(ox.Triple(subject, predicate, node))
            for t in extra:
                add(t)

    def terms(self, value: Any) -> list[Term]:
        return [node for node, _ in license_nodes(value)]

    def decode(self, term: Term, labels: Mapping[Any, str]) -> Any:
        return license_text(term, labels)

    def keys(self, value: Any, labels: dict[str, str]) -> list[str]:
        keys, named = _licence_keys_of_text(value) if value.__class__ is str else _licence_keys(value)
        if named:
            labels.update(named)
        return list(keys)


def _licence_keys(value: Any) -> tuple[tuple[str, ...], tuple[tuple[str, str], ...]]:
    """The keys of a licence value's licences, and (key, name) of each free-text one."""
    keys: list[str] = []
    named: list[tuple[str, str]] = []
    for node, extra in license_nodes(value):
        key = term_key(node)
        keys.append(key)
        if extra:
            named.append((key, extra[-1].object.value))
    return tuple(keys), tuple(named)


@lru_cache(maxsize=4096)
def _licence_keys_of_text(value: str) -> tuple[tuple[str, ...], tuple[tuple[str, str], ...]]:
    """``_licence_keys`` of a licence cell, once per text (a file names a few licences many times)."""
    return _licence_keys(value)


def license_text(term: Any, labels: Mapping[Any, str]) -> str:
    """The licence as written in a plain record: SPDX id, KG licence id, or its free-text name."""
    if isinstance(term, ox.NamedNode):
        for ns in (str(SPDX), str(LICENSE)):
            if term.value.startswith(ns):
                return term.value[len(ns):]
        return term.value
    return labels.get(term, "")


#: Codec name (``Field.term``) -> codec.
CODECS: dict[str, Codec] = {
    "identifier": Identifier(), "text": Text(), "date": Date(), "iri": Codec(),
    "huggingface": Prefixed(HF), "wikidata": Prefixed(WIKIDATA),
    "family": Entity(FAMILY), "organisation": Entity(ORG),
    "modality": Vocabulary({slug: ox.NamedNode(str(iri)) for slug, iri in MODALITIES.items()}, single=False),
    "availability": Vocabulary(AVAILABILITY_NODES, single=True),
    "license": License(),
}


@cache
def predicate(iri: str) -> ox.NamedNode:
    """The node of a field's predicate."""
    return ox.NamedNode(iri)


#: A nested field's handler: (subject, the mapping, add) -> None when writing.
Writer = Callable[[Term, Mapping[str, Any], Add], None]
#: One field as ``emit_fields`` writes it: its key, and its predicate and codec's ``emit`` (None, None for a
#: nested field, which the caller's handler writes).
WriteStep = tuple[str, ox.NamedNode | None, Callable[[Term, ox.NamedNode, Any, Add], None] | None]


def write_plan(fields: Iterable[Field]) -> tuple[WriteStep, ...]:
    """A table's fields ready for ``emit_fields``: looked up once, not per record."""
    return tuple((f.key, None, None) if f.term is None else (f.key, predicate(f.predicate or ""), CODECS[f.term].emit)
                 for f in fields)


def emit_fields(subject: Term, mapping: Mapping[str, Any], plan: tuple[WriteStep, ...], add: Add,
                nested: Mapping[str, Writer] | None = None) -> None:
    """Add the triples of ``mapping``'s fields (a ``write_plan``) about ``subject``, in the table's order."""
    get = mapping.get
    for key, pred, emit in plan:
        if emit is None:
            handler = nested.get(key) if nested else None
            if handler is not None:
                handler(subject, mapping, add)
        elif (value := get(key)) is not None:
            emit(subject, pred, value, add)


#: A nested field's handler when reading: (the subject's statements) -> its plain fields.
Reader = Callable[[Mapping[Any, list[Any]]], Mapping[str, Any]]


def plain_fields(props: Mapping[Any, list[Any]], fields: Iterable[Field], labels: Mapping[Any, str],
                 nested: Mapping[str, Reader] | None = None) -> dict[str, Any]:
    """A subject's statements (predicate node -> objects) as plain fields, in the table's order.

    Fields sharing a predicate (``huggingface``, ``wikidata``, ``links``) split its objects: each goes to the
    first field whose codec takes it."""
    taken: set[tuple[str, Any]] = set()
    out: dict[str, Any] = {}
    for f in fields:
        if f.term is None:
            handler = (nested or {}).get(f.key)
            if handler is not None:
                out.update(handler(props))
            continue
        values = _decoded(props.get(predicate(f.predicate), ()), f, labels, taken)
        if values:
            out[f.key] = _shaped(values, f.plain)
    return out


def _decoded(objects: Iterable[Any], f: Field, labels: Mapping[Any, str], taken: set[tuple[str, Any]]) -> list[Any]:
    codec = CODECS[f.term or ""]
    values = []
    for term in objects:
        if (f.predicate, term) in taken:
            continue
        value = codec.decode(term, labels)
        if value is not None:
            taken.add((f.predicate or "", term))
            values.append(value)
    return values


def _shaped(values: list[Any], plain: str) -> Any:
    if plain == "first":
        return values[0]
    if plain == "one_or_sorted" and len(values) == 1:
        return values[0]
    return sorted(values)
