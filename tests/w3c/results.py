"""Parse SPARQL results and RDF from responses and expected-result files, and compare them as the suite means.

Solutions are compared as multisets (as ordered lists where the query has ORDER BY), with blank nodes
matched up to a consistent renaming; graphs are compared up to blank-node isomorphism. Language tags
are compared case-insensitively, as RDF 1.1 says they are.
"""

from __future__ import annotations

import csv
import io
import re
from collections import Counter
from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import Any

import pyoxigraph as ox
import rdflib
from rdflib.compare import isomorphic

#: Media type -> results syntax pyoxigraph parses.
RESULT_FORMATS = {
    "application/sparql-results+json": ox.QueryResultsFormat.JSON,
    "application/json": ox.QueryResultsFormat.JSON,
    "application/sparql-results+xml": ox.QueryResultsFormat.XML,
    "application/xml": ox.QueryResultsFormat.XML,
    "text/tab-separated-values": ox.QueryResultsFormat.TSV,
}
#: Media type -> RDF syntax of a graph result.
GRAPH_FORMATS = {
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/x-turtle": ox.RdfFormat.TURTLE,
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "text/plain": ox.RdfFormat.N_TRIPLES,
    "application/rdf+xml": ox.RdfFormat.RDF_XML,
    "application/ld+json": ox.RdfFormat.JSON_LD,
    "application/n-quads": ox.RdfFormat.N_QUADS,
    "application/trig": ox.RdfFormat.TRIG,
}
CSV_TYPE = "text/csv"

Table = tuple[list[str], list[tuple[Any, ...]]]


class ResultError(AssertionError):
    """A response that is not what the test expected."""


def parse_results(body: bytes, media_type: str) -> bool | Table:
    """A boolean (ASK) or (variables, rows) from a results document in the given media type."""
    if media_type == CSV_TYPE:
        return parse_csv(body)
    fmt = RESULT_FORMATS.get(media_type)
    if fmt is None:
        raise ResultError(f"not a SPARQL results media type: {media_type!r}")
    try:
        parsed = ox.parse_query_results(body, fmt)
    except (SyntaxError, ValueError) as exc:
        raise ResultError(f"unparseable {media_type} results: {exc}") from exc
    if isinstance(parsed, ox.QueryBoolean):
        return bool(parsed)
    variables = [v.value for v in parsed.variables]
    rows = [tuple(_norm(sol[v]) for v in variables) for sol in parsed]
    return variables, rows


def parse_csv(body: bytes) -> Table:
    """A CSV results table as strings: CSV drops types, so only the text can be compared."""
    reader = csv.reader(io.StringIO(body.decode("utf-8"), newline=""))
    lines = list(reader)
    if not lines:
        raise ResultError("empty CSV results")
    return lines[0], [tuple(cell if cell != "" else None for cell in line) for line in lines[1:]]


def parse_graph(body: bytes, media_type: str, base: str | None = None) -> rdflib.Graph:
    """An RDF graph from a response in one of the RDF media types (as an rdflib graph, for isomorphism)."""
    fmt = GRAPH_FORMATS.get(media_type)
    if fmt is None:
        raise ResultError(f"not an RDF media type: {media_type!r}")
    graph = rdflib.Graph()
    try:
        for quad in ox.parse(body, fmt, base_iri=base):
            graph.add((_rdflib(quad.subject), _rdflib(quad.predicate), _rdflib(quad.object)))
    except (SyntaxError, ValueError) as exc:
        raise ResultError(f"unparseable {media_type} graph: {exc}") from exc
    return graph


_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


def _rdflib(term: Any) -> rdflib.term.Node:
    if isinstance(term, ox.NamedNode):
        return rdflib.URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return rdflib.BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return rdflib.Literal(term.value, lang=term.language.lower())
        if term.datatype.value == _XSD_STRING:
            return rdflib.Literal(term.value)
        lexical = canonical_lexical(term.value, term.datatype.value)
        return rdflib.Literal(lexical, datatype=rdflib.URIRef(term.datatype.value), normalize=False)
    raise ResultError(f"unexpected term in a graph: {term!r}")


_XSD = "http://www.w3.org/2001/XMLSchema#"
_INTEGERS = {
    _XSD + name
    for name in [
        "integer",
        "nonPositiveInteger",
        "negativeInteger",
        "long",
        "int",
        "short",
        "byte",
        "nonNegativeInteger",
        "unsignedLong",
        "unsignedInt",
        "unsignedShort",
        "unsignedByte",
        "positiveInteger",
    ]
}


