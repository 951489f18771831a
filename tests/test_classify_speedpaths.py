"""The fast paths of ``openness classify`` give what the general paths give.

* ``collect_facts_from_plain`` builds facts record by record when no two records merge; the result must
  equal grouping the records' statements by subject (and so their RDF), and it must hand merging records
  to the grouping path.
* The rule path evaluates each MOF class's requirements once; its classes and reasons must equal those
  of the compiled class expressions evaluated one by one.
* ``classify --format json`` writes its array with its own encoder; the text must equal ``json.dump``'s.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import random
import sys
from pathlib import Path
from typing import Any

import pytest
from rdflib import URIRef

from kg.reasoner import classify_facts
from kg.reasoner.facts import _collect_direct, _collect_grouped, collect_facts, collect_facts_from_plain
from kg.records.plain import record_to_triples
from kg.vocab import AIO, ARTIFACTS, MOF_CLASSES

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))
from classify import generate  # noqa: E402  (bench/classify.py's record generator)

sys.path.pop(0)

ODD = [
    {"id": "x", "name": ["X", "X2"], "source": "https://a.example; https://b.example", "as_of": dt.date(2024, 5, 1),
     "artifacts": {
         "weights": [{"availability": "gated", "as_of": "2024-01-01", "license": "My Licence Text"},
                     {"availability": "public", "as_of": "2025-01-01", "license": ["MIT", "Apache-2.0"]},
                     "maybe"],
         "notakind": "public", "training_data": {"availability": ""}, " architecture ": " public ",
         "model_card": None}},
    {"name": "no id", "artifacts": {"weights": "not-released", "training_code": {"availability": 2024}}},
    {"id": "has space", "artifacts": {"weights": {"availability": "public", "license": "Apache-2.0; MIT",
                                                  "url": ["https://u.example", ""], "checked": "2025-02-02"}}},
    {"id": "y", "developer": ["Lab", "Other"], "artifacts": ["not", "a", "mapping"]},
    {"id": "z", "artifacts": {}},
    {"id": "w", "artifacts": {"weights": [{"availability": "public"}, {"availability": "gated"}],
                              "weights-2": "public"}},  # the second weights claim and "weights-2" share a node
    {"id": "v", "artifacts": {"weights": {"availability": "public"}, " weights": {"availability": "gated"}}},
    {"artifacts": {"training_data": "public", "training-data": "not-released"}},  # one blank node
]


def assert_same(pairs: list[tuple[int, Any]]) -> None:
    direct = collect_facts_from_plain(pairs)
    assert direct == _collect_grouped(pairs)
    triples = [t for index, record in pairs for t in record_to_triples(record, index=index)]
    assert direct == collect_facts(triples)


def test_generated_records_take_the_direct_path_and_agree():
    pairs = list(enumerate(generate(500)))
    assert _collect_direct(pairs) is not None
    assert_same(pairs)


@pytest.mark.parametrize("n", range(len(ODD)))
def test_odd_records_agree(n):
    assert_same([(n, ODD[n])])


def test_merging_records_go_the_grouping_way():
    same_id = [(0, {"id": "a", "artifacts": {"weights": "public"}}),
               (1, {"id": "a", "developer": "D", "artifacts": {"weights": "not-released"}})]
    same_index = [(0, {"name": "first file"}), (0, {"name": "second file", "artifacts": {"api": "public"}})]
    for pairs in (same_id, same_index, *([(n, ODD[n])] for n in range(len(ODD) - 3, len(ODD)))):
        assert _collect_direct(pairs) is None
        assert_same(pairs)


def random_records(n: int, seed: int = 3) -> list[dict[str, Any]]:
    """Records with conflicting claims, unknowns, free-text and closed licences (every MOF failure mode)."""
    rng = random.Random(seed)
    licences = ("Apache-2.0", "MIT", "CC-BY-4.0", "CDLA-Permissive-2.0", "OpenMDW-1.0", "llama3", "gemma",
                "Acme Licence", None)
    states = ("public", "gated", "not-released", "unknown", None)
    out = []
    for i in range(n):
        artifacts: dict[str, Any] = {}
        for slug in ARTIFACTS:
            claims = []
            for _ in range(rng.choice((1, 1, 1, 2))):
                state = rng.choice(states)
                claim = {"availability": state, "as_of": f"202{rng.randint(0, 5)}-01-01"} if state else {}
                if rng.random() < 0.8:
                    claim["license"] = rng.choice(licences)
                claims.append(claim)
            artifacts[slug] = claims if len(claims) > 1 else claims[0]
        out.append({"id": f"m{i}", "name": f"M {i}", "source": f"https://s.example/{i}", "artifacts": artifacts})
    return out


def test_mof_plan_agrees_with_the_class_expressions():
    from test_reasoner_differential import generated_records  # every MOF failure mode, and successes

    # copies with fresh ids: generated_records() shares its conflict records with the differential test
    records = [{**record, "id": f"r{n}"}
               for n, record in enumerate([*generated_records(), *random_records(300), *generate(300)])]
    facts = collect_facts_from_plain(list(enumerate(records)))
    results = classify_facts(facts)
    from kg.ontology import ontology_graph
    from kg.reasoner.classify import RulePath, _licences
    from kg.reasoner.explain import mof_reason

    path = RulePath(ontology_graph(_licences(facts)))
    order = [str(cls) for cls in (AIO.MOFClassIII, AIO.MOFClassII, AIO.MOFClassI)]  # lowest first
    assert [c.iri for c in path.meaning.mof_classes] == order
    labels = {c.name: c.label for c in path.meaning.mof_classes}
    seen = set()
    for r in results:
        f = facts[r.iri]
        holding = [iri for iri in order if path.compiled.mof_classes[iri](f.deciding)]
        want = MOF_CLASSES[URIRef(holding[-1])] if holding else None
        assert r.mof_class == want, r.id
        nxt = {None: 0, "III": 1, "II": 2}.get(want)
        missing = path.missing(order[nxt], f) if nxt is not None else []
        reason = mof_reason(labels.get(want or ""), missing, "Class III Open Model")
        assert r.reasons[len(r.reasons) - len(r.conflicts) - 1] == reason, r.id
        seen.add(r.mof_class)
    assert seen == {None, "III", "II", "I"}


@pytest.mark.parametrize("value", [
    [], {}, [[]], [{}], [{"a": []}],
    [{"id": "x", "name": "Ünïcödé \u2028 \"quoted\" \\ back\x01\x1f\t\n", "mof_class": None, "dimensions": {},
      "reasons": ["a", "b"], "conflicts": [], "n": 3, "f": 1.5, "t": True, "u": False}],
    [{"nested": {"deeper": {"list": [1, [2, {}], None]}}}],
])
def test_json_writer_matches_json_dump(value):
    from kg.commands.classify import dump_json

    want = io.StringIO()
    json.dump(value, want, indent=2, ensure_ascii=False)
    got = io.StringIO()
    dump_json(value, got)
    assert got.getvalue() == want.getvalue()
