"""Protocol details clients rely on: repeated format parameters, N3, CORS preflights, JSON on pages,
validators and alternates, the context and versioned ontology, the Graph Store's default graph and dataset."""

from __future__ import annotations

import json

import pyoxigraph as ox
import rdflib

M = "https://w3id.org/ai-openness/model/llama-3.1-8b"
SELECT = f"SELECT ?p ?o WHERE {{ <{M}> ?p ?o }}"


def test_repeated_format_parameters_first_usable_wins(client):
    # SPARQLWrapper's TSV request: every name it knows, twice
    query = [("query", SELECT), ("format", "tsv"), ("format", "text/tab-separated-values"), ("output", "tsv"),
             ("output", "text/tab-separated-values"), ("results", "tsv"), ("results", "text/tab-separated-values")]
    response = client.get("/sparql", query_string=query)
    assert response.status_code == 200 and response.mimetype == "text/tab-separated-values"
    first_unknown = client.get("/sparql", query_string=[("query", SELECT), ("format", "x-unknown"),
                                                        ("output", "csv")])
    assert first_unknown.mimetype == "text/csv"
    unusable = client.get("/sparql", query_string=[("query", SELECT), ("format", "turtle")],
                          headers={"Accept": "application/sparql-results+xml"})
    assert unusable.mimetype == "application/sparql-results+xml"  # no usable parameter: Accept decides
    assert client.get("/sparql", query_string=[("query", SELECT), ("format", "turtle")]).status_code == 406


def test_n3_is_answered_as_turtle(client):
    construct = f"CONSTRUCT {{ <{M}> ?p ?o }} WHERE {{ <{M}> ?p ?o }}"
    for kwargs in ({"query_string": {"query": construct, "format": "n3"}},
                   {"query_string": {"query": construct}, "headers": {"Accept": "text/n3"}},
                   {"query_string": {"query": construct}, "headers": {"Accept": "text/rdf+n3"}}):
        response = client.get("/sparql", **kwargs)
        assert response.status_code == 200 and response.mimetype == "text/turtle"
        assert len(rdflib.Graph().parse(data=response.data, format="turtle")) > 10


def test_cors_preflight_for_reads_only(client):
    preflight = client.options("/sparql", headers={
        "Origin": "https://elsewhere.example", "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "content-type"})
    assert preflight.status_code == 200
    assert preflight.headers["Access-Control-Allow-Origin"] == "*"
    assert "POST" in preflight.headers["Access-Control-Allow-Methods"]
    assert "content-type" in preflight.headers["Access-Control-Allow-Headers"].lower()
    assert "authorization" not in preflight.headers["Access-Control-Allow-Headers"].lower()
    for path, method in (("/update", "POST"), ("/store?graph=urn:x:g", "PUT"), ("/store?default", "DELETE")):
        refused = client.options(path, headers={"Origin": "https://elsewhere.example",
                                                "Access-Control-Request-Method": method})
        assert "Access-Control-Allow-Origin" not in refused.headers, path
        assert "Access-Control-Allow-Methods" not in refused.headers, path


def test_json_on_a_model_page_is_json_ld(client):
    response = client.get("/model/llama-3.1-8b", headers={"Accept": "application/json"})
    assert response.status_code == 200 and response.mimetype == "application/ld+json"
    graph = rdflib.Graph().parse(data=response.data, format="json-ld")
    assert (rdflib.URIRef(M), rdflib.URIRef("https://schema.org/name"), rdflib.Literal("Llama 3.1 8B")) in graph


def test_pages_and_rdf_have_validators_and_alternates(client):
    for accept in ("text/html", "text/turtle"):
        first = client.get("/model/llama-3.1-8b", headers={"Accept": accept})
        assert first.status_code == 200 and first.headers.get("ETag") and first.headers.get("Last-Modified")
        assert 'rel="alternate"' in first.headers["Link"]
        assert 'type="application/ld+json"' in first.headers["Link"]
        again = client.get("/model/llama-3.1-8b", headers={"Accept": accept, "If-None-Match": first.headers["ETag"]})
        assert again.status_code == 304 and again.data == b""
        since = client.get("/model/llama-3.1-8b", headers={"Accept": accept,
                                                           "If-Modified-Since": first.headers["Last-Modified"]})
        assert since.status_code == 304


def test_context_and_versioned_ontology_resolve(client):
    from kg.records.readers import local_context

    context = client.get("/context.jsonld")
    assert context.status_code == 200 and context.mimetype == "application/ld+json"
    assert json.loads(context.data)["@context"] == local_context()
    ontology = rdflib.Graph().parse(data=client.get("/ontology.ttl").data, format="turtle")
    version_iri = next(ontology.objects(None, rdflib.OWL.versionIRI))
    path = str(version_iri)[len("https://w3id.org/ai-openness"):]
    versioned = client.get(path, headers={"Accept": "text/turtle"})
    assert versioned.status_code == 200 and versioned.mimetype == "text/turtle"
    assert client.get("/ontology/0.0.0-none").status_code == 404


def test_graph_store_default_graph_is_the_sparql_default_graph(client):
    count = json.loads(client.get("/sparql", query_string={"query": "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"})
                       .data)["results"]["bindings"][0]["n"]["value"]
    default = client.get("/store?default", headers={"Accept": "application/n-triples"})
    assert default.status_code == 200
    assert len([line for line in default.data.decode().splitlines() if line.strip()]) == int(count)


def test_dataset_as_nquads_and_trig(client):
    nquads = client.get("/store", headers={"Accept": "application/n-quads"})
    assert nquads.status_code == 200 and nquads.mimetype == "application/n-quads"
    quads = list(ox.parse(nquads.data, format=ox.RdfFormat.N_QUADS))
    graphs = json.loads(client.get("/sparql", query_string={
        "query": "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"}).data)["results"]["bindings"][0]["n"]
    assert len(quads) == int(graphs["value"])
    trig = client.get("/store", query_string={"format": "trig"})
    assert trig.mimetype == "application/trig"
    assert len(list(ox.parse(trig.data, format=ox.RdfFormat.TRIG))) == len(quads)
