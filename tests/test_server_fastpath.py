"""Single-pattern queries are answered in the request thread (server.fastpath), with the same answer as a
worker gives, the row cap, the dataset rules, and the data of the latest write; anything else goes to a
worker, so the timeout still stops it."""

from __future__ import annotations

import json

import pytest

from server import engine_of
from server.executor import QueryRequest
from server.fastpath import is_single_pattern
from tests.conftest import TOKEN

AUTH = {"Authorization": f"Bearer {TOKEN}"}
MODEL = "https://w3id.org/ai-openness/model/"


@pytest.mark.parametrize(("text", "small"), [
    (f"SELECT ?p ?o WHERE {{ <{MODEL}x> ?p ?o }}", True),
    (f"PREFIX m: <{MODEL}> SELECT * {{ m:x a ?c . }} LIMIT 5", True),
    ("BASE <http://e/> SELECT ?s { ?s <p> 'literal' }", True),
    ("select ?s ?p ?o where { ?s ?p ?o } limit 10", True),
    ("SELECT ?s { ?s ?p 'x'@en }", False),
    ("SELECT ?s { ?s ?p ?s }", False),
    ("SELECT DISTINCT ?s { ?s ?p ?o }", False),
    ("SELECT ?s { ?s ?p ?o } OFFSET 100000", False),
    ("SELECT ?s { ?s ?p ?o } ORDER BY ?s", False),
    ("SELECT ?s FROM <http://e/g> { ?s ?p ?o }", False),
    ("SELECT ?s { ?s <p>/<q> ?o }", False),
    ("SELECT ?s { ?s ?p ?o . ?o ?q ?r }", False),
    ("SELECT ?s { ?s ?p ?o FILTER(?o) }", False),
    ("SELECT ?s { ?s ?p ?o } # }", True),
    ("SELECT ?s { ?s ?p '}' }", True),
    ("ASK { ?s ?p ?o }", False),
    ("SELECT ?s { SERVICE <http://e/> { ?s ?p ?o } }", False),
    ("SELECT ?s { ?s ?p ?o } LIMIT", False),
    ("SELECT ?s { ?s ?p 'unterminated }", False),
])
def test_recognised_shapes(text, small):
    assert is_single_pattern(text) is small


def rows(response) -> list[dict[str, str]]:  # type: ignore[no-untyped-def]
    assert response.status_code == 200, response.data
    return [{k: v["value"] for k, v in b.items()} for b in json.loads(response.data)["results"]["bindings"]]


def test_small_queries_answer_as_workers_do(app, client):
    engine = engine_of(app)
    model = rows(client.get("/sparql", query_string={
        "query": "SELECT ?m { ?m a <https://w3id.org/ai-openness/ontology#AIModel> } LIMIT 1"}))[0]["m"]
    lookup = f"SELECT ?p ?o WHERE {{ <{model}> ?p ?o }}"
    before = engine.small_queries
    fast = client.get("/sparql", query_string={"query": lookup}, headers={"Accept": "text/csv"})
    assert engine.small_queries == before + 1
    request = QueryRequest(lookup, accept="text/csv")
    assert engine.pool is not None
    assert fast.data == engine.pool.run(request).body  # the worker's answer, byte for byte
    assert len(rows(client.get("/sparql", query_string={"query": lookup}))) > 10


def test_small_queries_keep_the_row_cap_and_dataset_rules(make_app):
    app = make_app(STORE="bundled", ROW_LIMIT=7, TOKEN=None)
    client = app.test_client()
    response = client.get("/sparql", query_string={"query": "SELECT * { ?s ?p ?o }"})
    assert len(rows(response)) == 7 and response.headers["X-Openness-Truncated"] == "7"
    absent = client.get("/sparql", query_string={"query": "SELECT * { ?s ?p ?o }",
                                                 "default-graph-uri": "http://example.org/none"})
    assert rows(absent) == []
    assert engine_of(app).small_queries == 2


def test_small_queries_see_the_latest_write(make_app):
    app = make_app()
    client = app.test_client()
    query = {"query": "SELECT ?o { <http://example.org/s> <http://example.org/p> ?o }"}
    assert rows(client.get("/sparql", query_string=query)) == []
    for value in ("one", "two"):
        update = (f"DELETE WHERE {{ GRAPH <http://example.org/g> {{ ?s ?p ?o }} }} ; INSERT DATA {{ GRAPH "
                  f"<http://example.org/g> {{ <http://example.org/s> <http://example.org/p> '{value}' }} }}")
        assert client.post("/update", data={"update": update}, headers=AUTH).status_code == 200
        assert rows(client.get("/sparql", query_string=query)) == [{"o": value}]
    assert engine_of(app).small_queries == 3
