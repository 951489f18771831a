"""The Wikidata importer: SPARQLWrapper against a local SPARQL endpoint holding Wikidata-shaped RDF."""

from __future__ import annotations

import pytest
from fake_sparql import FakeSparql

from kg.cli import main
from kg.importers.registry import ImportOptions, get
from kg.importers.wikidata import USER_AGENT, parse_qid


@pytest.fixture(scope="module")
def wdqs():
    with FakeSparql() as server:
        yield server


def _import(wdqs, *qids, **kw):
    return get("wikidata")(list(qids), ImportOptions(endpoint=wdqs.url, **kw))


def test_item_facts_mapped(wdqs):
    result = _import(wdqs, "Q900100")
    (rec,) = result.records
    assert rec["name"] == "Llama 2" and rec["id"] == "llama-2"
    assert rec["developer"] == "Meta Platforms"
    assert rec["wikidata"] == "Q900100"  # skos:exactMatch to the entity
    assert rec["date"] == "2023-07-18"
    assert "https://www.llama.com/llama2/" in rec["source"]
    assert rec["artifacts"]["weights"] == {"availability": "unknown", "license": ["llama2"],
                                           "source": ["https://www.wikidata.org/wiki/Q900100"]}
    assert rec["artifacts"]["inference_code"]["url"] == ["https://github.com/meta-llama/llama"]
    assert result.notes == []


def test_spdx_licence_month_precision_and_deprecated_date_ignored(wdqs):
    (rec,) = _import(wdqs, "Q900200").records
    assert rec["artifacts"]["weights"]["license"] == ["Apache-2.0"]
    assert rec["date"] == "2024-02"


def test_user_agent_is_descriptive(wdqs):
    _import(wdqs, "Q900200")
    assert wdqs.requests[-1]["user_agent"] == USER_AGENT
    assert "https://" in USER_AGENT and "ai-openness-kg/" in USER_AGENT


def test_search_finds_items_by_label_and_notes_non_models(wdqs):
    result = _import(wdqs, search=("Falcon",))
    assert sorted(r["wikidata"] for r in result.records) == ["Q900300", "Q900301"]
    assert len({r["id"] for r in result.records}) == 2
    assert any("Q900301" in n and "human" in n for n in result.notes)


def test_search_by_alias(wdqs):
    assert [r["wikidata"] for r in _import(wdqs, search=("LLaMA 2",)).records] == ["Q900100"]


def test_bad_missing_and_good_ids(wdqs):
    result = _import(wdqs, "X1", "Q1234567", "Q900200")
    assert [r["wikidata"] for r in result.records] == ["Q900200"]
    assert "is no Wikidata item id" in result.problems[0]
    assert "no such item" in result.problems[1]


def test_rate_limit_says_when_to_retry(wdqs):
    result = get("wikidata")(["Q900100"], ImportOptions(endpoint=wdqs.base + "/limited"))
    assert "HTTP 429" in result.problems[0] and "retry in 120 s" in result.problems[0]


def test_cli_turtle_links_entity(wdqs, capsys):
    assert main(["import", "wikidata", "Q900100", "--endpoint", wdqs.url]) == 0
    assert "http://www.wikidata.org/entity/Q900100" in capsys.readouterr().out


def test_cli_network_failure(capsys):
    assert main(["import", "wikidata", "Q1", "--endpoint", "http://127.0.0.1:9/sparql", "--timeout", "5"]) == 2
    err = capsys.readouterr().err
    assert "network failure" in err and "Traceback" not in err


def test_qids():
    assert parse_qid("q42") == "Q42"
    assert parse_qid("http://www.wikidata.org/entity/Q42") == "Q42"
    assert parse_qid("Q0") is None and parse_qid("P31") is None
