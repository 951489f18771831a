"""No egress, no stray file reads: hostile queries, updates, uploads and record files fetch nothing.

Three witnesses, because no single one sees everything:

- a *canary* HTTP server on 127.0.0.1 that every hostile input points at (SERVICE, LOAD, FROM, remote
  JSON-LD contexts, owl:imports, XML entities); it counts every connection, whichever language opened it;
- a *canary file* whose secret text must never appear in a response, the store or an output;
- audit hooks (server/audit.py): in this process around the request or command, and inside the query
  worker processes (``OPENNESS_AUDIT_LOG``), recording sockets, process starts and file opens outside the
  code, the store and the inputs given;
- strace over ``openness serve`` and its workers (skipped when strace is absent): no ``connect`` to any
  inet address and no open of the canary file, below Python, in pyoxigraph's Rust code too.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from server import audit
from tests.conftest import TOKEN

ROOT = Path(__file__).resolve().parents[1]
SECRET = "CANARY-SECRET-7f3a9c"
AUTH = {"Authorization": f"Bearer {TOKEN}"}


class Canary:
    """An HTTP server that would happily serve data, contexts and ontologies, and counts who asked."""

    def __init__(self) -> None:
        self.connections = 0
        canary = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 - http.server's naming
                body = f'<urn:leak> <urn:p> "{SECRET}" .\n'.encode()
                if self.path.endswith(".jsonld"):
                    body = json.dumps({"@context": {"leak": "urn:leak#"}}).encode()
                self.send_response(200)
                self.send_header("Content-Type", "text/turtle")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            do_POST = do_GET  # noqa: N815

            def log_message(self, *args: object) -> None:
                return None

        class Server(ThreadingHTTPServer):
            def get_request(self):  # type: ignore[no-untyped-def]
                canary.connections += 1
                return super().get_request()

        self.server = Server(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture()
def canary() -> Iterator[Canary]:
    server = Canary()
    yield server
    server.close()


@pytest.fixture()
def secret_file(tmp_path: Path) -> Path:
    path = tmp_path / "secret" / "secret.ttl"
    path.parent.mkdir()
    path.write_text(f'<urn:leak> <urn:p> "{SECRET}" .\n', encoding="utf-8")
    return path


def hostile_queries(url: str, secret: Path) -> list[str]:
    """Queries that would fetch from the canary server or read the canary file if let through."""
    file_iri = secret.as_uri()
    return [
        f"SELECT * WHERE {{ SERVICE <{url}/sparql> {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ SERVICE SILENT <{url}/sparql> {{ ?s ?p ?o }} }}",
        f"PREFIX c: <{url}/> SELECT * WHERE {{ SERVICE c:sparql {{ ?s ?p ?o }} }}",
        f"BASE <{url}/> SELECT * WHERE {{ SERVICE <sparql> {{ ?s ?p ?o }} }}",
        "SELECT * WHERE { BIND(<http://x> AS ?e) SERVICE ?e { ?s ?p ?o } }",
        f"SELECT * FROM <{file_iri}> WHERE {{ ?s ?p ?o }}",
        f"SELECT * FROM NAMED <{url}/g.ttl> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}",
        f"SELECT * FROM <{url}/g.ttl> WHERE {{ ?s ?p ?o }}",
        f"CONSTRUCT {{ ?s ?p ?o }} FROM <{file_iri}> WHERE {{ ?s ?p ?o }}",
        f"ASK FROM <{url}/g.ttl> {{ ?s ?p ?o }}",
        f"DESCRIBE <{url}/x> FROM <{url}/g.ttl>",
        # let through on purpose (keywords inside strings and comments): they reach the worker and run
        f'SELECT * WHERE {{ BIND("SERVICE <{url}/s>" AS ?x) }} # LOAD <{file_iri}>',
        "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }",
    ]


def hostile_updates(url: str, secret: Path) -> list[str]:
    file_iri = secret.as_uri()
    return [
        f"LOAD <{url}/data.ttl>",
        f"LOAD SILENT <{url}/data.ttl> INTO GRAPH <urn:g>",
        f"LOAD <{file_iri}>",
        f"LOAD <{file_iri}> INTO GRAPH <urn:g>",
        f"INSERT {{ GRAPH <urn:g> {{ ?s ?p ?o }} }} USING <{file_iri}> WHERE {{ ?s ?p ?o }}",
        f"INSERT {{ GRAPH <urn:g> {{ ?s ?p ?o }} }} WHERE {{ SERVICE <{url}/sparql> {{ ?s ?p ?o }} }}",
        f"INSERT DATA {{ GRAPH <urn:g> {{ <urn:o> <http://www.w3.org/2002/07/owl#imports> <{url}/onto.ttl> }} }}",
        f"ADD <{url}/g.ttl> TO DEFAULT",
        f"COPY <{file_iri}> TO <urn:g>",
    ]


def hostile_documents(url: str, secret: Path) -> list[tuple[str, bytes]]:
    """(media type, body) uploads: remote contexts, external entities, owl:imports."""
    file_iri = secret.as_uri()
    return [
        ("application/ld+json", json.dumps({"@context": f"{url}/ctx.jsonld", "@id": "urn:a", "leak": "x"}).encode()),
        ("application/ld+json", json.dumps({"@context": [f"{url}/ctx.jsonld", {"p": "urn:p"}],
                                            "@id": "urn:a", "p": "x"}).encode()),
        ("application/ld+json", json.dumps({"@context": file_iri, "@id": "urn:a"}).encode()),
        ("application/rdf+xml", f"""<?xml version="1.0"?>
