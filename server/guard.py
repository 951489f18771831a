"""Refuse SPARQL that would make the server fetch from the network: SERVICE, LOAD and remote FROM.

The engine would happily call out (pyoxigraph performs ``SERVICE`` and ``LOAD`` over HTTP), which on a
public endpoint is a server-side request forgery tool. A small lexer finds the IRIs these keywords name,
skipping strings, comments and IRIs so that a keyword inside them does not count, and resolving prefixed
names and ``BASE``. An IRI is allowed when its host is on the allow-list, or, for ``FROM``/``FROM NAMED``/
``USING``, when it names a graph the store holds or sits under the KG's own namespace.
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

_TOKEN = re.compile(
    r"""
    (?P<ws>\s+)
  | (?P<comment>\#[^\n\r]*)
  | (?P<string>'''(?:[^'\\]|\\.|'(?!''))*'''|\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"
       |'(?:[^'\\\n\r]|\\.)*'|"(?:[^"\\\n\r]|\\.)*")
  | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
  | (?P<var>[?$][A-Za-z0-9_\u00b7\u00c0-\uffff]+)
  | (?P<pname>(?:[A-Za-z\u00c0-\uffff][\w.\-\u00b7\u00c0-\uffff]*)?:(?:[\w\-\u00b7\u00c0-\uffff.:%\\]|\\.)*)
  | (?P<word>[A-Za-z_][A-Za-z0-9_\-]*)
  | (?P<other>.)
    """,
    re.VERBOSE | re.DOTALL,
)


@dataclass(frozen=True)
class Token:
    """One lexical token: its kind, text and where it starts in the query."""

    kind: str
    text: str
    start: int = 0


class ForbiddenQueryError(QueryError):
    """The query names a remote resource the server must not fetch (HTTP 400)."""


def tokens(sparql: str) -> Iterator[Token]:
    """The significant tokens of a query or update (whitespace and comments dropped)."""
    pos = 0
    while pos < len(sparql):
        match = _TOKEN.match(sparql, pos)
        if match is None:  # pragma: no cover - the 'other' branch matches any character
            raise QueryError("unreadable query")
        kind = match.lastgroup or "other"
        text = match.group()
        if kind == "other" and text in "'\"":
            raise QueryError("SPARQL syntax error: unterminated string")
        if kind not in ("ws", "comment"):
            yield Token(kind, text, pos)
        pos = match.end()


#: Keywords that name something to fetch; a text without any of them (case-insensitively) names nothing,
#: which spares lexing the common query.
KEYWORDS = ("service", "load", "from", "using")


def remote_references(sparql: str, base: str | None = None) -> list[tuple[str, str]]:
    """``(keyword, iri)`` for every SERVICE, LOAD, FROM, FROM NAMED and USING in the text.

    >>> remote_references('PREFIX e: <http://ex.org/> SELECT * FROM e:g { SERVICE <http://x/s> {} }')
    [('FROM', 'http://ex.org/g'), ('SERVICE', 'http://x/s')]
    >>> remote_references('SELECT * { ?s ?p "SERVICE <http://x/s>" } # SERVICE <http://y>')
    []
    """
    lowered = sparql.lower()
    if not any(word in lowered for word in KEYWORDS):
        return []
    prefixes: dict[str, str] = {}
    found: list[tuple[str, str]] = []
    toks = list(tokens(sparql))

    def resolve(tok: Token) -> str | None:
        if tok.kind == "iri":
            iri = tok.text[1:-1]
            return urllib.parse.urljoin(base, iri) if base else iri
        if tok.kind == "pname":
            prefix, _, local = tok.text.partition(":")
            if prefix not in prefixes:
                raise QueryError(f"SPARQL syntax error: undeclared prefix {prefix!r}")
            return prefixes[prefix] + local
        return None

    i = 0
    while i < len(toks):
        tok = toks[i]
        word = tok.text.upper() if tok.kind in ("word", "pname") else ""
        if word == "PREFIX" and i + 2 < len(toks) and toks[i + 2].kind == "iri":
            prefixes[toks[i + 1].text.rstrip(":")] = resolve(toks[i + 2]) or ""
            i += 3
            continue
        if word == "BASE" and i + 1 < len(toks) and toks[i + 1].kind == "iri":
            base = resolve(toks[i + 1])
            i += 2
            continue
        if word in ("SERVICE", "LOAD", "FROM", "USING"):
            j = i + 1
            keyword = word
            while j < len(toks) and toks[j].text.upper() in ("SILENT", "NAMED"):
                if toks[j].text.upper() == "NAMED":
                    keyword += " NAMED"
                j += 1
            if j < len(toks):
                if toks[j].kind == "var":
                    if word == "SERVICE":
                        raise ForbiddenQueryError("SERVICE with a variable endpoint is not allowed here")
                else:
                    iri = resolve(toks[j])
                    if iri is not None:
                        found.append((keyword, iri))
            i = j
            continue
        i += 1
    return found


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


#: What names the protocol's dataset (default-graph-uri, named-graph-uri, using-graph-uri, ...).
PROTOCOL = "dataset parameter"
#: Characters no IRI written between < and > may hold (so a checked IRI can be pasted into SPARQL).
_BAD_IRI = re.compile(r'[<>"{}|^`\\\x00-\x20]')


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


def names_private_place(iri: str) -> bool:
    """Whether ``iri`` is a file, or an http(s) resource on this machine or a private network: what a
    server-side request forgery probes. Such IRIs are refused as dataset names even though nothing would
    be fetched, so a probe gets a plain refusal."""
    parts = urllib.parse.urlsplit(iri)
    if parts.scheme not in ("http", "https"):
        return parts.scheme not in ("urn", "tag")
    host = (parts.hostname or "").lower()
    if not host or host == "localhost" or host.endswith((".localhost", ".local", ".internal")):
        return True
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False
    return not address.is_global


def check(
    sparql: str,
    *,
    allowed_hosts: Collection[str] = (),
    local_graphs: Callable[[], Collection[str]] = frozenset,
    dataset_iris: Collection[str] = (),
    base: str | None = None,
) -> list[tuple[str, str]]:
    """Raise ForbiddenQueryError if ``sparql`` would fetch a remote IRI; return its references.

    ``SERVICE`` and ``LOAD`` may name allow-listed hosts only; ``FROM``/``FROM NAMED``/``USING`` a graph of
    the store, the KG's namespace or an allow-listed host. The protocol's dataset IRIs (``dataset_iris``)
    may also name a graph the store does not hold, which is then an empty graph (nothing is fetched), but
    no file or private address. ``base`` is the request's base IRI, for relative IRIs.
    """
    references = remote_references(sparql, base)
    graphs: Collection[str] | None = None
    for keyword, iri in [*references, *((PROTOCOL, g) for g in dataset_iris)]:
        if keyword == PROTOCOL and not valid_iri(iri):
            raise ForbiddenQueryError(f"{keyword} {iri!r} is no absolute IRI")
        if is_allowed_host(iri, allowed_hosts):
            continue
        if keyword in ("SERVICE", "LOAD"):
            raise ForbiddenQueryError(f"{keyword} <{iri}> is not allowed: this endpoint does not fetch remote data")
        if iri.startswith(BASE):
            continue
        if graphs is None:
            graphs = local_graphs()
        if iri in graphs:
            continue
        if keyword == PROTOCOL and not names_private_place(iri):
            continue  # an empty graph
        raise ForbiddenQueryError(
            f"{keyword} <{iri}> is not allowed: it names no graph of this store and remote data is not fetched"
        )
    return references


def has_dataset_clause(references: list[tuple[str, str]]) -> bool:
    """Whether a query's references (from :func:`check`) include ``FROM`` or ``FROM NAMED``."""
    return any(keyword.startswith("FROM") for keyword, _ in references)
