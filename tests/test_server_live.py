"""The endpoint under a live waitress server, through real SPARQL clients: SPARQLWrapper and rdflib."""

from __future__ import annotations

import json
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
import rdflib
from rdflib.plugins.stores.sparqlstore import SPARQLStore
from SPARQLWrapper import CSV, JSON, TURTLE, XML, SPARQLWrapper

AIO = "https://w3id.org/ai-openness/ontology#"
COUNT = f"""PREFIX aio: <{AIO}>
SELECT ?c (COUNT(?m) AS ?n) WHERE {{ VALUES ?c {{ aio:OpenWeightModel aio:OpenSourceModel aio:ClosedSourceModel }}
  ?m a ?c }} GROUP BY ?c ORDER BY ?c"""


def test_sparqlwrapper_formats(live_server):
    wrapper = SPARQLWrapper(f"{live_server}/sparql")
    wrapper.setQuery(COUNT)
    wrapper.setReturnFormat(JSON)
    rows = wrapper.query().convert()["results"]["bindings"]
    assert len(rows) == 3
    wrapper.setReturnFormat(XML)
    assert len(wrapper.query().convert().getElementsByTagName("result")) == 3
    wrapper.setReturnFormat(CSV)
    assert wrapper.query().convert().decode().count("\n") == 4
    wrapper.setMethod("POST")
    wrapper.setReturnFormat(JSON)
    assert wrapper.query().convert()["results"]["bindings"] == rows
    wrapper.setQuery(f"CONSTRUCT {{ ?m a <{AIO}OpenSourceModel> }} WHERE {{ ?m a <{AIO}OpenSourceModel> }}")
    wrapper.setReturnFormat(TURTLE)
    graph = rdflib.Graph().parse(data=wrapper.query().convert(), format="turtle")
    assert len(graph) == int(next(r["n"]["value"] for r in rows if r["c"]["value"].endswith("OpenSourceModel")))


def test_rdflib_sparqlstore(live_server):
    store = SPARQLStore(f"{live_server}/sparql", returnFormat="json")
    graph = rdflib.Graph(store=store)
    result = list(graph.query(COUNT))
    assert len(result) == 3 and all(int(row.n) > 0 for row in result)
    ask = graph.query(f"ASK {{ ?m a <{AIO}OpenWeightModel> }}")
    assert ask.askAnswer is True
    triples = list(graph.triples((rdflib.URIRef("https://w3id.org/ai-openness/model/llama-3.1-8b"), None, None)))
    assert len(triples) > 10


def test_live_errors_are_short(live_server):
    request = urllib.request.Request(f"{live_server}/sparql?query=SELECT%20*%20WHERE%20%7B", method="GET")
    with pytest.raises(urllib.error.HTTPError) as caught:
        urllib.request.urlopen(request, timeout=10)
    assert caught.value.code == 400
    body = caught.value.read()
    assert len(body) < 600 and b"Traceback" not in body


def test_openness_serve_command(tmp_path):
    """``openness serve --port 0 --store memory`` starts waitress, answers, and stops on SIGTERM."""
    repo = Path(__file__).resolve().parents[1]
    proc = subprocess.Popen([sys.executable, "-m", "kg", "serve", "--port", "0", "--store", "memory",
                             "--workers", "1"], cwd=repo, stderr=subprocess.PIPE, text=True)
    try:
        line = proc.stderr.readline()  # type: ignore[union-attr]
        assert "openness serve: http://127.0.0.1:" in line, line
        url = line.split()[2]
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(f"{url}sparql?query=ASK%7B%7D", timeout=5) as response:
                    assert json.loads(response.read()) == {"head": {}, "boolean": True}
                    assert response.headers["Server"] == "openness"
                    break
            except urllib.error.URLError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)
    finally:
        proc.terminate()
        proc.wait(15)


def test_serve_refuses_a_short_token(tmp_path):
    token = tmp_path / "token"
    token.write_text("short")
    proc = subprocess.run([sys.executable, "-m", "kg", "serve", "--store", "memory", "--token-file", str(token)],
                          capture_output=True, text=True, timeout=60, cwd=Path(__file__).resolve().parents[1])
    assert proc.returncode == 2 and "at least 16 characters" in proc.stderr and "Traceback" not in proc.stderr
