"""The graphs derived from the records (entities, ontology, inferences) are made by one function,
kg.store.rebuild_derived, whichever way records arrive: the bundled KG, ``openness load``, a server write."""

from __future__ import annotations

import json

import pyoxigraph as ox

from kg.records import records_to_recordset
from kg.store import DERIVED_GRAPHS, load_records, rebuild_derived
from kg.vocab import AIO, ENTITIES_GRAPH, FAMILY, INFERRED_GRAPH, MODEL, ORG, RECORDS_GRAPH
from tests.conftest import TOKEN

AUTH = {"Authorization": f"Bearer {TOKEN}"}


def record(model_id: str, family: str) -> dict:
    return {"id": model_id, "name": "Derived Test", "developer": "Anthropic", "family": family,
            "source": [f"https://example.org/{model_id}"],
            "artifacts": {"weights": {"availability": "public", "license": "Apache-2.0"}}}


def graph(store: ox.Store, iri: object) -> set[ox.Triple]:
    return {q.triple for q in store.quads_for_pattern(None, None, None, ox.NamedNode(str(iri)))}


def family_node(slug: str) -> ox.Triple:
    return ox.Triple(ox.NamedNode(str(FAMILY[slug])), ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"),
                     ox.NamedNode(str(AIO.ModelFamily)))


def test_rebuild_derived_follows_the_records_in_the_store():
    store = ox.Store()
    load_records(store, records_to_recordset([record("derived-a", "fresh-family")]))
    model = ox.NamedNode(str(MODEL["derived-a"]))
    assert family_node("fresh-family") in graph(store, ENTITIES_GRAPH), "a family named only by a record has a node"
    link = ox.Triple(model, ox.NamedNode(str(AIO.developedBy)), ox.NamedNode(str(ORG["anthropic"])))
    assert link in graph(store, RECORDS_GRAPH), "the developer text names an organisation"
    assert any(t.subject == model for t in graph(store, INFERRED_GRAPH))
    assert set(DERIVED_GRAPHS) <= {g.value for g in store.named_graphs()}

    store.remove_graph(ox.NamedNode(str(RECORDS_GRAPH)))
    rebuild_derived(store)
    assert family_node("fresh-family") not in graph(store, ENTITIES_GRAPH)
    assert not any(t.subject == model for t in graph(store, INFERRED_GRAPH))
    assert graph(store, ENTITIES_GRAPH), "the organisation and family files stay"


def test_load_links_and_rebuilds_like_the_bundled_kg():
    from kg.commands.load import apply_records

    store = ox.Store()
    apply_records(store, records_to_recordset([record("derived-b", "another-family")]))
    assert family_node("another-family") in graph(store, ENTITIES_GRAPH)
    assert ox.Triple(ox.NamedNode(str(MODEL["derived-b"])), ox.NamedNode(str(AIO.developedBy)),
                     ox.NamedNode(str(ORG["anthropic"]))) in graph(store, RECORDS_GRAPH)


def test_a_write_rebuilds_the_entities_and_may_not_add_to_them(make_app):
    client = make_app().test_client()
    triples = records_to_recordset([record("derived-c", "written-family")]).triples
    data = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES).decode()
    response = client.post("/update", data={"update": f"INSERT DATA {{ {data} }}"}, headers=AUTH)
    assert response.status_code == 200, response.data
    query = f"ASK {{ GRAPH <{ENTITIES_GRAPH}> {{ <{FAMILY['written-family']}> a <{AIO.ModelFamily}> }} }}"
    ask = client.get("/sparql", query_string={"query": query})
    assert json.loads(ask.data)["boolean"] is True

    added = client.post("/update", headers=AUTH, data={
        "update": f"INSERT DATA {{ GRAPH <{ENTITIES_GRAPH}> {{ <urn:a> <urn:b> <urn:c> }} }}"})
    assert added.status_code == 409 and b"derived" in added.data
    put = client.put(f"/store?graph={ENTITIES_GRAPH}", data="<urn:a> <urn:b> <urn:c> .",
                     content_type="application/n-triples", headers=AUTH)
    assert put.status_code == 409
