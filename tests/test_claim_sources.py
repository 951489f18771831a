"""A reason cites the source of the claim it names, never a record-level URL that may say nothing about it
(docs/data.md, "Sources per claim")."""

from __future__ import annotations

import re

from kg.kgdata import bundled_records
from kg.reasoner import classify_facts
from kg.reasoner.facts import collect_facts_from_plain
from kg.records import read_file


def test_reasons_cite_claim_level_sources_only():
    facts = collect_facts_from_plain(bundled_records().plain_records())
    results = {r.iri: r for r in classify_facts(facts)}
    checked = 0
    for iri, model in facts.items():
        own = {url for claims in model.claims.values() for c in claims for url in (*c.sources, *c.urls)}
        for reason in results[iri].reasons:
            if reason.startswith("licence carried from the base"):  # cites the base licence's clause
                continue
            for url in re.findall(r"\[(https?://[^\]\s]+)\]", reason):
                checked += 1
                assert url in own, f"{model.id}: {url!r} backs no claim of the record ({reason})"
    assert checked > 500


def test_claim_without_its_own_source_says_so(tmp_path):
    path = tmp_path / "m.yaml"
    path.write_text("- {id: m, name: M, developer: D, source: [https://example.org/blog], artifacts: {"
                    "weights: {availability: public, license: MIT, url: 'https://example.org/w'},"
                    " training_data: not-released, architecture: public, training_code: public}}\n", encoding="utf-8")
    facts = collect_facts_from_plain(read_file(path).plain_records())
    [result] = classify_facts(facts)
    assert result.reasons[0] == ("open-weight: weights public under MIT [https://example.org/w]; "
                                 "training data not released (no claim-level source)")


def test_every_bundled_reason_cites_a_claim_level_source():
    """Every deciding claim of the bundled KG names the page that backs it (docs/data.md, "Sources per claim")."""
    facts = collect_facts_from_plain(bundled_records().plain_records())
    unsourced = [f"{facts[r.iri].id}: {reason}" for r in classify_facts(facts) for reason in r.reasons
                 if "no claim-level source" in reason]
    assert unsourced == []
