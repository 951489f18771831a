"""Refuse SPARQL that would make the server fetch from the network, decided on the parsed operation.

The engine would happily call out (pyoxigraph performs ``SERVICE`` and ``LOAD`` over HTTP), which on a
public endpoint is a server-side request forgery tool. So every query and update is parsed with rdflib's
SPARQL parser (on the text of :func:`kg.sparql_lexer.decode_escapes`, the same text the engine then runs),
every IRI named by ``SERVICE``, ``LOAD``, ``FROM``, ``FROM NAMED``, ``USING``, ``USING NAMED`` and ``WITH``
is collected and resolved against ``BASE`` and the prefixes by pyoxigraph itself (the engine's own IRI
resolution), and:

- ``SERVICE`` and ``LOAD`` are refused unless the host is allow-listed; ``SERVICE ?var`` always;
- ``FROM``/``FROM NAMED``/``USING`` must name a graph of the store or the KG's namespace (no graph is ever
  fetched; the dataset is what they say, so the default graph is then *not* the union of all graphs);
- ``WITH`` and the protocol's dataset parameters may name a new graph, but no file or private address.

The messages say what was refused, never whether anything answers at that address. Worker processes run
this (server.executor): a pathological parse costs a worker, not the server; the size and depth limits of
server.limits come first. A second wall: the workers cannot open sockets at all (server.sandbox).
"""

from __future__ import annotations

import functools
import ipaddress
import re
import urllib.parse
from collections.abc import Callable, Collection, Iterator
from dataclasses import dataclass

from kg.errors import QueryError
from kg.vocab import BASE

#: What names the protocol's dataset (default-graph-uri, named-graph-uri, using-graph-uri, ...).
PROTOCOL = "dataset parameter"
#: Characters no IRI written between < and > may hold (so a checked IRI can be pasted into SPARQL).
_BAD_IRI = re.compile(r'[<>"{}|^`\\\x00-\x20]')
#: The words that introduce every reference the guard checks (SPARQL keywords are ASCII, case-insensitive).
KEYWORDS = ("service", "load", "from", "using", "with")


class ForbiddenQueryError(QueryError):
    """The operation names a remote resource the server must not fetch (HTTP 400)."""


@dataclass(frozen=True)
class Reference:
    """One IRI an operation names with a keyword; ``iri`` is None for a variable (``SERVICE ?x``)."""

    keyword: str
    iri: str | None


@dataclass(frozen=True)
class Verdict:
    """What the guard found: the references, and whether the query has a dataset clause of its own."""

    references: tuple[Reference, ...]
    has_dataset: bool


@functools.lru_cache(maxsize=512)
def valid_iri(iri: str) -> bool:
    """Whether ``iri`` is an absolute IRI that can be written as ``<iri>`` without changing the text around it."""
    if _BAD_IRI.search(iri):
        return False
    try:
        import pyoxigraph as ox

        ox.NamedNode(iri)
    except ValueError:
        return False
    return True


def is_allowed_host(iri: str, allowed_hosts: Collection[str]) -> bool:
    """Whether ``iri`` is an http(s) IRI whose host is on the allow-list (``*.example.org`` works too)."""
    parts = urllib.parse.urlsplit(iri)
    host = (parts.hostname or "").lower()
    if parts.scheme not in ("http", "https") or not host:
        return False
    for entry in allowed_hosts:
        entry = entry.lower().strip()
        if host == entry or (entry.startswith("*.") and host.endswith(entry[1:])):
            return True
    return False


def names_private_place(iri: str) -> bool:
    """Whether ``iri`` is a file, or an http(s) resource on this machine or a private network (a dotted,
    decimal, hexadecimal or IPv6 address too): what a server-side request forgery probes."""
    parts = urllib.parse.urlsplit(iri)
    if parts.scheme not in ("http", "https"):
        return parts.scheme not in ("urn", "tag")
    host = (parts.hostname or "").lower().rstrip(".")
    if not host or host == "localhost" or host.endswith((".localhost", ".local", ".internal")):
        return True
    address = _address(host)
    return address is not None and not address.is_global


