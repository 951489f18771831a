"""The rule path against HermiT: both must infer the same category, MOF class, ten dimension values and the
level of each dimension's assessment (the level classes of ontology/assessment.ttl).

The rule path (``kg.reasoner.classify_facts``) is compiled from the OWL axioms; HermiT reasons over the
axioms themselves. Over 1,000 generated records cover every combination of public, gated, not-released,
unknown and absent for weights, architecture, training code and training data (5^4 = 625), every way a
MOF component can fail (not released, unknown, absent, closed, missing or wrong-type licence), random
mixes, and records with conflicting claims; one HermiT run classifies them all.
"""

from __future__ import annotations

import random
import shutil
from collections.abc import Iterator
from itertools import product
from typing import Any

import pytest

from kg.reasoner import Classification, classify_facts
from kg.reasoner.facts import ModelFacts, collect_facts
from kg.records import records_to_recordset
from kg.vocab import ARTIFACTS

pytestmark = [
    pytest.mark.java,
    pytest.mark.skipif(shutil.which("java") is None, reason="HermiT needs a Java runtime ('java' is not on PATH)"),
]

CORE = ("weights", "architecture", "training_code", "training_data")
STATES: tuple[str | None, ...] = ("public", "gated", "not-released", "unknown", None)  # None: artifact left out
#: The MOF content type of each component, which decides which licences count as open for it.
CONTENT = {
    "architecture": "code", "training_code": "code", "inference_code": "code", "evaluation_code": "code",
    "preprocessing_code": "code", "supporting_libraries": "code",
    "weights": "data", "intermediate_weights": "data", "training_data": "data", "evaluation_data": "data",
    "model_metadata": "data",
    "technical_report": "document", "research_paper": "document", "evaluation_results": "document",
    "model_card": "document", "data_card": "document", "sample_outputs": "document",
}
assert set(CONTENT) | {"api"} == set(ARTIFACTS)
OPEN = {
    "code": ("Apache-2.0", "MIT", "GPL-3.0-only"),
    "data": ("CDLA-Permissive-2.0", "CC-BY-4.0", "OpenMDW-1.0"),
    "document": ("CC-BY-4.0", "CC-BY-SA-4.0"),
}
#: Licences open for no content type: the KG's own model licences (use-restricted, capped, non-production),
#: a non-commercial CC licence, free text.
CLOSED = ("proprietary", "llama3", "gemma", "CC-BY-NC-4.0", "mistral-non-production", "stability-community",
          "Acme Model Licence v2")
#: Open for one content type but not another (a document licence on code).
WRONG_TYPE = {"code": "CC-BY-4.0", "data": "MIT", "document": "MIT"}


def claim(state: str | None, licence: str | None) -> dict[str, Any] | None:
    """One artifact entry of a plain record; None when the artifact is left out."""
    if state is None:
        return None
    out: dict[str, Any] = {"availability": state}
    if licence is not None:
        out["license"] = licence
    return out


def record(model_id: str, artifacts: dict[str, dict[str, Any] | list[dict[str, Any]] | None]) -> dict[str, Any]:
    return {
        "id": model_id, "name": model_id, "developer": "Generated",
        "artifacts": {slug: entry for slug, entry in artifacts.items() if entry is not None},
    }


def open_licence(slug: str, rng: random.Random) -> str:
    return rng.choice(OPEN[CONTENT[slug]])


def any_licence(slug: str, rng: random.Random) -> str | None:
    """An open, closed, wrong-type or missing licence, weighted towards open so MOF classes occur."""
    roll = rng.random()
    if roll < 0.6:
        return open_licence(slug, rng)
    if roll < 0.75:
        return rng.choice(CLOSED)
    if roll < 0.9:
        return WRONG_TYPE[CONTENT[slug]]
    return None


def full_open_release(rng: random.Random) -> dict[str, dict[str, Any] | None]:
    """Every MOF component public under an open licence of its type: a Class I open-source model."""
    return {slug: claim("public", open_licence(slug, rng)) for slug in CONTENT}


#: The components each MOF class adds to the one below (the research paper may stand in for the report).
MOF_LEVELS = {
    "III": ("architecture", "weights", "evaluation_results", "model_card", "data_card", "technical_report"),
    "II": ("training_code", "inference_code", "evaluation_code", "evaluation_data"),
    "I": ("training_data", "preprocessing_code", "intermediate_weights", "research_paper"),
}
#: Licence choices cycled over the four core artifacts: open for the type, closed, wrong type, none, free text.
LICENCE_CYCLE = ("open", "closed", "wrong-type", "none", "open", "free-text")


