"""SPARQL result formats: content negotiation and serialisers that can stop at a row cap.

No Flask here: the worker processes import this module to turn a query's results into bytes.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import islice
from typing import Literal
from xml.sax.saxutils import escape, quoteattr

import pyoxigraph as ox

from kg.errors import QueryError

Kind = Literal["solutions", "boolean", "graph"]
XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"

#: Media types we produce, by kind of result, the first being the default.
RESULT_TYPES: dict[Kind, tuple[str, ...]] = {
    "solutions": (
        "application/sparql-results+json",
        "application/sparql-results+xml",
        "text/csv",
        "text/tab-separated-values",
    ),
    "boolean": (
        "application/sparql-results+json",
        "application/sparql-results+xml",
        "text/csv",
        "text/tab-separated-values",
    ),
    "graph": (
        "text/turtle",
        "application/n-triples",
        "application/ld+json",
        "application/rdf+xml",
    ),
}
#: Other names clients use for the same types.
ALIASES = {
    "application/json": "application/sparql-results+json",
    "application/xml": "application/sparql-results+xml",
    "text/xml": "application/sparql-results+xml",
    "text/plain": "application/n-triples",
    "application/x-turtle": "text/turtle",
    "application/turtle": "text/turtle",
    "application/json+ld": "application/ld+json",
    "application/x-json+ld": "application/ld+json",
    "application/xml+rdf": "application/rdf+xml",
    # N3 is a superset of Turtle: a client asking for N3 reads Turtle
    "text/n3": "text/turtle",
    "text/rdf+n3": "text/turtle",
    "application/n3": "text/turtle",
    "application/sparql-results+csv": "text/csv",
    "application/sparql-results+tsv": "text/tab-separated-values",
}
#: Short names of the ``format`` parameter.
FORMAT_NAMES: dict[str, dict[Kind, str]] = {
    "json": {"solutions": "application/sparql-results+json", "boolean": "application/sparql-results+json",
             "graph": "application/ld+json"},
    "xml": {"solutions": "application/sparql-results+xml", "boolean": "application/sparql-results+xml",
            "graph": "application/rdf+xml"},
    "csv": {"solutions": "text/csv", "boolean": "text/csv"},
    "tsv": {"solutions": "text/tab-separated-values", "boolean": "text/tab-separated-values"},
    "turtle": {"graph": "text/turtle"},
    "ttl": {"graph": "text/turtle"},
    "nt": {"graph": "application/n-triples"},
    "ntriples": {"graph": "application/n-triples"},
    "n-triples": {"graph": "application/n-triples"},
    "jsonld": {"graph": "application/ld+json"},
    "json-ld": {"graph": "application/ld+json"},
    "rdfxml": {"graph": "application/rdf+xml"},
    "rdf": {"graph": "application/rdf+xml"},
    "rdf+xml": {"graph": "application/rdf+xml"},
    "n3": {"graph": "text/turtle"},
}


class NotAcceptableError(QueryError):
    """No format the client accepts fits the result (HTTP 406)."""


def parse_accept(header: str | None) -> list[tuple[str, float]]:
    """Media ranges of an Accept header with their q-values, best first (stable for ties).

    >>> parse_accept("text/csv;q=0.5, application/sparql-results+json")
    [('application/sparql-results+json', 1.0), ('text/csv', 0.5)]
    """
    ranges: list[tuple[str, float, int]] = []
    for index, part in enumerate((header or "").split(",")):
        pieces = [p.strip() for p in part.split(";")]
        media = pieces[0].lower()
        if not media or "/" not in media:
            continue
        q = 1.0
        for param in pieces[1:]:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    q = max(0.0, min(1.0, float(value)))
                except ValueError:
                    q = 0.0
        # more specific ranges win ties: exact type, then type/*, then */*
        specificity = 0 if media == "*/*" else 1 if media.endswith("/*") else 2
        ranges.append((media, q, index - 1000 * specificity))
    ranges.sort(key=lambda r: (-r[1], r[2]))
    return [(m, q) for m, q, _ in ranges]


#: Names that mean a different type for a graph: JSON asked of RDF is JSON-LD.
GRAPH_ALIASES = {"application/json": "application/ld+json"}


def _alias(name: str, kind: Kind) -> str:
    return GRAPH_ALIASES.get(name, ALIASES.get(name, name)) if kind == "graph" else ALIASES.get(name, name)


def _named_format(value: str, kind: Kind) -> str | None:
    """The media type a ``format``/``output``/``results`` value names for a ``kind`` result, if it fits one."""
    name = value.strip().lower()
    if name in FORMAT_NAMES:
        return FORMAT_NAMES[name].get(kind)
    media = _alias(name, kind)
    return media if media in RESULT_TYPES[kind] else None


@functools.lru_cache(maxsize=256)
def negotiate(accept: str | None, format_param: str | tuple[str, ...] | None, kind: Kind) -> str:
    """The media type to answer with: the first ``format``/``output``/``results`` value that names a format
    fitting the result, else the Accept header (cached: clients send the same few of both).

    Clients repeat these parameters (SPARQLWrapper sends ``format=tsv&format=text/tab-separated-values&
    output=tsv&...``), so every value counts and the first usable one wins. When none is usable and the Accept
    header states no preference either, the answer is 406 naming the parameter.
    """
    values = (format_param,) if isinstance(format_param, str) else tuple(format_param or ())
    values = tuple(v for v in values if v and v.strip())
    for value in values:
        media = _named_format(value, kind)
        if media is not None:
            return media
    if values and not _states_preference(accept):
        raise NotAcceptableError(
            f"format={values[0]!r} does not fit a {kind} result; use one of {', '.join(RESULT_TYPES[kind])}"
        )
    return _from_accept(parse_accept(accept), kind)


def _from_accept(ranges: list[tuple[str, float]], kind: Kind) -> str:
    """The offered type the Accept ranges rate highest (the first offered on a tie; the default for none)."""
    offered = RESULT_TYPES[kind]
    if not ranges:
        return offered[0]
    scores = {media: q for media in offered if (q := _quality(_names_of(media, kind), ranges))}
    if not scores and kind == "graph" and all(_alias(m, "solutions") in RESULT_TYPES["solutions"]
                                              for m, _ in ranges):
        # a client that asks only for SPARQL result formats (rdflib's SPARQLStore with returnFormat=json
        # sends Accept: application/sparql-results+json for CONSTRUCT too) gets the graph in the default format
        return offered[0]
    if not scores:
        raise NotAcceptableError(
            f"none of the accepted types fits a {kind} result; this endpoint offers {', '.join(offered)}"
        )
    top = max(scores.values())
    return next(m for m in offered if scores.get(m) == top)


def _names_of(media: str, kind: Kind) -> set[str]:
    """A media type and the aliases that stand for it in a ``kind`` result."""
    return {media} | {alias for alias in (*ALIASES, *GRAPH_ALIASES) if _alias(alias, kind) == media}


def _quality(names: set[str], ranges: list[tuple[str, float]]) -> float:
    """The q-value of the most specific range matching any of ``names`` (exact, then type/*, then */*);
    0 when none matches."""
    best, best_specificity = 0.0, -1
    for pattern, q in ranges:
        main = pattern.partition("/")[0]
        if pattern in names:
            specificity = 2
        elif pattern == f"{main}/*" and any(n.startswith(main + "/") for n in names):
            specificity = 1
        elif pattern == "*/*":
            specificity = 0
        else:
            continue
        if specificity > best_specificity:
            best, best_specificity = q, specificity
    return best


def _states_preference(accept: str | None) -> bool:
    """Whether an Accept header asks for something more specific than anything (``*/*``)."""
    return any(media != "*/*" for media, _ in parse_accept(accept))


@dataclass
class Answer:
    """A serialised result: what the HTTP layer sends."""

    media_type: str
    body: bytes
    truncated: bool = False
    rows: int = 0
    headers: dict[str, str] = field(default_factory=dict)
    #: seconds the engine took to evaluate and serialise it, when measured (a worker's answer)
    seconds: float | None = None


def _term_json(term: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple) -> dict[str, object]:
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Literal):
        out: dict[str, object] = {"type": "literal", "value": term.value}
        if term.language:
            out["xml:lang"] = term.language
        elif term.datatype.value != XSD_STRING:
            out["datatype"] = term.datatype.value
        return out
    return {
        "type": "triple",
        "value": {
            "subject": _term_json(term.subject),
            "predicate": _term_json(term.predicate),
            "object": _term_json(term.object),
        },
    }


