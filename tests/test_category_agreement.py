"""Openness categories against the Model Openness Tool and the OSAI index: on every record linked to an entry,
our category is compared with the category the entry's own facts give (the entry imported and classified by
the same reasoner). The category is decided by four components (weights, architecture, training code,
training data), so a difference must come from them: each component that differs is either a disagreement
listed with its reason in kg/data/crosscheck-explained.yaml (tests/test_crosscheck.py keeps that list complete
and current) or one that a side leaves unknown, which docs/data.md ("Categories compared with the MOT and the
OSAI index") explains as a difference of knowledge, not of facts."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from typing import Any, NamedTuple

from kg.kgdata import bundled_records
from kg.reasoner import classify_records
from tests.test_crosscheck import (  # noqa: F401 - pytestmark skips without the datasets
    AVAILABILITY,
    DATA_DOC,
    availability,
    explained,
    external_records,
    key,
    pytestmark,
)

#: The components the openness category is decided by (docs/design.md section 2).
CATEGORY_COMPONENTS = ("weights", "architecture", "training_code", "training_data")


class Pair(NamedTuple):
    """One bundled record and one registry entry it links to, with the category each one's facts give."""

    registry: str
    model: str
    entry: str
    ours: str
    theirs: str
    differing: tuple[tuple[str, str, str], ...]  # (component, our availability, theirs) that differ in kind


def kind(value: str) -> str:
    """What the category rule sees: available (public or gated), not released, or unknown."""
    return "available" if value in ("public", "gated") else value


def differing_components(ours: Mapping[str, Any], theirs: Mapping[str, Any]) -> tuple[tuple[str, str, str], ...]:
    """The category components whose availability differs in kind between the two records."""
    out = []
    for slug in CATEGORY_COMPONENTS:
        mine, other = availability(ours.get(slug)), availability(theirs.get(slug))
        if kind(mine) != kind(other):
            out.append((slug, mine, other))
    return tuple(out)


def category_pairs() -> list[Pair]:
    """Every (bundled record, linked MOT or OSAI entry) pair with both categories."""
    ours = [record for _, record in bundled_records().plain_records()]
    by_id = {record["id"]: record for record in ours}
    our_category = {c.id: c.category for c in classify_records(ours)}
    entries = external_records()
    links = [(record["id"], link) for record in ours for link in (record.get("links") or []) if link in entries]
    theirs = [{**entries[link], "id": f"entry{n}"} for n, (_, link) in enumerate(links)]
    their_category = {c.id: c.category for c in classify_records(theirs)}
    return [
        Pair("MOT" if "model_openness_tool" in link else "OSAI", rid, link, our_category[rid],
             their_category[f"entry{n}"],
             differing_components(by_id[rid].get("artifacts") or {}, entries[link].get("artifacts") or {}))
        for n, (rid, link) in enumerate(links)
    ]


def unexplained_causes(pair: Pair, listed: set[tuple[str, ...]]) -> list[str]:
    """The differing components of a pair that neither the cross-check list explains nor an unknown accounts for."""
    if not pair.differing:
        return [f"categories differ ({pair.ours} vs {pair.theirs}) but no category component does"]
    return [f"{slug}: ours {mine}, theirs {other}" for slug, mine, other in pair.differing
            if "unknown" not in (mine, other)
            and (pair.model, pair.entry, slug, "availability", mine, other) not in listed]


def test_category_components_are_cross_checked():
    assert set(CATEGORY_COMPONENTS) <= set(AVAILABILITY)


def test_categories_agree_except_where_explained():
    pairs = category_pairs()
    listed = {key(e) for e in explained()}
    unexplained = {f"{p.model} ({p.entry}): {cause}" for p in pairs if p.ours != p.theirs
                   for cause in unexplained_causes(p, listed)}
    assert not unexplained, ("category differences not explained in kg/data/crosscheck-explained.yaml:\n  "
                             + "\n  ".join(sorted(unexplained)))
    total, agree = Counter(p.registry for p in pairs), Counter(p.registry for p in pairs if p.ours == p.theirs)
    assert total["MOT"] > 100 and total["OSAI"] > 50
    by_cause = Counter("listed disagreement" if any("unknown" not in (m, o) for _, m, o in p.differing)
                       else "unknown on one side" for p in pairs if p.ours != p.theirs)
    for registry in ("MOT", "OSAI"):
        print(f"categories agree with the {registry} on {agree[registry]} of {total[registry]} linked pairs")
    differing = sum(by_cause.values())
    want = (f"**{agree['MOT']} of {total['MOT']} MOT pairs and {agree['OSAI']} of {total['OSAI']} OSAI-index pairs**",
            f"({by_cause['listed disagreement']} of the {differing} differing pairs have at least one",
            f"({by_cause['unknown on one side']} pairs, nothing else differing)")
    doc = " ".join(DATA_DOC.read_text(encoding="utf-8").split())
    stale = [phrase for phrase in want if phrase not in doc]
    assert not stale, f"docs/data.md, 'Categories compared with the MOT and the OSAI index', should say: {stale}"
    print("differences: " + ", ".join(f"{n} with a {cause}" if cause.startswith("listed") else f"{n} {cause} only"
                                      for cause, n in sorted(by_cause.items())))
