"""Terms carried down lineage (kg.reasoner.lineage): a model derived from a base whose weights licence binds
derivatives (Llama, Gemma) carries those terms, with the reason; a permissive base passes nothing on."""

from __future__ import annotations

import pytest

from kg.kgdata import bundled_records
from kg.reasoner import classify_recordset, classify_triples
from kg.records import read_file


@pytest.fixture(scope="module")
def bundled():
    return {r.id: r for r in classify_recordset(bundled_records())}


def test_fine_tunes_of_llama_and_gemma_carry_the_base_terms(bundled):
    tulu = bundled["tulu-3-8b"].inherited_terms
    assert [(t["license"], t["from"], t["kind"]) for t in tulu] == [("llama3.1", "llama-3.1-8b", "fine-tune")]
    assert "binds derivatives" in tulu[0]["because"] and tulu[0]["because"] in bundled["tulu-3-8b"].reasons
    assert bundled["shieldgemma-2b"].inherited_terms[0]["license"] == "gemma"
    assert {t["from"] for t in bundled["deepseek-r1-distill-llama-70b"].inherited_terms} == {"llama-3.3-70b"}


def test_permissive_bases_pass_nothing_on(bundled):
    assert bundled["zephyr-7b-beta"].inherited_terms == []  # Mistral 7B is Apache-2.0
    assert bundled["llama-3.1-8b"].inherited_terms == []  # a base itself


def test_rdf_and_plain_records_carry_the_same_terms(bundled):
    records = bundled_records()
    from_rdf = {r.id: r.inherited_terms for r in classify_triples(records.triples)}
    assert from_rdf["tulu-3-8b"] == bundled["tulu-3-8b"].inherited_terms
    assert sum(1 for t in from_rdf.values() if t) == sum(1 for r in bundled.values() if r.inherited_terms)


def test_a_fine_tune_relicensed_by_its_developer_still_carries_the_base_terms(tmp_path):
    path = tmp_path / "m.yaml"
    path.write_text("""
- {id: base, name: Base, developer: Meta, artifacts: {weights: {availability: gated, license: llama3.1}}}
- id: tuned
  name: Tuned
  developer: Someone
  based_on: [{model: base, kind: fine-tune, source: https://example.org/card}]
  artifacts: {weights: {availability: public, license: Apache-2.0}}
- {id: orphan, name: Orphan, developer: X, based_on: missing-base, artifacts: {weights: public}}
""", encoding="utf-8")
    results = {r.id: r for r in classify_recordset(read_file(path))}
    [carried] = results["tuned"].inherited_terms
    assert carried["license"] == "llama3.1" and carried["link_sources"] == ["https://example.org/card"]
    assert results["tuned"].as_json()["inherited_terms"] == [carried]
    assert results["orphan"].inherited_terms == []