def cycled_licence(slug: str, i: int, rng: random.Random) -> str | None:
    choice = LICENCE_CYCLE[i % len(LICENCE_CYCLE)]
    return {"open": open_licence(slug, rng), "closed": rng.choice(CLOSED[:4]), "none": None,
            "wrong-type": WRONG_TYPE[CONTENT[slug]], "free-text": CLOSED[-1]}[choice]


def core_combinations() -> Iterator[dict[str, Any]]:
    """All 625 combinations of the four artifacts the category depends on, with cycled licences."""
    for i, states in enumerate(product(STATES, repeat=len(CORE))):
        rng = random.Random(i)
        artifacts = {slug: claim(state, cycled_licence(slug, i + n, rng))
                     for n, (slug, state) in enumerate(zip(CORE, states, strict=True))}
        if i % 5 == 0:
            artifacts["api"] = claim(rng.choice(STATES[:3]), None)
        yield record(f"core-{i:03d}", artifacts)


def failure_modes(slug: str, rng: random.Random) -> dict[str, dict[str, Any] | None]:
    """Every way one MOF component can fail to count, plus two ways it still counts (gated; two licences)."""
    return {
        "not-released": claim("not-released", None),
        "unknown": claim("unknown", None),
        "absent": None,
        "gated-open": claim("gated", open_licence(slug, rng)),
        "closed": claim("public", "proprietary"),
        "free-text": claim("public", "Acme Model Licence v2"),
        "no-licence": claim("public", None),
        "wrong-type": claim("public", WRONG_TYPE[CONTENT[slug]]),
        "two-licences": {"availability": "public", "license": ["proprietary", open_licence(slug, rng)]},
    }


def level_release(level: str, rng: random.Random) -> dict[str, dict[str, Any] | None]:
    """The components MOF class ``level`` requires (and those below it), public under open licences."""
    order = list(MOF_LEVELS)
    slugs = [s for lv in order[: order.index(level) + 1] for s in MOF_LEVELS[lv]]
    return {slug: claim("public", open_licence(slug, rng)) for slug in slugs}


def component_failures(modes_per_component: int | None = None) -> Iterator[dict[str, Any]]:
    """For each MOF class, its release with one of its own components failing in each possible way.

    ``modes_per_component`` keeps only that many failure modes per component (rotating, so every mode
    still occurs): HermiT spends about a second on each model that reaches a MOF class.
    """
    n = 0
    for level, slugs in MOF_LEVELS.items():
        for slug in slugs:
            rng = random.Random(slug)
            modes = list(failure_modes(slug, rng).items())
            if modes_per_component is not None:
                modes = [modes[(n + k) % len(modes)] for k in range(modes_per_component)]
                n += modes_per_component
            for how, entry in modes:
                artifacts = level_release(level, rng)
                artifacts[slug] = entry
                artifacts.setdefault("training_code", claim("public", "MIT"))  # category: open-source when all hold
                artifacts.setdefault("training_data", claim("gated", "CC-BY-4.0"))
                yield record(f"fail-{level}-{slug.replace('_', '-')}-{how}", artifacts)
    rng = random.Random("paper")
    for report, paper in product(STATES, STATES):  # the research paper stands in for the technical report
        if modes_per_component is not None and (report is None) != (paper is None) and report != paper:
            continue
        artifacts = level_release("III", rng)
        artifacts["technical_report"] = claim(report, open_licence("technical_report", rng))
        artifacts["research_paper"] = claim(paper, open_licence("research_paper", rng))
        yield record(f"paper-{report or 'absent'}-{paper or 'absent'}", artifacts)
    yield record("full-open-release", full_open_release(random.Random("full")))


def random_mixes(count: int, size: int = 6) -> Iterator[dict[str, Any]]:
    """Random models stating ``size`` random artifacts each, with random availability and licences."""
    rng = random.Random(2026)
    slugs = sorted(ARTIFACTS)
    for i in range(count):
        chosen = rng.sample(slugs, size)
        artifacts = {slug: claim(rng.choice(STATES), any_licence(slug, rng) if slug != "api" else None)
                     for slug in chosen}
        yield record(f"mix-{i:03d}", artifacts)


