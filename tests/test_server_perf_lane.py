"""server.lane answers plain ``GET /sparql?query=`` requests without Flask's request machinery: these tests
prove it answers exactly as the Flask route does (status, headers, body; errors, truncation, admission),
and that the caches it and the engine keep (parsed query strings, guard verdicts) change no answer, even
across a write."""

from __future__ import annotations

import pytest

from server import engine_of
from tests.conftest import TOKEN

AIO = "https://w3id.org/ai-openness/ontology#"
LOOKUP = f"SELECT ?p ?o WHERE {{ ?m a <{AIO}AIModel> ; ?p ?o }} LIMIT 5"
REQUESTS = [
    ({"query": "SELECT * { ?s ?p ?o } LIMIT 3"}, {}),  # single pattern (fast path)
    ({"query": "SELECT * { ?s ?p ?o }"}, {}),  # fast path, past the row cap
    ({"query": f"SELECT (COUNT(*) AS ?n) {{ ?m a <{AIO}AIModel> }}"}, {"Accept": "text/csv"}),  # a worker
    ({"query": LOOKUP, "format": "xml"}, {}),
    ({"query": "SELECT * { ?s ?p ?o } LIMIT 2"}, {"Accept": "text/tab-separated-values"}),
    ({"query": "ASK { ?s ?p ?o }"}, {"Accept": "application/sparql-results+xml;q=0.5, text/csv"}),
    ({"query": f"CONSTRUCT {{ ?m a <{AIO}AIModel> }} WHERE {{ ?m a <{AIO}AIModel> }} LIMIT 2"}, {}),
    ({"query": "SELECT * { ?s ?p ?o } LIMIT 1", "default-graph-uri": "http://example.org/none"}, {}),
    ({"query": "SELECT * WHERE { ?s ?p"}, {}),  # syntax error: 400
    ({"query": "SELECT ?o ?o { ?s ?p ?o }"}, {}),  # a single pattern the engine refuses (projected twice): 400
    ({"query": "SELECT * { SERVICE <http://example.org/> { ?s ?p ?o } }"}, {}),  # refused: 400
    ({"query": "SELECT * { ?s ?p ?o } LIMIT 1"}, {"Accept": "image/png"}),  # 406
    ({"query": "SELECT * { ?s ?p ?o } LIMIT 1", "format": "png"}, {}),  # 406
    ({"query": "SELECT * { ?s ?p ?o } LIMIT 1", "output": "csv"}, {}),
    ({"query": "SELECT * { ?s ?p ?o } LIMIT 1", "default-graph-uri": "file:///etc/passwd"}, {}),  # 400
]
#: Requests the lane leaves to Flask (which answers them as before).
TO_FLASK = [
    {"query": ["SELECT * {}", "ASK {}"]},  # two queries: 400
    {"query": "ASK {}", "update": "CLEAR ALL"},  # an update by GET: 405
    {"query": "ASK {}", "callback": "x"},  # a parameter the lane does not know
    {"query": "   "},  # empty: 400
    {},  # no query: the service description
]


@pytest.fixture(scope="module")
def flask_only():  # type: ignore[no-untyped-def]
    """The same endpoint as the session ``app``, every request through Flask."""
    from server import create_app

    application = create_app({"TESTING": True, "QUERY_TIMEOUT": 20.0, "WORKERS": 1, "ROW_LIMIT": 10_000,
                              "LANE": False})
    yield application
    engine_of(application).close()


def same(a, b) -> None:  # type: ignore[no-untyped-def]
    assert a.status_code == b.status_code, (a.data[:200], b.data[:200])
    blank = any(mark in a.data + b.data for mark in (b"_:", b"bnode"))  # labels differ between two stores
    skip = {"Content-Length"} if blank else set()
    assert sorted(h for h in a.headers.items() if h[0] not in skip) == sorted(
        h for h in b.headers.items() if h[0] not in skip)
    if a.status_code == 200 and not blank:
        assert a.data == b.data


@pytest.mark.parametrize(("params", "headers"), REQUESTS)
def test_the_lane_answers_as_flask_does(app, flask_only, params, headers):
    lane = app.wsgi_app
    before = lane.answered
    ours = app.test_client().get("/sparql", query_string=params, headers=headers)
    assert lane.answered == before + 1
    assert ours.status_code < 500, ours.data[:200]  # a client's mistake is never a server error
    same(ours, flask_only.test_client().get("/sparql", query_string=params, headers=headers))
    again = app.test_client().get("/sparql", query_string=params, headers=headers)  # from the caches
    assert (again.status_code, sorted(again.headers.items())) == (ours.status_code, sorted(ours.headers.items()))


def test_the_lane_keeps_the_row_cap_signal(app):
    response = app.test_client().get("/sparql", query_string={"query": "SELECT * { ?s ?p ?o }"})
    assert response.status_code == 200
    assert response.headers["X-Openness-Truncated"] == "10000" and response.headers["X-Openness-Rows"] == "10000"


@pytest.mark.parametrize("params", TO_FLASK)
def test_other_requests_go_to_flask(app, flask_only, params):
    lane = app.wsgi_app
    before = lane.answered
    same(app.test_client().get("/sparql", query_string=params), flask_only.test_client().get("/sparql",
                                                                                               query_string=params))
    assert lane.answered == before


def test_the_lane_refuses_past_the_admission_budget(make_app):
    app = make_app(MAX_CONCURRENT=1, ADMISSION_WAIT=0)
    admission = app.extensions["openness.admission"]
    engine = engine_of(app)
    assert admission.enter("someone") is None  # the one slot is taken
    try:
        started = engine.queries_started
        response = app.test_client().get("/sparql", query_string={"query": "ASK {}"})
        assert response.status_code == 429 and response.headers["Retry-After"] == "1"
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert engine.queries_started == started  # refused before it ran
    finally:
        admission.leave()
    assert app.test_client().get("/sparql", query_string={"query": "ASK {}"}).status_code == 200


def test_cached_guard_verdicts_follow_writes(make_app):
    app = make_app()
    client = app.test_client()
    auth = {"Authorization": f"Bearer {TOKEN}"}
    query = {"query": "SELECT * FROM <http://example.org/g> { ?s ?p ?o }"}
    assert client.get("/sparql", query_string=query).status_code == 400  # names no graph of the store
    insert = "INSERT DATA { GRAPH <http://example.org/g> { <http://example.org/s> <http://example.org/p> 1 } }"
    assert client.post("/update", data={"update": insert}, headers=auth).status_code == 200
    assert client.get("/sparql", query_string=query).status_code == 200
    assert client.get("/sparql", query_string=query).status_code == 200  # the verdict is cached...
    assert client.post("/update", data={"update": "DROP GRAPH <http://example.org/g>"}, headers=auth).status_code == 200
    assert client.get("/sparql", query_string=query).status_code == 400  # ...until the next write
