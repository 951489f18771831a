"""Hostile requests of issue 13, bounded forms (the long forms: bench/hostile.py and the slow tests below).

- many spellings of SERVICE/LOAD/FROM at a canary TCP listener on loopback: zero connections, each a 4xx;
- the second wall: a worker whose guard would let SERVICE through still cannot connect (network namespace);
- a query past the memory ceiling answers 507 and the next query is answered;
- a runaway update is stopped with 503 and the next write goes through;
- size and nesting limits answer 400 before any worker is involved;
- a FROM naming no graph of the store never runs over the whole store;
- per-client concurrency, CORS on writes, derived graphs, JSON bodies, control characters in pages.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator

import pytest

from server.context import engine_of
from tests.conftest import TOKEN

AUTH = {"Authorization": f"Bearer {TOKEN}"}
UPDATE = {"Content-Type": "application/sparql-update", **AUTH}


class Canary:
    """A TCP listener on 127.0.0.1 that counts connections (and answers nothing)."""

    def __init__(self) -> None:
        self.connections = 0
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(64)
        self.port = self.sock.getsockname()[1]
        self._stop = False
        self.thread = threading.Thread(target=self._accept, daemon=True)
        self.thread.start()

    def _accept(self) -> None:
        self.sock.settimeout(0.2)
        while not self._stop:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            self.connections += 1
            conn.close()

    def close(self) -> None:
        self._stop = True
        self.thread.join(2)
        self.sock.close()


@pytest.fixture()
def canary() -> Iterator[Canary]:
    listener = Canary()
    yield listener
    listener.close()


def spellings(port: int) -> list[str]:
    """SERVICE and FROM at the canary, written every way the grammar allows."""
    url = f"http://127.0.0.1:{port}"
    esc = "".join(f"\\u{ord(c):04x}" for c in "http")
    return [
        f"SELECT * WHERE {{ SERVICE <{url}/s> {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ SERVICE <{esc}://127.0.0.1:{port}/s> {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ SERVICE <\\U00000068ttp://127.0.0.1:{port}/s> {{ ?s ?p ?o }} }}",
        f"select * where {{ service silent <{url}/s> {{ ?s ?p ?o }} }}",
        f"PREFIX c: <{url}/> SELECT * WHERE {{ SERVICE c:s {{ ?s ?p ?o }} }}",
        f"PREFIX c: <{esc}://127.0.0.1:{port}/> SELECT * WHERE {{ SERVICE c:s\\.x {{ }} }}",
        f"BASE <{url}/a/> SELECT * WHERE {{ SERVICE <../s> {{ ?s ?p ?o }} }}",
        f"BASE <{url}/> PREFIX r: <rel/> SELECT * WHERE {{ SERVICE r:x {{ }} }}",
        "SELECT * WHERE { BIND(<http://x> AS ?e) SERVICE ?e { ?s ?p ?o } }",
        f"SELECT * WHERE {{ {{ SELECT * WHERE {{ {{ SELECT * WHERE {{ SERVICE <{url}/s> {{ }} }} }} }} }} }}",
        f"SELECT * WHERE {{ OPTIONAL {{ MINUS {{ SERVICE <{url}/s> {{ }} }} }} }}",
        f"ASK {{ FILTER EXISTS {{ SERVICE <{url}/s> {{ }} }} }}",
        f"SELECT * WHERE {{ SERVICE <http://[::1]:{port}/s> {{ }} }}",
        f"SELECT * WHERE {{ SERVICE <http://2130706433:{port}/s> {{ }} }}",
        f"SELECT * WHERE {{ SERVICE <http://0x7f.1:{port}/s> {{ }} }}",
        f"SELECT * WHERE {{ SERVICE <http://127.1:{port}/s> {{ }} }}",
        f'SELECT * WHERE {{ BIND("\\u0022#" AS ?a) SERVICE <{url}/s> {{ }} }}',
        f"SELECT * FROM <{esc}://127.0.0.1:{port}/g> WHERE {{ ?s ?p ?o }}",
        f"SELECT * FROM NAMED <{url}/g> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}",
        f"BASE <{url}/> SELECT * FROM <g> WHERE {{ ?s ?p ?o }}",
        f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ SERVICE <{url}/s> {{ ?s ?p ?o }} }}",
    ]


def update_spellings(port: int) -> list[str]:
    url = f"http://127.0.0.1:{port}"
    esc = "".join(f"\\u{ord(c):04x}" for c in "http")
    return [
        f"LOAD <{url}/d.ttl>",
        f"LOAD SILENT <{esc}://127.0.0.1:{port}/d.ttl> INTO GRAPH <urn:g>",
        f"PREFIX c: <{url}/> LOAD c:d",
        f"BASE <{url}/> LOAD <d.ttl>",
        f"INSERT DATA {{ <urn:a> <urn:b> <urn:c> }} ; LOAD <{url}/d.ttl>",
        f"INSERT {{ ?s ?p ?o }} WHERE {{ SERVICE <{url}/s> {{ ?s ?p ?o }} }}",
        f"INSERT {{ ?s ?p ?o }} USING <{url}/g> WHERE {{ ?s ?p ?o }}",
        f"WITH <http://[::1]:{port}/g> INSERT {{ ?s ?p ?o }} WHERE {{ ?s ?p ?o }}",
    ]


def test_every_spelling_is_refused_and_nothing_connects(make_app, canary):
    app = make_app(WORKERS=1)
    client = app.test_client()
    for query in spellings(canary.port):
        response = client.get("/sparql", query_string={"query": query})
        assert 400 <= response.status_code < 500, (query, response.data)
        assert b"Traceback" not in response.data
    for update in update_spellings(canary.port):
        response = client.post("/update", data=update, headers=UPDATE)
        assert 400 <= response.status_code < 500, (update, response.data)
    time.sleep(0.3)
    assert canary.connections == 0


def test_refusals_do_not_tell_open_ports_from_closed(make_app, canary):
    client = make_app(WORKERS=1).test_client()
    closed = socket.socket()
    closed.bind(("127.0.0.1", 0))
    closed_port = closed.getsockname()[1]
    closed.close()
    texts = [client.get("/sparql", query_string={"query": f"SELECT * {{ SERVICE <http://127.0.0.1:{p}/s> {{}} }}"})
             .data.replace(str(p).encode(), b"PORT") for p in (canary.port, closed_port)]
    assert texts[0] == texts[1]


def test_the_sandbox_stops_what_the_guard_lets_through(make_app, canary):
    """With 127.0.0.1 allow-listed the guard passes SERVICE; the worker still cannot connect."""
    app = make_app(WORKERS=1, ALLOWED_HOSTS=("127.0.0.1",))
    client = app.test_client()
    response = client.get("/sparql", query_string={
        "query": f"SELECT * WHERE {{ SERVICE <http://127.0.0.1:{canary.port}/s> {{ ?s ?p ?o }} }}"})
    pool = engine_of(app).pool
    assert pool is not None
    if not (pool.sandbox() or "").startswith("network namespace"):
        pytest.skip(f"no network namespace on this machine: {pool.sandbox()}")
    assert response.status_code == 400, response.data
    time.sleep(0.3)
    assert canary.connections == 0


def test_from_an_absent_graph_never_runs_over_the_whole_store(client):
    query = "SELECT (COUNT(*) AS ?n) FROM <\\u0068ttp://example.org/none> WHERE { ?s ?p ?o }"
    response = client.get("/sparql", query_string={"query": query})
    assert response.status_code == 400 and b"names no graph" in response.data


def test_limits_answer_400_before_any_worker(app, client):
    pool = engine_of(app).pool
    assert pool is not None
    kills = pool.kills
    nested = "SELECT * WHERE " + "{ " * 3000 + "?s ?p ?o " + "} " * 3000
    started = time.monotonic()
    response = client.post("/sparql", data=nested, headers={"Content-Type": "application/sparql-query"})
    assert response.status_code == 400 and b"nests" in response.data
    big = "SELECT * WHERE { ?s ?p ?o } #" + "x" * (300 * 1024)
    response = client.post("/sparql", data=big, headers={"Content-Type": "application/sparql-query"})
    assert response.status_code == 400 and b"characters long" in response.data
    assert time.monotonic() - started < 5
    assert pool.kills == kills
    ok = client.get("/sparql", query_string={"query": "ASK { ?s ?p ?o }"})
    assert ok.status_code == 200


def test_a_query_past_the_memory_ceiling_answers_507_and_others_go_on(make_app):
    app = make_app(STORE="bundled", WORKERS=1, MEMORY_LIMIT=400 << 20, QUERY_TIMEOUT=60)
    client = app.test_client()
    query = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f } ORDER BY ?c ?f LIMIT 1"
    response = client.get("/sparql", query_string={"query": query})
    assert response.status_code == 507, response.data
    assert b"memory" in response.data
    after = client.get("/sparql", query_string={"query": "SELECT (COUNT(*) AS ?n) { ?s ?p ?o }"})
    assert after.status_code == 200


def test_a_runaway_update_is_stopped_and_later_writes_proceed(make_app):
    app = make_app(WORKERS=1, QUERY_TIMEOUT=3)
    client = app.test_client()
    seed = "INSERT DATA { " + " ".join(f"<urn:s{i}> <urn:p> <urn:o{i}> ." for i in range(300)) + " }"
    assert client.post("/update", data=seed, headers=UPDATE).status_code == 200
    runaway = ("INSERT { ?a <urn:q> ?f } WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l "
               "FILTER(STR(?c) = STR(?l)) }")
    started = time.monotonic()
    response = client.post("/update", data=runaway, headers=UPDATE)
    assert response.status_code == 503 and b"nothing was changed" in response.data
    assert time.monotonic() - started < 20
    later = client.post("/update", data="INSERT DATA { <urn:x> <urn:p> <urn:y> }", headers=UPDATE)
    assert later.status_code == 200, later.data


def test_per_client_concurrency(make_app):
    from server.context import admission_of

    admission = admission_of(make_app(CLIENT_CONCURRENT=2))
    assert admission.enter("a") is None and admission.enter("a") is None
    refusal = admission.enter("a")
    assert refusal is not None and "already has 2" in refusal.reason
    assert admission.enter("b") is None  # another client is still served
    admission.leave("a")
    assert admission.enter("a") is None


def test_writes_get_no_cors_reads_do(make_app):
    client = make_app().test_client()
    read = client.get("/sparql", query_string={"query": "ASK {}"}, headers={"Origin": "http://evil.example"})
    assert read.headers.get("Access-Control-Allow-Origin") == "*"
    for response in (
        client.post("/update", data="INSERT DATA { <urn:a> <urn:b> <urn:c> }", headers={**UPDATE, "Origin": "x"}),
        client.put("/store?graph=urn:g", data="<urn:a> <urn:b> <urn:c> .",
                   headers={"Content-Type": "text/turtle", "Origin": "x", **AUTH}),
        client.post("/sparql", data={"update": "INSERT DATA { <urn:a> <urn:b> <urn:d> }"},
                    headers={"Origin": "x", **AUTH}),
    ):
        assert "Access-Control-Allow-Origin" not in response.headers, response.status_code
    allowed = make_app(CORS_WRITE_ORIGINS=("https://admin.example",)).test_client()
    response = allowed.post("/update", data="INSERT DATA { <urn:a> <urn:b> <urn:c> }",
                            headers={**UPDATE, "Origin": "https://admin.example"})
    assert response.headers.get("Access-Control-Allow-Origin") == "https://admin.example"


def test_derived_graphs_and_json_bodies_are_refused(make_app):
    app = make_app(WORKERS=1)
    client = app.test_client()
    assert client.post("/update", data="INSERT DATA { <urn:a> <urn:b> <urn:c> }", headers=UPDATE).status_code == 200
    count = "SELECT (COUNT(*) AS ?n) { ?s ?p ?o }"
    before = client.get("/sparql", query_string={"query": count}).json
    for method in ("delete", "put", "post"):
        response = getattr(client, method)("/store?graph=https://w3id.org/ai-openness/graph/ontology",
                                           data="<urn:a> <urn:b> <urn:c> .",
                                           headers={"Content-Type": "text/turtle", **AUTH})
        assert response.status_code == 409 and b"derived" in response.data
    added = client.post("/update", headers=UPDATE, data=(
        "INSERT DATA { GRAPH <https://w3id.org/ai-openness/graph/inferred> { <urn:a> <urn:b> <urn:c> } }"))
    assert added.status_code == 409
    dropped = client.post("/update", data="DROP GRAPH <https://w3id.org/ai-openness/graph/ontology>", headers=UPDATE)
    assert dropped.status_code == 200 and b" 0 statements added, 0 removed" in dropped.data  # rebuilt: no change
    json_body = client.post("/store?default", data='{"a": 1}', headers={"Content-Type": "application/json", **AUTH})
    assert json_body.status_code == 415
    assert client.get("/sparql", query_string={"query": count}).json == before


def test_control_characters_are_visible_in_pages(make_app):
    from server.templating import visible_controls

    assert visible_controls("a\x00b\x1bc") == "a\\u0000b\\u001Bc"
    app = make_app()
    with app.app_context():
        html = app.jinja_env.from_string("<p>{{ name }}</p>").render(name="Model\x00X")
    assert "\x00" not in html and "Model\\u0000X" in html
