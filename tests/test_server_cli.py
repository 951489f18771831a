"""``openness query`` and ``openness load`` against a store directory."""

from __future__ import annotations

import json

import pyoxigraph as ox

from kg.cli import main
from tests.test_server_writes import RECORD


def empty_store(path) -> str:  # type: ignore[no-untyped-def]
    """An existing store (so load does not seed it with the bundled KG)."""
    store = ox.Store(str(path))
    store.add(ox.Quad(ox.NamedNode("urn:x:s"), ox.NamedNode("urn:x:p"), ox.Literal("x"), ox.NamedNode("urn:x:g")))
    store.flush()
    del store
    return str(path)


def test_load_then_query(tmp_path, capsys):
    store = empty_store(tmp_path / "db")
    record = tmp_path / "m.yaml"
    record.write_text(RECORD.format(id="cli-model", weights="public"))
    assert main(["load", str(record), "--store", store]) == 0
    assert "loaded 1 model record" in capsys.readouterr().err
    query = "SELECT ?c WHERE { <https://w3id.org/ai-openness/model/cli-model> a ?c } ORDER BY ?c"
    assert main(["query", query, "--store", store, "--format", "json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert {b["c"]["value"].rsplit("#")[-1] for b in out["results"]["bindings"]} >= {"AIModel", "OpenSourceModel"}
    assert main(["query", query, "--store", store]) == 0
    assert "aio:OpenSourceModel" in capsys.readouterr().out
    # loading the same record again changes nothing
    assert main(["load", str(record), "--store", store]) == 0
    assert "0 statements added, 0 removed" in capsys.readouterr().err


def test_load_refuses_violations(tmp_path, capsys):
    store = empty_store(tmp_path / "db")
    bad = tmp_path / "bad.yaml"
    bad.write_text(RECORD.format(id="bad-model", weights="maybe"))
    assert main(["load", str(bad), "--store", store]) == 1
    assert "nothing was loaded" in capsys.readouterr().err
    assert main(["query", "ASK { ?m a <https://w3id.org/ai-openness/ontology#AIModel> }", "--store", store]) == 0
    assert capsys.readouterr().out == "false\n"


def test_query_errors_exit_2(tmp_path, capsys):
    store = empty_store(tmp_path / "db")
    assert main(["query", "SELECT * WHERE { ?s ?p }", "--store", store]) == 2
    err = capsys.readouterr().err
    assert "syntax error" in err and "Traceback" not in err
    assert main(["query", "@" + str(tmp_path / "missing.rq"), "--store", store]) == 2
    assert main(["load", str(tmp_path / "m.yaml"), "--store", "memory"]) == 2