<!DOCTYPE rdf:RDF [ <!ENTITY leak SYSTEM "{file_iri}"> <!ENTITY net SYSTEM "{url}/x.txt"> ]>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:p="urn:p#">
  <rdf:Description rdf:about="urn:a"><p:v>&leak;&net;</p:v></rdf:Description>
</rdf:RDF>""".encode()),
        ("application/rdf+xml", f"""<?xml version="1.0"?>
<!DOCTYPE r [ <!ENTITY % ext SYSTEM "{url}/ext.dtd"> %ext; ]>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"/>""".encode()),
        ("text/turtle", f"<urn:o> <http://www.w3.org/2002/07/owl#imports> <{url}/onto.ttl>, <{file_iri}> .".encode()),
    ]


def assert_clean(body: bytes | str, status: int) -> None:
    text = body.decode("utf-8", "replace") if isinstance(body, bytes) else body
    assert status < 500, text[:300]
    assert SECRET not in text and "Traceback" not in text


@pytest.fixture()
def audited_app(make_app, monkeypatch, tmp_path):  # type: ignore[no-untyped-def]
    """A writable in-memory app whose query worker logs every socket and stray file open."""
    log = tmp_path / "worker-audit.log"
    monkeypatch.setenv(audit.ENV, str(log))
    app = make_app(STORE="memory", WORKERS=1, QUERY_TIMEOUT=10.0)
    client = app.test_client()
    assert client.get("/sparql", query_string={"query": "ASK {}"}).status_code == 200  # worker started
    return app, log


def worker_events(log: Path) -> list[str]:
    lines = log.read_text(encoding="utf-8").splitlines() if log.exists() else []
    assert any(line.endswith("audit-installed") for line in lines), "the worker did not install its audit hook"
    return [line for line in lines if not line.endswith("audit-installed")]


def test_queries_fetch_nothing(audited_app, canary, secret_file):
    app, log = audited_app
    client = app.test_client()
    statuses = []
    with audit.recording() as events:
        for query in hostile_queries(canary.url, secret_file):
            for response in (client.get("/sparql", query_string={"query": query}),
                             client.post("/sparql", data={"query": query}),
                             client.post("/sparql", data=query, content_type="application/sparql-query")):
                assert_clean(response.data, response.status_code)
                statuses.append(response.status_code)
        for graph in (secret_file.as_uri(), f"{canary.url}/g.ttl"):
            response = client.get("/sparql", query_string={"query": "SELECT * { ?s ?p ?o }",
                                                           "default-graph-uri": graph})
            assert response.status_code == 400
    assert events == []
    assert worker_events(log) == []
    assert canary.connections == 0
    assert statuses.count(200) == 6 and statuses.count(400) == len(statuses) - 6


