"""CSV -> RDF -> CSV keeps every statement, or the CSV writer refuses and names what it cannot hold."""

from __future__ import annotations

import pytest

from kg.cli import main


def _nt_lines(path) -> set[str]:
    return {line for line in path.read_text().splitlines() if line}


def _without_history(value):
    """Records with each claim's dated history removed (the CSV has no cells for it)."""
    if isinstance(value, dict):
        return {k: _without_history(v) for k, v in value.items() if k != "history"}
    if isinstance(value, list):
        return [_without_history(v) for v in value]
    return value


def test_the_bundled_records_survive_a_csv_round_trip(tmp_path, capsys):
    import json

    assert main(["export", "--format", "json"]) == 0
    records = tmp_path / "kg.json"
    records.write_text(json.dumps(_without_history(json.loads(capsys.readouterr().out))))
    direct, via_csv, csv_file = tmp_path / "direct.nt", tmp_path / "via.nt", tmp_path / "kg.csv"
    assert main(["export", str(records), "--format", "nt", "-o", str(direct)]) == 0
    assert main(["export", str(records), "--format", "csv", "-o", str(csv_file)]) == 0
    assert main(["export", str(csv_file), "--format", "nt", "-o", str(via_csv)]) == 0
    assert _nt_lines(direct) == _nt_lines(via_csv)
    assert "weights-2" in csv_file.read_text().splitlines()[0].split(",")  # a second claim has its columns
    again = tmp_path / "again.csv"
    assert main(["export", str(csv_file), "--format", "csv", "-o", str(again)]) == 0
    assert again.read_text() == csv_file.read_text()


def test_claim_history_is_refused_or_dropped_with_a_warning(tmp_path, capsys):
    out = tmp_path / "kg.csv"
    assert main(["export", "--format", "csv", "-o", str(out)]) == 2  # the bundled KG has dated claim states
    assert "the CSV cannot hold" in capsys.readouterr().err and not out.exists()
    assert main(["export", "--format", "csv", "--lossy", "-o", str(out)]) == 0
    assert "warning: the CSV leaves out" in capsys.readouterr().err and out.exists()


def test_a_second_claim_reads_back_as_weights_2(tmp_path, capsys):
    path = tmp_path / "two.csv"
    path.write_text("id,name,developer,weights,weights_license,weights-2,weights-2_license,source\n"
                    "m,M,D,public,MIT,gated,Apache-2.0,https://example.org/s\n")
    assert main(["export", str(path), "--format", "nt"]) == 0
    out = capsys.readouterr().out
    assert "<https://w3id.org/ai-openness/model/m#weights-2> <http://purl.org/dc/terms/license> " \
           "<http://spdx.org/licenses/Apache-2.0>" in out
    assert "<https://w3id.org/ai-openness/model/m#weights> <http://purl.org/dc/terms/license> " \
           "<http://spdx.org/licenses/MIT>" in out


@pytest.mark.parametrize("extra,named", [
    ('schema:name "X", "Another X"', '<https://schema.org/name> "Another X"'),
    ('schema:description "not in the CSV form"', "<https://schema.org/description>"),
])
def test_the_csv_writer_refuses_what_it_cannot_hold(tmp_path, capsys, extra, named):
    path = tmp_path / "m.ttl"
    path.write_text("@prefix aio: <https://w3id.org/ai-openness/ontology#> .\n"
                    "@prefix schema: <https://schema.org/> .\n@prefix dcterms: <http://purl.org/dc/terms/> .\n"
                    f'<https://w3id.org/ai-openness/model/x> a aio:AIModel ; dcterms:identifier "x" ; {extra} ;\n'
                    '  aio:developer "D" .\n')
    out = tmp_path / "m.csv"
    assert main(["export", str(path), "--format", "csv", "-o", str(out)]) == 2
    err = capsys.readouterr().err
    assert "the CSV cannot hold 1 statement(s)" in err and named in err
    assert not out.exists()
