"""The SPARQL 1.1 Protocol at /sparql through Flask's test client: operations, formats, conneg, limits."""

from __future__ import annotations

import csv
import io
import json
import time

import pyoxigraph as ox
import pytest
import rdflib

AIO = "https://w3id.org/ai-openness/ontology#"
COUNT_BY_CATEGORY = f"""PREFIX aio: <{AIO}>
SELECT ?c (COUNT(?m) AS ?n) WHERE {{ VALUES ?c {{ aio:OpenWeightModel aio:OpenSourceModel aio:ClosedSourceModel }}
  ?m a ?c }} GROUP BY ?c ORDER BY ?c"""
JSON = "application/sparql-results+json"


def rows(response) -> list[dict[str, str]]:  # type: ignore[no-untyped-def]
    assert response.status_code == 200, response.data
    doc = json.loads(response.data)
    return [{k: v["value"] for k, v in b.items()} for b in doc["results"]["bindings"]]


def test_get_post_form_and_post_direct_agree(client):
    by_get = rows(client.get("/sparql", query_string={"query": COUNT_BY_CATEGORY}))
    by_form = rows(client.post("/sparql", data={"query": COUNT_BY_CATEGORY}))
    direct = client.post("/sparql", data=COUNT_BY_CATEGORY.encode(), content_type="application/sparql-query")
    assert by_get == by_form == rows(direct)
    # the inferred categories are queryable: the bundled KG has models in all three
    assert {r["c"].rsplit("#")[1] for r in by_get} == {"ClosedSourceModel", "OpenSourceModel", "OpenWeightModel"}
    assert all(int(r["n"]) > 0 for r in by_get)


@pytest.mark.parametrize(("accept", "fmt", "expected"), [
    ("application/sparql-results+xml", None, "application/sparql-results+xml"),
    ("text/csv", None, "text/csv"),
    ("text/tab-separated-values", None, "text/tab-separated-values"),
    ("text/csv;q=0.5, application/sparql-results+xml;q=0.9", None, "application/sparql-results+xml"),
    ("application/sparql-results+xml;q=0.2, text/csv;q=0.8", None, "text/csv"),
    ("*/*", None, JSON),
    ("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", None, "application/sparql-results+xml"),
    (None, None, JSON),
    ("text/csv", "json", JSON),
    (None, "tsv", "text/tab-separated-values"),
    (None, "application/sparql-results+xml", "application/sparql-results+xml"),
])
def test_select_formats_by_conneg_and_format(client, accept, fmt, expected):
    params = {"query": COUNT_BY_CATEGORY} | ({"format": fmt} if fmt else {})
    response = client.get("/sparql", query_string=params, headers={"Accept": accept} if accept else {})
    assert response.status_code == 200, response.data
    assert response.mimetype == expected
    parsers = {JSON: ox.QueryResultsFormat.JSON, "application/sparql-results+xml": ox.QueryResultsFormat.XML,
               "text/tab-separated-values": ox.QueryResultsFormat.TSV}
    if expected in parsers:
        parsed = ox.parse_query_results(response.data, format=parsers[expected])
        assert [v.value for v in parsed.variables] == ["c", "n"]
        assert len(list(parsed)) == 3
    else:
        table = list(csv.reader(io.StringIO(response.data.decode())))
        assert table[0] == ["c", "n"] and len(table) == 4


@pytest.mark.parametrize(("accept", "rdf_format"), [
    ("text/turtle", "turtle"), ("application/n-triples", "nt"), ("application/ld+json", "json-ld"),
    ("application/rdf+xml", "xml"),
])
def test_construct_formats(client, accept, rdf_format):
    query = "CONSTRUCT { ?m a ?c } WHERE { ?m a ?c ; <https://schema.org/name> ?n } LIMIT 50"
    response = client.get("/sparql", query_string={"query": query}, headers={"Accept": accept})
    assert response.status_code == 200 and response.mimetype == accept
    graph = rdflib.Graph().parse(data=response.data, format=rdf_format)
    assert len(graph) == 50


def test_ask_and_describe(client):
    ask = client.get("/sparql", query_string={"query": f"ASK {{ ?m a <{AIO}OpenSourceModel> }}"})
    assert json.loads(ask.data) == {"head": {}, "boolean": True}
    xml = client.get("/sparql", query_string={"query": "ASK { <urn:x:nothing> ?p ?o }", "format": "xml"})
    assert b"<boolean>false</boolean>" in xml.data
    describe = client.get("/sparql", query_string={"query": "DESCRIBE <https://w3id.org/ai-openness/model/"
                                                            "llama-3.1-8b>"}, headers={"Accept": "text/turtle"})
    assert describe.status_code == 200 and b"Llama" in describe.data


def test_not_acceptable(client):
    response = client.get("/sparql", query_string={"query": COUNT_BY_CATEGORY}, headers={"Accept": "image/png"})
    assert response.status_code == 406 and response.mimetype == "text/plain"
    response = client.get("/sparql", query_string={"query": COUNT_BY_CATEGORY, "format": "turtle"})
    assert response.status_code == 406