def _term_xml(term: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple) -> str:
    if isinstance(term, ox.NamedNode):
        return f"<uri>{escape(term.value)}</uri>"
    if isinstance(term, ox.BlankNode):
        return f"<bnode>{escape(term.value)}</bnode>"
    if isinstance(term, ox.Literal):
        if term.language:
            return f"<literal xml:lang={quoteattr(term.language)}>{escape(term.value)}</literal>"
        if term.datatype.value != XSD_STRING:
            return f"<literal datatype={quoteattr(term.datatype.value)}>{escape(term.value)}</literal>"
        return f"<literal>{escape(term.value)}</literal>"
    return (
        f"<triple><subject>{_term_xml(term.subject)}</subject><predicate>{_term_xml(term.predicate)}"
        f"</predicate><object>{_term_xml(term.object)}</object></triple>"
    )


def _csv_cell(term: object) -> str:
    if term is None:
        return ""
    if isinstance(term, ox.BlankNode):
        text = f"_:{term.value}"
    elif isinstance(term, ox.NamedNode | ox.Literal):
        text = term.value
    else:
        text = str(term)
    if any(c in text for c in ',"\r\n'):
        return '"' + text.replace('"', '""') + '"'
    return text


def _tsv_cell(term: object) -> str:
    return "" if term is None else str(term)