def canonical_lexical(value: str, datatype: str) -> str:
    """The canonical form of a numeric or boolean lexical value .

    Results are compared by value for these types, as the suite's own harnesses do: ``"2.0"^^xsd:decimal``
    in an expected file and ``"2"^^xsd:decimal`` from a server are the same number. The datatype must
    still match. An invalid lexical form is returned unchanged, so it still has to match exactly.
    """
    try:
        if datatype in _INTEGERS:
            return str(int(value.strip()))
        if datatype == _XSD + "decimal":
            number = Decimal(value.strip())
            if not number.is_finite():
                return value
            return format(number.normalize(), "f") if number != 0 else "0"
        if datatype in (_XSD + "double", _XSD + "float"):
            text = value.strip()
            if text in ("INF", "-INF", "NaN"):
                return text
            return repr(float(text))
        if datatype == _XSD + "boolean":
            return {"1": "true", "0": "false", "true": "true", "false": "false"}.get(value.strip(), value)
    except (ValueError, ArithmeticError):
        return value
    return value


_RS = "http://www.w3.org/2001/sw/DataAccess/tests/result-set#"
_RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"


def parse_rdf_result_set(body: bytes, base: str) -> bool | Table | None:
    """Solutions in the suite's ``rs:`` vocabulary (some ``.ttl`` expected results); None without ``rs:ResultSet``."""
    triples = list(ox.parse(body, ox.RdfFormat.TURTLE, base_iri=base))
    by_subject: dict[Any, list[tuple[str, Any]]] = {}
    for t in triples:
        by_subject.setdefault(t.subject, []).append((t.predicate.value, t.object))
    result_sets = [t.subject for t in triples if t.predicate.value == _RDF_TYPE and t.object.value == _RS + "ResultSet"]
    if not result_sets:
        return None

    def values(node: Any, prop: str) -> list[Any]:
        return [o for p, o in by_subject.get(node, []) if p == _RS + prop]

    rs = result_sets[0]
    booleans = values(rs, "boolean")
    if booleans:
        return booleans[0].value == "true"
    variables = sorted(v.value for v in values(rs, "resultVariable"))
    solutions = []
    for solution in values(rs, "solution"):
        row: dict[str, Any] = {}
        for binding in values(solution, "binding"):
            row[values(binding, "variable")[0].value] = _norm(values(binding, "value")[0])
        index = values(solution, "index")
        solutions.append((int(index[0].value) if index else 0, tuple(row.get(v) for v in variables)))
    solutions.sort(key=lambda pair: pair[0])
    return variables, [row for _, row in solutions]


def _norm(term: Any) -> Any:
    if isinstance(term, ox.Literal):
        if term.language:
            return ox.Literal(term.value, language=term.language.lower())
        datatype = term.datatype.value
        canonical = canonical_lexical(term.value, datatype)
        if canonical != term.value:
            return ox.Literal(canonical, datatype=term.datatype)
    return term


def _is_ox_bnode(value: Any) -> bool:
    return isinstance(value, ox.BlankNode)


def _is_csv_bnode(value: Any) -> bool:
    return isinstance(value, str) and value.startswith("_:")


def _unify(
    exp: Sequence[Any], act: Sequence[Any], fwd: dict, rev: dict, is_bnode: Callable[[Any], bool]
) -> dict | None:
    """The blank-node pairs that make ``act`` equal ``exp`` given the pairs so far, or None."""
    new: dict = {}
    new_rev: dict = {}
    for e, a in zip(exp, act, strict=True):
        eb, ab = is_bnode(e), is_bnode(a)
        if eb and ab:
            m = fwd.get(e, new.get(e))
            r = rev.get(a, new_rev.get(a))
            if m is None and r is None:
                new[e], new_rev[a] = a, e
            elif m != a or r != e:
                return None
        elif eb or ab or e != a:
            return None
    return new


