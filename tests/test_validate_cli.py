"""`openness validate`: defect datasets in CSV, JSON and Turtle, every record format, unreadable input,
report formats, exit codes, extra shapes."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib
from rdflib.namespace import SH

from kg.cli import main

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "tests" / "data" / "validate"
VALID = ROOT / "shapes" / "tests" / "ReleaseAvailability.valid.ttl"
SHP = "https://w3id.org/ai-openness/shapes#"
MODEL = "https://w3id.org/ai-openness/model/"

#: (record label, shape, CSV row, CSV column) of every defect of defects.csv.
CSV_DEFECTS = [
    ("'No Id Model' (no usable id)", "ModelIdCount", 3, "id"),
    ("Bad_ID", "ModelIdForm", 4, "id"),
    ("no-name", "ModelName", 5, "name"),
    ("no-developer", "ModelDeveloper", 6, "developer"),
    ("bad-availability", "ReleaseAvailability", 7, "weights"),
    ("bad-date", "ModelDate", 8, "date"),
    ("bad-huggingface", "ModelHuggingFace", 9, "huggingface"),
    ("bad-wikidata", "ModelWikidata", 10, "wikidata"),
    ("bad-source", "ModelSourceForm", 11, "source"),
    ("bad-url", "ReleaseUrlForm", 12, "weights_url"),
    ("unknown-licence-id", "ReleaseLicenseKnown", 13, "weights_license"),
    ("custom-licence", "ReleaseLicenseCustom", 14, "weights_license"),
    ("no-licence", "AvailableHasLicense", 15, "weights_license"),
    ("withheld-licence", "NotReleasedNoLicense", 16, "training_code_license"),
    ("withheld-url", "NotReleasedNoUrl", 17, "weights_url"),
    ("no-source", "ModelSourced", 18, "source"),
    ("dup", "ModelIdUnique", 20, "id"),
]
#: (record label, shape) of every defect of defects.json and defects.ttl.
RECORD_DEFECTS = [
    ("'No Id Model' (no usable id)", "ModelIdCount"),
    ("'Bad Id' (no usable id)", "ModelIdForm"),
    ("no-name", "ModelName"),
    ("no-developer", "ModelDeveloper"),
    ("bad-availability", "ReleaseAvailability"),
    ("bad-date", "ModelDate"),
    ("bad-huggingface", "ModelHuggingFace"),
    ("bad-wikidata", "ModelWikidata"),
    ("bad-source", "ModelSourceForm"),
    ("bad-url", "ReleaseUrlForm"),
    ("unknown-licence-id", "ReleaseLicenseKnown"),
    ("custom-licence", "ReleaseLicenseCustom"),
    ("no-licence", "AvailableHasLicense"),
    ("withheld-licence", "NotReleasedNoLicense"),
    ("withheld-url", "NotReleasedNoUrl"),
    ("no-source", "ModelSourced"),
    ("unknown-artifact", "ReleaseArtifactKind"),
    ("dup", "ModelIdUnique"),
]


def _report(path: Path) -> list:
    from kg.records import read_file
    from kg.validation import validate

    return validate(read_file(path)).results


def _found(results: list) -> set[tuple]:
    return {(r.record_label, r.shape.value.rsplit("#", 1)[-1] if r.shape else None) for r in results}


def test_csv_defects_at_row_and_column() -> None:
    results = _report(DATA / "defects.csv")
    found = {(r.record_label, r.shape.value.rsplit("#", 1)[-1], r.row, r.column) for r in results if r.shape}
    for defect in CSV_DEFECTS:
        assert defect in found, defect
    assert not [r for r in results if r.row == 2], "the good row raises nothing"
    assert len(results) == len(CSV_DEFECTS), [r.message for r in results]


@pytest.mark.parametrize("name", ["defects.json", "defects.ttl"])
def test_record_defects_at_their_record(name: str) -> None:
    results = _report(DATA / name)
    found = _found(results)
    for defect in RECORD_DEFECTS:
        if name.endswith(".json") and defect[0] == "unknown-artifact":
            # the record schema reports an unknown artifact slug of a plain record, before any shape
            (schema,) = [r for r in results if r.record_label == "unknown-artifact"]
            assert schema.origin == "schema" and "unknown artifact" in schema.message, schema.message
            continue
        assert defect in found, defect
    assert not [r for r in results if r.record_label == "good-model"]
    assert all(r.row is None and r.column is None for r in results)


def test_text_report_grouped_with_summary(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", str(DATA / "defects.csv")]) == 1
    out = capsys.readouterr().out.splitlines()
    assert "tests/data/validate/defects.csv row 7: bad-availability" in out[8].replace(str(ROOT) + "/", "")
    assert out[9] == ("  violation weights: 'maybe' is not an availability; use public, gated, not-released "
                      "or unknown [column weights]")
    assert out[-1] == ("18 records in 1 file: 12 violations, 5 warnings in 17 records; does not conform")


def test_json_report_form(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", str(DATA / "defects.csv"), "--format", "json"]) == 1
    report = json.loads(capsys.readouterr().out)
    assert list(report) == ["conforms", "violations", "warnings", "results"]
    assert (report["conforms"], report["violations"], report["warnings"]) == (False, 12, 5)
    for result in report["results"]:
        assert list(result) == ["severity", "focus", "path", "value", "message", "file", "row", "column"]
    availability = next(r for r in report["results"] if r["value"] == "maybe")
    assert availability == {
        "severity": "Violation", "focus": MODEL + "bad-availability#weights",
        "path": "https://w3id.org/ai-openness/ontology#availability", "value": "maybe",
        "message": "weights: 'maybe' is not an availability; use public, gated, not-released or unknown",
        "file": str(DATA / "defects.csv"), "row": 7, "column": "weights",
    }


def test_turtle_report_is_a_shacl_report(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", str(DATA / "defects.ttl"), "--format", "turtle"]) == 1
    graph = rdflib.Graph().parse(data=capsys.readouterr().out, format="turtle")
    (report,) = graph.subjects(rdflib.RDF.type, SH.ValidationReport)
    assert graph.value(report, SH.conforms).toPython() is False
    results = list(graph.objects(report, SH.result))
    assert len(results) == 19  # 14 violations and 5 warnings
    shapes = {str(graph.value(r, SH.sourceShape)) for r in results}
    assert SHP + "ModelIdUnique" in shapes


def _write_formats(tmp: Path) -> list[Path]:
    """The valid example record in every record format."""
    triples = list(ox.parse(path=str(VALID), format=ox.RdfFormat.TURTLE))
    files = []
    for suffix, fmt in ((".nt", ox.RdfFormat.N_TRIPLES), (".rdf", ox.RdfFormat.RDF_XML),
                        (".jsonld", ox.RdfFormat.JSON_LD), (".ttl", ox.RdfFormat.TURTLE)):
        path = tmp / f"valid{suffix}"
        path.write_bytes(ox.serialize(triples, format=fmt))
        files.append(path)
    plain = {"id": "plain", "name": "Plain", "developer": "Lab", "date": "2024-05",
             "source": ["https://example.org/plain"],
             "artifacts": {"weights": {"availability": "public", "license": "Apache-2.0"}}}
    (tmp / "valid.json").write_text(json.dumps([{**plain, "id": "plain-json"}]))
    (tmp / "valid.yaml").write_text("id: plain-yaml\nname: Plain\ndeveloper: Lab\nsource: https://example.org/y\n"
                                    "artifacts:\n  weights: {availability: gated, license: llama3.1}\n")
    (tmp / "valid.csv").write_text("id,name,developer,weights,weights_license,source\n"
                                   "plain-csv,Plain,Lab,public,MIT,https://example.org/c\n")
    return [*files[:1], *files[1:2], *files[2:3], tmp / "valid.json", tmp / "valid.yaml", tmp / "valid.csv"]


def test_every_format_and_several_files(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    files = _write_formats(tmp_path)
    for path in files:
        assert main(["validate", str(path)]) == 0, capsys.readouterr().out
    capsys.readouterr()
    assert main(["validate", *map(str, files), "--format", "json"]) == 1  # the same model in three files
    report = json.loads(capsys.readouterr().out)
    assert {r["focus"] for r in report["results"]} == {MODEL + "m"}
    assert main(["validate", str(files[0]), str(files[-1]), str(files[-2])]) == 0
    assert capsys.readouterr().out.strip().endswith("3 records in 3 files: 0 violations, 0 warnings in 0 records;"
                                                    " conforms")


def test_fail_on_warning(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "warn.csv"
    path.write_text("id,name,developer,weights\nw,W,Lab,public\n")
    assert main(["validate", str(path)]) == 0
    assert main(["validate", str(path), "--fail-on", "warning"]) == 1
    assert "warning   weights: the artifact is available but no licence is given" in capsys.readouterr().out


EXTRA_CORE = """@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix aio: <https://w3id.org/ai-openness/ontology#> .
<urn:x:NeedsAsOf> a sh:NodeShape ; sh:targetClass aio:AIModel ;
    sh:property [ sh:path aio:asOf ; sh:minCount 2 ; sh:message "as_of: we need two dates" ] .
