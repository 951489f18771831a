"""What the endpoint says about itself: the SPARQL Service Description and a VoID description with counts."""

from __future__ import annotations

import pyoxigraph as ox
from flask import Blueprint, Response, current_app, render_template, request, url_for
from werkzeug.exceptions import NotFound

from server.context import engine_of
from server.downloads import dump_urls
from server.results import negotiate, serialize_graph

bp = Blueprint("describe", __name__)

SD = "http://www.w3.org/ns/sparql-service-description#"
VOID = "http://rdfs.org/ns/void#"
FORMATS = "http://www.w3.org/ns/formats/"
RESULT_FORMATS = ["SPARQL_Results_JSON", "SPARQL_Results_XML", "SPARQL_Results_CSV", "SPARQL_Results_TSV",
                  "Turtle", "N-Triples", "JSON-LD", "RDF_XML"]


def wants_html() -> bool:
    """A browser asking for a page (text/html preferred over the RDF types)."""
    best = request.accept_mimetypes.best_match(
        ["text/html", "text/turtle", "application/n-triples", "application/ld+json", "application/rdf+xml"]
    )
    return best == "text/html" and not request.args.get("format")


def graph_response(triples: list[ox.Triple]) -> Response:
    """Triples in the RDF format the request negotiates (``format`` parameters, else Accept)."""
    media = negotiate(request.headers.get("Accept"), tuple(request.args.getlist("format")), "graph")
    response = Response(serialize_graph(triples, media), mimetype=media)
    response.headers["Vary"] = "Accept"
    return response


def rdf_response(turtle: str) -> Response:
    """A Turtle document re-served in the negotiated RDF format."""
    return graph_response([q.triple for q in ox.parse(turtle.encode(), format=ox.RdfFormat.TURTLE)])


def constructed(sparql: str, missing: str) -> Response:
    """The graph a CONSTRUCT query builds, in the negotiated format; 404 saying ``missing`` when empty."""
    triples = list(engine_of(current_app).internal_query(sparql))  # type: ignore[call-overload]
    if not triples:
        raise NotFound(missing)
    return graph_response(triples)


def _counts() -> dict[str, object]:
    engine = engine_of(current_app)

    def compute() -> dict[str, object]:
        def number(sparql: str) -> int:
            rows = engine.select(sparql)
            return int(rows[0]["n"].value) if rows and "n" in rows[0] else 0

        graphs = {}
        for row in engine.select("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"):
            graphs[row["g"].value] = int(row["n"].value)
        return {
            # the default graph is the union of the named graphs: counting it and them would count twice
            "triples": number("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"),
            "models": number("SELECT (COUNT(DISTINCT ?m) AS ?n) WHERE { ?m a <https://w3id.org/ai-openness/"
                             "ontology#AIModel> }"),
            "subjects": number("SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s ?p ?o }"),
            "objects": number("SELECT (COUNT(DISTINCT ?o) AS ?n) WHERE { ?s ?p ?o }"),
            "properties": number("SELECT (COUNT(DISTINCT ?p) AS ?n) WHERE { ?s ?p ?o }"),
            "classes": number("SELECT (COUNT(DISTINCT ?c) AS ?n) WHERE { ?s a ?c }"),
            "graphs": graphs,
        }

    return engine.cached("counts", compute)  # type: ignore[no-any-return]


def _esc(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"')


def service_turtle() -> str:
    """The Service Description of this endpoint, in Turtle."""
    engine = engine_of(current_app)
    endpoint = url_for("sparql.sparql", _external=True)
    counts = _counts()
    languages = "sd:SPARQL11Query" + (", sd:SPARQL11Update" if engine.writable else "")
    formats = ", ".join(f"<{FORMATS}{f}>" for f in RESULT_FORMATS)
    named = "".join(
        f"""    sd:namedGraph [ a sd:NamedGraph ; sd:name <{g}> ;
        sd:graph [ a sd:Graph, void:Dataset ; void:triples {n} ] ] ;\n"""
        for g, n in counts["graphs"].items()  # type: ignore[union-attr]
    )

    dumps = "".join(f"        void:dataDump <{url}> ;\n" for _, url in dump_urls())
    return f"""@prefix sd: <{SD}> .
@prefix void: <{VOID}> .
@prefix dcterms: <http://purl.org/dc/terms/> .

<{endpoint}#service> a sd:Service ;
    sd:endpoint <{endpoint}> ;
    sd:supportedLanguage {languages} ;
    sd:resultFormat {formats} ;
    sd:feature sd:UnionDefaultGraph ;
    dcterms:title "AI Openness KG SPARQL endpoint" ;
    sd:defaultDataset [ a sd:Dataset, void:Dataset ;
{dumps}        sd:defaultGraph [ a sd:Graph, void:Dataset ; void:triples {counts["triples"]} ] ;
{named}    ] .
"""


def service_description() -> Response:
    """GET /sparql without a query: RDF by content negotiation, an HTML page for browsers."""
    if wants_html():
        engine = engine_of(current_app)
        return Response(render_template("service.html", counts=_counts(), writable=engine.writable,
                                        turtle=service_turtle(), settings=engine.settings),
                        mimetype="text/html")
    return rdf_response(service_turtle())


def void_turtle() -> str:
    """The VoID description of the dataset, with counts."""
    counts = _counts()
    endpoint = url_for("sparql.sparql", _external=True)
    here = url_for("describe.void", _external=True)
    subsets = "".join(
        f"""    void:subset [ a void:Dataset ; void:triples {n} ; dcterms:source <{g}> ] ;\n"""
        for g, n in counts["graphs"].items()  # type: ignore[union-attr]
    )

    dumps = "".join(f"    void:dataDump <{url}> ;\n" for _, url in dump_urls())
    return f"""@prefix void: <{VOID}> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .

<{here}#dataset> a void:Dataset ;
    dcterms:title "{_esc("AI Openness Knowledge Graph")}" ;
    dcterms:description "{_esc("Which artifacts of AI models are released, how and under which licence, "
                                   "with inferred openness categories, MOF classes and ten dimensions.")}" ;
    void:sparqlEndpoint <{endpoint}> ;
    void:uriSpace "https://w3id.org/ai-openness/model/" ;
    void:vocabulary <https://w3id.org/ai-openness/ontology#> ;
    void:triples {counts["triples"]} ;
    void:entities {counts["models"]} ;
    void:distinctSubjects {counts["subjects"]} ;
    void:distinctObjects {counts["objects"]} ;
    void:properties {counts["properties"]} ;
    void:classes {counts["classes"]} ;
{subsets}{dumps}    void:rootResource <https://w3id.org/ai-openness/ontology> .
"""


@bp.route("/.well-known/void")
def void() -> Response:
    """VoID description (RDF by content negotiation; Turtle by default)."""
    return rdf_response(void_turtle())