def _match_unordered(exp: list, act: list, is_bnode: Callable[[Any], bool]) -> bool:
    # Rows without blank nodes must match exactly; drop them first to keep the search small.
    ground_e = Counter(r for r in exp if not any(is_bnode(v) for v in r))
    ground_a = Counter(r for r in act if not any(is_bnode(v) for v in r))
    if ground_e != ground_a:
        return False
    exp = [r for r in exp if any(is_bnode(v) for v in r)]
    act = [r for r in act if any(is_bnode(v) for v in r)]
    # With every blank node replaced by one placeholder the rows must already agree as multisets;
    # this settles nearly every mismatch at once, before the search for a consistent renaming.
    if Counter(_shape(r, is_bnode) for r in exp) != Counter(_shape(r, is_bnode) for r in act):
        return False
    used = [False] * len(act)
    fwd: dict = {}
    rev: dict = {}
    budget = [200_000]

    def search(i: int) -> bool:
        if i == len(exp):
            return True
        for j, row in enumerate(act):
            if used[j]:
                continue
            budget[0] -= 1
            if budget[0] < 0:
                raise ResultError("blank-node matching gave up: too many candidate renamings")
            new = _unify(exp[i], row, fwd, rev, is_bnode)
            if new is None:
                continue
            used[j] = True
            fwd.update(new)
            rev.update({v: k for k, v in new.items()})
            if search(i + 1):
                return True
            used[j] = False
            for k, v in new.items():
                del fwd[k]
                del rev[v]
        return False

    return search(0)


def _shape(row: Sequence[Any], is_bnode: Callable[[Any], bool]) -> tuple:
    return tuple("_:" if is_bnode(v) else v for v in row)


def _match_ordered(exp: list, act: list, is_bnode: Callable[[Any], bool]) -> bool:
    fwd: dict = {}
    rev: dict = {}
    for e, a in zip(exp, act, strict=True):
        new = _unify(e, a, fwd, rev, is_bnode)
        if new is None:
            return False
        fwd.update(new)
        rev.update({v: k for k, v in new.items()})
    return True


_ORDER_BY = re.compile(r"\bORDER\s+BY\b(.*)$", re.IGNORECASE | re.DOTALL)
_VAR = re.compile(r"[?$]([A-Za-z_][\w]*)")


def order_keys(query: str) -> list[str] | None:
    """The variables of the outermost ORDER BY, or None when the query has no ORDER BY."""
    found = _ORDER_BY.search(query)
    if not found:
        return None
    clause = re.split(r"\b(LIMIT|OFFSET|VALUES)\b", found.group(1), flags=re.IGNORECASE)[0]
    return _VAR.findall(clause)


def compare_tables(expected: Table, actual: Table, order: list[str] | None, csv_text: bool = False) -> None:
    """Raise ResultError unless the two tables hold the same solutions (in the same order when ordered)."""
    is_bnode = _is_csv_bnode if csv_text else _is_ox_bnode
    e_vars, e_rows = expected
    a_vars, a_rows = actual
    if sorted(e_vars) != sorted(a_vars):
        raise ResultError(f"variables differ: expected {e_vars}, got {a_vars}")
    index = [a_vars.index(v) for v in e_vars]
    a_rows = [tuple(row[i] for i in index) for row in a_rows]
    if len(e_rows) != len(a_rows):
        raise ResultError(f"expected {len(e_rows)} rows, got {len(a_rows)}:\n{_show(e_rows, a_rows)}")
    if not _match_unordered(list(e_rows), list(a_rows), is_bnode):
        raise ResultError(f"solutions differ:\n{_show(e_rows, a_rows)}")
    if order is None or _match_ordered(list(e_rows), list(a_rows), is_bnode):
        return
    # Ties under ORDER BY may come in any order: only the sort keys' sequence must agree.
    keys = [e_vars.index(v) for v in order if v in e_vars]
    if not keys:
        return
    e_keys = [tuple(None if is_bnode(r[k]) else r[k] for k in keys) for r in e_rows]
    a_keys = [tuple(None if is_bnode(r[k]) else r[k] for k in keys) for r in a_rows]
    if e_keys != a_keys:
        raise ResultError(f"order differs:\n{_show(e_rows, a_rows)}")


def compare_graphs(expected: rdflib.Graph, actual: rdflib.Graph) -> None:
    """Raise ResultError unless the graphs are isomorphic."""
    if not isomorphic(expected, actual):
        raise ResultError(f"graphs differ:\nexpected {_triples(expected)}\nactual   {_triples(actual)}")


def _triples(graph: rdflib.Graph) -> object:
    if len(graph) >= 40:
        return f"{len(graph)} triples"
    return sorted(" ".join(term.n3() for term in triple) for triple in graph)


def _show(e_rows: Sequence, a_rows: Sequence) -> str:
    def fmt(rows: Sequence) -> str:
        shown = [" | ".join("UNDEF" if v is None else str(v) for v in r) for r in list(rows)[:15]]
        more = f"\n  ... {len(rows) - 15} more" if len(rows) > 15 else ""
        return "\n".join(f"  {s}" for s in shown) + more

    return f"expected:\n{fmt(e_rows)}\nactual:\n{fmt(a_rows)}"
