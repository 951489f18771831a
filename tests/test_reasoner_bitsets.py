"""kg.reasoner.bitsets: the masks give every class expression the answer of the compiled closures.

The closures (``Compiler.model_test``) are what tests/test_reasoner_differential.py proves against HermiT;
the rule path evaluates masks over each model's bits instead. Both must agree on every category, MOF
class, MOF requirement and assessment level class, for generated models that reach every outcome.
"""

from __future__ import annotations

import sys
from pathlib import Path

from rdflib import URIRef

from kg.ontology import ontology_graph
from kg.reasoner.bitsets import Bitsets, _minimal, holds
from kg.reasoner.classify import RulePath, _licences
from kg.reasoner.facts import collect_facts_from_plain

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))
from classify import generate  # noqa: E402  (bench/classify.py's record generator)

sys.path.pop(0)


def test_masks_agree_with_the_closures() -> None:
    from test_reasoner_differential import assessment_records, generated_records

    records = [{**r, "id": f"r{n}"} for n, r in
               enumerate([*generated_records(), *assessment_records(), *generate(2000)])]
    facts = collect_facts_from_plain(list(enumerate(records)))
    path = RulePath(ontology_graph(_licences(facts), with_terms=False))
    c, bitsets = path.compiler, path.bitsets
    exprs = [*path.compiled.expressions.values(),
             *(URIRef(rule.iri) for rules in path.assessor.rules.values() for rule in rules),
             *(part for iri in path.compiled.mof_classes for part, _ in path._requirement_parts(iri))]
    pairs = [(c.model_test(e), bitsets.test(e), e) for e in exprs]
    fresh = Bitsets(c)  # a second instance, its cache filled in another order, gives the same bits
    fresh_tests = [fresh.test(e) for e in exprs]
    outcomes = set()
    for f in facts.values():
        bits = bitsets.bits(f.deciding)
        fresh_bits = fresh.bits(f.deciding)
        for (closure, masks, expr), again in zip(pairs, fresh_tests, strict=True):
            want = closure(f.deciding)
            assert masks(bits) == want == again(fresh_bits), (f.id, expr)
            outcomes.add((str(expr), want))
    # every class holds for some model and fails for another, so each mask was compared both ways
    assert all((str(e), True) in outcomes and (str(e), False) in outcomes for e in exprs[:3])


def test_minimal_masks_and_tests() -> None:
    assert _minimal({0b011, 0b001, 0b110}) == (0b001, 0b110)
    assert _minimal({0, 0b1}) == (0,)
    assert holds(())(0b111) is False and holds((0,))(0) is True
    for masks in [(0b1,), (0b1, 0b10), (0b1, 0b10, 0b100), (0b1, 0b10, 0b100, 0b1000)]:
        test = holds(masks)
        assert not test(0)
        assert all(test(m) for m in masks)
        assert test(0b1111)
