"""Store backends: spec parsing, and the protocol served over real SPARQL engines started on loopback
(``oxigraph serve`` from the oxigraph PyPI package, and Virtuoso from Debian's virtuoso-opensource)."""

from __future__ import annotations

import json
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest

from kg.errors import ConfigurationError
from kg.store import parse_store_spec
from tests.conftest import TOKEN

AIO = "https://w3id.org/ai-openness/ontology#"
COUNT = f"""PREFIX aio: <{AIO}>
SELECT ?c (COUNT(?m) AS ?n) WHERE {{ VALUES ?c {{ aio:OpenWeightModel aio:OpenSourceModel aio:ClosedSourceModel }}
  ?m a ?c }} GROUP BY ?c ORDER BY ?c"""


@pytest.mark.parametrize(("spec", "kind"), [
    (None, "bundled"), ("bundled", "bundled"), ("memory", "memory"), ("./db", "path"),
    ("http://127.0.0.1:7878/query", "remote"), ("https://example.org/sparql", "remote"),
])
def test_store_specs(spec, kind):
    assert parse_store_spec(spec).kind == kind


def test_remote_update_endpoint_rules():
    assert parse_store_spec("http://h:1/query").update_url == "http://h:1/update"
    assert parse_store_spec("http://h:1/sparql").update_url == "http://h:1/sparql"
    assert parse_store_spec("http://h/q,http://h/u").update_url == "http://h/u"


@pytest.mark.parametrize("spec", ["ftp://example.org/x", "http:///nohost"])
def test_bad_specs(spec, tmp_path):
    with pytest.raises(ConfigurationError):
        parse_store_spec(spec)
    afile = tmp_path / "f"
    afile.write_text("x")
    with pytest.raises(ConfigurationError):
        parse_store_spec(str(afile))


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_http(url: str, proc: subprocess.Popen, timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"the engine exited with {proc.returncode}")
        try:
            urllib.request.urlopen(url, timeout=2).close()
            return
        except urllib.error.HTTPError:
            return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"{url} did not answer in {timeout} s")


