"""Runaway queries: stopped at the timeout, their worker's CPU freed, the next cheap query served at normal
speed. The figures (run with ``-s``) are quoted in docs/reliability.md.
"""

from __future__ import annotations

import os
import statistics
import time
from pathlib import Path

import pytest

from server import engine_of

HEAVY = "SELECT (COUNT(*) AS ?n) WHERE { " + " ".join(
    f"VALUES ?v{i} {{ {' '.join(str(n) for n in range(60))} }}" for i in range(6)) + " }"
CHEAP = "SELECT ?s WHERE { ?s ?p ?o } LIMIT 5"


def cpu_seconds(pid: int) -> float | None:
    """User + system CPU time of a process, None once it is gone."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (FileNotFoundError, ProcessLookupError):
        return None
    if fields[0] == "Z":
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def latency(client, query: str) -> float:  # type: ignore[no-untyped-def]
    started = time.perf_counter()
    response = client.get("/sparql", query_string={"query": query})
    assert response.status_code == 200
    return time.perf_counter() - started


def idle_pids(pool) -> list[int]:  # type: ignore[no-untyped-def]
    """Process ids of the idle workers, once all ``pool.size`` of them are back and started."""
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        workers = list(pool._idle.queue)  # noqa: SLF001 - the test watches the processes
        if len(workers) == pool.size and all(w.wait_ready(0) for w in workers):
            return [w.process.pid for w in workers]
        time.sleep(0.05)
    raise AssertionError("the pool did not get its workers back")


def runaway_round(app, timeout: float) -> dict[str, float]:  # type: ignore[no-untyped-def]
    """One runaway query between two series of cheap ones; with two workers the next query must not wait
    for the killed worker's replacement to start."""
    client = app.test_client()
    pool = engine_of(app).pool
    assert pool is not None
    old = idle_pids(pool)
    for _ in range(3):
        latency(client, CHEAP)
    baseline = statistics.median(latency(client, CHEAP) for _ in range(15))
    started = time.perf_counter()
    response = client.get("/sparql", query_string={"query": HEAVY})
    stopped = time.perf_counter() - started
    assert response.status_code == 503 and b"stopped" in response.data
    assert timeout <= stopped < timeout + 2.0
    killed = [pid for pid in old if cpu_seconds(pid) is None]
    assert len(killed) == 1, "exactly the runaway worker is gone"
    first = latency(client, CHEAP)  # served by the other worker while the replacement starts
    after = statistics.median(latency(client, CHEAP) for _ in range(15))
    new = idle_pids(pool)
    assert killed[0] not in new
    before_cpu = [cpu_seconds(pid) or 0.0 for pid in new]
    time.sleep(1.0)
    idle_cpu = sum((cpu_seconds(pid) or 0.0) - b for pid, b in zip(new, before_cpu, strict=True))
    assert idle_cpu < 0.1, f"the workers burn CPU while idle: {idle_cpu:.2f} s in 1 s"
    assert first <= baseline + 0.25, (baseline, first)  # far below a worker start-up (about 1 s)
    assert after <= max(3 * baseline, baseline + 0.05), (baseline, after)
    figures = {"timeout": timeout, "stopped_after": stopped, "baseline_ms": baseline * 1000,
               "first_after_ms": first * 1000, "median_after_ms": after * 1000, "idle_worker_cpu_s": idle_cpu}
    print("runaway:", {k: round(v, 3) for k, v in figures.items()})
    return figures


def test_runaway_query_is_stopped_and_the_next_is_fast(make_app):
    app = make_app(QUERY_TIMEOUT=1.5, TOKEN=None, WORKERS=2)
    figures = runaway_round(app, 1.5)
    assert engine_of(app).pool.kills == 1  # type: ignore[union-attr]
    assert 1.5 <= figures["stopped_after"] < 3.5


@pytest.mark.slow
def test_ten_runaway_queries_in_a_row(make_app):
    app = make_app(QUERY_TIMEOUT=2.0, TOKEN=None, WORKERS=2)
    rounds = [runaway_round(app, 2.0) for _ in range(10)]
    assert engine_of(app).pool.kills == 10  # type: ignore[union-attr]
    print("runaway x10: worst stop", round(max(r["stopped_after"] for r in rounds), 2), "s; worst median after",
          round(max(r["median_after_ms"] for r in rounds), 1), "ms")


def test_a_worker_whose_memory_grew_retires_after_answering(make_app, monkeypatch):
    """Freed heap is seldom given back, so a worker retires once its address space passes a mark
    (OPENNESS_WORKER_RETIRE; here 1 byte: after every query). The answer still arrives, the pool replaces
    the worker without counting a kill, and the next query is answered by a fresh worker."""
    from server.executor import RETIRE_ENV

    monkeypatch.setenv(RETIRE_ENV, "1")
    app = make_app(TOKEN=None, WORKERS=1)
    client = app.test_client()
    pool = engine_of(app).pool
    seen = set()
    for _ in range(3):
        response = client.get("/sparql", query_string={"query": "SELECT (1 AS ?x) {}"},
                              headers={"Accept": "text/csv"})
        assert response.status_code == 200 and response.data.split() == [b"x", b"1"]
        seen |= {w.process.pid for w in pool._live}  # type: ignore[union-attr]
    assert pool.retired == 3 and pool.kills == 0  # type: ignore[union-attr]
    assert len(seen) >= 3, "each retired worker was replaced by a new process"


def test_a_fresh_worker_does_not_retire(make_app):
    app = make_app(TOKEN=None, WORKERS=1)
    client = app.test_client()
    for _ in range(3):
        assert client.get("/sparql", query_string={"query": "ASK {}"}).status_code == 200
    assert engine_of(app).pool.retired == 0  # type: ignore[union-attr]
