"""Users' own shapes through ``openness validate --shapes``: fallback to pySHACL, malformed shapes graphs,
library logging, default messages."""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
import rdflib
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kg.cli import main
from kg.errors import UnreadableInputError
from kg.records import read_file
from kg.validation import validate

ROOT = Path(__file__).resolve().parents[1]
PREFIXES = """@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix ex: <http://example.org/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
"""
DATA = PREFIXES + """ex:a a ex:Thing ; ex:p "aldi"^^xsd:integer, "7"^^xsd:integer, "x"@en, "y"@en ; ex:q ex:b .
ex:b ex:q ex:c ; ex:r ex:a .
ex:c ex:q ex:d .
"""


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _run(tmp_path: Path, shapes: str, capsys: pytest.CaptureFixture[str]) -> tuple[int, dict, str]:
    data = _write(tmp_path, "data.ttl", DATA)
    extra = _write(tmp_path, "mine.ttl", PREFIXES + shapes)
    code = main(["validate", str(data), "--shapes", str(extra), "--format", "json"])
    out = capsys.readouterr()
    return code, (json.loads(out.out) if out.out else {}), out.err


OUTSIDE = {
    "zeroOrMore": "[ sh:zeroOrMorePath ex:q ]",
    "oneOrMore": "[ sh:oneOrMorePath ex:q ]",
    "zeroOrOne": "[ sh:zeroOrOnePath ex:q ]",
}


def test_inverse_of_a_sequence_follows_sparql(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """^(r/q) is ^q/^r (SPARQL 1.1, 9.1): from ex:a, nothing has a q-value that is ex:a, so no value.
    The fast engine evaluates it; pySHACL would read it as ^r/^q and report ex:a (docs/validation.md)."""
    shapes = "ex:S a sh:NodeShape ; sh:targetNode ex:a ; sh:property [ sh:path [ sh:inversePath ( ex:r ex:q ) ] ; " \
             "sh:maxCount 0 ] ."
    code, report, err = _run(tmp_path, shapes, capsys)
    assert (code, report["results"], err) == (0, [], "")


@pytest.mark.parametrize("name", OUTSIDE)
def test_paths_outside_the_fast_subset_go_to_pyshacl(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                      name: str) -> None:
    """No crash: the shape is validated by pySHACL and its results reported with the path as written."""
    shapes = f"ex:S a sh:NodeShape ; sh:targetNode ex:a ; sh:property [ sh:path {OUTSIDE[name]} ; sh:maxCount 0 ] ."
    code, report, err = _run(tmp_path, shapes, capsys)
    assert "Traceback" not in err
    results = [r for r in report["results"] if r["focus"] == "http://example.org/a"]
    expected_paths = {"zeroOrMore": "<http://example.org/q>*", "oneOrMore": "<http://example.org/q>+",
                      "zeroOrOne": "<http://example.org/q>?"}
    assert code == 1
    assert [r["path"] for r in results] == [expected_paths[name]]
    assert results[0]["message"].startswith("More than 0 values on <http://example.org/a>->")


def test_fallback_is_per_shape_and_merged(tmp_path: Path) -> None:
    """A file with one shape in the fast subset and one outside: each engine validates its own, and the
    merged report equals pySHACL's alone on the whole file."""
    shapes = _write(tmp_path, "mine.ttl", PREFIXES + """
ex:Fast a sh:NodeShape ; sh:targetClass ex:Thing ; sh:property [ sh:path ex:p ; sh:datatype xsd:integer ] .
ex:Slow a sh:NodeShape ; sh:targetNode ex:a ; sh:property [ sh:path [ sh:oneOrMorePath ex:q ] ; sh:maxCount 2 ] .
""")
    records = read_file(_write(tmp_path, "data.ttl", DATA))
    auto = validate(records, extra_shapes=[shapes])
    alone = validate(read_file(tmp_path / "data.ttl"), extra_shapes=[shapes], engine="pyshacl")
    keys = sorted(r.key() for r in auto.results)
    assert keys == sorted(r.key() for r in alone.results)
    assert {r.component.value.rsplit("#", 1)[-1] for r in auto.results} == {"DatatypeConstraintComponent",
                                                                          "MaxCountConstraintComponent"}
    assert len(auto.results) == 4  # three ill-typed or non-integer values, three q-reachable nodes > 2


MALFORMED = {
    "literal-path": ('ex:S sh:targetNode ex:a ; sh:property [ sh:path "p" ; sh:minCount 1 ] .',
                     "sh:path is the literal"),
    "broken-list": ("ex:S sh:targetNode ex:a ; sh:in [ a ex:NotAList ] .", "not a well-formed RDF list"),
    "short-sequence": ("ex:S sh:targetNode ex:a ; sh:property [ sh:path ( ex:p ) ] .", "fewer than two"),
    "count": ('ex:S sh:targetNode ex:a ; sh:property [ sh:path ex:p ; sh:minCount "two" ] .', "non-negative"),
    "regex": ('ex:S sh:targetNode ex:a ; sh:pattern "a(" .', "not a valid regular expression"),
    "flags": ('ex:S sh:targetNode ex:a ; sh:pattern "a" ; sh:flags "g" .', "'g' is not a regular expression flag"),
    "node-kind": ("ex:S sh:targetNode ex:a ; sh:nodeKind ex:Thing .", "expected one of sh:IRI"),
    "unique-lang": ('ex:S sh:targetNode ex:a ; sh:property [ sh:path ex:p ; sh:uniqueLang "yes" ] .',
                    "expected true or false"),
    "syntax": ("ex:S sh:targetNode ex:a ; sh:minCount .", "not valid turtle"),
}


@pytest.mark.parametrize("name", MALFORMED)
def test_malformed_shapes_exit_2_with_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str) -> None:
    shapes, words = MALFORMED[name]
    code, report, err = _run(tmp_path, shapes, capsys)
    assert code == 2 and report == {}
    lines = err.strip().splitlines()
    assert len(lines) == 1, lines
    assert str(tmp_path / "mine.ttl") in lines[0] and words in lines[0], lines[0]


