"""The query's dataset (protocol parameters, FROM, the union default graph), base IRIs, the Protocol's
using-graph-uri on updates, and engine errors answered 400 (never 500), in-process and in workers."""

from __future__ import annotations

import json

import pytest

from server.guard import ForbiddenQueryError
from server.update_dataset import with_using
from tests.conftest import TOKEN

AUTH = {"Authorization": f"Bearer {TOKEN}"}
G1, G2, OUT = "http://example.org/g1", "http://example.org/g2", "http://example.org/out"
DATA = f"""INSERT DATA {{
  GRAPH <{G1}> {{ <http://example.org/a> <http://example.org/p> "in g1" }}
  GRAPH <{G2}> {{ <http://example.org/b> <http://example.org/p> "in g2" }}
}}"""


def values(response) -> list[str]:  # type: ignore[no-untyped-def]
    assert response.status_code == 200, response.data
    doc = json.loads(response.data)
    return sorted(v["value"] for b in doc["results"]["bindings"] for v in b.values())


@pytest.fixture(params=[True, False], ids=["workers", "in-process"])
def client(request, make_app):  # type: ignore[no-untyped-def]
    """A writable memory store holding two named graphs (the bundled ontology is added by every write)."""
    app = make_app(USE_WORKERS=request.param)
    test_client = app.test_client()
    assert test_client.post("/update", data={"update": DATA}, headers=AUTH).status_code == 200
    return test_client


def query(client, text: str, **params: str | list[str]):  # type: ignore[no-untyped-def]
    return client.get("/sparql", query_string={"query": text, **params})


def test_union_default_graph_without_a_dataset(client):
    assert values(query(client, "SELECT ?o { ?s <http://example.org/p> ?o }")) == ["in g1", "in g2"]


def test_from_and_from_named_are_honoured(client):
    assert values(query(client, f"SELECT ?o FROM <{G1}> {{ ?s ?p ?o }}")) == ["in g1"]
    # FROM NAMED alone: the default graph is empty
    assert values(query(client, f"SELECT ?o FROM NAMED <{G2}> {{ ?s ?p ?o }}")) == []
    assert values(query(client, f"SELECT ?o FROM NAMED <{G2}> {{ GRAPH ?g {{ ?s ?p ?o }} }}")) == ["in g2"]


def test_protocol_dataset_wins_over_from(client):
    text = f"SELECT ?o FROM <{G1}> {{ ?s ?p ?o }}"
    assert values(query(client, text, **{"default-graph-uri": G2})) == ["in g2"]
    # named-graph-uri alone: the default graph is empty, the named graphs are the ones given
    assert values(query(client, "SELECT ?o { ?s ?p ?o }", **{"named-graph-uri": G1})) == []
    assert values(query(client, "SELECT ?g { GRAPH ?g { ?s ?p ?o } }", **{"named-graph-uri": G1})) == [G1]


def test_absent_graph_is_an_empty_graph(client):
    assert values(query(client, "SELECT * { ?s ?p ?o }", **{"default-graph-uri": "http://example.org/none"})) == []
    assert values(query(client, "SELECT * { GRAPH ?g { ?s ?p ?o } }",
                        **{"named-graph-uri": "urn:x-absent"})) == []
    ask = client.post("/sparql?default-graph-uri=http%3A%2F%2Fexample.org%2Fnone", data={"query": "ASK {}"})
    assert ask.status_code == 200 and json.loads(ask.data)["boolean"] is True


@pytest.mark.parametrize("graph", ["file:///etc/passwd", "http://localhost/g", "http://192.168.1.1/g",
                                   "http://[::1]/g", "relative", "http://e.org/a>b"])
def test_private_or_broken_dataset_iris_are_refused(client, graph):
    response = query(client, "SELECT * { ?s ?p ?o }", **{"default-graph-uri": graph})
    assert response.status_code == 400 and response.mimetype == "text/plain"


def test_unknown_extension_function_is_an_expression_error(client):
    """An unknown function evaluates to an error, as any SPARQL expression error: unbound, or false in a
    FILTER (pyoxigraph alone refuses the whole query, which answered 500 here once)."""
    text = ("SELECT ?o ?x { ?s <http://example.org/p> ?o BIND(<http://example.org/fn>(?o) AS ?x) "
            "FILTER(!<http://example.org/other>(?o) || BOUND(?o)) }")
    assert values(query(client, text)) == ["in g1", "in g2"]
    assert values(query(client, "SELECT * { ?s ?p ?o FILTER(<http://example.org/fn>(?o)) }")) == []
    many = " ".join(f"BIND(<http://example.org/f{i}>() AS ?v{i})" for i in range(40))
    response = query(client, f"SELECT * {{ {many} }}")
    assert response.status_code == 400 and b"not supported" in response.data, response.data
    assert query(client, "ASK {}").status_code == 200


