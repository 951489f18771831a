"""Checked changes: make the change on an in-memory copy of a store, then write back only the graphs that
differ (so a change that raises on the copy leaves the store as it was)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

import pyoxigraph as ox

from kg.store.backend import Backend
from kg.store.graphs import by_graph


def _canonical(triples: set[ox.Triple]) -> set[ox.Quad]:
    dataset = ox.Dataset(ox.Quad(t.subject, t.predicate, t.object) for t in triples)
    dataset.canonicalize(ox.CanonicalizationAlgorithm.UNSTABLE)
    return set(dataset)


def _same_graph(a: set[ox.Triple], b: set[ox.Triple]) -> bool:
    """Equal, or equal up to blank node names (the ontology's axioms get new blank nodes on every parse)."""
    if a == b:
        return True
    if len(a) != len(b):
        return False
    return _canonical(a) == _canonical(b)


@dataclass(frozen=True)
class SyncReport:
    """What :func:`sync` changed."""

    added: int
    removed: int
    graphs: list[str]


def sync(backend: Backend, before: Iterable[ox.Quad], after: Iterable[ox.Quad]) -> SyncReport:
    """Make ``backend`` hold ``after`` where it held ``before``, replacing only the graphs that differ."""
    old, new = by_graph(before), by_graph(after)
    changed = sorted(g for g in old.keys() | new.keys()
                     if not _same_graph(old.get(g, set()), new.get(g, set())))
    added = sum(len(new.get(g, set()) - old.get(g, set())) for g in changed)
    removed = sum(len(old.get(g, set()) - new.get(g, set())) for g in changed)
    if changed:
        backend.replace_graphs({graph: new.get(graph, set()) for graph in changed})
    return SyncReport(added, removed, changed)


def change_via_copy(backend: Backend, change: Callable[[ox.Store], None]) -> SyncReport:
    """Copy the store into memory, run ``change`` on the copy (where it validates and reasons; if it raises,
    nothing is written), then :func:`sync` the store to the copy."""
    before = backend.quads()
    copy = ox.Store()
    copy.extend(before)
    change(copy)
    return sync(backend, before, list(copy))
