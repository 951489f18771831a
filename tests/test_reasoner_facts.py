"""The two fact collectors (from RDF triples, and straight from plain records) give equal facts."""

from __future__ import annotations

from pathlib import Path

import pytest

from kg.reasoner.facts import collect_facts, collect_facts_from_plain
from kg.records import read_file
from kg.records.plain import record_to_triples
from kg.resources import bundled_record_files

TESTS = Path(__file__).parent
FILES = [*bundled_record_files(), TESTS / "data" / "records" / "sample.yaml",
         *sorted(p for p in (TESTS / "data" / "validate").glob("defects.*") if p.suffix != ".ttl")]


def plain_pairs(path: Path) -> list:
    pairs = read_file(path).plain_records()
    assert pairs is not None, f"{path.name} should be read as plain records"
    return pairs


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_collectors_agree(path):
    pairs = plain_pairs(path)
    triples = [t for index, record in pairs for t in record_to_triples(record, index=index)]
    from_rdf = collect_facts(triples)
    from_plain = collect_facts_from_plain(pairs)
    assert from_plain.keys() == from_rdf.keys()
    for key in from_rdf:
        assert from_plain[key] == from_rdf[key], key


def test_conflicting_claims_and_odd_values_agree():
    pairs = list(enumerate([
        {"id": "x", "name": ["X", "X2"], "artifacts": {
            "weights": [{"availability": "gated", "as_of": "2024-01-01", "license": "My Licence Text"},
                        {"availability": "public", "as_of": "2025-01-01", "license": ["MIT", "Apache-2.0"]},
                        "maybe"],
            "notakind": "public", "training_data": {"availability": ""}}},
        {"name": "no id", "artifacts": {"weights": "not-released"}},
        {"id": "x", "developer": "again", "artifacts": {"weights": {"availability": "unknown"}}},
    ]))
    triples = [t for index, record in pairs for t in record_to_triples(record, index=index)]
    assert collect_facts_from_plain(pairs) == collect_facts(triples)
