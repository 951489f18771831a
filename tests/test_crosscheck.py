"""Cross-check the bundled KG against the MOT and OSAI-index records it links to.

Where a bundled record links (``links:``) to a Model Openness Tool or OSAI-index entry, the two must agree
on the availability of the weights, the architecture, the training code and the training data (the four
components the openness category is decided by), and on the licence of the
weights and the training code. Every disagreement must either be fixed in the record or be listed, with
the reason ours stands, in ``kg/data/crosscheck-explained.yaml`` and in the table of ``docs/data.md``.
A listed explanation that no longer matches a disagreement fails too, so the list cannot go stale.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path
from typing import Any

import pytest
import yaml

from kg.licenses import canonical_license_id
from kg.records.plain import claims_of
from kg.resources import bundled_record_files
from tests.conftest import EXTERNAL

ROOT = Path(__file__).resolve().parents[1]
EXPLAINED = ROOT / "kg" / "data" / "crosscheck-explained.yaml"
DATA_DOC = ROOT / "docs" / "data.md"
AVAILABILITY = ("weights", "architecture", "training_code", "training_data")
LICENCES = ("weights", "training_code")
OPENNESS = {"not-released": 0, "gated": 1, "public": 2}

pytestmark = pytest.mark.skipif(
    not (EXTERNAL / "mot" / "models").is_dir() or not (EXTERNAL / "osai-index").is_dir(),
    reason=f"the MOT and OSAI-index datasets are not present at {EXTERNAL}",
)


@lru_cache(maxsize=1)
def external_records() -> dict[str, Mapping[str, Any]]:
    """MOT and OSAI-index records as the importers make them, by entry IRI."""
    from kg.importers.files import import_mot
    from kg.importers.osai import import_records
    from kg.importers.registry import ImportOptions

    out: dict[str, Mapping[str, Any]] = {}
    mot = import_mot([str(EXTERNAL / "mot" / "models")], ImportOptions())
    osai = import_records([str(EXTERNAL / "osai-index")], ImportOptions())
    for record in [*mot.records, *osai.records]:
        out[str((record.get("links") or record["source"])[0])] = record
    return out


def availability(artifact: Any) -> str:
    """The artifact's availability; a list of claims (e.g. one per data set) is as open as its least open one."""
    values = [str(c.get("availability", "unknown")) for c in claims_of(artifact)]
    known = [v for v in values if v in OPENNESS]
    if not known or len(known) < len(values):
        return "unknown"
    return min(known, key=OPENNESS.__getitem__)


def licences(artifact: Any) -> frozenset[str]:
    """The artifact's licences as canonical ids (else as written), over all its claims."""
    out = set()
    for claim in claims_of(artifact):
        value = claim.get("license")
        for text in value if isinstance(value, list) else [value] if value else []:
            out.add(canonical_license_id(str(text)) or licence_name(str(text)))
    return frozenset(out)


def licence_name(text: str) -> str:
    """A free-text licence name without the words that vary between writers ("Model", "License Agreement").

    >>> licence_name("BigCode OpenRAIL-M v1 license agreement") == licence_name("BigCode OpenRAIL-M v1")
    True
    """
    words = re.findall(r"[a-z0-9]+", text.lower())
    return "-".join(w for w in words if w not in ("license", "licence", "agreement", "model", "the"))