#: Records with two claims about one artifact, and the category the deciding claim gives (kg.merge's rule:
#: definite over unknown, then the most recent as-of date, then the claim that promises less).
CONFLICTS: dict[str, tuple[dict[str, Any], str]] = {
    "conflict-newer-public": (record("conflict-newer-public", {
        "weights": [{"availability": "not-released", "as_of": "2023-01-01"},
                    {"availability": "public", "as_of": "2024-06-01", "license": "Apache-2.0"}],
        "architecture": claim("not-released", None)}), "open-weight"),
    "conflict-newer-closed": (record("conflict-newer-closed", {
        "weights": [{"availability": "public", "as_of": "2023-01-01", "license": "Apache-2.0"},
                    {"availability": "not-released", "as_of": "2024-06-01"}],
        "architecture": claim("public", "MIT")}), "closed-source"),
    "conflict-known-beats-unknown": (record("conflict-known-beats-unknown", {
        "weights": [{"availability": "unknown", "as_of": "2025-01-01"},
                    {"availability": "gated", "as_of": "2020-01-01"}],
        "architecture": claim("public", "MIT"), "training_code": claim("public", "MIT"),
        "training_data": [{"availability": "not-released"}, {"availability": "unknown"}]}), "open-weight"),
    "conflict-same-date-less-wins": (record("conflict-same-date-less-wins", {
        "weights": claim("public", "Apache-2.0"), "architecture": claim("public", "Apache-2.0"),
        "training_code": claim("public", "MIT"),
        "training_data": [{"availability": "public", "as_of": "2024-01-01", "license": "CC-BY-4.0"},
                          {"availability": "not-released", "as_of": "2024-01-01"}]}), "open-weight"),
    "conflict-licence-of-deciding-claim": (record("conflict-licence-of-deciding-claim", {
        **full_open_release(random.Random("conflict")),
        "weights": [{"availability": "public", "as_of": "2022-01-01", "license": "Apache-2.0"},
                    {"availability": "public", "as_of": "2024-01-01", "license": "llama3"}]}), "open-source"),
}


def generated_records(dense: bool = False, total: int = 1000) -> list[dict[str, Any]]:
    """At least ``total`` records: every core combination, MOF failures, conflicts, random mixes to fill.

    The default set keeps HermiT's share bounded (two failure modes per MOF component, mixes of two
    artifacts); ``dense`` tries every failure mode and mixes of six artifacts (the slow test).
    """
    records = [*core_combinations(), *component_failures(None if dense else 2)]
    fill = max(0, total - len(records) - len(CONFLICTS))
    records.extend(random_mixes(fill + (200 if dense else 0), size=6 if dense else 2))
    records.extend(rec for rec, _ in CONFLICTS.values())
    return records


Paths = tuple[dict[str, ModelFacts], dict[str, Classification], dict[str, Any]]


def run_both(records: list[dict[str, Any]], with_assessment: bool = False) -> Paths:
    """The facts, the rule path's classifications and HermiT's, by model IRI."""
    from kg.reasoner.hermit import classify_with_hermit

    facts = collect_facts(records_to_recordset(records).triples)
    rules = {c.iri: c for c in classify_facts(facts)}
    reference = classify_with_hermit(facts, with_assessment)  # one HermiT run over every model
    return facts, rules, reference


#: Weights licences with different terms: unrestricted, capped and use-restricted, non-commercial,
#: non-production, revenue-capped, derivatives forbidden, unknown terms, free text.
ASSESSMENT_LICENCES = ("Apache-2.0", "llama3.1", "CC-BY-NC-4.0", "mistral-non-production", "stability-community",
                       "CC-BY-ND-4.0", "minimax", "Acme Model Licence v2", "bigcode-openrail-m", "MIT")
DOCUMENTS = ("model_card", "data_card", "technical_report", "research_paper", "evaluation_results", "api",
             "inference_code")


def assessment_records() -> list[dict[str, Any]]:
    """Records that reach every level of every dimension: core combinations, weights under licences with
    different terms, documents present or not, and a fully open release (HermiT realises 30 more classes
    per model here, so the set is smaller than the default one)."""
    records = []
    for i, rec in enumerate(core_combinations()):
        if i % 7:
            continue
        rng = random.Random(i)
        arts = dict(rec["artifacts"])
        if "weights" in arts and arts["weights"].get("availability") in ("public", "gated"):
            arts["weights"] = {**arts["weights"], "license": ASSESSMENT_LICENCES[i % len(ASSESSMENT_LICENCES)]}
        for slug in rng.sample(DOCUMENTS, 3):
            arts.setdefault(slug, claim(rng.choice(STATES[:3]), open_licence(slug, rng) if slug != "api" else None))
        records.append(record(f"assess-{i:03d}", arts))
    records.append(record("assess-full-open", full_open_release(random.Random("assess"))))
    return records