def test_updates_and_uploads_fetch_nothing(audited_app, canary, secret_file):
    app, log = audited_app
    client = app.test_client()
    with audit.recording() as events:
        for update in hostile_updates(canary.url, secret_file):
            for response in (client.post("/update", data={"update": update}, headers=AUTH),
                             client.post("/update", data=update, content_type="application/sparql-update",
                                         headers=AUTH)):
                assert_clean(response.data, response.status_code)
        for media, body in hostile_documents(canary.url, secret_file):
            response = client.put("/store?graph=urn:upload", data=body, content_type=media, headers=AUTH)
            assert_clean(response.data, response.status_code)
        dump = client.post("/sparql", data={"query": "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }"})
        assert dump.status_code == 200
        assert_clean(dump.data, dump.status_code)
    assert events == []
    assert worker_events(log) == []
    assert canary.connections == 0


def write_hostile_records(directory: Path, url: str, secret: Path) -> list[Path]:
    """Record files in every format, each pointing at the canary server or file."""
    file_iri = secret.as_uri()
    files = {
        "remote-context.jsonld": json.dumps({"@context": f"{url}/ctx.jsonld", "@id": "urn:a", "leak": "x"}),
        "file-context.jsonld": json.dumps({"@context": file_iri, "@id": "urn:a"}),
        "entities.rdf": f"""<?xml version="1.0"?>
<!DOCTYPE rdf:RDF [ <!ENTITY leak SYSTEM "{file_iri}"> ]>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:p="urn:p#">
  <rdf:Description rdf:about="urn:a"><p:v>&leak;</p:v></rdf:Description></rdf:RDF>""",
        "imports.ttl": f"""@prefix owl: <http://www.w3.org/2002/07/owl#> .
<{url}/onto> a owl:Ontology ; owl:imports <{url}/onto.ttl>, <{file_iri}> .""",
        "links.json": json.dumps([{"id": "leaky", "name": "Leaky", "source": [f"{url}/x", file_iri],
                                   "artifacts": {"weights": {"availability": "public", "url": f"{url}/w",
                                                             "license": f"{url}/licence"}}}]),
        "links.yaml": f"- id: leaky2\n  name: Leaky 2\n  source: ['{url}/y', '{file_iri}']\n  '@context': {url}/c\n",
        "links.csv": f"id,name,source,weights,weights_license,weights_url\nleaky3,Leaky 3,{file_iri},public,"
                     f"{url}/licence,{url}/w\n",
    }
    paths = []
    for name, text in files.items():
        path = directory / name
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths


@pytest.mark.parametrize("command", ["validate", "classify"])
def test_cli_reads_only_its_input(command, canary, secret_file, tmp_path, capsys):
    from kg.cli import main

    inputs = tmp_path / "inputs"
    inputs.mkdir()
    files = write_hostile_records(inputs, canary.url, secret_file)
    with audit.recording(roots=files) as events:
        codes = {f.name: main([command, str(f)]) for f in files}
    out, err = capsys.readouterr()
    assert SECRET not in out + err and "Traceback" not in err
    assert set(codes.values()) <= {0, 1, 2}, codes
    assert codes["entities.rdf"] == 2 and codes["remote-context.jsonld"] == 2  # refused, named in one line
    assert events == []
    assert canary.connections == 0


def test_load_into_a_store_reads_only_its_input(canary, secret_file, tmp_path, capsys):
    import pyoxigraph as ox

    from kg.cli import main

    inputs = tmp_path / "inputs"
    inputs.mkdir()
    files = [f for f in write_hostile_records(inputs, canary.url, secret_file) if f.suffix in (".ttl", ".json")]
    store = tmp_path / "store"
    ox.Store(str(store)).flush()  # an existing (empty) store: load does not seed it with the bundled KG
    with audit.recording(roots=[*files, store, Path(str(store) + ".journal"), Path(str(store) + ".journal.tmp")]) \
            as events:
        code = main(["load", *map(str, files), "--store", str(store)])
    out, err = capsys.readouterr()
    assert code in (0, 1, 2), err
    assert SECRET not in out + err and "Traceback" not in err
    assert events == []
    assert canary.connections == 0
    dump = ox.Store.read_only(str(store))
    assert not any(SECRET in q.object.value for q in dump if isinstance(q.object, ox.Literal))


