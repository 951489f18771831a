"""The record schema: generated from the field table, committed as docs/record.schema.json, served by the
server, and checked by `openness validate` before mapping (unknown keys with "did you mean", wrong types
with the path and the expected type), one violation per mistake."""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator

from kg.errors import UnreadableInputError
from kg.records import read_file, read_files
from kg.records.fields import (
    CLAIM_FIELDS,
    CSV_HEADER_FIELDS,
    RECORD_FIELDS,
    RECORD_KEYS,
    STATE_KEYS,
)
from kg.records.schema import SCHEMA_IRI, record_schema, schema_text
from kg.validation import validate

ROOT = Path(__file__).resolve().parents[1]
BROKEN = ROOT / "tests" / "data" / "records-broken"
EXPECTED = json.loads((ROOT / "tests" / "data" / "records-broken.expected.json").read_text(encoding="utf-8"))


def test_committed_schema_is_the_generated_one():
    committed = (ROOT / "docs" / "record.schema.json").read_text(encoding="utf-8")
    assert committed == schema_text(), "regenerate: python -m kg.records.schema > docs/record.schema.json"


def test_schema_is_a_valid_draft_2020_12_schema():
    schema = record_schema()
    Draft202012Validator.check_schema(schema)
    assert schema["$id"] == SCHEMA_IRI


def test_bundled_records_fit_the_schema():
    validator = Draft202012Validator(record_schema())
    for path in sorted((ROOT / "kg" / "data" / "models").glob("*.yaml")):
        from kg.parsing import load_yaml

        errors = [e.message for e in validator.iter_errors(load_yaml(path.read_text(encoding="utf-8"), str(path)))]
        assert errors == [], path.name


def test_field_table_agrees_with_the_mapping_modules():
    from kg.records import history, plain

    assert tuple(history.STATE_FIELDS) == STATE_KEYS
    assert plain.MODEL_FIELDS == RECORD_KEYS


def test_shaped_fields_are_the_ones_the_shapes_check():
    """A field marked ``shaped`` has its values checked by a shape of its node's kind, and only those are."""
    import rdflib
    from rdflib.namespace import SH

    graph = rdflib.Graph().parse(ROOT / "shapes" / "records.ttl")
    shp = rdflib.Namespace("https://w3id.org/ai-openness/shapes#")
    value_constraints = {SH.pattern, SH["in"], SH["or"], SH["and"], SH["not"], SH.datatype, SH["class"], SH.node}

    def checked(node_shape: rdflib.URIRef) -> set[str]:
        out = set()
        for prop in graph.objects(node_shape, SH.property):
            path = graph.value(prop, SH.path)
            if isinstance(path, rdflib.URIRef) and any(graph.value(prop, c) is not None for c in value_constraints):
                out.add(str(path))
        return out

    model, release = checked(shp.ModelShape), checked(shp.ReleaseShape)
    for fields, predicates in ((RECORD_FIELDS, model), (CLAIM_FIELDS, release)):
        for f in fields:
            if f.shaped:
                assert f.predicate in predicates, f.key


def _violations(report) -> dict[str, list]:
    by_file: dict[str, list] = defaultdict(list)
    for r in report.results:
        if r.severity == "Violation":
            by_file[Path(r.file).name].append(r.as_json())
    return by_file


def test_each_broken_record_gives_one_clear_violation_with_its_path():
    report = validate(read_files([BROKEN]))
    found = _violations(report)
    assert set(found) == set(EXPECTED)
    for name, (path, fragment, line) in EXPECTED.items():
        (only,) = found[name]
        assert only["path"] == path, name
        assert fragment in only["message"], (name, only["message"])
        assert only["message"].startswith(path) or only["column"] == path, only["message"]
        if line is not None:
            assert f"(line {line})" in only["message"] or only["row"] == line, (name, only)


def test_the_same_mistake_in_a_list_of_records_names_each_record(tmp_path: Path):
    path = tmp_path / "two.json"
    path.write_text(json.dumps([{"id": "a", "name": "A", "developer": "D", "licence": "MIT"},
                                {"id": "b", "name": 1, "developer": "D"}]), encoding="utf-8")
    results = [r for r in validate(read_file(path)).results if r.severity == "Violation"]
    assert [(r.record_label, r.field) for r in results] == [("a", "licence"), ("b", "name")]


@pytest.mark.parametrize("document, message", [
    ({"models": "x"}, "models: expected a list of records, found the text 'x'"),
    ({"models": [], "extra": 1}, "extra: a file of {'models': [...]} has no other top-level key"),
    ([1], "record 1: expected a record (a mapping), found the number 1"),
    ("just text", "expected a record (a mapping), a list of records or {'models': [...]}, found the text"),
])
def test_a_file_that_holds_no_records_is_unreadable(tmp_path: Path, document, message):
    path = tmp_path / "doc.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    with pytest.raises(UnreadableInputError) as caught:
        read_file(path)
    assert message in str(caught.value)


