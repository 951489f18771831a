"""SPARQL text before any parser: a lexer, the limits checked before a worker is involved, and the one
rewrite of the text that makes every parser read it alike.

The SPARQL grammar lets ``\\uXXXX``/``\\UXXXXXXXX`` stand for a character. Parsers disagree on where:
pyoxigraph decodes them inside strings and IRIs only, rdflib's parser before it reads anything. So the
server decodes them itself inside strings and IRIs (:func:`decode_escapes`) and hands the *same* decoded
text to the guard (rdflib) and to the engine (pyoxigraph): whatever the guard reads is what runs.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from kg.errors import QueryError

#: Longest query or update text in characters (a 400 past it, before any parser runs).
MAX_TEXT = 256 * 1024
#: Deepest nesting of ``{``, ``(`` and ``[`` together (a 400 past it: parsers recurse per level).
MAX_DEPTH = 24

_HEX_ESCAPE = r"\\u[0-9A-Fa-f]{4}|\\U[0-9A-Fa-f]{8}"
_TOKEN = re.compile(
    rf"""
    (?P<ws>\s+)
  | (?P<comment>\#[^\n\r]*)
  | (?P<string>'''(?:[^'\\]|\\.|'(?!''))*'''|\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"
       |'(?:[^'\\\n\r]|\\.)*'|"(?:[^"\\\n\r]|\\.)*")
  | (?P<iri><(?:[^<>"{{}}|^`\\\x00-\x20]|{_HEX_ESCAPE})*>)
  | (?P<var>[?$][A-Za-z0-9_\u00b7\u00c0-\uffff]+)
  | (?P<pname>(?:[A-Za-z\u00c0-\uffff][\w.\-\u00b7\u00c0-\uffff]*)?:(?:[\w\-\u00b7\u00c0-\uffff.:%\\]|\\.)*)
  | (?P<word>[A-Za-z_][A-Za-z0-9_\-]*)
  | (?P<other>.)
    """,
    re.VERBOSE | re.DOTALL,
)
_ESCAPE = re.compile(_HEX_ESCAPE)
_OPEN, _CLOSE = "{([", "})]"


@dataclass(frozen=True)
class Token:
    """One lexical token: its kind, text and where it starts in the query."""

    kind: str
    text: str
    start: int = 0


class QueryLimitError(QueryError):
    """A query or update past the size or nesting limit (HTTP 400, before any worker is involved)."""


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


def _char(match: re.Match[str]) -> str:
    code = int(match.group()[2:], 16)
    if code > 0x10FFFF or 0xD800 <= code <= 0xDFFF:
        raise QueryError(f"SPARQL syntax error: {match.group()} is no Unicode character")
    return chr(code)


def _string(text: str) -> str:
    """A string token with its hex escapes decoded; a decoded quote, backslash or line break is written as
    the escape SPARQL has for it, so the string keeps its bounds."""
    quote = 3 if text[:3] in ('"""', "'''") else 1
    body = text[quote:-quote]
    out: list[str] = []
    pos = 0
    while pos < len(body):
        if body[pos] != "\\":
            out.append(body[pos])
            pos += 1
            continue
        match = _ESCAPE.match(body, pos)
        if match is None:  # another escape (\n, \", \\ ...): kept as written
            out.append(body[pos:pos + 2])
            pos += 2
            continue
        char = _char(match)
        out.append({"\\": "\\\\", '"': '\\"', "'": "\\'", "\n": "\\n", "\r": "\\r"}.get(char, char))
        pos = match.end()
    return text[:quote] + "".join(out) + text[-quote:]


def decode_escapes(sparql: str) -> str:
    """``sparql`` with the ``\\u``/``\\U`` escapes inside strings and IRIs decoded (unchanged when it has none).

    >>> decode_escapes(r'SELECT * { SERVICE <\\u0068ttp://x/> { BIND("\\u0022" AS ?q) } }')
    'SELECT * { SERVICE <http://x/> { BIND("\\\\"" AS ?q) } }'

    An IRI whose decoded form holds a character no IRI may hold is refused (QueryError), as the engine would.
    """
    if "\\u" not in sparql and "\\U" not in sparql:
        return sparql
    out: list[str] = []
    last = 0
    for tok in tokens(sparql):
        if tok.kind not in ("string", "iri") or "\\" not in tok.text:
            continue
        if tok.kind == "string":
            decoded = _string(tok.text)
        else:
            decoded = "<" + _ESCAPE.sub(_char, tok.text[1:-1]) + ">"
            if re.search(r'[<>"{}|^`\\\x00-\x20]', decoded[1:-1]):
                raise QueryError(f"SPARQL syntax error: the IRI {tok.text[:80]} holds a character no IRI may hold")
        out.append(sparql[last:tok.start])
        out.append(decoded)
        last = tok.start + len(tok.text)
    out.append(sparql[last:])
    return "".join(out)