"""
EXTRA_SPARQL = """@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix aio: <https://w3id.org/ai-openness/ontology#> .
<urn:x:NoLab> a sh:NodeShape ; sh:targetClass aio:AIModel ;
    sh:sparql [ sh:message "developer must not be Lab" ;
        sh:select "SELECT $this WHERE { $this <https://w3id.org/ai-openness/ontology#developer> 'Lab' }" ] .
"""


@pytest.mark.parametrize("extra,message", [(EXTRA_CORE, "as_of: we need two dates"),
                                           (EXTRA_SPARQL, "developer must not be Lab")])
def test_extra_shapes(tmp_path: Path, capsys: pytest.CaptureFixture[str], extra: str, message: str) -> None:
    shapes = tmp_path / "extra.ttl"
    shapes.write_text(extra)
    assert main(["validate", str(VALID), "--shapes", str(shapes), "--format", "json"]) == 1
    report = json.loads(capsys.readouterr().out)
    assert [r["message"] for r in report["results"]] == [message]
    assert report["results"][0]["focus"] == MODEL + "m"


UNREADABLE = {
    "binary.ttl": (b"\x00\x01\x02binary", "binary data"),
    "latin1.csv": ("id,name\nm,Caf\xe9\n".encode("latin-1"), "not UTF-8"),
    "broken.ttl": (b"@prefix aio: <https://w3id.org/ai-openness/ontology#> .\n<a> aio:b .\n", ":2"),
    "ragged.csv": (b"id,name,developer\na,A,Lab\nb,B\n", ":3"),
    "empty.json": (b"", "empty"),
    "entities.rdf": (b'<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol">]>\n<rdf:RDF xmlns:rdf='
                     b'"http://www.w3.org/1999/02/22-rdf-syntax-ns#"/>\n', "DOCTYPE"),
}


@pytest.mark.parametrize("name", [*UNREADABLE, "missing.csv"])
def test_unreadable_input_exits_2_with_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                 name: str) -> None:
    path = tmp_path / name
    if name in UNREADABLE:
        path.write_bytes(UNREADABLE[name][0])
    assert main(["validate", str(VALID), str(path)]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    lines = captured.err.strip().splitlines()
    assert len(lines) == 1 and str(path) in lines[0], lines
    if name in UNREADABLE:
        assert UNREADABLE[name][1] in lines[0]


def test_unreadable_shapes_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    shapes = tmp_path / "bad-shapes.ttl"
    shapes.write_text("this is not turtle")
    assert main(["validate", str(VALID), "--shapes", str(shapes)]) == 2
    assert str(shapes) in capsys.readouterr().err


def test_cli_process_no_traceback(tmp_path: Path) -> None:
    """The installed entry point, as users run it: exit 2, one line, no traceback, no hang."""
    path = tmp_path / "entities.rdf"
    path.write_bytes(UNREADABLE["entities.rdf"][0])
    proc = subprocess.run([sys.executable, "-m", "kg", "validate", str(path)], capture_output=True, text=True,
                          cwd=ROOT, timeout=60)
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr and len(proc.stderr.strip().splitlines()) == 1
