"""The bundled knowledge graph: the records shipped in ``kg/data/models``, the ontology and the inferences."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox

from kg.records import RecordSet, read_files
from kg.records.model import from_rdflib
from kg.resources import bundled_record_files
from kg.vocab import ENTITIES_GRAPH, ONTOLOGY_GRAPH, RECORDS_GRAPH


def bundled_records() -> RecordSet:
    """The bundled records, read from their YAML files."""
    return read_files(bundled_record_files())


def ontology_quads(records: RecordSet | None = None) -> list[ox.Quad]:
    """The ontology (with licence typing for the licences ``records`` use) as quads of the ontology graph."""
    from rdflib import URIRef

    from kg.ontology import ontology_graph
    from kg.records.plain import P_LICENSE

    licences = set()
    if records is not None:
        licences = {URIRef(t.object.value) for t in records.triples
                    if t.predicate == P_LICENSE and isinstance(t.object, ox.NamedNode)}
    g = ox.NamedNode(str(ONTOLOGY_GRAPH))
    return [ox.Quad(from_rdflib(s), from_rdflib(p), from_rdflib(o), g) for s, p, o in ontology_graph(licences)]


def load_records(store: ox.Store, records: RecordSet, *, graph: str = str(RECORDS_GRAPH)) -> None:
    """Add records (and the ontology terms they need) to a store, then recompute the inferences.

    The organisations and families (kg/data/orgs, kg/data/families) go to their own graph, replaced like
    the ontology's; the links from these records to the organisations their developer text names go with
    the records."""
    from kg.entities import entity_graph_triples
    from kg.reasoner import materialise

    g = ox.NamedNode(graph)
    nodes, links = entity_graph_triples(records)
    store.extend(ox.Quad(t.subject, t.predicate, t.object, g) for t in records.triples)
    store.extend(ox.Quad(t.subject, t.predicate, t.object, g) for t in links)
    entities = ox.NamedNode(str(ENTITIES_GRAPH))
    if store.contains_named_graph(entities):  # reference data like the ontology: replaced, not added to
        store.clear_graph(entities)
    store.extend(ox.Quad(t.subject, t.predicate, t.object, entities) for t in nodes)
    ontology = ox.NamedNode(str(ONTOLOGY_GRAPH))
    if store.contains_named_graph(ontology):  # replaced, not added to: its blank nodes are fresh each time
        store.clear_graph(ontology)
    store.extend(ontology_quads(records))
    materialise(store)


def bundled_store(path: str | Path | None = None) -> ox.Store:
    """A store with the bundled KG: ontology, records and inferences (in memory, or at ``path``)."""
    store = ox.Store(str(path)) if path is not None else ox.Store()
    load_records(store, bundled_records())
    return store
