"""A request a worker answered cheaply runs in the request thread when repeated on the same snapshot
(server.repeats), with the same answer; volatile queries, slow ones, SERVICE, and any request after a
write go to a worker."""

from __future__ import annotations

import pytest

from server import engine_of
from server.executor import QueryRequest
from server.repeats import OVERRUN, CostBook, is_deterministic
from server.results import Answer
from tests.conftest import TOKEN

AUTH = {"Authorization": f"Bearer {TOKEN}"}
AIO = "https://w3id.org/ai-openness/ontology#"
COUNT = (f"SELECT ?c (COUNT(DISTINCT ?m) AS ?n) WHERE {{ VALUES ?c {{ <{AIO}OpenWeightModel> "
         f"<{AIO}OpenSourceModel> }} ?m a ?c }} GROUP BY ?c ORDER BY ?c")


def ask(client, query: str, accept: str = "application/sparql-results+json", graph: str | None = None):  # type: ignore[no-untyped-def]
    params = {"query": query} if graph is None else {"query": query, "default-graph-uri": graph}
    response = client.get("/sparql", query_string=params, headers={"Accept": accept})
    assert response.status_code == 200, response.data
    return response


@pytest.mark.parametrize("accept", ["application/sparql-results+json", "text/csv",
                                    "application/sparql-results+xml", "text/tab-separated-values"])
def test_a_repeat_runs_in_thread_with_the_workers_answer(app, client, accept):
    engine = engine_of(app)
    query = f"{COUNT} # {accept}"  # a text of its own, so the first run is a worker's
    before = engine.repeat_queries
    first = ask(client, query, accept)
    assert engine.repeat_queries == before
    again = ask(client, query, accept)
    assert engine.repeat_queries == before + 1
    assert again.data == first.data
    assert sorted(again.headers.items()) == sorted(first.headers.items())


def test_repeats_keep_the_row_cap(make_app):
    app = make_app(STORE="bundled", ROW_LIMIT=5, TOKEN=None)
    client = app.test_client()
    query = f"SELECT ?m {{ ?m a <{AIO}AIModel> }} ORDER BY ?m"  # not a single pattern: a worker first
    first, again = ask(client, query), ask(client, query)
    assert engine_of(app).repeat_queries == 1
    assert again.headers["X-Openness-Truncated"] == first.headers["X-Openness-Truncated"] == "5"
    assert again.data == first.data


def test_each_format_and_dataset_is_its_own_request(app, client):
    engine = engine_of(app)
    query = f"{COUNT} # formats"
    before = engine.repeat_queries
    ask(client, query)
    ask(client, query, "text/csv")
    ask(client, query, graph="https://w3id.org/ai-openness/graph/inferred")
    assert engine.repeat_queries == before  # three first runs
    ask(client, query, "text/csv")
    assert engine.repeat_queries == before + 1


@pytest.mark.parametrize("query", [
    "SELECT (NOW() AS ?t) { }",
    "SELECT ?s { ?s ?p ?o FILTER(RAND() < 0.5) } LIMIT 1 OFFSET 1",
    "SELECT (struuid() AS ?u) (UUID() AS ?v) (BNODE() AS ?b) { }",
])
def test_volatile_queries_always_go_to_a_worker(app, client, query):
    engine = engine_of(app)
    before = engine.repeat_queries
    for _ in range(3):
        ask(client, query)
    assert engine.repeat_queries == before


def test_a_write_sends_the_next_run_to_a_worker(make_app):
    app = make_app()
    client = app.test_client()
    query = "SELECT (COUNT(*) AS ?n) { GRAPH ?g { ?s ?p ?o } }"
    counts = []
    for value in ("one", "two"):
        triple = f"<http://example.org/s> <http://example.org/p> '{value}'"
        insert = f"INSERT DATA {{ GRAPH <http://example.org/g> {{ {triple} }} }}"
        assert client.post("/update", data={"update": insert}, headers=AUTH).status_code == 200
        before = engine_of(app).repeat_queries
        first = ask(client, query, "text/csv")
        assert engine_of(app).repeat_queries == before  # new snapshot: measured again in a worker
        assert ask(client, query, "text/csv").data == first.data
        assert engine_of(app).repeat_queries == before + 1
        counts.append(first.data)
    assert counts[0] != counts[1]  # each run saw its write


