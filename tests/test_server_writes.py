"""Writes: SPARQL Update and Graph Store Protocol need the token; they are validated and reasoned before
they commit, and a rejected write changes nothing."""

from __future__ import annotations

import json
from pathlib import Path

import pyoxigraph as ox
import pytest

from tests.conftest import TOKEN

AUTH = {"Authorization": f"Bearer {TOKEN}"}
AIO = "https://w3id.org/ai-openness/ontology#"
MODEL = "https://w3id.org/ai-openness/model/"

RECORD = """id: {id}
name: Test Model
developer: Example Lab
date: 2025-01-02
source: [https://example.org/{id}]
artifacts:
  weights: {{availability: {weights}, license: Apache-2.0, url: https://example.org/w}}
  architecture: {{availability: public, license: Apache-2.0}}
  training_code: {{availability: public, license: MIT}}
  training_data: {{availability: public, license: CC-BY-4.0}}
"""


def ntriples(tmp_path: Path, model_id: str, weights: str = "public") -> str:
    """A record in N-Triples, made by the project's own reader from its YAML form."""
    from kg.records import read_file

    path = tmp_path / f"{model_id}.yaml"
    path.write_text(RECORD.format(id=model_id, weights=weights))
    triples = read_file(path).triples
    return ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES).decode()


def count(client) -> int:  # type: ignore[no-untyped-def]
    response = client.get("/sparql", query_string={
        "query": "SELECT (COUNT(*) AS ?n) WHERE { { ?s ?p ?o } UNION { GRAPH ?g { ?s ?p ?o } } }"})
    return int(json.loads(response.data)["results"]["bindings"][0]["n"]["value"])


def categories(client, model_id: str) -> set[str]:  # type: ignore[no-untyped-def]
    response = client.get("/sparql", query_string={"query": f"SELECT ?c WHERE {{ <{MODEL}{model_id}> a ?c }}"})
    return {b["c"]["value"].rsplit("#")[-1] for b in json.loads(response.data)["results"]["bindings"]}


def test_read_only_by_default(client):
    response = client.post("/update", data={"update": "CLEAR ALL"})
    assert response.status_code == 403 and b"read-only" in response.data
    assert client.put("/store?default", data="", content_type="text/turtle").status_code == 403


def test_token_is_required(make_app):
    client = make_app().test_client()
    assert client.post("/update", data={"update": "CLEAR ALL"}).status_code == 401
    bad = client.post("/update", data={"update": "CLEAR ALL"}, headers={"Authorization": "Bearer wrong"})
    assert bad.status_code == 401 and "Bearer" in bad.headers["WWW-Authenticate"]
    basic = client.post("/update", data={"update": "CLEAR ALL"}, headers={"Authorization": f"Basic {TOKEN}"})
    assert basic.status_code == 401


def test_valid_update_commits_with_inferences(make_app, tmp_path):
    app = make_app()
    client = app.test_client()
    update = f"INSERT DATA {{ {ntriples(tmp_path, 'fresh-model')} }}"
    response = client.post("/update", data=update.encode(), content_type="application/sparql-update",
                           headers=AUTH)
    assert response.status_code == 200, response.data
    assert b"committed" in response.data
    assert {"AIModel", "OpenSourceModel", "MOFClassI"} <= categories(client, "fresh-model") or \
        {"AIModel", "OpenSourceModel"} <= categories(client, "fresh-model")
    # the ten dimensions were inferred too
    dims = client.get("/sparql", query_string={"query": f"SELECT (COUNT(*) AS ?n) WHERE {{ <{MODEL}fresh-model> "
                                                        f"<{AIO}artifactAccess> ?v }}"})
    assert json.loads(dims.data)["results"]["bindings"][0]["n"]["value"] == "1"
    # the service description now offers updates
    sd = client.get("/sparql", headers={"Accept": "text/turtle"})
    assert b"SPARQL11Update" in sd.data


def test_update_changing_a_fact_re_reasons(make_app, tmp_path):
    client = make_app().test_client()
    client.post("/update", data={"update": f"INSERT DATA {{ {ntriples(tmp_path, 'm2')} }}"}, headers=AUTH)
    assert "OpenSourceModel" in categories(client, "m2")
    flip = (f"DELETE {{ ?r <{AIO}availability> ?a }} INSERT {{ ?r <{AIO}availability> <{AIO}NotReleased> }} "
            f"WHERE {{ <{MODEL}m2> <{AIO}hasRelease> ?r . ?r <{AIO}artifact> <{AIO}Weights> ; "
            f"<{AIO}availability> ?a }}")
    response = client.post("/update", data={"update": flip}, headers=AUTH)
    assert response.status_code == 200, response.data
    assert "ClosedSourceModel" in categories(client, "m2") and "OpenSourceModel" not in categories(client, "m2")


