"""The two fact collectors (from RDF triples, and straight from plain records) give equal facts, and collect
every fact the record field table names."""

from __future__ import annotations

from pathlib import Path

import pytest

from kg.reasoner.facts import (
    CLAIM_FACTS,
    MODEL_FACTS,
    ModelFacts,
    collect_facts,
    collect_facts_from_plain,
    fact_fields,
)
from kg.records import read_file
from kg.records.fields import CLAIM_FIELDS, RECORD_FIELDS, Field
from kg.records.mapping import CODECS
from kg.records.plain import record_to_triples
from kg.resources import bundled_record_files
from kg.vocab import ARTIFACTS, MODEL

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


#: A plain value per codec, for the fields whose rows name a fact.
SAMPLE = {"identifier": "m1", "text": "Some text", "iri": "https://example.org/x", "date": "2024-02-03",
          "family": "fam", "modality": "text", "availability": "gated", "license": "MIT;Some Own Licence"}


@pytest.mark.parametrize("level,fact", [("model", f) for f in MODEL_FACTS] + [("claim", f) for f in CLAIM_FACTS],
                         ids=lambda v: v if isinstance(v, str) else v.key)
def test_every_fact_row_of_the_table_is_collected(level, fact):
    row = next(f for f in (RECORD_FIELDS if level == "model" else CLAIM_FIELDS) if f.key == fact.key)
    value = SAMPLE[row.term]
    expected = CODECS[row.term].keys(value, {})
    record = {"id": "m1", fact.key: value} if level == "model" else {
        "id": "m1", "artifacts": {"weights": {"availability": "public", fact.key: value}}}
    pairs = [(0, record)]
    from_plain = collect_facts_from_plain(pairs)
    assert from_plain == collect_facts(record_to_triples(record, index=0))
    facts = from_plain[str(MODEL) + "m1"]
    target = facts if level == "model" else facts.deciding[str(ARTIFACTS["weights"])]
    assert getattr(target, fact.attr) == (expected if fact.many else expected[0])


def test_a_fact_row_must_name_an_attribute_once():
    extra = Field("nickname", "text", "https://example.org/nick", None, "A nickname.", term="text", fact="nick")
    with pytest.raises(ValueError, match="nickname"):
        fact_fields((*RECORD_FIELDS, extra), ModelFacts)
    twice = Field("alias", "text", "https://example.org/alias", None, "Another name.", term="text", fact="name")
    with pytest.raises(ValueError, match="alias"):
        fact_fields((*RECORD_FIELDS, twice), ModelFacts)


def test_a_blank_name_is_the_id_in_both_collectors():
    pairs = [(0, {"id": "b", "name": "  ", "artifacts": {"weights": "public"}})]
    triples = [t for index, record in pairs for t in record_to_triples(record, index=index)]
    assert collect_facts_from_plain(pairs)[str(MODEL) + "b"].name == "b"
    assert collect_facts(triples)[str(MODEL) + "b"].name == "b"