def test_dataset_parameters_select_local_graphs(client):
    query = f"SELECT (COUNT(DISTINCT ?m) AS ?n) WHERE {{ ?m a <{AIO}AIModel> }}"
    everything = int(rows(client.get("/sparql", query_string={"query": query}))[0]["n"])
    ontology_only = client.get("/sparql", query_string={
        "query": query, "default-graph-uri": "https://w3id.org/ai-openness/graph/ontology"})
    records = client.get("/sparql", query_string={
        "query": query, "default-graph-uri": "https://w3id.org/ai-openness/graph/records"})
    assert int(rows(ontology_only)[0]["n"]) == 0
    assert int(rows(records)[0]["n"]) == everything > 100
    named = client.get("/sparql", query_string={
        "query": "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }",
        "named-graph-uri": "https://w3id.org/ai-openness/graph/inferred"})
    assert [r["g"] for r in rows(named)] == ["https://w3id.org/ai-openness/graph/inferred"]
    from_local = client.get("/sparql", query_string={
        "query": f"SELECT (COUNT(*) AS ?n) FROM <https://w3id.org/ai-openness/graph/inferred> "
                 f"WHERE {{ ?m a <{AIO}OpenWeightModel> }}"})
    assert int(rows(from_local)[0]["n"]) > 0


@pytest.mark.parametrize("query", [
    "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }",
    "SELECT * WHERE { SERVICE SILENT <http://example.org/sparql> { ?s ?p ?o } }",
    "PREFIX e: <http://example.org/> SELECT * WHERE { SERVICE e:sparql { ?s ?p ?o } }",
    "SELECT * WHERE { SERVICE ?endpoint { ?s ?p ?o } }",
    "SELECT * FROM <http://example.org/data.ttl> WHERE { ?s ?p ?o }",
    "SELECT * FROM NAMED <http://example.org/data.ttl> WHERE { GRAPH ?g { ?s ?p ?o } }",
    "BASE <http://example.org/> SELECT * WHERE { service <sparql> { ?s ?p ?o } }",
])
def test_remote_fetches_are_refused(client, query):
    response = client.get("/sparql", query_string={"query": query})
    assert response.status_code == 400, response.data
    assert b"not allowed" in response.data and b"Traceback" not in response.data


def test_absent_dataset_graph_is_empty_and_keywords_in_strings_allowed(client):
    """A default-graph-uri the store does not hold is an empty graph (the Protocol's reading; nothing is
    fetched); a file or private address is refused."""
    absent = client.get("/sparql", query_string={"query": "SELECT * WHERE { ?s ?p ?o } LIMIT 1",
                                                 "default-graph-uri": "http://example.org/g"})
    assert rows(absent) == []
    for graph in ("file:///etc/passwd", "http://127.0.0.1:9/g", "http://10.0.0.1/g", "not an iri"):
        response = client.get("/sparql", query_string={"query": "SELECT * WHERE { ?s ?p ?o } LIMIT 1",
                                                       "default-graph-uri": graph})
        assert response.status_code == 400, graph
    harmless = 'SELECT ?x WHERE { BIND("SERVICE <http://example.org/> { }" AS ?x) } # FROM <http://x/>'
    assert rows(client.get("/sparql", query_string={"query": harmless}))[0]["x"].startswith("SERVICE")


def test_allow_listed_service_host(make_app):
    """An allow-listed host passes the guard (the call then fails here: nothing listens on port 9)."""
    app = make_app(ALLOWED_HOSTS=("127.0.0.1",), USE_WORKERS=False)
    response = app.test_client().get("/sparql", query_string={
        "query": "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }"})
    assert response.status_code == 400 and b"does not fetch remote data" not in response.data


@pytest.mark.parametrize(("method", "kwargs", "status"), [
    ("get", {"query_string": {"query": "SELECT * WHERE { ?s ?p }"}}, 400),
    ("get", {"query_string": [("query", "ASK {}"), ("query", "ASK {}")]}, 400),
    ("get", {"query_string": {"update": "CLEAR ALL"}}, 405),
    ("put", {"data": "ASK {}"}, 405),
    ("post", {"data": b"ASK {}", "content_type": "text/plain"}, 415),
    ("post", {"data": b"ASK {}"}, 400),
    ("post", {"data": b"query=ASK%20%7B%7D&update=CLEAR%20ALL",
              "content_type": "application/x-www-form-urlencoded"}, 400),
    ("post", {"data": b"query=ASK%20%7B%FF%7D", "content_type": "application/x-www-form-urlencoded"}, 400),
    ("post", {"data": b"ASK { \xff }", "content_type": "application/sparql-query"}, 400),
    ("post", {"data": "", "content_type": "application/sparql-query"}, 400),
    ("get", {"query_string": {"query": "SELECT * WHERE { ?s ?p \"unterminated }"}}, 400),
])
def test_client_errors_are_short_4xx(client, method, kwargs, status):
    response = getattr(client, method)("/sparql", **kwargs)
    assert response.status_code == status, response.data
    assert response.mimetype == "text/plain"
    assert len(response.data) < 600 and b"Traceback" not in response.data and b"/work/" not in response.data