def test_queries_and_updates_resolve_relative_iris_against_the_endpoint(client):
    assert values(query(client, "SELECT ?o { <relative> ?p ?o }")) == []
    update = client.post("/update", data={"update": "INSERT DATA { GRAPH <g3> { <test> <p> 'x' } }"},
                         headers=AUTH)
    assert update.status_code == 200, update.data
    assert values(query(client, "SELECT ?s { GRAPH <http://localhost/g3> { ?s ?p ?o } }")) == [
        "http://localhost/test"]
    assert values(query(client, "SELECT ?o { <test> <p> ?o }")) == ["x"]


def update(client, text: str, **params: str | list[str]):  # type: ignore[no-untyped-def]
    return client.post("/update", query_string=params, data=text, content_type="application/sparql-update",
                       headers=AUTH)


def test_using_graph_uri(client):
    response = update(client, f"INSERT {{ GRAPH <{OUT}> {{ ?s a <http://example.org/T> }} }} WHERE {{ ?s ?p ?o }}",
                      **{"using-graph-uri": G1})
    assert response.status_code == 200, response.data
    assert values(query(client, f"SELECT ?s {{ GRAPH <{OUT}> {{ ?s ?p ?o }} }}")) == ["http://example.org/a"]


def test_using_named_graph_uri_and_delete_where(client):
    response = update(client, f"INSERT {{ GRAPH <{OUT}> {{ ?s a <http://example.org/T> }} }} "
                              "WHERE { GRAPH ?g { ?s ?p ?o } }", **{"using-named-graph-uri": G2})
    assert response.status_code == 200, response.data
    assert values(query(client, f"SELECT ?s {{ GRAPH <{OUT}> {{ ?s ?p ?o }} }}")) == ["http://example.org/b"]
    # DELETE WHERE over a dataset with only G1 as default graph: the triple sits in G1's default view only
    response = update(client, "DELETE WHERE { ?s <http://example.org/p> ?o }", **{"using-graph-uri": G1})
    assert response.status_code == 200, response.data


@pytest.mark.parametrize("text", [
    f"INSERT {{ <urn:a> <urn:b> ?o }} USING <{G1}> WHERE {{ ?s ?p ?o }}",
    f"WITH <{G1}> INSERT {{ <urn:a> <urn:b> ?o }} WHERE {{ ?s ?p ?o }}",
])
def test_using_graph_uri_conflicts_with_the_updates_own_dataset(client, text):
    response = update(client, text, **{"using-graph-uri": G2})
    assert response.status_code == 400 and b"cannot be added" in response.data


@pytest.mark.parametrize("graph", ["http://e.org/x> } ; DROP ALL ; INSERT { <a> <b> <c> } WHERE { #",
                                   "file:///etc/passwd", "not an iri"])
def test_using_graph_uri_cannot_inject_or_point_at_files(client, graph):
    before = values(query(client, "SELECT (COUNT(*) AS ?n) { GRAPH ?g { ?s ?p ?o } }"))
    response = update(client, "INSERT { <urn:a> <urn:b> ?o } WHERE { ?s ?p ?o }", **{"using-graph-uri": graph})
    assert response.status_code == 400
    assert values(query(client, "SELECT (COUNT(*) AS ?n) { GRAPH ?g { ?s ?p ?o } }")) == before


def test_with_using_leaves_strings_comments_and_nested_where_alone():
    text = ('PREFIX e: <http://e/> INSERT { e:s e:p "WHERE" } # WHERE\n'
            'WHERE { { SELECT ?x WHERE { ?x ?y ?z } } } ; INSERT DATA { e:a e:b "c" }')
    assert with_using(text, ["http://e/g"], []) == (
        'PREFIX e: <http://e/> INSERT { e:s e:p "WHERE" } # WHERE\n'
        'USING <http://e/g> WHERE { { SELECT ?x WHERE { ?x ?y ?z } } } ; INSERT DATA { e:a e:b "c" }')
    with pytest.raises(ForbiddenQueryError):
        with_using(text, ["<bad>"], [])
