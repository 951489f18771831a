"""The one SPARQL lexer: tokens of a query or update, and the decisions taken on them.

Everything that looks at SPARQL text before (or instead of) a parser goes through :func:`tokens`, so a
keyword inside a string, an IRI, a comment, a prefixed name (``ex:from``), a variable (``?from``) or a
language tag (``"x"@from``) is never taken for a keyword: the store's dataset and query-form checks here,
and the server's limits, escape decoding and USING rewrite.

The SPARQL grammar lets ``\\uXXXX``/``\\UXXXXXXXX`` stand for a character. Parsers disagree on where:
pyoxigraph decodes them inside strings and IRIs only, rdflib's parser before it reads anything. So
:func:`decode_escapes` decodes them inside strings and IRIs, and the server hands the *same* decoded text
to its guard (rdflib) and to the engine (pyoxigraph): whatever the guard reads is what runs.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from kg.errors import QueryError

#: A hex escape as SPARQL writes it.
HEX_ESCAPE = r"\\u[0-9A-Fa-f]{4}|\\U[0-9A-Fa-f]{8}"
_TOKEN = re.compile(
    rf"""
    (?P<ws>\s+)
  | (?P<comment>\#[^\n\r]*)
  | (?P<string>'''(?:[^'\\]|\\.|'(?!''))*'''|\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"
       |'(?:[^'\\\n\r]|\\.)*'|"(?:[^"\\\n\r]|\\.)*")
  | (?P<iri><(?:[^<>"{{}}|^`\\\x00-\x20]|{HEX_ESCAPE})*>)
  | (?P<var>[?$][A-Za-z0-9_\u00b7\u00c0-\uffff]+)
  | (?P<pname>(?:[A-Za-z\u00c0-\uffff][\w.\-\u00b7\u00c0-\uffff]*)?:(?:[\w\-\u00b7\u00c0-\uffff.:%\\]|\\.)*)
  | (?P<langtag>@[A-Za-z]+(?:-[A-Za-z0-9]+)*)
  | (?P<word>[A-Za-z_][A-Za-z0-9_\-]*)
  | (?P<other>.)
    """,
    re.VERBOSE | re.DOTALL,
)
_ESCAPE = re.compile(HEX_ESCAPE)
#: The keywords that start a query's form.
QUERY_FORMS = ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE")


@dataclass(frozen=True)
class Token:
    """One lexical token: its kind, text and where it starts in the query."""

    kind: str
    text: str
    start: int = 0

    def is_keyword(self, *words: str) -> bool:
        """Whether this is one of the (upper-case) ``words`` as a keyword (SPARQL keywords ignore case)."""
        return self.kind == "word" and self.text.upper() in words


def tokens(sparql: str) -> Iterator[Token]:
    """The significant tokens of a query or update (whitespace and comments dropped).

    >>> [t.kind for t in tokens('SELECT ?from { ex:from <from> "FROM"@from } # FROM')]
    ['word', 'var', 'other', 'pname', 'iri', 'string', 'langtag', 'other']

    An unterminated string raises QueryError.
    """
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


def has_dataset_clause(sparql: str) -> bool:
    """Whether a query has ``FROM`` or ``FROM NAMED`` of its own (a FROM keyword token: nothing else in a
    query is one).

    >>> has_dataset_clause('SELECT * FROM <http://e/g> { ?s ?p "FROM" }'), has_dataset_clause('SELECT ?from {}')
    (True, False)
    """
    return any(tok.is_keyword("FROM") for tok in tokens(sparql))


def query_form(sparql: str) -> str | None:
    """SELECT, ASK, CONSTRUCT or DESCRIBE: the first such keyword token.

    >>> query_form('PREFIX s: <http://e/select#> # ASK\\nconstruct { ?s ?p "SELECT" } WHERE { ?s ?p ?o }')
    'CONSTRUCT'
    """
    return next((tok.text.upper() for tok in tokens(sparql) if tok.is_keyword(*QUERY_FORMS)), None)


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
