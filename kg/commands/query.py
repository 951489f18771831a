"""Run one SPARQL query against the KG (the bundled KG by default) and print the result.

The query is the argument itself, ``@FILE`` to read it from a file, or ``-`` for standard input.
SELECT prints a table, JSON, CSV or TSV; ASK prints true or false; CONSTRUCT/DESCRIBE prints Turtle
(``--format json`` gives JSON-LD).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any, BinaryIO

from kg.errors import OpennessError, QueryError

NAME = "query"
HELP = "one SPARQL query against the KG"
FORMATS = ("table", "json", "csv", "tsv", "turtle")


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("sparql", metavar="SPARQL", help="the query, @FILE to read it from a file, - for stdin")
    parser.add_argument("--format", choices=FORMATS, default="table", help="output format (default table)")
    parser.add_argument("--store", default=None,
                        help="'bundled' (default), 'memory', a store directory or a SPARQL endpoint URL")


def read_query(text: str) -> str:
    """The query text an argument names."""
    if text == "-":
        return sys.stdin.read()
    if text.startswith("@"):
        path = Path(text[1:])
        try:
            return path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise OpennessError(f"{path}: cannot read the query: {getattr(exc, 'strerror', None) or exc}") from None
    return text


def short(term: object) -> str:
    """A term as the table shows it: prefixed IRIs, plain literal values."""
    import pyoxigraph as ox

    from server.results import PREFIXES

    if term is None:
        return ""
    if isinstance(term, ox.NamedNode):
        for prefix, ns in PREFIXES.items():
            if term.value.startswith(ns) and term.value != ns:
                return f"{prefix}:{term.value[len(ns):]}"
        return f"<{term.value}>"
    if isinstance(term, ox.Literal):
        return term.value
    return str(term)


def table(variables: list[str], rows: list[list[object]]) -> str:
    """An aligned text table."""
    cells = [[short(t) for t in row] for row in rows]
    widths = [max([len(v), *(len(r[i]) for r in cells)]) for i, v in enumerate(variables)]
    lines = ["  ".join(v.ljust(w) for v, w in zip(variables, widths, strict=True)).rstrip(),
             "  ".join("-" * w for w in widths)]
    lines += ["  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip() for row in cells]
    lines.append(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")
    return "\n".join(lines) + "\n"


#: The media type of each --format for SELECT and ASK results (table is written here, turtle is refused).
SOLUTION_MEDIA = {"json": "application/sparql-results+json", "csv": "text/csv", "tsv": "text/tab-separated-values"}


def run(args: argparse.Namespace) -> int:
    from kg.store import open_store
    from kg.store.errors import first_line

    sparql = read_query(args.sparql)
    if not sparql.strip():
        raise QueryError("the query is empty")
    backend = open_store(args.store, create=False)
    try:
        write_result(backend.query(sparql), args.format, sys.stdout.buffer)
    except OSError as exc:
        if isinstance(exc, BrokenPipeError):
            raise
        raise QueryError(f"the query failed: {first_line(exc)}") from None
    finally:
        backend.close()
    return 0


def write_result(result: Any, fmt: str, out: BinaryIO) -> None:
    """Write a query's result in ``--format fmt``; QueryError when the format does not fit the result."""
    from server.results import result_kind, serialize_boolean, serialize_graph, serialize_solutions

    kind = result_kind(result)
    if kind == "boolean":
        if fmt in ("table", "turtle"):
            out.write(b"true\n" if bool(result) else b"false\n")
        else:
            out.write(serialize_boolean(bool(result), SOLUTION_MEDIA[fmt]))
    elif kind == "solutions":
        variables = [v.value for v in result.variables]
        rows = [[s[i] for i in range(len(variables))] for s in result]
        if fmt == "turtle":
            raise QueryError("--format turtle is for CONSTRUCT and DESCRIBE; use table, json, csv or tsv")
        if fmt == "table":
            out.write(table(variables, rows).encode())
        else:
            out.write(serialize_solutions(variables, rows, SOLUTION_MEDIA[fmt]))
            if fmt == "json":
                out.write(b"\n")
    else:
        triples = list(result)
        if fmt in ("csv", "tsv"):
            raise QueryError(f"--format {fmt} is for SELECT; use turtle or json for a graph")
        out.write(serialize_graph(triples, "application/ld+json" if fmt == "json" else "text/turtle"))
    out.flush()
