"""The Protocol's ``using-graph-uri``/``using-named-graph-uri`` on an update, rewritten into USING clauses.

pyoxigraph takes no dataset for an update, but SPARQL Update has the same thing in its text: ``USING <g>``
and ``USING NAMED <g>`` before an operation's ``WHERE``. So each operation with a ``WHERE`` at the top
level gets the clauses inserted before it; ``DELETE WHERE { P }``, which takes no USING, is first spelt
out as ``DELETE { P } WHERE { P }``, its meaning. The SPARQL lexer (kg.sparql_lexer) finds the keywords, so a
``WHERE`` inside a string, IRI or comment is left alone, and every IRI is checked (server.guard.valid_iri)
before it is written between ``<`` and ``>``, so a parameter cannot add text of its own. No Flask here.
"""

from __future__ import annotations

from collections.abc import Sequence

from kg.errors import QueryError
from kg.sparql_lexer import Token, tokens
from server.guard import ForbiddenQueryError, valid_iri


def with_using(update: str, using: Sequence[str], using_named: Sequence[str]) -> str:
    """``update`` with the protocol's dataset as USING / USING NAMED clauses on each operation.

    >>> with_using('INSERT { <s> <p> ?o } WHERE { ?x <q> ?o }', ['http://e/g'], [])
    'INSERT { <s> <p> ?o } USING <http://e/g> WHERE { ?x <q> ?o }'
    >>> with_using('DELETE WHERE { ?s <p> ?o }', [], ['http://e/n'])
    'DELETE { ?s <p> ?o } USING NAMED <http://e/n> WHERE { ?s <p> ?o }'

    Raises ForbiddenQueryError (HTTP 400) for an IRI that is not one, and, as the Protocol asks, for an
    update that names a dataset itself (USING, USING NAMED or WITH).
    """
    if not using and not using_named:
        return update
    for iri in (*using, *using_named):
        if not valid_iri(iri):
            raise ForbiddenQueryError(f"using-graph-uri / using-named-graph-uri {iri!r} is no absolute IRI")
    clauses = " ".join([f"USING <{g}>" for g in using] + [f"USING NAMED <{g}>" for g in using_named])
    toks = list(tokens(update))
    edits: list[tuple[int, int, str]] = []  # (start, end, replacement) in the update text
    depth = 0
    previous: Token | None = None
    for index, tok in enumerate(toks):
        if tok.kind == "other" and tok.text == "{":
            depth += 1
        elif tok.kind == "other" and tok.text == "}":
            depth -= 1
        elif depth == 0 and tok.is_keyword("USING", "WITH", "WHERE"):
            word = tok.text.upper()
            if word in ("USING", "WITH"):
                raise ForbiddenQueryError(
                    f"the update has {word} of its own: using-graph-uri / using-named-graph-uri cannot be added"
                )
            if word == "WHERE":
                if previous is not None and previous.is_keyword("DELETE"):
                    start, end = _group(update, toks, index + 1)
                    pattern = update[start:end]
                    edits.append((tok.start, end, f"{pattern} {clauses} WHERE {pattern}"))
                else:
                    edits.append((tok.start, tok.start, f"{clauses} "))
        previous = tok
    for start, end, text in reversed(edits):
        update = update[:start] + text + update[end:]
    return update


def _group(text: str, toks: list[Token], index: int) -> tuple[int, int]:
    """Start and end (in ``text``) of the ``{ ... }`` group that opens at token ``index``."""
    if index >= len(toks) or toks[index].text != "{":
        raise QueryError("SPARQL update syntax error: DELETE WHERE needs a { ... } pattern")
    depth = 0
    for tok in toks[index:]:
        if tok.kind == "other" and tok.text == "{":
            depth += 1
        elif tok.kind == "other" and tok.text == "}":
            depth -= 1
            if depth == 0:
                return toks[index].start, tok.start + 1
    raise QueryError("SPARQL update syntax error: unbalanced { }")
