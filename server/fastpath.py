"""Queries too small to need a worker process: one triple pattern, answered in the request thread.

A query in a worker costs a pipe round trip and two context switches, more than a look-up by IRI itself.
A query that is a single triple pattern (terms: variables, IRIs, prefixed names, ``a``, a plain string as
object; no path, FILTER, BIND, ORDER BY, GROUP BY, DISTINCT, OFFSET, FROM or SERVICE; at most a LIMIT) is
evaluated lazily by the engine, one index scan, and the server reads at most ROW_LIMIT + 1 solutions of
it: its cost is bounded by the row cap, so it cannot run away and there is nothing for the timeout to
stop. Anything else goes to the workers. The shape is recognised with server.guard's lexer, which skips
strings, IRIs and comments as the engine's parser does; when in doubt the answer is "not small". It runs
on a read-only view of the same snapshot the workers read (server.snapshots), so it never sees a half-done
write. A text with a backslash (an escape) is never taken here. Kept because it pays: docs/benchmarks.md.
No Flask here.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from server.lexer import Token, tokens

#: Longest query text considered (a single pattern is short; longer texts are not lexed here).
MAX_LENGTH = 2000
#: At most this many protocol dataset graphs (each is one more index scan).
MAX_GRAPHS = 8


@dataclass(frozen=True)
class Shape:
    """A recognised single-pattern query: where its own LIMIT starts (None: it has none) and its value."""

    sparql: str
    limit_start: int | None = None
    limit: int | None = None
    #: terms each solution binds (the projected variables the pattern has: a pattern binds all its
    #: variables in every solution); None when that is not plain (a variable projected twice)
    bound: int | None = None

    def capped(self, rows: int) -> str:
        """The query with ``LIMIT min(own limit, rows)``, so the engine itself stops at the row cap and the
        answer can be serialised natively, all at once (a newline first: the text may end in a comment)."""
        if self.limit_start is None:
            return f"{self.sparql}\nLIMIT {rows}"
        return f"{self.sparql[:self.limit_start]}LIMIT {min(rows, self.limit or 0)}"


def is_single_pattern(sparql: str) -> bool:
    """Whether ``sparql`` is ``[prologue] SELECT vars|* [WHERE] { s p o [.] } [LIMIT n]``.

    >>> is_single_pattern('PREFIX m: <https://e/> SELECT ?p ?o WHERE { m:x ?p ?o . } LIMIT 10')
    True
    >>> is_single_pattern('SELECT * { ?s ?p ?o } ORDER BY ?o'), is_single_pattern('SELECT * { ?s <p>* ?o }')
    (False, False)
    >>> is_single_pattern('SELECT * { ?x ?p ?x }')
    False
    """
    return single_pattern(sparql) is not None


def single_pattern(sparql: str) -> Shape | None:
    """The shape of a single-pattern query (see :func:`is_single_pattern`), None for anything else (cached:
    a query a client repeats is not lexed again; a long text is neither lexed nor kept).

    >>> single_pattern('SELECT * { ?s ?p ?o } LIMIT 5 # five').capped(3)
    'SELECT * { ?s ?p ?o } LIMIT 3'
    >>> single_pattern('SELECT * { ?s ?p ?o } # no limit').capped(3)
    'SELECT * { ?s ?p ?o } # no limit\\nLIMIT 3'
    >>> single_pattern('SELECT * { ?s ?p ?o } LIMIT 1 0') is None  # not one number: the engine says why
    True
    """
    if len(sparql) > MAX_LENGTH or "\\" in sparql:  # an escape: the workers' guard reads it
        return None
    return _cached_shape(sparql)


@functools.lru_cache(maxsize=1024)
def _cached_shape(sparql: str) -> Shape | None:
    try:
        return _shape(sparql, _Lexed(sparql))
    except Exception:  # noqa: BLE001 - not recognised: the worker path reports the error
        return None


class _Lexed:
    """The tokens of a text, lexed only as far as they are looked at: most queries that are not a single
    pattern show it within their first tokens, and lexing the rest would cost more than the answer."""

    def __init__(self, text: str):
        self._tokens = tokens(text)
        self._seen: list[Token] = []

    def __getitem__(self, i: int) -> Token | None:
        while len(self._seen) <= i:
            nxt = next(self._tokens, None)
            if nxt is None:
                return None
            self._seen.append(nxt)
        return self._seen[i]

    def rest(self, i: int) -> list[Token]:
        """Every token from ``i`` on."""
        self._seen.extend(self._tokens)
        return self._seen[i:]


def _shape(sparql: str, toks: _Lexed) -> Shape | None:
    i = _prologue(toks)
    if i is None or not _word(toks, i, "SELECT"):
        return None
    i += 1
    projected: list[str] | None = None  # None: *
    if _is(toks, i, "*"):
        i += 1
    else:
        projected = []
        while (tok := toks[i]) is not None and tok.kind == "var":
            projected.append(tok.text[1:])
            i += 1
        if not projected:
            return None
    if _word(toks, i, "WHERE"):
        i += 1
    if not _is(toks, i, "{"):
        return None
    i += 1
    names = []
    for allowed in (_node, _predicate, _object):
        tok = toks[i]
        if tok is None or not allowed(tok):
            return None
        if tok.kind == "var":
            names.append(tok.text[1:])
        i += 1
    if len(set(names)) != len(names):  # ?x ?x ?o is a scan filtered on equality: not bounded by the cap
        return None
    if _is(toks, i, "."):
        i += 1
    if not _is(toks, i, "}"):
        return None
    i += 1
    if projected is None:
        bound: int | None = len(names)
    else:
        bound = len(set(projected) & set(names)) if len(set(projected)) == len(projected) else None
    if toks[i] is None:
        return Shape(sparql, bound=bound)
    if not _word(toks, i, "LIMIT"):
        return None
    # the lexer gives a number digit by digit: one number is adjacent digits up to the end
    limit = toks[i]
    digits = toks.rest(i + 1)
    if limit is None or not digits or not all(t.kind == "other" and t.text.isdigit() for t in digits):
        return None
    if any(b.start != a.start + 1 for a, b in zip(digits, digits[1:], strict=False)):
        return None
    return Shape(sparql, limit.start, int("".join(t.text for t in digits)), bound)


def _prologue(toks: _Lexed) -> int | None:
    """Index of the first token after BASE/PREFIX declarations (None if they are malformed)."""
    i = 0
    while toks[i] is not None:
        if _word(toks, i, "BASE"):
            if (iri := toks[i + 1]) is None or iri.kind != "iri":
                return None
            i += 2
        elif _word(toks, i, "PREFIX"):
            name, iri = toks[i + 1], toks[i + 2]
            if name is None or name.kind != "pname" or not name.text.endswith(":"):
                return None
            if iri is None or iri.kind != "iri":
                return None
            i += 3
        else:
            return i
    return i


def _word(toks: _Lexed, i: int, word: str) -> bool:
    tok = toks[i]
    return tok is not None and tok.kind == "word" and tok.text.upper() == word


def _is(toks: _Lexed, i: int, text: str) -> bool:
    tok = toks[i]
    return tok is not None and tok.kind == "other" and tok.text == text


def _node(tok: Token) -> bool:
    return tok.kind in ("var", "iri") or (tok.kind == "pname" and not tok.text.endswith((".", ":")))


def _predicate(tok: Token) -> bool:
    return _node(tok) or (tok.kind == "word" and tok.text == "a")


def _object(tok: Token) -> bool:
    return _node(tok) or tok.kind == "string"
