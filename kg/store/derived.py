"""The graphs derived from the records: the entities (organisations and families), the ontology with the
licence typing the records' licences need, and the reasoner's inferences.

They are rebuilt, never edited: :func:`rebuild_derived` makes them again from the records in a store, and
every way records get into a store (the bundled KG, ``openness load``, a checked server write) ends with it.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

import pyoxigraph as ox

from kg.store.graphs import apply_graphs
from kg.vocab import ENTITIES_GRAPH, INFERRED_GRAPH, ONTOLOGY_GRAPH, RECORDS_GRAPH

if TYPE_CHECKING:
    from kg.records.model import RecordSet

#: The graphs :func:`rebuild_derived` rebuilds: a write must not add to them (it would be lost).
DERIVED_GRAPHS = (str(ONTOLOGY_GRAPH), str(ENTITIES_GRAPH), str(INFERRED_GRAPH))
_DERIVED = tuple(ox.NamedNode(g) for g in DERIVED_GRAPHS)


def record_triples(store: ox.Store) -> list[ox.Triple]:
    """The records of a store: the triples of every graph but the derived ones."""
    return [q.triple for q in store if q.graph_name not in _DERIVED]


def ontology_triples(triples: Iterable[ox.Triple] = ()) -> list[ox.Triple]:
    """The ontology, with licence typing for the licences ``triples`` use (kg.ontology.ontology_graph)."""
    from rdflib import URIRef

    from kg.ontology import ontology_graph
    from kg.records.model import from_rdflib
    from kg.records.plain import P_LICENSE

    licences = {URIRef(t.object.value) for t in triples
                if t.predicate == P_LICENSE and isinstance(t.object, ox.NamedNode)}
    return [ox.Triple(from_rdflib(s), from_rdflib(p), from_rdflib(o)) for s, p, o in ontology_graph(licences)]


def rebuild_derived(store: ox.Store) -> int:
    """Rebuild the derived graphs of ``store`` from its records: entities, ontology, then the inferences.
    Returns the number of inferred statements."""
    from kg.entities import entity_nodes, family_slugs
    from kg.reasoner import materialise

    records = record_triples(store)
    apply_graphs(store, {str(ENTITIES_GRAPH): set(entity_nodes(family_slugs(records))),
                         str(ONTOLOGY_GRAPH): set(ontology_triples(records))})
    return materialise(store)


def load_records(store: ox.Store, records: RecordSet, *, graph: str = str(RECORDS_GRAPH)) -> int:
    """Add ``records`` to ``graph`` of ``store`` with the ``aio:developedBy`` links their developer texts name
    (kg.entities), then rebuild the derived graphs; returns the number of inferred statements."""
    from kg.entities import recordset_links

    g = ox.NamedNode(graph)
    store.extend(ox.Quad(t.subject, t.predicate, t.object, g) for t in records.triples)
    store.extend(ox.Quad(t.subject, t.predicate, t.object, g) for t in recordset_links(records))
    return rebuild_derived(store)