def test_size_limits(client):
    long_query = "SELECT * WHERE { ?s ?p ?o } #" + "x" * 9000
    assert client.get("/sparql", query_string={"query": long_query}).status_code == 414
    body = b"ASK {} #" + b"x" * (2 << 20)
    assert client.post("/sparql", data=body, content_type="application/sparql-query").status_code == 413
    form = b"query=" + b"x" * (2 << 20)
    assert client.post("/sparql", data=form, content_type="application/x-www-form-urlencoded").status_code == 413


def test_row_cap_is_signalled(client):
    response = client.get("/sparql", query_string={"query": "SELECT * WHERE { ?s ?p ?o }"})
    assert response.status_code == 200
    assert response.headers["X-Openness-Truncated"] == "10000"
    assert len(json.loads(response.data)["results"]["bindings"]) == 10_000
    small = client.get("/sparql", query_string={"query": "SELECT * WHERE { ?s ?p ?o } LIMIT 5"})
    assert "X-Openness-Truncated" not in small.headers and small.headers["X-Openness-Rows"] == "5"


HEAVY = "SELECT (COUNT(*) AS ?n) WHERE { " + " ".join(
    f"VALUES ?v{i} {{ {' '.join(str(n) for n in range(60))} }}" for i in range(6)) + " }"


def _run_past_the_timeout(make_app) -> tuple[int, bytes, int, int, float]:  # type: ignore[no-untyped-def]
    """A query past a 1 s timeout: its status and body, the pool's kills, the status of the next query and
    the seconds the timed-out query took."""
    app = make_app(QUERY_TIMEOUT=1.0, TOKEN=None)
    client = app.test_client()
    from server import engine_of

    pool = engine_of(app).pool
    assert pool is not None
    assert client.get("/sparql", query_string={"query": "ASK {}"}).status_code == 200  # the worker is up
    started = time.monotonic()
    response = client.get("/sparql", query_string={"query": HEAVY})
    elapsed = time.monotonic() - started
    after = client.get("/sparql", query_string={"query": "ASK {}"})
    return response.status_code, response.data, pool.kills, after.status_code, elapsed


def test_timeout_kills_the_running_query(make_app):
    status, body, kills, next_status, _elapsed = _run_past_the_timeout(make_app)
    assert status == 503 and b"stopped" in body
    assert kills == 1  # its worker was killed ...
    assert next_status == 200  # ... and the replacement answers the next query


@pytest.mark.slow
def test_timeout_stops_the_query_promptly(make_app):
    status, _body, _kills, _next, elapsed = _run_past_the_timeout(make_app)
    assert status == 503
    assert elapsed < 3.0, f"the timeout took {elapsed:.1f} s"


def test_service_description(client):
    turtle = client.get("/sparql", headers={"Accept": "text/turtle"})
    assert turtle.status_code == 200 and turtle.mimetype == "text/turtle"
    graph = rdflib.Graph().parse(data=turtle.data, format="turtle")
    sd = rdflib.Namespace("http://www.w3.org/ns/sparql-service-description#")
    service = next(graph.subjects(rdflib.RDF.type, sd.Service))
    assert (service, sd.endpoint, rdflib.URIRef("http://localhost/sparql")) in graph
    assert (service, sd.supportedLanguage, sd.SPARQL11Query) in graph
    assert (service, sd.supportedLanguage, sd.SPARQL11Update) not in graph  # read-only
    jsonld = client.get("/sparql", headers={"Accept": "application/ld+json"})
    assert jsonld.mimetype == "application/ld+json" and json.loads(jsonld.data)
    html = client.get("/sparql", headers={"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"})
    assert html.mimetype == "text/html" and b"SPARQL 1.1 endpoint" in html.data


def test_void_counts_match_queries(client):
    response = client.get("/.well-known/void")
    assert response.status_code == 200 and response.mimetype == "text/turtle"
    graph = rdflib.Graph().parse(data=response.data, format="turtle")
    void = rdflib.Namespace("http://rdfs.org/ns/void#")
    dataset = next(graph.subjects(rdflib.RDF.type, void.Dataset))
    models = rows(client.get("/sparql", query_string={
        "query": f"SELECT (COUNT(DISTINCT ?m) AS ?n) WHERE {{ ?m a <{AIO}AIModel> }}"}))[0]["n"]
    assert int(graph.value(dataset, void.entities)) == int(models)
    total = rows(client.get("/sparql", query_string={
        "query": "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"}))[0]["n"]  # the default graph: the union
    assert int(graph.value(dataset, void.triples)) == int(total)
    graphs = rows(client.get("/sparql", query_string={
        "query": "SELECT (COUNT(DISTINCT ?g) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"}))[0]["n"]
    assert len(list(graph.objects(dataset, void.subset))) == int(graphs)  # one subset per graph
