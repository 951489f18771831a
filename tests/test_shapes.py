"""The SHACL shapes: one valid and one invalid example per shape, on the fast engine and on pySHACL."""

from __future__ import annotations

from pathlib import Path

import pytest
import rdflib
from rdflib.namespace import SH

from kg.records import read_file
from kg.validation import our_shapes, validate
from kg.validation.shapes import SHP

ROOT = Path(__file__).resolve().parents[1]
CASES = ROOT / "shapes" / "tests"
NAMES = sorted({p.name.split(".")[0] for p in CASES.glob("*.ttl")})


def _keys(report) -> set[tuple[str, str, str, str]]:
    return {r.key() for r in report.results if r.origin == "shacl"}


def test_every_constraint_has_examples() -> None:
    """Each shape that states a constraint has a valid and an invalid example."""
    graph = our_shapes().graph
    constrained = set()
    for shape in our_shapes().all_shapes.values():
        if isinstance(shape.source, rdflib.URIRef) and shape.constraints:
            constrained.add(str(shape.source).rsplit("#", 1)[-1])
    assert constrained, graph
    assert constrained == set(NAMES)
    for name in NAMES:
        assert (CASES / f"{name}.valid.ttl").is_file() and (CASES / f"{name}.invalid.ttl").is_file()


def test_every_shape_is_documented() -> None:
    """sh:name, sh:description and, where a shape has constraints, a sh:message people understand."""
    graph = our_shapes().graph
    for shape in our_shapes().all_shapes.values():
        if not isinstance(shape.source, rdflib.URIRef):
            continue
        assert shape.name and shape.description, shape.source
        if shape.constraints:
            assert shape.messages, shape.source
        assert graph.value(shape.source, SH.message) is None or shape.messages


@pytest.mark.parametrize("name", NAMES)
def test_valid_example_conforms(name: str) -> None:
    records = read_file(CASES / f"{name}.valid.ttl")
    fast = validate(records)
    assert [r.message for r in fast.results] == []
    assert _keys(validate(records, engine="pyshacl")) == set()


@pytest.mark.parametrize("name", NAMES)
def test_invalid_example_breaks_its_shape(name: str) -> None:
    records = read_file(CASES / f"{name}.invalid.ttl")
    fast = validate(records)
    shape = rdflib.URIRef(SHP[name])
    hits = [r for r in fast.results if r.shape is not None and r.shape.value == str(shape)]
    assert hits, [r.message for r in fast.results]
    assert all(r.message and "{?" not in r.message for r in fast.results)
    assert _keys(fast) == _keys(validate(records, engine="pyshacl"))


def test_availability_message_names_artifact_and_allowed_values() -> None:
    report = validate(read_file(CASES / "ReleaseAvailability.invalid.ttl"))
    assert [r.message for r in report.results] == [
        "weights: 'maybe' is not an availability; use public, gated, not-released or unknown"
    ]


def test_unknown_licence_id_names_closest() -> None:
    report = validate(read_file(CASES / "ReleaseLicenseKnown.invalid.ttl"))
    (result,) = report.results
    assert result.severity == "Violation"
    assert "did you mean 'Apache-2.0'?" in result.message


def test_bundled_kg_has_no_violation() -> None:
    from kg.kgdata import bundled_records

    records = bundled_records()
    if not records.triples:
        pytest.skip("no bundled records yet")
    report = validate(records)
    assert [r.message for r in report.results if r.severity == "Violation"] == []