def test_every_result_has_a_message_naming_the_value(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    shapes = """ex:S a sh:NodeShape ; sh:targetClass ex:Thing ;
        sh:property [ sh:path ex:p ; sh:datatype xsd:integer ] ;
        sh:property [ sh:path ex:p ; sh:uniqueLang true ] ;
        sh:property [ sh:path ex:q ; sh:class ex:Thing ; sh:message "q must be a Thing, not {$value}" ] ."""
    code, report, _err = _run(tmp_path, shapes, capsys)
    assert code == 1
    messages = sorted(r["message"] for r in report["results"])
    assert messages == sorted([
        'Value "aldi"^^xsd:integer is not a literal with datatype xsd:integer',
        'Value "x"@en is not a literal with datatype xsd:integer',
        'Value "y"@en is not a literal with datatype xsd:integer',
        "More than one value of <http://example.org/a>-><http://example.org/p> shares a language tag",
        "q must be a Thing, not http://example.org/b",
    ])


def test_pyshacl_results_get_a_message_too(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    shapes = """ex:S a sh:NodeShape ; sh:targetNode ex:a ;
        sh:property [ sh:path [ sh:zeroOrMorePath ex:q ] ; sh:nodeKind sh:Literal ] ."""
    _code, report, _err = _run(tmp_path, shapes, capsys)
    assert sorted(r["message"] for r in report["results"]) == [
        f"Value <http://example.org/{n}> is not of node kind sh:Literal" for n in "abcd"]


def test_ill_typed_data_prints_no_traceback(tmp_path: Path) -> None:
    """The installed command, on data rdflib cannot convert and on shapes that make pySHACL run: at most
    one line per ill-typed value on stderr, never a traceback."""
    data = _write(tmp_path, "data.ttl", DATA + 'ex:b ex:p "2024-13-01"^^xsd:date, "maybe"^^xsd:boolean .\n')
    shapes = _write(tmp_path, "mine.ttl", PREFIXES + """ex:S a sh:NodeShape ; sh:targetClass ex:Thing ;
        sh:property [ sh:path [ sh:oneOrMorePath ex:q ] ; sh:datatype xsd:integer ] ;
        sh:property [ sh:path ex:p ; sh:datatype xsd:integer ] .""")
    proc = subprocess.run([sys.executable, "-m", "kg", "validate", str(data), "--shapes", str(shapes)],
                          capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert proc.returncode == 1, proc.stderr
    assert "Traceback" not in proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert all(line.startswith("openness: warning: ") for line in lines), lines
    assert len(lines) == len(set(lines)) <= 3
    assert "aldi" in proc.stdout


PARAMETERS = ["sh:path", "sh:minCount", "sh:maxCount", "sh:pattern", "sh:flags", "sh:in", "sh:datatype",
              "sh:nodeKind", "sh:class", "sh:hasValue", "sh:or", "sh:and", "sh:xone", "sh:not", "sh:node",
              "sh:property", "sh:minLength", "sh:maxLength", "sh:uniqueLang", "sh:languageIn", "sh:closed",
              "sh:ignoredProperties", "sh:equals", "sh:disjoint", "sh:lessThan", "sh:minInclusive",
              "sh:qualifiedValueShape", "sh:qualifiedMinCount", "sh:sparql", "sh:severity", "sh:message",
              "sh:deactivated", "sh:targetClass", "sh:targetSubjectsOf", "sh:zeroOrMorePath", "sh:inversePath",
              "sh:alternativePath", "sh:select", "rdf:type", "rdf:first", "rdf:rest"]
VALUES = ["ex:p", "ex:Thing", "sh:IRI", "sh:Literal", "xsd:integer", "sh:Warning", "sh:NodeShape", '"a"', '"("',
          "1", "-1", "true", '"1"^^xsd:boolean', '"x"@en', "( )", "( ex:p ex:q )", '( "en" 1 )', "[ ]",
          "[ sh:path ex:p ; sh:minCount 1 ]", "[ sh:zeroOrMorePath ex:q ]", "[ sh:inversePath ( ex:r ex:q ) ]",
          '[ sh:select "SELECT $this WHERE { $this ?p ?o }" ]', "ex:S", "rdf:nil"]


@settings(max_examples=120, deadline=None, database=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(st.sampled_from(PARAMETERS), st.sampled_from(VALUES)), min_size=1, max_size=5),
       st.sampled_from(["sh:targetNode ex:a", "sh:targetClass ex:Thing", "a rdfs:Class", "a sh:NodeShape"]))
def test_no_shapes_file_crashes_validation(pairs: list[tuple[str, str]], target: str) -> None:
    """Any shapes graph gives a report, or an UnreadableInputError (exit 2, one line): never another error."""
    body = " ; ".join(f"{p} {v}" for p, v in pairs)
    text = PREFIXES + "@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .\n" \
        "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n" + f"ex:S {target} ; {body} .\n"
    with tempfile.TemporaryDirectory() as tmp:
        data = _write(Path(tmp), "data.ttl", DATA)
        shapes = _write(Path(tmp), "mine.ttl", text)
        try:
            report = validate(read_file(data), extra_shapes=[shapes])
        except UnreadableInputError as exc:
            assert "\n" not in str(exc) and str(shapes) in str(exc), str(exc)
            return
        assert all(r.message for r in report.results), text


@pytest.mark.parametrize("path", ["ex:p", "[ sh:zeroOrMorePath ex:p ]"], ids=["fast engine", "pySHACL"])
def test_a_custom_severity_fails_and_keeps_its_iri(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                   path: str) -> None:
    """SHACL allows a shape's own severity IRI: it is reported whole and, its rank being unknown, fails
    validation like a violation even when warnings pass (pySHACL's ``allow_warnings`` does the same)."""
    shapes = f"ex:S a sh:NodeShape ; sh:targetNode ex:a ; sh:severity ex:Critical ; " \
             f"sh:property [ sh:path {path} ; sh:maxCount 1 ; sh:severity ex:Critical ] ."
    code, report, _err = _run(tmp_path, shapes, capsys)
    assert code == 1
    assert {r["severity"] for r in report["results"]} == {"http://example.org/Critical"}
    data, extra = tmp_path / "data.ttl", tmp_path / "mine.ttl"
    assert main(["validate", str(data), "--shapes", str(extra)]) == 1
    assert "  critical  " in capsys.readouterr().out
    assert main(["validate", str(data), "--shapes", str(extra), "--format", "turtle"]) == 1
    graph = rdflib.Graph().parse(data=capsys.readouterr().out, format="turtle")
    SH = rdflib.Namespace("http://www.w3.org/ns/shacl#")
    assert set(graph.objects(None, SH.resultSeverity)) == {rdflib.URIRef("http://example.org/Critical")}
