"""Merging records of one model from several sources, and the deciding-claim rule."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from kg.cli import main
from kg.merge import choose_deciding_claim, merge_records

HUB = {"id": "llama-3.1-8b", "name": "Llama-3.1-8B", "developer": "meta-llama",
       "huggingface": "meta-llama/Llama-3.1-8B", "as_of": "2026-01-10",
       "source": ["https://huggingface.co/meta-llama/Llama-3.1-8B"],
       "artifacts": {"weights": {"availability": "gated", "license": "llama3.1"}}}
RECORD = {"id": "llama3-8b", "name": "Llama 3.1 8B", "developer": "Meta",
          "huggingface": ["meta-llama/Llama-3.1-8B"], "checked": "2025-12-01", "as_of": "2025-12-01",
          "source": ["https://ai.meta.com/blog/meta-llama-3-1/"],
          "artifacts": {"weights": {"availability": "public", "license": "llama3.1"},
                        "training_data": "not-released"}}


def test_same_model_from_two_sources_is_one_model_with_both_claims():
    result = merge_records([HUB, RECORD])
    (merged,) = result.records
    assert merged["id"] == "llama3-8b"  # the hand-checked record names the model
    claims = merged["artifacts"]["weights"]
    assert {c["availability"] for c in claims} == {"gated", "public"}
    by = {c["availability"]: c for c in claims}
    assert by["gated"]["source"] == ["https://huggingface.co/meta-llama/Llama-3.1-8B"]
    assert by["public"]["source"] == ["https://ai.meta.com/blog/meta-llama-3-1/"]
    (conflict,) = result.conflicts
    assert conflict.artifact == "weights"
    assert conflict.deciding["availability"] == "gated"  # the more recent as_of
    assert "gated decides" in conflict.describe()


def test_agreeing_claims_become_one_with_both_sources():
    other = dict(HUB, id="x", source=["https://example.org/mirror"], as_of="2025-01-01")
    (merged,) = merge_records([HUB, other]).records
    weights = merged["artifacts"]["weights"]
    assert isinstance(weights, dict)
    assert weights["source"] == ["https://huggingface.co/meta-llama/Llama-3.1-8B", "https://example.org/mirror"]
    assert weights["as_of"] == "2026-01-10"


def test_different_models_stay_apart():
    other = {"id": "gemma-2-9b", "name": "Gemma 2 9B", "huggingface": "google/gemma-2-9b"}
    assert len(merge_records([HUB, other]).records) == 2


def test_rule_order():
    unknown_new = {"availability": "unknown", "as_of": "2026-06-01"}
    old_public = {"availability": "public", "as_of": "2024-01-01"}
    assert choose_deciding_claim([unknown_new, old_public]) is old_public
    imported = {"availability": "public", "as_of": "2025-01-01"}
    checked = {"availability": "gated", "as_of": "2025-01-01", "checked": "2025-01-01"}
    assert choose_deciding_claim([imported, checked]) is checked
    tie_a, tie_b = {"availability": "public"}, {"availability": "not-released"}
    assert choose_deciding_claim([tie_a, tie_b]) is tie_b
    assert choose_deciding_claim([{"availability": "https://w3id.org/ai-openness/ontology#Gated"},
                                  {"availability": "unknown"}])["availability"].endswith("Gated")


claims = st.lists(st.fixed_dictionaries({
    "availability": st.sampled_from(["public", "gated", "not-released", "unknown"]),
    "as_of": st.sampled_from(["", "2024-01-01", "2025-06-30"]),
    "checked": st.sampled_from(["", "2025-01-01"]),
}), min_size=1, max_size=6)


@given(claims)
def test_choice_does_not_depend_on_order(cs):
    chosen = choose_deciding_claim(cs)
    again = choose_deciding_claim(list(reversed(cs)))
    assert chosen == again
    if any(c["availability"] != "unknown" for c in cs):
        assert chosen["availability"] != "unknown"


def test_cli_merge_reports_conflict(tmp_path, capsys):
    import yaml

    mine = tmp_path / "mine.yaml"
    mine.write_text(yaml.safe_dump([RECORD]))
    osai = tmp_path / "Llama.yaml"
    osai.write_text(
        "system: {name: Llama 3.1 8B, link: https://huggingface.co/meta-llama/Llama-3.1-8B}\n"
        "org: {name: Meta}\nweights_endmodel: {class: partial, link: https://huggingface.co/meta-llama}\n"
    )
    assert main(["import", "osai", str(osai), "--merge", str(mine), "--format", "json"]) == 0
    captured = capsys.readouterr()
    assert "conflict: llama3-8b weights" in captured.err
    assert captured.out.count('"id"') == 1