@pytest.mark.skipif(shutil.which("strace") is None, reason="strace is not installed (apt install strace)")
def test_serve_under_strace_no_connect_no_canary_open(canary, secret_file, tmp_path):
    """The whole server and its query workers, below Python: no inet connect(), no open of the canary file."""
    trace = tmp_path / "trace"
    token = tmp_path / "token"
    token.write_text(TOKEN, encoding="utf-8")
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    process = subprocess.Popen(
        ["strace", "-f", "-qq", "-e", "trace=connect,open,openat,openat2,execve,sendto", "-o", str(trace),
         sys.executable, "-m", "kg", "serve", "--store", "memory", "--port", "0", "--workers", "1",
         "--token-file", str(token), "--client-rate", "0", "--timeout", "10"],
        stderr=subprocess.PIPE, text=True, env=env, cwd=ROOT, start_new_session=True,
    )
    try:
        base = None
        deadline = time.monotonic() + 60
        while base is None and time.monotonic() < deadline:
            line = process.stderr.readline()  # type: ignore[union-attr]
            match = re.search(r"(http://127\.0\.0\.1:\d+)/", line or "")
            base = match.group(1) if match else None
            if not line and process.poll() is not None:
                break
        assert base, "openness serve did not start under strace"

        def send(path: str, data: bytes | None = None, headers: dict[str, str] | None = None,
                 method: str | None = None) -> None:
            request = urllib.request.Request(base + path, data=data, headers=headers or {}, method=method)
            try:
                with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 - loopback
                    status, body = response.status, response.read()
            except urllib.error.HTTPError as exc:
                status, body = exc.code, exc.read()
            assert_clean(body, status)

        for query in hostile_queries(canary.url, secret_file):
            send("/sparql?" + urllib.parse.urlencode({"query": query}))
        for update in hostile_updates(canary.url, secret_file):
            send("/update", update.encode(), {**AUTH, "Content-Type": "application/sparql-update"})
        for media, body in hostile_documents(canary.url, secret_file):
            send("/store?graph=urn:upload", body, {**AUTH, "Content-Type": media}, "PUT")
        send("/sparql?" + urllib.parse.urlencode({"query": "SELECT * { ?s ?p ?o }"}))
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(30)
    text = trace.read_text(encoding="utf-8", errors="replace")
    assert "execve(" in text and "openat(" in text  # the trace saw the processes' calls at all
    pids = {line.split()[0] for line in text.splitlines() if line[:1].isdigit()}
    assert len(pids) >= 2, "the query worker process was not traced"
    connects = [line for line in text.splitlines() if "connect(" in line and ("AF_INET" in line)]
    assert connects == []
    assert str(secret_file) not in text and secret_file.name not in text
    assert canary.connections == 0


def test_witnesses_see_a_real_fetch(make_app, canary, tmp_path, monkeypatch):
    """Control: allow-list the canary's host and turn the workers' network sandbox off, and pyoxigraph's
    SERVICE does reach it, so a count of 0 means something; and the in-process audit hook does see a
    Python-level connect and a stray open."""
    import socket

    from server.sandbox import ENV

    monkeypatch.setenv(ENV, "off")
    app = make_app(STORE="memory", WORKERS=1, ALLOWED_HOSTS=("127.0.0.1",))
    response = app.test_client().get("/sparql", query_string={
        "query": f"SELECT * WHERE {{ SERVICE <{canary.url}/sparql> {{ ?s ?p ?o }} }}"})
    assert response.status_code < 500
    assert canary.connections >= 1
    stray = tmp_path / "stray.txt"
    stray.write_text("x", encoding="utf-8")
    with audit.recording() as events:
        socket.create_connection(("127.0.0.1", int(canary.url.rsplit(":", 1)[1])), timeout=5).close()
        stray.read_text(encoding="utf-8")
    assert any(e.startswith("socket.connect") for e in events)
    assert any(e.startswith("open") and "stray.txt" in e for e in events)