def test_null_means_not_given(tmp_path: Path):
    path = tmp_path / "null.yaml"
    path.write_text("id: n\nname: N\ndeveloper: D\ndataset: null\nsource: [https://example.org/n]\n")
    assert [r for r in validate(read_file(path)).results if r.severity == "Violation"] == []


def test_a_directory_stands_for_its_record_files(tmp_path: Path):
    (tmp_path / "sub").mkdir()
    (tmp_path / "a.yaml").write_text("id: a\nname: A\ndeveloper: D\n")
    (tmp_path / "sub" / "b.csv").write_text("id,name,developer\nb,B,D\n")
    (tmp_path / "notes.txt").write_text("not a record")
    (tmp_path / ".hidden.yaml").write_text("id: [")
    assert sorted(Path(f).name for f in read_files([tmp_path]).files) == ["a.yaml", "b.csv"]
    (tmp_path / "empty").mkdir()
    with pytest.raises(UnreadableInputError, match="a directory with no record files"):
        read_files([tmp_path / "empty"])


def test_server_serves_the_schema(client):
    response = client.get("/schema/record.json")
    assert response.status_code == 200 and response.mimetype == "application/schema+json"
    assert response.get_json() == record_schema()


def test_every_csv_column_has_one_place_in_the_header_order():
    """The writer orders columns by the table's ``csv_order``: each column has one, no two share one."""
    for table in (RECORD_FIELDS, CLAIM_FIELDS):
        with_column = [f for f in table if f.csv is not None]
        assert all(f.csv_order is not None for f in with_column), [f.key for f in with_column if f.csv_order is None]
        orders = [f.csv_order for f in table if f.csv_order is not None]
        assert len(orders) == len(set(orders))
    assert [f.csv for f in CSV_HEADER_FIELDS if f.csv_always] == ["id", "name", "developer", "date", "source",
                                                                     "huggingface", "wikidata"]


def test_the_csv_header_follows_the_table_order():
    from kg.records.csv_writer import csv_columns

    record = {"id": "m", "name": "M", "developer": "D", "family": "f", "links": ["https://example.org/x"],
              "parameters": {"total": 8}, "based_on": [{"model": "b", "kind": "fine-tune"}],
              "artifacts": {"weights": {"availability": "public", "url": "https://example.org/w", "license": "MIT"},
                            "architecture": "public"}}
    assert csv_columns([record]) == [
        "id", "name", "developer", "date", "architecture", "weights", "weights_license", "weights_url", "source",
        "huggingface", "wikidata", "links", "based_on", "family", "parameters_total", "based_on_kind"]


def _bundled_plain_records() -> list:
    from kg.parsing import load_yaml
    from kg.records.readers import plain_records

    out = []
    for path in sorted((ROOT / "kg" / "data" / "models").glob("*.yaml")):
        out.extend(plain_records(load_yaml(path.read_text(encoding="utf-8"), str(path)), str(path)))
    return out


def _broken_plain_records() -> list:
    from kg.parsing import load_yaml
    from kg.records.readers import plain_records

    return [record for path in sorted(BROKEN.glob("*.*")) if path.suffix in (".json", ".yaml")
            for record in plain_records(load_yaml(path.read_text(encoding="utf-8"), str(path)), str(path))]


def test_the_fast_check_and_jsonschema_agree_on_real_and_broken_records():
    """jsonschema-rs only lets records through quickly; what it passes, jsonschema must pass too."""
    from kg.records.checks import _validator, surely_valid

    bundled, broken = _bundled_plain_records(), _broken_plain_records()
    assert len(bundled) > 500 and len(broken) >= 19
    for record in bundled + broken:
        assert surely_valid(record) == (not list(_validator().iter_errors(record))), record.get("id")
    assert not any(surely_valid(r) for r in broken)


_KEYS = sorted({f.key for f in RECORD_FIELDS} | set(STATE_KEYS) | {"availabilty", "licence", "weigths", "totl"})
_SCALARS = (st.none() | st.booleans() | st.integers(-5, 10**20) | st.floats(allow_nan=False)
            | st.sampled_from(["2024-07", "2024-13", "2024\n", "public", "maybe", "https://x.org", "Apache-2.0",
                               "text", "fine-tune", "8B", " 1.5 t ", "\x1c8B", "a b"]))
_VALUES = st.recursive(_SCALARS, lambda inner: st.lists(inner, max_size=3)
                       | st.dictionaries(st.sampled_from(_KEYS + ["weights", "training_code"]), inner, max_size=4),
                       max_leaves=12)


@settings(max_examples=400, deadline=None)
@given(st.dictionaries(st.sampled_from(_KEYS), _VALUES, max_size=6))
def test_what_the_fast_check_passes_jsonschema_passes(record):
    from kg.records.checks import _validator, surely_valid

    if surely_valid(record):
        assert list(_validator().iter_errors(record)) == []
