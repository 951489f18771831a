"""Queries too small to need a worker process: one triple pattern, answered in the request thread.

A query in a worker costs a pipe round trip and two context switches, more than a look-up by IRI itself.
A query that is a single triple pattern (terms: variables, IRIs, prefixed names, ``a``, a plain string as
object; no path, FILTER, BIND, ORDER BY, GROUP BY, DISTINCT, OFFSET, FROM or SERVICE; at most a LIMIT) is
evaluated lazily by the engine, one index scan, and the server reads at most ROW_LIMIT + 1 solutions of
it: its cost is bounded by the row cap, so it cannot run away and there is nothing for the timeout to
stop. Anything else goes to the workers. The shape is recognised with server.guard's lexer, which skips
strings, IRIs and comments as the engine's parser does; when in doubt the answer is "not small". It runs
on a read-only view of the same snapshot the workers read, so it never sees a half-done write.
No Flask here.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

from server.guard import Token, tokens

#: Longest query text considered (a single pattern is short; longer texts are not lexed here).
MAX_LENGTH = 2000
#: At most this many protocol dataset graphs (each is one more index scan).
MAX_GRAPHS = 8


def is_single_pattern(sparql: str) -> bool:
    """Whether ``sparql`` is ``[prologue] SELECT vars|* [WHERE] { s p o [.] } [LIMIT n]``.

    >>> is_single_pattern('PREFIX m: <https://e/> SELECT ?p ?o WHERE { m:x ?p ?o . } LIMIT 10')
    True
    >>> is_single_pattern('SELECT * { ?s ?p ?o } ORDER BY ?o'), is_single_pattern('SELECT * { ?s <p>* ?o }')
    (False, False)
    >>> is_single_pattern('SELECT * { ?x ?p ?x }')
    False
    """
    if len(sparql) > MAX_LENGTH:
        return False
    try:
        toks = list(tokens(sparql))
    except Exception:  # noqa: BLE001 - not recognised: the worker path reports the error
        return False
    i = _prologue(toks)
    if i is None or not _word(toks, i, "SELECT"):
        return False
    i += 1
    if i < len(toks) and toks[i].text == "*":
        i += 1
    else:
        start = i
        while i < len(toks) and toks[i].kind == "var":
            i += 1
        if i == start:
            return False
    if _word(toks, i, "WHERE"):
        i += 1
    if not _is(toks, i, "{"):
        return False
    i += 1
    for allowed in (_node, _predicate, _object):
        if i >= len(toks) or not allowed(toks[i]):
            return False
        i += 1
    names = [t.text[1:] for t in toks[i - 3:i] if t.kind == "var"]
    if len(set(names)) != len(names):  # ?x ?x ?o is a scan filtered on equality: not bounded by the cap
        return False
    if _is(toks, i, "."):
        i += 1
    if not _is(toks, i, "}"):
        return False
    i += 1
    if _word(toks, i, "LIMIT"):  # the lexer gives a number digit by digit
        digits = toks[i + 1:]
        return bool(digits) and all(t.kind == "other" and t.text.isdigit() for t in digits)
    return i == len(toks)


def _prologue(toks: list[Token]) -> int | None:
    """Index of the first token after BASE/PREFIX declarations (None if they are malformed)."""
    i = 0
    while i < len(toks):
        if _word(toks, i, "BASE"):
            if i + 1 >= len(toks) or toks[i + 1].kind != "iri":
                return None
            i += 2
        elif _word(toks, i, "PREFIX"):
            if i + 2 >= len(toks) or toks[i + 1].kind != "pname" or not toks[i + 1].text.endswith(":"):
                return None
            if toks[i + 2].kind != "iri":
                return None
            i += 3
        else:
            return i
    return i


def _word(toks: list[Token], i: int, word: str) -> bool:
    return i < len(toks) and toks[i].kind == "word" and toks[i].text.upper() == word


def _is(toks: list[Token], i: int, text: str) -> bool:
    return i < len(toks) and toks[i].kind == "other" and toks[i].text == text


def _node(tok: Token) -> bool:
    return tok.kind in ("var", "iri") or (tok.kind == "pname" and not tok.text.endswith((".", ":")))


def _predicate(tok: Token) -> bool:
    return _node(tok) or (tok.kind == "word" and tok.text == "a")


def _object(tok: Token) -> bool:
    return _node(tok) or tok.kind == "string"


class Reader:
    """A read-only view of the workers' snapshot in this process, reopened after each write."""

    def __init__(self, path: Callable[[], str]):
        self._path = path
        self._lock = threading.Lock()
        self._store: object | None = None
        self._generation = -1

    def store(self, generation: int):  # type: ignore[no-untyped-def]
        """The store of ``generation`` (opened on first use after a write)."""
        store = self._store
        if store is not None and self._generation == generation:
            return store
        with self._lock:
            if self._store is None or self._generation != generation:
                import pyoxigraph as ox

                self._store = ox.Store.read_only(str(Path(self._path())))
                self._generation = generation
            return self._store

    def forget(self) -> None:
        """Drop the view (the next query opens the new snapshot)."""
        with self._lock:
            self._store = None