def compare() -> tuple[int, int, list[dict[str, str]]]:
    """(facts compared, facts agreed, disagreements) over every linked pair of records."""
    entries = external_records()
    compared = agreed = 0
    disagreements = []
    for path in bundled_record_files():
        for record in yaml.safe_load(path.read_text(encoding="utf-8")):
            links = record.get("links") or []
            for iri in links if isinstance(links, list) else [links]:
                theirs_record = entries.get(str(iri))
                if theirs_record is None:
                    continue
                ours_a, theirs_a = record.get("artifacts", {}), theirs_record.get("artifacts", {})
                for slug in AVAILABILITY:
                    ours, theirs = availability(ours_a.get(slug)), availability(theirs_a.get(slug))
                    if "unknown" in (ours, theirs):
                        continue
                    compared += 1
                    if ours == theirs:
                        agreed += 1
                    else:
                        disagreements.append(fact(record["id"], str(iri), slug, "availability", ours, theirs))
                for slug in LICENCES:
                    if availability(ours_a.get(slug)) not in ("public", "gated") or availability(
                            theirs_a.get(slug)) not in ("public", "gated"):
                        continue
                    ours_l, theirs_l = licences(ours_a.get(slug)), licences(theirs_a.get(slug))
                    if not ours_l or not theirs_l:
                        continue
                    compared += 1
                    if ours_l & theirs_l:
                        agreed += 1
                    else:
                        disagreements.append(fact(record["id"], str(iri), slug, "license",
                                                  ", ".join(sorted(ours_l)), ", ".join(sorted(theirs_l))))
    return compared, agreed, disagreements


def fact(model: str, entry: str, artifact: str, field: str, ours: str, theirs: str) -> dict[str, str]:
    return {"model": model, "entry": entry, "artifact": artifact, "field": field, "ours": ours, "theirs": theirs}


def explained() -> list[dict[str, str]]:
    return yaml.safe_load(EXPLAINED.read_text(encoding="utf-8")) or []


def key(item: Mapping[str, Any]) -> tuple[str, ...]:
    return tuple(str(item[k]) for k in ("model", "entry", "artifact", "field", "ours", "theirs"))


def test_every_disagreement_is_fixed_or_explained():
    compared, agreed, disagreements = compare()
    reasons = {key(e): e.get("reason") for e in explained()}
    missing = [d for d in disagreements if not reasons.get(key(d))]
    assert not missing, "disagreements with MOT/OSAI neither fixed nor explained in " \
        f"{EXPLAINED.name}:\n" + "\n".join(
            f"  {d['model']} {d['artifact']} {d['field']}: ours {d['ours']}, theirs {d['theirs']} ({d['entry']})"
            for d in missing)
    assert compared > 100 and agreed + len(disagreements) == compared


def test_no_stale_explanations():
    current = {key(d) for d in compare()[2]}
    stale = [e for e in explained() if key(e) not in current]
    assert not stale, "explanations that match no disagreement any more (remove them):\n" + "\n".join(
        f"  {e['model']} {e['artifact']} {e['field']} ({e['entry']})" for e in stale)


def test_explanations_are_in_the_data_doc():
    doc = DATA_DOC.read_text(encoding="utf-8")
    absent = [e for e in explained()
              if f"| {e['model']} | {e['artifact']} {e['field']} | {e['ours']} | {e['theirs']} |" not in doc]
    assert not absent, "explained disagreements missing from the table in docs/data.md:\n" + "\n".join(
        f"  {e['model']} {e['artifact']} {e['field']}" for e in absent)


def test_the_data_doc_states_the_current_figures():
    compared, agreed, disagreements = compare()
    entries = external_records()
    pairs, records = 0, set()
    for path in bundled_record_files():
        for record in yaml.safe_load(path.read_text(encoding="utf-8")):
            links = record.get("links") or []
            linked = [iri for iri in (links if isinstance(links, list) else [links]) if str(iri) in entries]
            pairs += len(linked)
            records.update([record["id"]] if linked else [])
    stated = re.search(r"\*\*(\d+) linked pairs over (\d+) records, (\d+) facts compared, (\d+) agreed,\s+(\d+) "
                       r"explained\*\*", DATA_DOC.read_text(encoding="utf-8"))
    assert stated, "docs/data.md lost its cross-check figures line"
    assert tuple(map(int, stated.groups())) == (pairs, len(records), compared, agreed, len(disagreements)), \
        f"update the figures in docs/data.md: **{pairs} linked pairs over {len(records)} records, {compared} " \
        f"facts compared, {agreed} agreed, {len(disagreements)} explained**"
