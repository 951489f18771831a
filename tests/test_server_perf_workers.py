"""Query workers preload jemalloc when the system has it (as ``oxigraph serve`` is built with it), unless
OPENNESS_WORKER_MALLOC says otherwise; a worker so started answers as any other."""

from __future__ import annotations

from pathlib import Path

import pytest

from server.executor import JEMALLOC, QueryPool, QueryRequest, worker_allocator


def test_the_choice_of_allocator(monkeypatch, tmp_path):
    monkeypatch.setenv("OPENNESS_WORKER_MALLOC", "system")
    assert worker_allocator() is None
    library = tmp_path / "libother.so"
    library.write_bytes(b"")
    monkeypatch.setenv("OPENNESS_WORKER_MALLOC", str(library))
    assert worker_allocator() == str(library)
    monkeypatch.setenv("OPENNESS_WORKER_MALLOC", str(tmp_path / "absent.so"))
    assert worker_allocator() is None
    monkeypatch.delenv("OPENNESS_WORKER_MALLOC")
    assert worker_allocator() == next((p for p in JEMALLOC if Path(p).is_file()), None)


@pytest.mark.skipif(not any(Path(p).is_file() for p in JEMALLOC), reason="jemalloc is not installed")
def test_a_worker_runs_with_jemalloc(tmp_path, monkeypatch):
    import pyoxigraph as ox

    monkeypatch.delenv("OPENNESS_WORKER_MALLOC", raising=False)
    monkeypatch.delenv("LD_PRELOAD", raising=False)
    store = ox.Store(str(tmp_path / "store"))
    store.add(ox.Quad(ox.NamedNode("http://e/s"), ox.NamedNode("http://e/p"), ox.Literal("o")))
    store.flush()
    del store
    pool = QueryPool(tmp_path / "store", size=1, timeout=20)
    try:
        answer = pool.run(QueryRequest("SELECT ?o { ?s ?p ?o }", accept="text/csv", union=True))
        assert answer.body == b"o\r\no\r\n"
        worker = pool._idle.get_nowait()
        maps = Path(f"/proc/{worker.process.pid}/maps").read_text()
        pool._idle.put(worker)
        assert "libjemalloc" in maps
    finally:
        pool.close()
