"""Readers never open the live on-disk store: workers and the fast path read a checkpoint taken after each
committed write (server.snapshots), and old checkpoints are removed once no reader uses them."""

from __future__ import annotations

import os
from pathlib import Path

from server.context import engine_of
from tests.conftest import TOKEN

AUTH = {"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/sparql-update"}


def open_dirs(pid: int) -> set[str]:
    """Directories of the files a process holds open."""
    found = set()
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        try:
            found.add(str(Path(os.readlink(fd)).parent))
        except OSError:
            continue
    return found


def test_workers_read_checkpoints_never_the_live_store(make_app, tmp_path):
    import pyoxigraph as ox

    store = tmp_path / "store"
    empty = ox.Store(str(store))  # an existing (empty) store is opened as it is, not seeded with the bundled KG
    empty.flush()
    del empty
    app = make_app(STORE=str(store), WORKERS=1)
    engine = engine_of(app)
    client = app.test_client()
    pool, snapshots = engine.pool, engine.snapshots
    assert pool is not None and snapshots is not None
    first = pool.path
    assert Path(first).resolve() != store.resolve() and Path(first).is_dir()
    count = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"
    ask = "ASK { <urn:a> <urn:b> <urn:c> }"
    assert client.get("/sparql", query_string={"query": ask}).json["boolean"] is False
    worker_pids = [p.pid for p in (w.process for w in list(pool._live))]  # noqa: SLF001 - the test looks inside
    assert all(str(store.resolve()) not in open_dirs(pid) for pid in worker_pids)
    response = client.post("/update", data="INSERT DATA { <urn:a> <urn:b> <urn:c> }", headers=AUTH)
    assert response.status_code == 200, response.data
    assert pool.path != first
    assert client.get("/sparql", query_string={"query": ask}).json["boolean"] is True
    assert not Path(first).exists()  # the old checkpoint went once its workers had
    for _ in range(3):
        client.post("/update", data="INSERT DATA { <urn:a> <urn:b> <urn:d> }", headers=AUTH)
    client.get("/sparql", query_string={"query": count})
    left = sorted(p.name for p in Path(pool.path).parent.iterdir())
    assert len(left) <= 2, left
