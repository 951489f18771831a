"""The limits every query and update text meets before any parser or worker: size and bracket nesting.

Parsers recurse per nesting level, so a deeply nested text is refused here, on the tokens of the one SPARQL
lexer (kg.sparql_lexer), before the guard's parser or the engine sees it.
"""

from __future__ import annotations

from kg.errors import QueryError
from kg.sparql_lexer import tokens

#: Longest query or update text in characters (a 400 past it, before any parser runs).
MAX_TEXT = 256 * 1024
#: Deepest nesting of ``{``, ``(`` and ``[`` together (a 400 past it: parsers recurse per level).
MAX_DEPTH = 24
_OPEN, _CLOSE = "{([", "})]"


class QueryLimitError(QueryError):
    """A query or update past the size or nesting limit (HTTP 400, before any worker is involved)."""


def check_limits(sparql: str) -> None:
    """Raise QueryLimitError for a text longer than :data:`MAX_TEXT` or nested deeper than :data:`MAX_DEPTH`."""
    if len(sparql) > MAX_TEXT:
        raise QueryLimitError(f"the query is {len(sparql)} characters long; the limit is {MAX_TEXT}")
    depth = 0
    for tok in tokens(sparql):
        if tok.kind != "other":
            continue
        if tok.text in _OPEN:
            depth += 1
            if depth > MAX_DEPTH:
                raise QueryLimitError(f"the query nests brackets deeper than {MAX_DEPTH} levels")
        elif tok.text in _CLOSE:
            depth = max(0, depth - 1)