@pytest.mark.parametrize("weights", ["maybe"])
def test_invalid_update_is_rejected_and_changes_nothing(make_app, tmp_path, weights):
    client = make_app().test_client()
    client.post("/update", data={"update": f"INSERT DATA {{ {ntriples(tmp_path, 'good')} }}"}, headers=AUTH)
    before = count(client)
    bad = f"INSERT DATA {{ {ntriples(tmp_path, 'bad', weights=weights)} }}"
    response = client.post("/update", data={"update": bad}, headers=AUTH)
    assert response.status_code == 400
    assert b"rejected, nothing changed" in response.data and b"maybe" in response.data
    assert count(client) == before
    assert categories(client, "bad") == set()


@pytest.mark.parametrize(("update", "message"), [
    ("INSERT DATA { <urn:a> <urn:b> }", b"syntax error"),
    ("LOAD <http://example.org/data.ttl>", b"not allowed"),
    ("", b"empty"),
])
def test_bad_updates_are_400(make_app, update, message):
    client = make_app().test_client()
    response = client.post("/update", data={"update": update}, headers=AUTH)
    assert response.status_code == 400 and message in response.data


def test_update_via_get_is_refused(make_app):
    client = make_app().test_client()
    assert client.get("/sparql", query_string={"update": "CLEAR ALL"}, headers=AUTH).status_code == 405


def test_graph_store_protocol(make_app, tmp_path):
    client = make_app().test_client()
    graph = "https://w3id.org/ai-openness/graph/contrib"
    body = ntriples(tmp_path, "gsp-model")
    created = client.put("/store", query_string={"graph": graph}, data=body, content_type="application/n-triples",
                         headers=AUTH)
    assert created.status_code == 201, created.data
    read = client.get("/store", query_string={"graph": graph}, headers={"Accept": "text/turtle"})
    assert read.status_code == 200 and b"gsp-model" in read.data
    assert "OpenSourceModel" in categories(client, "gsp-model")
    replaced = client.put("/store", query_string={"graph": graph}, data=body, content_type="application/n-triples",
                          headers=AUTH)
    assert replaced.status_code == 204
    rejected = client.post("/store", query_string={"graph": graph}, headers=AUTH,
                           data=ntriples(tmp_path, "gsp-bad", weights="maybe"), content_type="application/n-triples")
    assert rejected.status_code == 400 and categories(client, "gsp-bad") == set()
    unparsable = client.post("/store", query_string={"graph": graph}, headers=AUTH, data=b"<a> <b",
                             content_type="text/turtle")
    assert unparsable.status_code == 400
    wrong_type = client.post("/store", query_string={"graph": graph}, headers=AUTH, data=b"x",
                             content_type="application/pdf")
    assert wrong_type.status_code == 415
    assert client.delete("/store", query_string={"graph": graph}, headers=AUTH).status_code == 204
    assert client.get("/store", query_string={"graph": graph}).status_code == 404
    assert categories(client, "gsp-model") == set()
    assert client.get("/store", query_string={"graph": graph, "default": ""}).status_code == 400


def test_on_disk_store_keeps_writes_across_restarts(make_app, tmp_path):
    path = tmp_path / "db"
    seed = ox.Store(str(path))  # an existing (non-empty) store is opened as it is, not seeded
    seed.add(ox.Quad(ox.NamedNode("urn:x:seed"), ox.NamedNode("urn:x:p"), ox.Literal("1"),
                     ox.NamedNode("urn:x:g")))
    seed.flush()
    del seed
    app = make_app(STORE=str(path))
    client = app.test_client()
    response = client.post("/update", data={"update": f"INSERT DATA {{ {ntriples(tmp_path, 'kept')} }}"},
                           headers=AUTH)
    assert response.status_code == 200, response.data
    assert "OpenSourceModel" in categories(client, "kept")
    from server import engine_of

    engine_of(app).close()
    again = make_app(STORE=str(path), TOKEN=None).test_client()
    assert "OpenSourceModel" in categories(again, "kept")
