"""Query results as an HTML table for the query page, so it works without YASGUI and without JavaScript.

The query runs like any protocol query (guard, admission, worker timeout, row cap); its standard JSON (or
N-Triples) answer is read back into cells: IRIs of this KG link to their local pages, other IRIs link out,
typed numbers show as numbers, and long prefixes are shortened.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

import pyoxigraph as ox
from flask import current_app, request

from kg.errors import QueryError
from kg.store import QueryTimeoutError
from kg.vocab import BASE
from server.context import admission_of, engine_of
from server.executor import PoolBusyError, QueryRequest
from server.pagecache import page_cache
from server.sparql import base_iri

#: Most rows a results table shows (the CSV/JSON from /sparql has the server's full row cap).
PAGE_ROWS = 1000
ACCEPT = "application/sparql-results+json, application/n-triples;q=0.9"
XSD = "http://www.w3.org/2001/XMLSchema#"
NUMBERS = {XSD + t for t in ("integer", "decimal", "double", "float", "int", "long", "short", "byte",
                             "nonNegativeInteger", "positiveInteger", "negativeInteger", "nonPositiveInteger",
                             "unsignedInt", "unsignedLong", "unsignedShort", "unsignedByte")}
#: Prefix -> namespace, for short IRIs in cells (the same prefixes as the example queries).
PREFIXES = {
    "aio": BASE + "ontology#", "model": BASE + "model/", "org": BASE + "org/", "family": BASE + "family/",
    "license": BASE + "license/", "spdx": "http://spdx.org/licenses/", "schema": "https://schema.org/",
    "dcterms": "http://purl.org/dc/terms/", "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#", "owl": "http://www.w3.org/2002/07/owl#", "xsd": XSD,
    "skos": "http://www.w3.org/2004/02/skos/core#", "prov": "http://www.w3.org/ns/prov#",
    "odrl": "http://www.w3.org/ns/odrl/2/",
}


@dataclass
class Cell:
    """One shown value: its text, a link (local or external), and how to show it."""

    text: str
    href: str | None = None
    kind: str = "literal"  # iri, literal, number, bnode, empty
    note: str = ""  # language tag or datatype
    title: str = ""  # the full IRI, when the text is shortened


@dataclass
class Table:
    """A query's answer as the page shows it."""

    columns: list[str] = field(default_factory=list)
    rows: list[list[Cell]] = field(default_factory=list)
    boolean: bool | None = None
    graph: bool = False  # a CONSTRUCT or DESCRIBE answer (triples)
    truncated: bool = False
    error: str | None = None
    status: int = 200


def local_path(iri: str) -> str | None:
    """The local page of an IRI of this KG (model, organisation, family, licence, ontology term)."""
    if not iri.startswith(BASE):
        return None
    rest = iri[len(BASE):]
    if rest.startswith("ontology#"):
        return "/ontology#" + rest[len("ontology#"):]
    if rest == "ontology" or rest.split("/", 1)[0] in ("model", "org", "family", "license"):
        return "/" + rest
    return None


def short(iri: str) -> str:
    """``prefix:local`` when a known namespace fits, else the IRI."""
    for prefix, namespace in PREFIXES.items():
        if iri.startswith(namespace) and iri[len(namespace):] and "/" not in iri[len(namespace):]:
            return f"{prefix}:{iri[len(namespace):]}"
    return iri


def iri_cell(iri: str) -> Cell:
    text = short(iri)
    return Cell(text, local_path(iri) or iri, "iri", title=iri if text != iri else "")


def cell_of(term: dict[str, Any] | None) -> Cell:
    """A cell from a SPARQL JSON results term."""
    if term is None:
        return Cell("", kind="empty")
    kind, value = term.get("type"), str(term.get("value", ""))
    if kind == "uri":
        return iri_cell(value)
    if kind == "bnode":
        return Cell("_:" + value, kind="bnode")
    if kind == "triple":
        inner = term["value"]
        parts = [cell_of(inner[k]).text for k in ("subject", "predicate", "object")]
        return Cell("<< " + " ".join(parts) + " >>")
    datatype = str(term.get("datatype", ""))
    if datatype in NUMBERS:
        return Cell(value, kind="number", note=short(datatype))
    if "xml:lang" in term:
        return Cell(value, note="@" + str(term["xml:lang"]))
    return Cell(value, note=short(datatype) if datatype and datatype != XSD + "string" else "")


def _node_cell(node: Any) -> Cell:
    if isinstance(node, ox.NamedNode):
        return iri_cell(node.value)
    if isinstance(node, ox.BlankNode):
        return Cell("_:" + node.value, kind="bnode")
    if isinstance(node, ox.Literal):
        term: dict[str, Any] = {"type": "literal", "value": node.value, "datatype": node.datatype.value}
        if node.language:
            term["xml:lang"] = node.language
        return cell_of(term)
    return Cell(str(node))


def table_of(media: str, body: bytes, truncated: bool) -> Table:
    """The table of a protocol answer (SPARQL JSON results, or N-Triples for a graph)."""
    if media == "application/n-triples":
        triples = [q.triple for q in ox.parse(body, format=ox.RdfFormat.N_TRIPLES)]
        rows = [[_node_cell(t.subject), _node_cell(t.predicate), _node_cell(t.object)] for t in triples]
        return Table(["subject", "predicate", "object"], rows[:PAGE_ROWS], graph=True,
                     truncated=truncated or len(rows) > PAGE_ROWS)
    data = json.loads(body)
    if "boolean" in data:
        return Table(boolean=bool(data["boolean"]))
    columns = list(data["head"].get("vars", []))
    bindings = data["results"]["bindings"]
    rows = [[cell_of(b.get(c)) for c in columns] for b in bindings]
    return Table(columns, rows, truncated=truncated)


def run(sparql: str) -> Table:
    """Run a query from the page as the protocol would; a bad query gives a Table with its error."""

    if not sparql.strip():
        return Table(error="the query is empty", status=400)
    admission = admission_of(current_app)
    client = request.remote_addr or "unknown"
    refusal = admission.enter(client)
    if refusal is not None:
        return Table(error=refusal.reason, status=429)
    try:
        answer = engine_of(current_app).query(QueryRequest(
            sparql=sparql, accept=ACCEPT, row_limit=min(PAGE_ROWS, int(current_app.config["ROW_LIMIT"])),
            base_iri=base_iri()))
    except (QueryTimeoutError, PoolBusyError) as exc:
        return Table(error=str(exc), status=503)
    except QueryError as exc:
        return Table(error=str(exc), status=400)
    finally:
        if refusal is None:
            admission.leave(client)
    return table_of(answer.media_type, answer.body, answer.truncated)


def vocabulary(engine: Any) -> dict[str, Any]:
    """The query editor's completions: the prefixes above, and the classes and properties the KG uses."""

    def compute() -> dict[str, Any]:
        classes = [r["c"].value for r in engine.select("SELECT DISTINCT ?c WHERE { ?s a ?c FILTER(isIRI(?c)) }")]
        properties = [r["p"].value for r in engine.select("SELECT DISTINCT ?p WHERE { ?s ?p ?o }")]
        return {"prefixes": PREFIXES, "classes": sorted(classes), "properties": sorted(properties)}

    return page_cache(engine).get("vocabulary", compute)