def serialize_solutions(variables: Sequence[str], rows: Iterable[Sequence[object]], media: str) -> bytes:
    """SELECT results (rows of terms or None, in ``variables`` order) in one of the four result formats."""
    if media == "application/sparql-results+json":
        bindings = [
            {v: _term_json(t) for v, t in zip(variables, row, strict=True) if t is not None}  # type: ignore[arg-type]
            for row in rows
        ]
        doc = {"head": {"vars": list(variables)}, "results": {"bindings": bindings}}
        return json.dumps(doc, ensure_ascii=False, separators=(",", ":")).encode()
    if media == "application/sparql-results+xml":
        parts = ['<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#"><head>']
        parts += [f"<variable name={quoteattr(v)}/>" for v in variables]
        parts.append("</head><results>")
        for row in rows:
            parts.append("<result>")
            parts += [
                f"<binding name={quoteattr(v)}>{_term_xml(t)}</binding>"  # type: ignore[arg-type]
                for v, t in zip(variables, row, strict=True)
                if t is not None
            ]
            parts.append("</result>")
        parts.append("</results></sparql>\n")
        return "".join(parts).encode()
    if media == "text/csv":
        lines = [",".join(variables)]
        lines += [",".join(_csv_cell(t) for t in row) for row in rows]
        return ("\r\n".join(lines) + "\r\n").encode()
    if media == "text/tab-separated-values":
        lines = ["\t".join(f"?{v}" for v in variables)]
        lines += ["\t".join(_tsv_cell(t) for t in row) for row in rows]
        return ("\n".join(lines) + "\n").encode()
    raise NotAcceptableError(f"{media} is no SELECT result format")


def serialize_boolean(value: bool, media: str) -> bytes:
    """An ASK result."""
    if media == "application/sparql-results+json":
        return json.dumps({"head": {}, "boolean": value}).encode()
    if media == "application/sparql-results+xml":
        return (
            '<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#"><head/>'
            f"<boolean>{'true' if value else 'false'}</boolean></sparql>\n"
        ).encode()
    if media in ("text/csv", "text/tab-separated-values"):
        return b"_askResult\n" + (b"true\n" if value else b"false\n")
    raise NotAcceptableError(f"{media} is no ASK result format")


PREFIXES = {
    "aio": "https://w3id.org/ai-openness/ontology#",
    "model": "https://w3id.org/ai-openness/model/",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "dcterms": "http://purl.org/dc/terms/",
    "schema": "https://schema.org/",
    "prov": "http://www.w3.org/ns/prov#",
}


def serialize_graph(triples: Sequence[ox.Triple], media: str) -> bytes:
    """CONSTRUCT/DESCRIBE results in Turtle, N-Triples, JSON-LD or RDF/XML."""
    rdf_format = ox.RdfFormat.from_media_type(media)
    if rdf_format is None:
        raise NotAcceptableError(f"{media} is no RDF format")
    if rdf_format == ox.RdfFormat.TURTLE:
        return ox.serialize(triples, format=rdf_format, prefixes=PREFIXES) or b""
    return ox.serialize(triples, format=rdf_format) or b""


def result_kind(result: object) -> Kind:
    """Whether a pyoxigraph result is solutions, a boolean or a graph."""
    if isinstance(result, ox.QuerySolutions):
        return "solutions"
    if isinstance(result, ox.QueryBoolean | bool):
        return "boolean"
    return "graph"


def render(result: object, accept: str | None, format_param: str | tuple[str, ...] | None, row_limit: int) -> Answer:
    """Serialise a pyoxigraph result, stopping after ``row_limit`` rows or triples."""
    kind = result_kind(result)
    media = negotiate(accept, format_param, kind)
    if kind == "boolean":
        return Answer(media, serialize_boolean(bool(result), media))
    if kind == "solutions":
        variables = [v.value for v in result.variables]  # type: ignore[attr-defined]
        rows = _rows(result, len(variables))  # type: ignore[arg-type]
        kept = list(islice(rows, row_limit + 1))
    else:
        kept = list(islice(iter(result), row_limit + 1))  # type: ignore[call-overload]
    truncated = len(kept) > row_limit
    if truncated:
        kept = kept[:row_limit]
    body = serialize_solutions(variables, kept, media) if kind == "solutions" else serialize_graph(kept, media)
    return Answer(media, body, truncated=truncated, rows=len(kept))


def _rows(solutions: Iterable[ox.QuerySolution], width: int) -> Iterator[list[object]]:
    for solution in solutions:
        yield [solution[i] for i in range(width)]