def stop(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(15)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def bundled_quads(app) -> list[ox.Quad]:  # type: ignore[no-untyped-def]
    from server import engine_of

    return engine_of(app).backend.quads()


def post_update(url: str, update: str, auth: str | None = None) -> None:
    data = urllib.parse.urlencode({"update": update}).encode()
    request = urllib.request.Request(url, data=data, method="POST",
                                     headers={"Content-Type": "application/x-www-form-urlencoded"})
    try:
        urllib.request.urlopen(request, timeout=60).close()
    except urllib.error.HTTPError as exc:
        raise AssertionError(f"{url} refused the update: {exc.read(600).decode(errors='replace')}") from None


def load_by_update(update_url: str, quads: list[ox.Quad]) -> None:
    """Copy quads into an engine through SPARQL Update, graph by graph, in chunks its parser takes."""
    from kg.store.remote import insert_updates

    by_graph: dict[str, list[ox.Triple]] = {}
    for q in quads:
        by_graph.setdefault(q.graph_name.value if isinstance(q.graph_name, ox.NamedNode) else "", []).append(q.triple)
    for graph, triples in by_graph.items():
        for update in insert_updates(graph or "default", triples):
            post_update(update_url, update)


@pytest.fixture(scope="module")
def oxigraph_url(app, tmp_path_factory) -> Iterator[str]:
    exe = Path(sys.executable).parent / "oxigraph"
    exe_path = str(exe) if exe.exists() else shutil.which("oxigraph")
    if exe_path is None:
        pytest.skip("the oxigraph server binary is absent (pip install oxigraph)")
    port = free_port()
    location = tmp_path_factory.mktemp("oxigraph")
    proc = subprocess.Popen([exe_path, "serve", "--location", str(location), "--bind", f"127.0.0.1:{port}",
                             "--union-default-graph"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_http(f"http://127.0.0.1:{port}/query?query=ASK%7B%7D", proc)
        payload = ox.serialize(bundled_quads(app), format=ox.RdfFormat.N_QUADS)
        request = urllib.request.Request(f"http://127.0.0.1:{port}/store", data=payload, method="POST",
                                         headers={"Content-Type": "application/n-quads"})
        urllib.request.urlopen(request, timeout=60).close()
        yield f"http://127.0.0.1:{port}/query"
    finally:
        stop(proc)


VIRTUOSO_INI = """[Database]
DatabaseFile = {d}/virtuoso.db
ErrorLogFile = {d}/virtuoso.log
LockFile = {d}/virtuoso.lck
TransactionFile = {d}/virtuoso.trx
xa_persistent_file = {d}/virtuoso.pxa
MaxCheckpointRemap = 2000
[TempDatabase]
DatabaseFile = {d}/virtuoso-temp.db
TransactionFile = {d}/virtuoso-temp.trx
[Parameters]
ServerPort = 127.0.0.1:{sql}
NumberOfBuffers = 20000
MaxDirtyBuffers = 15000
DirsAllowed = ., {d}
CheckpointInterval = 0
[HTTPServer]
ServerPort = 127.0.0.1:{http}
ServerThreads = 4
[SPARQL]
ResultSetMaxRows = 100000
MaxQueryExecutionTime = 60
"""


@pytest.fixture(scope="module")
def virtuoso_url(app, tmp_path_factory) -> Iterator[str]:
    exe, isql = shutil.which("virtuoso-t"), shutil.which("isql-vt")
    if exe is None or isql is None:
        pytest.skip("Virtuoso is absent (Debian package virtuoso-opensource)")
    d = tmp_path_factory.mktemp("virtuoso")
    sql, http = free_port(), free_port()
    (d / "virtuoso.ini").write_text(VIRTUOSO_INI.format(d=d, sql=sql, http=http))
    proc = subprocess.Popen([exe, "+foreground", "+configfile", str(d / "virtuoso.ini")], cwd=d,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_http(f"http://127.0.0.1:{http}/sparql?query=ASK%7B%7D", proc, timeout=120)
        grant = subprocess.run([isql, str(sql), "dba", "dba", "exec=GRANT SPARQL_UPDATE TO \"SPARQL\";"],
                               capture_output=True, text=True, timeout=60)
        assert grant.returncode == 0, grant.stdout + grant.stderr
        url = f"http://127.0.0.1:{http}/sparql"
        load_by_update(url, bundled_quads(app))
        yield url
    finally:
        stop(proc)


@pytest.fixture(params=["oxigraph", "virtuoso"])
def remote_client(request, make_app):  # type: ignore[no-untyped-def]
    url = request.getfixturevalue(f"{request.param}_url")
    return make_app(STORE=url, TOKEN=TOKEN).test_client()


def _rows(response) -> list[dict[str, str]]:  # type: ignore[no-untyped-def]
    assert response.status_code == 200, response.data
    return [{k: v["value"] for k, v in b.items()} for b in json.loads(response.data)["results"]["bindings"]]


def test_protocol_over_remote_engine(remote_client, client):
    local = _rows(client.get("/sparql", query_string={"query": COUNT}))
    remote = _rows(remote_client.get("/sparql", query_string={"query": COUNT}))
    assert remote == local
    for accept in ("application/sparql-results+xml", "text/csv", "text/tab-separated-values"):
        response = remote_client.post("/sparql", data={"query": COUNT}, headers={"Accept": accept})
        assert response.status_code == 200 and response.mimetype == accept
    construct = remote_client.get("/sparql", headers={"Accept": "text/turtle"}, query_string={
        "query": f"CONSTRUCT {{ ?m a <{AIO}OpenSourceModel> }} WHERE {{ ?m a <{AIO}OpenSourceModel> }}"})
    assert construct.status_code == 200
    assert len(list(ox.parse(construct.data, format=ox.RdfFormat.TURTLE))) == int(
        next(r["n"] for r in local if r["c"].endswith("OpenSourceModel")))
    refused = remote_client.get("/sparql", query_string={
        "query": "SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }"})
    assert refused.status_code == 400
    bad = remote_client.get("/sparql", query_string={"query": "SELECT * WHERE { ?s ?p }"})
    assert bad.status_code == 400 and b"Traceback" not in bad.data


def test_model_page_over_remote_engine(remote_client):
    page = remote_client.get("/model/llama-3.1-8b", headers={"Accept": "text/html"})
    assert page.status_code == 200 and b'id="category">open-weight<' in page.data


def test_checked_update_over_remote_engine(remote_client, tmp_path):
    from tests.test_server_writes import ntriples

    auth = {"Authorization": f"Bearer {TOKEN}"}
    response = remote_client.post("/update", headers=auth,
                                  data={"update": f"INSERT DATA {{ {ntriples(tmp_path, 'remote-model')} }}"})
    assert response.status_code == 200, response.data
    ask = remote_client.get("/sparql", query_string={
        "query": f"ASK {{ <https://w3id.org/ai-openness/model/remote-model> a <{AIO}OpenSourceModel> }}"})
    assert json.loads(ask.data)["boolean"] is True
    bad = remote_client.post("/update", headers=auth, data={
        "update": f"INSERT DATA {{ {ntriples(tmp_path, 'remote-bad', weights='maybe')} }}"})
    assert bad.status_code == 400


def test_unreachable_remote_engine_is_502(make_app):
    client = make_app(STORE=f"http://127.0.0.1:{free_port()}/query").test_client()
    response = client.get("/sparql", query_string={"query": "ASK {}"})
    assert response.status_code == 502 and b"unreachable" in response.data