def differences(paths: Paths) -> list[str]:
    """One line per model on which the two paths disagree (category, MOF class or any dimension)."""
    facts, rules, reference = paths
    assert set(rules) == set(reference) == set(facts)
    out = []
    for iri, rule in rules.items():
        ref = reference[iri]
        levels = {slug: (met.level if met is not None else "none") for slug, met in rule.levels.items()}
        if not ref.levels:  # a HermiT run without the assessment's classes
            levels = {}
        got = (rule.category, rule.mof_class, rule.dimensions, levels)
        want = (ref.category, ref.mof_class, ref.dimensions, ref.levels)
        if got != want:
            out.append(f"{rule.id}: rule path {got[:2]}, HermiT {want[:2]}"
                       + ("" if got[2] == want[2] else f"; dimensions {got[2]} vs {want[2]}")
                       + ("" if got[3] == want[3] else f"; assessment levels {got[3]} vs {want[3]}"))
    return out


@pytest.fixture(scope="module")
def both_paths() -> Paths:
    return run_both(generated_records())


def test_enough_models_and_every_core_combination() -> None:
    records = generated_records()
    assert len(records) >= 1000
    assert len({r["id"] for r in records}) == len(records)
    combos = {tuple((r["artifacts"].get(s) or {}).get("availability") for s in CORE)
              for r in records if r["id"].startswith("core-")}
    assert set(product(STATES, repeat=4)) <= combos


def test_rule_path_agrees_with_hermit(both_paths: Paths) -> None:
    diff = differences(both_paths)
    assert not diff, f"{len(diff)} of {len(both_paths[1])} models differ:\n" + "\n".join(diff[:20])


@pytest.mark.slow
def test_rule_path_agrees_with_hermit_dense() -> None:
    """Every failure mode of every MOF component and mixes of six artifacts (HermiT takes several minutes)."""
    paths = run_both(generated_records(dense=True))
    diff = differences(paths)
    assert not diff, f"{len(diff)} of {len(paths[1])} models differ:\n" + "\n".join(diff[:20])


@pytest.fixture(scope="module")
def assessed_paths() -> Paths:
    return run_both(assessment_records(), with_assessment=True)


def test_assessment_levels_agree_with_hermit(assessed_paths: Paths) -> None:
    """The level classes of ontology/assessment.ttl: the compiled rules and HermiT give every model the same."""
    _, rules, reference = assessed_paths
    assert all(ref.levels for ref in reference.values())
    diff = differences(assessed_paths)
    assert not diff, f"{len(diff)} of {len(rules)} models differ:\n" + "\n".join(diff[:20])
    # every level of every dimension occurs, so each level rule is compared
    for slug in next(iter(rules.values())).levels:
        seen = {(c.levels[slug].level if c.levels[slug] else "none") for c in rules.values()}
        assert seen == {"full", "partial", "limited", "none"}, (slug, seen)


def test_every_outcome_is_exercised(both_paths: Paths) -> None:
    _, rules, _ = both_paths
    assert {c.category for c in rules.values()} == {"closed-source", "open-weight", "open-source", "unclassified"}
    assert {c.mof_class for c in rules.values()} == {None, "III", "II", "I"}
    classified = [c for c in rules.values() if c.category != "unclassified"]
    assert all(len(c.dimensions) == 10 for c in classified)
    assert all(not c.dimensions for c in rules.values() if c.category == "unclassified")


def test_both_paths_use_the_deciding_claim(both_paths: Paths) -> None:
    facts, rules, reference = both_paths
    by_id = {c.id: c for c in rules.values()}
    for model_id, (_, expected) in CONFLICTS.items():
        rule = by_id[model_id]
        assert rule.category == expected, f"{model_id}: {rule.reasons}"
        assert reference[rule.iri].category == expected
        # a conflict is two different definite availabilities; unknown against a definite one is none
        assert bool(rule.conflicts) == (model_id in {"conflict-newer-public", "conflict-newer-closed",
                                                     "conflict-same-date-less-wins"}), rule.conflicts
    # the newer claim's use-restricted licence decides: no MOF class, though the older claim was Apache-2.0
    licence_case = by_id["conflict-licence-of-deciding-claim"]
    assert licence_case.mof_class is None and reference[licence_case.iri].mof_class is None
    assert facts[licence_case.iri].deciding[str(ARTIFACTS["weights"])].release.endswith("#weights-2")
