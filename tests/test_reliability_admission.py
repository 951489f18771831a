"""Admission control: past the concurrency or per-client budget the answer is 429 with Retry-After, and the
refused operation never starts (the engine's query counter does not move; a refused update changes nothing).
"""

from __future__ import annotations

import threading
import time

from server import engine_of
from server.admission import Admission, TokenBuckets
from tests.conftest import TOKEN

HEAVY = "SELECT (COUNT(*) AS ?n) WHERE { " + " ".join(
    f"VALUES ?v{i} {{ {' '.join(str(n) for n in range(60))} }}" for i in range(6)) + " }"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"


def test_token_bucket_refills_at_its_rate():
    buckets = TokenBuckets(rate=2.0, burst=3)
    assert [buckets.take("a", now=0.0) for _ in range(3)] == [0.0, 0.0, 0.0]
    assert buckets.take("a", now=0.0) == 0.5  # one token comes every half second
    assert buckets.take("b", now=0.0) == 0.0  # another client has its own bucket
    assert buckets.take("a", now=0.6) == 0.0
    assert buckets.take("a", now=0.6) > 0


def test_bucket_forgets_the_oldest_clients():
    buckets = TokenBuckets(rate=1.0, burst=1, max_clients=2)
    for key in ("a", "b", "c"):
        buckets.take(key, now=0.0)
    assert buckets.take("a", now=0.0) == 0.0  # forgotten, so a fresh bucket


def test_semaphore_refuses_past_its_slots():
    admission = Admission(max_concurrent=2)
    assert admission.enter("x") is None and admission.enter("y") is None
    refusal = admission.enter("z")
    assert refusal is not None and refusal.retry_after == 1
    admission.leave("x")
    assert admission.enter("z") is None
    assert (admission.admitted, admission.refused) == (3, 1)


def test_per_client_budget_gives_429_and_does_not_run_the_query(make_app):
    app = make_app(CLIENT_RATE=0.01, CLIENT_BURST=2, TOKEN=None)
    engine = engine_of(app)
    client = app.test_client()
    for _ in range(2):
        assert client.get("/sparql", query_string={"query": COUNT}).status_code == 200
    started = engine.queries_started
    refused = client.get("/sparql", query_string={"query": COUNT})
    assert refused.status_code == 429
    assert int(refused.headers["Retry-After"]) >= 1
    assert refused.data.startswith(b"429 too many requests")
    assert engine.queries_started == started  # refused before it ran
    other = app.test_client().get("/sparql", query_string={"query": COUNT},
                                  environ_base={"REMOTE_ADDR": "192.0.2.7"})
    assert other.status_code == 200  # the budget is per client address
    # pages are not SPARQL operations and are not rationed
    assert client.get("/ontology.ttl").status_code == 200


def test_concurrency_budget_gives_429_and_refused_writes_change_nothing(make_app):
    app = make_app(MAX_CONCURRENT=1, ADMISSION_WAIT=0.0, QUERY_TIMEOUT=3.0)
    engine = engine_of(app)
    client = app.test_client()
    slow: dict[str, int] = {}

    def run_heavy() -> None:
        slow["status"] = app.test_client().get("/sparql", query_string={"query": HEAVY}).status_code

    thread = threading.Thread(target=run_heavy)
    thread.start()
    deadline = time.monotonic() + 10
    while engine.queries_started == 0 and time.monotonic() < deadline:
        time.sleep(0.01)
    assert engine.queries_started == 1
    refused = client.get("/sparql", query_string={"query": COUNT})
    assert refused.status_code == 429 and refused.headers["Retry-After"] == "1"
    update = client.post("/update", data="INSERT DATA { <urn:a> <urn:b> <urn:c> }",
                         content_type="application/sparql-update", headers=AUTH)
    assert update.status_code == 429
    gsp = client.put("/store?graph=urn:g", data="<urn:a> <urn:b> <urn:c> .", content_type="text/turtle",
                     headers=AUTH)
    assert gsp.status_code == 429
    assert engine.queries_started == 1
    thread.join(15)
    assert slow["status"] == 503  # the heavy query hit its timeout
    assert engine.backend.quads() == []  # neither refused write ran
    assert client.get("/sparql", query_string={"query": COUNT}).status_code == 200  # the slot came back
    admission = app.extensions["openness.admission"]
    assert admission.refused == 3


def test_admission_wait_absorbs_a_short_burst(make_app):
    app = make_app(MAX_CONCURRENT=1, ADMISSION_WAIT=5.0, TOKEN=None, CLIENT_CONCURRENT=0)
    results: list[int] = []

    def ask() -> None:
        results.append(app.test_client().get("/sparql", query_string={"query": COUNT}).status_code)

    threads = [threading.Thread(target=ask) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert results == [200] * 6
