"""docs/coverage.md is the generated coverage table of the bundled KG, byte for byte (so it cannot drift)."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from kg.cli import main
from kg.coverage import bundled_tables, status, tables, write_markdown

ROOT = Path(__file__).resolve().parents[1]


def test_docs_coverage_is_the_generated_table():
    out = io.StringIO()
    write_markdown(bundled_tables(), out)
    assert (ROOT / "docs" / "coverage.md").read_text(encoding="utf-8") == out.getvalue(), (
        "docs/coverage.md is out of date: run `openness coverage -o docs/coverage.md`")


def test_counts_of_a_small_set():
    records = [
        {"id": "a", "developer": "X", "artifacts": {"weights": "public", "training_data": [
            {"availability": "public"}, {"availability": "not-released"}]}},
        {"id": "b", "developer": "X", "artifacts": {"weights": {"availability": "gated"}}},
        {"id": "c", "developer": "Y"},
    ]
    records[0].update(checked="2026-11-29", wikidata="Q1",
                      links=["https://github.com/lfai/model_openness_tool/blob/main/models/A.yml"])
    records[1]["links"] = "https://osai-index.eu/model/B"
    records[1]["source"] = ["https://news.example/b-launch"]   # a secondary page
    [(_, _, by_category), (_, _, by_developer), (_, header, by_artifact), (_, _, provenance)] = tables(
        records, {"a": "open-source", "b": "open-weight"})
    assert dict((row[0], row[1]) for row in by_category) == {
        "open-source": 1, "open-weight": 1, "closed-source": 0, "unclassified": 1, "total": 3}
    assert by_developer[0] == ["X", 1, 1, 0, 0, 2]
    weights = next(row for row in by_artifact if row[0] == "weights")
    assert dict(zip(header[1:], weights[1:], strict=True)) == {
        "public": 1, "gated": 1, "not-released": 0, "unknown": 0, "not stated": 1}
    assert status(records[0]["artifacts"]["training_data"]) == "not-released"
    assert [row[1:] for row in provenance] == [[1, 0, 0, 0, 1], [1, 0, 0, 1, 2], [0, 0, 0, 0, 0],
                                               [1, 0, 0, 0, 1], [1, 0, 0, 0, 1], [0, 1, 0, 0, 1]]


def test_cli_csv(tmp_path, capsys):
    out = tmp_path / "coverage.csv"
    assert main(["coverage", "--format", "csv", "-o", str(out)]) == 0
    rows = list(csv.DictReader(out.read_text().splitlines()))
    total = next(r for r in rows if r["row"] == "total")
    assert int(total["count"]) >= 200


def test_developers_are_organisations_not_texts(tmp_path):
    """Two spellings of one organisation make one row; a joint release counts for each of its organisations;
    a developer no organisation file names keeps its own row. The newest-release table groups the same way."""
    from kg.coverage import entity_tables
    from kg.entities import load_entities

    orgs, families = tmp_path / "orgs", tmp_path / "families"
    orgs.mkdir()
    families.mkdir()
    (orgs / "qwen.yaml").write_text("name: Qwen Org\nkind: company\ncountry: CN\naliases: [Alibaba Qwen]\n")
    (orgs / "lab.yaml").write_text("name: Some Lab\nkind: academic\n")
    ents = load_entities(orgs, families)
    records = [
        {"id": "a", "developer": "Alibaba Qwen", "date": "2025-01-01"},
        {"id": "b", "developer": "Qwen Org", "date": "2026-04-01", "name": "B"},
        {"id": "c", "developer": "Qwen Org / Some Lab", "date": "2024-01-01"},
        {"id": "d", "developer": "Nobody Known"},
    ]
    categories = {"a": "open-weight", "b": "closed-source", "c": "open-source"}
    by_developer = {row[0]: row[1:] for row in tables(records, categories, ents)[1][2]}
    assert by_developer == {"Qwen Org": [1, 1, 1, 0, 3], "Some Lab": [1, 0, 0, 0, 1],
                            "Nobody Known": [0, 0, 0, 1, 1]}
    newest = {row[0]: row[4:] for row in entity_tables(records, categories, ents)[0][2]}
    assert newest["Qwen Org"] == ["2026-04-01", "B (`b`)"]
    assert set(newest) == set(by_developer)
