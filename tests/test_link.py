"""Linking models to registry entries: exact matches written as SSSOM, ambiguous ones for review."""

from __future__ import annotations

import io

import pytest
from fake_sparql import FakeSparql

from kg.cli import main
from kg.linking import COLUMNS, Entry, add_links_to_yaml, find_links, write_sssom
from tests.conftest import EXTERNAL  # noqa: E402 - $OPENNESS_EXTERNAL or the shared folder

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
    assert main(["link", "--external", str(EXTERNAL), "-o", str(out), "--review", str(review)]) == 0
    text = out.read_text()
    assert "model:olmo-7b\tOLMo 7B\tskos:exactMatch\tmot:OLMo-7B.yml" in text
    assert "osai:" in text
    assert "skos:exactMatch" not in review.read_text().split("mapping_justification", 1)[1]
    assert "exact links" in capsys.readouterr().err


def test_repo_shared_but_name_contradicts_is_a_candidate():
    models = [{"id": "moe-16b", "name": "DeepSeekMoE 16B", "huggingface": ["x/moe-16b-base"]},
              {"id": "cg-7b", "name": "CodeGemma 7B", "huggingface": ["g/codegemma-7b"]}]
    entries = [Entry("https://e/dbrx", "dbrx-instruct", "MOT", "", ("x/moe-16b-base",)),
               Entry("https://e/cg2", "CodeGemma-2B", "MOT", "", ("g/codegemma-7b",))]
    links = find_links(models, entries)
    assert not any(link.exact for link in links)
    assert {link.comment.split(", but ")[1] for link in links} == {
        "the entry's name 'dbrx-instruct' differs", "the entry's name 'CodeGemma-2B' states another size"}


def test_name_match_gives_way_to_the_entry_naming_another_models_repo():
    models = [{"id": "r1", "name": "DeepSeek R1"}, {"id": "r1-0528", "name": "DeepSeek R1 0528",
                                                   "huggingface": ["d/r1-0528"]}]
    entries = [Entry("https://e/r1", "DeepSeek R1", "OSAI", "", ("d/r1-0528",))]
    exact = {(link.model, link.exact) for link in find_links(models, entries)}
    assert exact == {("r1", False), ("r1-0528", True)}


def test_links_stated_in_the_record_are_exact():
    models = [{"id": "cr", "name": "Command R (35B)", "links": ["https://e/command-r"]}]
    [link] = find_links(models, [Entry("https://e/command-r", "Command-R", "MOT")])
    assert link.exact and link.justification == "semapv:ManualMappingCuration"


def test_add_links_edits_only_the_links_and_keeps_comments():
    text = ("# a comment that PyYAML would lose\n"
            "- id: a\n  name: A\n  huggingface: o/a\n  source:\n  - https://s/a\n  as_of: '2026-11-29'\n"
            "- id: b\n  name: B\n  links:\n  - https://e/hand\n  source: https://s/b\n")
    new, changed = add_links_to_yaml(text, {"a": ["https://e/2", "https://e/1"], "b": ["https://e/hand"]})
    assert changed == ["a"]
    assert new.startswith("# a comment that PyYAML would lose\n")
    assert "  huggingface: o/a\n  links:\n  - https://e/1\n  - https://e/2\n  source:\n" in new
    assert add_links_to_yaml(new, {"a": ["https://e/1"]}) == (new, [])  # idempotent


def test_add_links_treats_percent_encoded_spellings_as_the_same_link():
    text = "- id: a\n  name: A\n  links:\n  - https://e/CodeT5+-16B.yml\n  - https://e/Reka Flash.yml\n"
    assert add_links_to_yaml(text, {"a": ["https://e/CodeT5%2B-16B.yml", "https://e/Reka%20Flash.yml"]}) \
        == (text, [])


def test_cli_write_adds_exact_links_and_keeps_hand_links(tmp_path, capsys):
    mot = tmp_path / "external" / "mot" / "models"
    mot.mkdir(parents=True)
    (mot / "OLMo-7B.yml").write_text(
        "framework: {name: Model Openness Framework, version: '1.0', date: '2024-12-15'}\n"
        "release:\n  name: OLMo-7B\n  version: 7B\n  date: '2024-02-01'\n  producer: AI2\n"
        "  huggingface: https://huggingface.co/allenai/OLMo-7B\n  components: []\n")
    records = tmp_path / "models.yaml"
    records.write_text("# family file\n- id: olmo-7b\n  name: OLMo 7B\n  developer: Ai2\n"
                       "  huggingface: allenai/OLMo-7B\n  links:\n  - https://example.org/by-hand\n"
                       "  source: https://allenai.org/olmo\n")
    assert main(["link", str(records), "--external", str(tmp_path / "external"), "-o", str(tmp_path / "l.tsv"),
                 "--write"]) == 0
    text = records.read_text()
    assert text.startswith("# family file\n")
    assert ("  links:\n  - https://example.org/by-hand\n"
            "  - https://github.com/lfai/model_openness_tool/blob/main/models/OLMo-7B.yml\n") in text
    assert "1 records got new links" in capsys.readouterr().err


def test_cli_write_refuses_non_yaml(tmp_path, capsys):
    records = tmp_path / "models.csv"
    records.write_text("id,name\na,A\n")
    assert main(["link", str(records), "--external", str(tmp_path), "--write"]) == 2
    assert "--write edits YAML record files only" in capsys.readouterr().err


def test_wikidata_name_match_needs_the_same_developer():
    items = [Entry("http://www.wikidata.org/entity/Q1", "Gemma", "Wikidata", "Google"),
             Entry("http://www.wikidata.org/entity/Q2", "Aurora", "Wikidata", "")]
    models = [{"id": "gemma", "name": "Gemma", "developer": "Google DeepMind"},
              {"id": "aurora", "name": "Aurora", "developer": "Microsoft"}]
    links = {link.model: link for link in find_links(models, items)}
    assert links["gemma"].exact
    assert not links["aurora"].exact
    assert "developer (none stated)" in links["aurora"].comment


def test_cli_write_adds_exact_wikidata_items_only(tmp_path, capsys):
    records = tmp_path / "models.yaml"
    records.write_text(
        "# family file\n"
        "- id: gemma\n  name: Gemma\n  developer: Google DeepMind\n  source: https://ai.google.dev/gemma\n"
        "- id: llama-2\n  name: Llama 2\n  developer: Someone Else\n  source: https://example.org/l2\n"
        "- id: kept\n  name: Falcon\n  developer: TII\n  wikidata: Q42\n")
    before = records.read_text()
    empty = tmp_path / "external"
    empty.mkdir()
    review = tmp_path / "review.tsv"
    with FakeSparql() as wdqs:
        code = main(["link", str(records), "--external", str(empty), "--wikidata-endpoint", wdqs.url,
                     "-o", str(tmp_path / "links.tsv"), "--review", str(review), "--write"])
    assert code == 0
    text = records.read_text()
    assert text == before.replace("  developer: Google DeepMind\n",
                                  "  developer: Google DeepMind\n  wikidata: Q900200\n")
    candidate = next(line for line in review.read_text().splitlines() if line.startswith("model:llama-2\t"))
    assert "wd:Q900100" in candidate and "developer (Meta Platforms) is not the record's" in candidate
    assert "1 records got a Wikidata item" in capsys.readouterr().err