def _address(host: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    """The address a host names as a number, in any spelling a resolver accepts (``2130706433``,
    ``0x7f.1``, ``127.1``, ``[::1]``), or None for a name."""
    try:
        return ipaddress.ip_address(host)
    except ValueError:
        pass
    parts = host.split(".")
    if not 1 <= len(parts) <= 4:
        return None
    try:
        numbers = [int(p, 0) if not re.fullmatch(r"0[0-7]+", p) else int(p, 8) for p in parts]
    except ValueError:
        return None
    value = 0
    for index, number in enumerate(numbers[:-1]):
        if not 0 <= number <= 255:
            return None
        value |= number << (8 * (3 - index))
    if not 0 <= numbers[-1] < 1 << (8 * (5 - len(numbers))):
        return None
    return ipaddress.IPv4Address(value | numbers[-1])


# ---------------------------------------------------------------------------------------------------------
# Reading the operation


def _parse(sparql: str, kind: str):  # type: ignore[no-untyped-def]
    """rdflib's parse tree of a query or update (QueryError when rdflib cannot read it)."""
    from pyparsing import ParseException
    from rdflib.plugins.sparql.parser import parseQuery, parseUpdate

    try:
        return parseQuery(sparql) if kind == "query" else parseUpdate(sparql)
    except ParseException as exc:
        raise QueryError(f"SPARQL syntax error: {str(exc).splitlines()[0][:200]}") from None
    except RecursionError:
        raise QueryError("the query is nested too deeply to be checked") from None
    except ValueError as exc:
        raise QueryError(f"SPARQL syntax error: {str(exc)[:200]}") from None


def _children(node: object) -> Iterator[object]:
    from pyparsing import ParseResults
    from rdflib.plugins.sparql.parserutils import CompValue

    if isinstance(node, CompValue):
        yield from node.values()
    elif isinstance(node, ParseResults | list | tuple):
        yield from node


def _named(node: object, name: str) -> bool:
    return getattr(node, "name", None) == name


class _Prologue:
    """BASE and PREFIX declarations seen so far, replayed to pyoxigraph to resolve a term as the engine does."""

    def __init__(self, base: str | None):
        self.base = base
        self.lines: list[str] = []

    def declare(self, node: object) -> None:
        if _named(node, "Base"):
            self.lines.append(f"@base <{node['iri']}> .")  # type: ignore[index]
        elif _named(node, "PrefixDecl"):
            self.lines.append(f"@prefix {node.get('prefix') or ''}: <{node['iri']}> .")  # type: ignore[attr-defined,index]

    def resolve(self, term: object) -> str:
        """The absolute IRI ``term`` (an IRI or a prefixed name of the parse tree) stands for."""
        import pyoxigraph as ox

        written = f"<{term}>"
        if _named(term, "pname"):
            written = f"{term.get('prefix') or ''}:{term.get('localname') or ''}"  # type: ignore[attr-defined]
        doc = "\n".join([*self.lines, f"{written} <urn:x:p> <urn:x:o> ."])
        try:
            quads = list(ox.parse(doc.encode(), format=ox.RdfFormat.TURTLE, base_iri=self.base))
        except (SyntaxError, ValueError):
            raise ForbiddenQueryError(f"the IRI {written[:200]} cannot be resolved to an absolute IRI") from None
        return quads[0].subject.value  # type: ignore[union-attr]


def _term_of(node: object, key: str) -> object:
    return dict.get(node, key) if isinstance(node, dict) else None  # type: ignore[arg-type]


def _references_in(node: object, prologue: _Prologue, found: list[Reference]) -> None:
    """Append the references of ``node`` and everything under it (an explicit stack: no recursion limit)."""
    from rdflib.term import URIRef, Variable

    stack = [node]
    while stack:
        item = stack.pop()
        pairs: list[tuple[str, object]] = []
        if _named(item, "ServiceGraphPattern"):
            pairs.append(("SERVICE", _term_of(item, "term")))
        elif _named(item, "Load"):
            pairs.append(("LOAD", _term_of(item, "iri")))
        elif _named(item, "DatasetClause") or _named(item, "UsingClause"):
            word = "FROM" if _named(item, "DatasetClause") else "USING"
            if _term_of(item, "default") is not None:
                pairs.append((word, _term_of(item, "default")))
            if _term_of(item, "named") is not None:
                pairs.append((f"{word} NAMED", _term_of(item, "named")))
        elif _named(item, "Modify") and _term_of(item, "withClause") is not None:
            pairs.append(("WITH", _term_of(item, "withClause")))
        for keyword, term in pairs:
            if isinstance(term, Variable):
                found.append(Reference(keyword, None))
            elif isinstance(term, URIRef) or _named(term, "pname"):
                found.append(Reference(keyword, prologue.resolve(term)))
            else:  # pragma: no cover - the grammar allows nothing else here
                raise ForbiddenQueryError(f"{keyword} names something this endpoint cannot check")
        stack.extend(reversed(list(_children(item))))


def references(sparql: str, kind: str = "query", base: str | None = None) -> list[Reference]:
    """Every SERVICE, LOAD, FROM (NAMED), USING (NAMED) and WITH of a decoded query or update, resolved.

    >>> text = 'BASE <http://e/a/> PREFIX p: <b/> SELECT * FROM p:g { SERVICE <../s> {} }'
    >>> [(r.keyword, r.iri) for r in references(text)]
    [('FROM', 'http://e/a/b/g'), ('SERVICE', 'http://e/s')]
    """
    tree = _parse(sparql, kind)
    prologue = _Prologue(base)
    found: list[Reference] = []
    if kind == "query":
        for declaration in tree[0]:
            prologue.declare(declaration)
        _references_in(tree[1], prologue, found)
        return found
    for declarations, operation in zip(tree.get("prologue") or [], tree.get("request") or [], strict=False):
        for declaration in declarations:
            prologue.declare(declaration)
        _references_in(operation, prologue, found)
    return found


# ---------------------------------------------------------------------------------------------------------
# Deciding


def check(
    sparql: str,
    *,
    kind: str = "query",
    allowed_hosts: Collection[str] = (),
    local_graphs: Callable[[], Collection[str]] = frozenset,
    dataset_iris: Collection[str] = (),
    base: str | None = None,
) -> Verdict:
    """Raise ForbiddenQueryError if the (decoded) operation would fetch anything; else say what it names.

    ``SERVICE`` and ``LOAD`` may name allow-listed hosts only; ``FROM``/``FROM NAMED``/``USING`` a graph of
    the store or the KG's namespace; ``WITH`` and the protocol's dataset IRIs (``dataset_iris``) also a
    graph the store does not hold (an empty graph; nothing is fetched), but no file or private address.
    ``base`` is the request's base IRI, for relative IRIs.
    """
    lowered = sparql.lower()
    # the engine's keywords cannot be escaped: a text without any of these words names nothing to check
    found = references(sparql, kind, base) if any(word in lowered for word in KEYWORDS) else []
    graphs: Collection[str] | None = None
    for ref in [*found, *(Reference(PROTOCOL, g) for g in dataset_iris)]:
        keyword, iri = ref.keyword, ref.iri
        if iri is None:
            raise ForbiddenQueryError(f"{keyword} with a variable is not allowed here")
        if keyword == PROTOCOL and not valid_iri(iri):
            raise ForbiddenQueryError(f"{keyword} {iri!r} is no absolute IRI")
        if keyword in ("SERVICE", "LOAD"):
            if is_allowed_host(iri, allowed_hosts):
                continue
            raise ForbiddenQueryError(f"{keyword} <{iri}> is not allowed: this endpoint does not fetch remote data")
        if iri.startswith(BASE):
            continue
        if graphs is None:
            graphs = local_graphs()
        if iri in graphs:
            continue
        if keyword in (PROTOCOL, "WITH") and not names_private_place(iri):
            continue  # an empty graph, or one a write creates
        raise ForbiddenQueryError(
            f"{keyword} <{iri}> is not allowed: it names no graph of this store and remote data is not fetched"
        )
    return Verdict(tuple(found), any(r.keyword.startswith("FROM") for r in found))
