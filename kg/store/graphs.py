"""Graph names as strings (``"default"`` for the default graph) and whole-graph replacement in a pyoxigraph
store: the vocabulary the journal, the local backend and sync share."""

from __future__ import annotations

from collections.abc import Iterable

import pyoxigraph as ox


def graph_term(iri: str) -> ox.NamedNode | ox.DefaultGraph:
    """The graph a name stands for (``""`` and ``"default"`` are the default graph)."""
    return ox.DefaultGraph() if iri in ("", "default") else ox.NamedNode(iri)


def graph_key(term: ox.NamedNode | ox.BlankNode | ox.DefaultGraph) -> str:
    """The name of a quad's graph (the inverse of :func:`graph_term`)."""
    return "default" if isinstance(term, ox.DefaultGraph) else term.value


def by_graph(quads: Iterable[ox.Quad]) -> dict[str, set[ox.Triple]]:
    """The triples of ``quads`` grouped by graph name."""
    out: dict[str, set[ox.Triple]] = {}
    for q in quads:
        out.setdefault(graph_key(q.graph_name), set()).add(q.triple)
    return out


def apply_graphs(store: ox.Store, graphs: dict[str, set[ox.Triple]]) -> None:
    """Drop and refill each graph (idempotent, so a journal may replay it)."""
    for graph, triples in graphs.items():
        term = graph_term(graph)
        if isinstance(term, ox.DefaultGraph):
            store.clear_graph(term)
        elif store.contains_named_graph(term):
            store.remove_graph(term)
        store.extend(ox.Quad(t.subject, t.predicate, t.object, term) for t in triples)
