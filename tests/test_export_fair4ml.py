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


def test_the_store_query_gives_the_same_fair4ml_statements(tmp_path):
    import pyoxigraph as ox

    from kg.exports.fair4ml import fair4ml_of_store, fair4ml_triples
    from kg.records import read_files

    records = tmp_path / "r.yaml"
    records.write_text(RECORDS)
    triples = read_files([records]).triples
    store = ox.Store()
    store.extend(ox.Quad(t.subject, t.predicate, t.object, ox.NamedNode("urn:x:records")) for t in triples)
    assert set(fair4ml_of_store(store)) == set(fair4ml_triples(triples))


def test_the_served_kg_states_the_fair4ml_types(client):
    import json

    query = ("SELECT (COUNT(DISTINCT ?m) AS ?n) WHERE { ?m a <https://w3id.org/fair4ml#MLModel>, "
             "<https://schema.org/CreativeWork>, <https://w3id.org/ai-openness/ontology#AIModel> }")
    models = "SELECT (COUNT(DISTINCT ?m) AS ?n) WHERE { ?m a <https://w3id.org/ai-openness/ontology#AIModel> }"
    count = [json.loads(client.get("/sparql", query_string={"query": q}).data)["results"]["bindings"][0]["n"]["value"]
             for q in (query, models)]
    assert count[0] == count[1] and int(count[0]) > 300


def test_model_pages_embed_schema_org_and_fair4ml_json_ld(client):
    import json
    import re

    page = client.get("/model/llama-3.1-8b", headers={"Accept": "text/html"})
    assert page.status_code == 200
    (script,) = re.findall(r'<script type="application/ld\+json">(.*?)</script>', page.data.decode(), re.S)
    doc = json.loads(script)
    g = rdflib.Graph().parse(data=json.dumps(doc), format="json-ld")
    model = rdflib.URIRef("https://w3id.org/ai-openness/model/llama-3.1-8b")
    schema = rdflib.Namespace("https://schema.org/")
    assert {F.MLModel, schema.CreativeWork} <= set(g.objects(model, rdflib.RDF.type))
    assert (model, schema.name, rdflib.Literal("Llama 3.1 8B")) in g
    assert (model, schema.license, rdflib.URIRef("https://w3id.org/ai-openness/license/llama3.1")) in g
    assert (model, schema.sameAs, rdflib.URIRef("https://huggingface.co/meta-llama/Llama-3.1-8B")) in g
    assert (model, F.sharedBy, rdflib.URIRef("https://w3id.org/ai-openness/org/meta")) in g
    assert (model, schema.keywords, rdflib.Literal("open-weight")) in g
