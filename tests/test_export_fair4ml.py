"""FAIR4ML terms in exports: types for non-reasoning clients, fineTunedFrom only for fine-tunes and adapters."""

from __future__ import annotations

import rdflib

from kg.cli import main

F = rdflib.Namespace("https://w3id.org/fair4ml#")
M = rdflib.Namespace("https://w3id.org/ai-openness/model/")

RECORDS = """
- id: base
  name: Base
  developer: Meta
  organisations: [meta]
  source: https://example.org/base
  artifacts:
    weights: {availability: public, license: MIT, url: https://example.org/w}
    training_data: {availability: public, license: CC-BY-4.0, url: https://example.org/data}
    evaluation_data: {availability: not-released}
- id: tuned
  name: Tuned
  developer: D
  source: https://example.org/tuned
  based_on: [{model: base, kind: fine-tune}]
- id: lora
  name: LoRA
  developer: D
  source: https://example.org/lora
  based_on: [{model: base, kind: adapter}]
- id: quant
  name: Quant
  developer: D
  source: https://example.org/quant
  based_on: [{model: base, kind: quantisation}]
"""


def test_fair4ml_mapping(tmp_path):
    records = tmp_path / "r.yaml"
    records.write_text(RECORDS)
    out = tmp_path / "r.ttl"
    assert main(["export", str(records), "-o", str(out)]) == 0
    g = rdflib.Graph().parse(out)
    assert set(g.subjects(rdflib.RDF.type, F.MLModel)) == {M.base, M.tuned, M.lora, M.quant}
    assert set(g.objects(M.base, F.trainedOn)) == {rdflib.URIRef("https://example.org/data")}
    assert not set(g.objects(M.base, F.evaluatedOn))  # not released: no dataset to point at
    assert set(g.subject_objects(F.fineTunedFrom)) == {(M.tuned, M.base), (M.lora, M.base)}
    assert set(g.objects(M.base, F.sharedBy)) == {rdflib.URIRef("https://w3id.org/ai-openness/org/meta")}
