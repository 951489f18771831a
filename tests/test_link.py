"""Linking models to registry entries: exact matches written as SSSOM, ambiguous ones for review."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from fake_sparql import FakeSparql

from kg.cli import main
from kg.linking import COLUMNS, Entry, find_links, write_sssom

EXTERNAL = Path(__file__).resolve().parents[2] / "shared" / "external"

MODELS = [
    {"id": "olmo-7b", "name": "OLMo 7B", "developer": "Ai2", "huggingface": ["allenai/OLMo-7B"]},
    {"id": "falcon", "name": "Falcon", "developer": "TII"},
    {"id": "llama-3.1-8b", "name": "Llama 3.1 8B", "developer": "Meta"},
]
ENTRIES = [
    Entry("https://example.org/mot/OLMo-7B.yml", "OLMo-7B", "MOT", "AI2", ("allenai/olmo-7b",)),
    Entry("https://example.org/osai/Falcon", "Falcon", "OSAI"),
    Entry("https://example.org/mot/Falcon-1", "Falcon", "MOT"),
    Entry("https://example.org/mot/Falcon-2", "falcon", "MOT"),
    Entry("https://example.org/osai/Llama%203.1", "Llama 3.1", "OSAI", "Meta"),
]


def test_exact_by_repo_and_unique_name_ambiguous_otherwise():
    links = find_links(MODELS, ENTRIES)
    exact = {(link.model, link.entry.iri) for link in links if link.exact}
    assert exact == {("olmo-7b", "https://example.org/mot/OLMo-7B.yml"),
                     ("falcon", "https://example.org/osai/Falcon")}
    review = {(link.model, link.entry.iri) for link in links if not link.exact}
    assert ("falcon", "https://example.org/mot/Falcon-1") in review  # two MOT entries named Falcon
    assert ("llama-3.1-8b", "https://example.org/osai/Llama%203.1") in review  # the family, not the model


def test_sssom_table():
    out = io.StringIO()
    write_sssom([link for link in find_links(MODELS, ENTRIES) if link.exact], out, description="t",
                today="2026-01-01")
    lines = out.getvalue().splitlines()
    assert lines[0] == "# curie_map:"
    header = next(line for line in lines if not line.startswith("#"))
    assert tuple(header.split("\t")) == COLUMNS
    rows = [line.split("\t") for line in lines[lines.index(header) + 1:]]
    assert all(len(r) == len(COLUMNS) for r in rows)
    assert [
        rows[0][0], rows[0][2], rows[0][5]] == ["model:olmo-7b", "skos:exactMatch", "semapv:DatabaseCrossReference"]


def test_cli_links_with_wikidata_registry(tmp_path, capsys):
    records = tmp_path / "models.yaml"
    records.write_text("- {id: gemma, name: Gemma, developer: Google}\n- {id: other, name: Nothing, developer: X}\n")
    empty = tmp_path / "external"
    empty.mkdir()
    out = tmp_path / "links.tsv"
    with FakeSparql() as wdqs:
        code = main(["link", str(records), "--external", str(empty), "--wikidata-endpoint", wdqs.url,
                     "-o", str(out)])
    assert code == 0
    text = out.read_text()
    assert "model:gemma\tGemma\tskos:exactMatch\twd:Q900200" in text
    assert "1 exact links" in capsys.readouterr().err


def test_cli_without_any_source_is_one_line_error(tmp_path, capsys):
    assert main(["link", "--external", str(tmp_path / "none")]) == 2
    assert "give --external DIR" in capsys.readouterr().err


@pytest.mark.skipif(not (EXTERNAL / "mot").is_dir(), reason=f"the external datasets are not present at {EXTERNAL}")
def test_bundled_kg_links_to_mot_and_osai(tmp_path, capsys):
    out, review = tmp_path / "links.tsv", tmp_path / "review.tsv"
    assert main(["link", "-o", str(out), "--review", str(review)]) == 0
    text = out.read_text()
    assert "model:olmo-7b\tOLMo 7B\tskos:exactMatch\tmot:OLMo-7B.yml" in text
    assert "osai:" in text
    assert "skos:exactMatch" not in review.read_text().split("mapping_justification", 1)[1]
    assert "exact links" in capsys.readouterr().err