def test_no_repeats_with_a_zero_budget(make_app):
    app = make_app(STORE="bundled", TOKEN=None, REPEAT_BUDGET=0)
    client = app.test_client()
    for _ in range(3):
        ask(client, COUNT)
    assert engine_of(app).repeat_queries == 0


def test_the_budget_is_at_most_a_tenth_of_the_timeout(make_app):
    app = make_app(QUERY_TIMEOUT=0.5, REPEAT_BUDGET=1.0)
    assert engine_of(app).costs.budget == pytest.approx(0.05)


def test_the_book_keeps_cheap_repeatable_answers_of_the_current_generation():
    book = CostBook(budget=0.1)
    cheap = Answer("text/csv", b"", rows=3, seconds=0.01)
    request = QueryRequest("SELECT * { ?s ?p ?o }")
    book.record(request, request.sparql, [], 7, cheap)
    cost = book.admits(request, 7)
    assert cost is not None and cost.rows == 3 and not cost.truncated
    assert book.admits(request, 8) is None  # after a write
    slow = QueryRequest("SELECT * { ?s ?p ?o } # slow")
    book.record(slow, slow.sparql, [], 7, Answer("text/csv", b"", seconds=0.2))
    unmeasured = QueryRequest("SELECT * { ?s ?p ?o } # unmeasured")
    book.record(unmeasured, unmeasured.sparql, [], 7, Answer("text/csv", b""))
    remote = QueryRequest("SELECT * { SERVICE <http://e/> { ?s ?p ?o } }")
    book.record(remote, remote.sparql, [("SERVICE", "http://e/")], 7, cheap)
    assert book.admits(slow, 7) is book.admits(unmeasured, 7) is book.admits(remote, 7) is None
    book.observe(request, OVERRUN * 0.1 * 0.9)  # slower than measured, within bounds: kept
    assert book.admits(request, 7) is not None
    book.observe(request, OVERRUN * 0.1 * 1.1)  # far over the budget: back to the workers
    assert book.admits(request, 7) is None


def test_volatile_functions_are_found_as_calls_not_in_strings_or_names():
    assert not is_deterministic("SELECT ?s { ?s ?p ?o FILTER(?o < now()) }")
    assert is_deterministic('PREFIX e: <http://e/> SELECT ?now { ?now e:RAND "UUID()" } # BNODE()')


def test_a_query_stopped_by_the_timeout_is_stopped_again(make_app):
    app = make_app(STORE="bundled", TOKEN=None, QUERY_TIMEOUT=1.0)
    client = app.test_client()
    query = "SELECT (COUNT(*) AS ?n) { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
    for _ in range(2):
        assert client.get("/sparql", query_string={"query": query}).status_code == 503
    assert engine_of(app).repeat_queries == 0


def test_long_texts_are_not_kept(app, client):
    engine = engine_of(app)
    query = f"{COUNT} #{'x' * 20_000}"  # a cheap query with a long comment, as a POST body
    for _ in range(2):
        response = client.post("/sparql", data=query, content_type="application/sparql-query",
                               headers={"Accept": "text/csv"})
        assert response.status_code == 200
    assert all(len(key[0]) <= 16_384 for key in engine._checked)
    request = QueryRequest(query)
    assert not any(getattr(r, "sparql", "") == query for r in engine.costs._cheap)
    book = CostBook(budget=0.1)
    book.record(request, query, [], 1, Answer("text/csv", b"", seconds=0.001))
    assert book.admits(request, 1) is None
