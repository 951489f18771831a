"""Checked writes: apply to a copy, validate with the shapes, reason, and only then commit.

A rejected write (syntax error, a SHACL violation, a failing reasoner) raises before anything touches the
store, so it changes nothing. The commit replaces exactly the graphs whose content changed, under the
engine's write lock; the query workers then reopen the store. No Flask here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pyoxigraph as ox

from kg.errors import QueryError
from kg.store import reason, sync
from kg.vocab import ENTITIES_GRAPH, INFERRED_GRAPH, ONTOLOGY_GRAPH, RECORDS_GRAPH
from server.engine import Engine

_INFERRED = ox.NamedNode(str(INFERRED_GRAPH))
_ONTOLOGY = ox.NamedNode(str(ONTOLOGY_GRAPH))
#: Built from the records and the organisation and family files, like the inferences: not records.
_ENTITIES = ox.NamedNode(str(ENTITIES_GRAPH))


class WriteRejectedError(QueryError):
    """The write would leave records that violate the shapes (HTTP 400; nothing was changed)."""


class DerivedGraphError(QueryError):
    """The write changes the ontology or the inferences, which are derived from the records (HTTP 409)."""

    status = 409


#: Graphs the server derives from the records (rebuilt after every write): a write must not change them.
DERIVED = (_ONTOLOGY, _INFERRED)


def _derived(store: ox.Store) -> dict[ox.NamedNode, set[ox.Quad]]:
    return {g: set(store.quads_for_pattern(None, None, None, g)) for g in DERIVED}


def refuse_derived_changes(before: dict[ox.NamedNode, set[ox.Quad]], store: ox.Store) -> None:
    """Raise DerivedGraphError for a write that adds statements to the ontology or inferred graph: they would
    be lost when the graphs are rebuilt from the records. Removals are rebuilt too, so they are no error
    (``DROP ALL`` empties everything; the write's report then says what really changed)."""
    after = _derived(store)
    added = [g.value for g in DERIVED if after[g] - before[g]]
    if added:
        raise DerivedGraphError(
            f"rejected, nothing changed: <{added[0]}> is derived from the records (rebuilt after every write); "
            "change the records instead")


@dataclass
class WriteReport:
    """What a committed write did."""

    added: int
    removed: int
    graphs: list[str]
    warnings: int

    def summary(self) -> str:
        graphs = ", ".join(self.graphs) or "none"
        return (f"committed: {self.added} statements added, {self.removed} removed (graphs: {graphs}); "
                f"{self.warnings} validation warnings")


def validate_store(store: ox.Store) -> int:
    """Validate the records of ``store`` (every graph but the ontology, entities and inferences); returns warnings.

    Raises WriteRejectedError with the first violations.
    """
    from kg.records.model import RecordSet
    from kg.validation import validate

    triples = [q.triple for q in store if q.graph_name not in (_ONTOLOGY, _INFERRED, _ENTITIES)]
    report = validate(RecordSet(triples=triples, files=["<write>"]))
    if not report.conforms:
        violations = report.failures
        shown = "; ".join(r.message for r in violations[:3])
        more = f" (and {len(violations) - 3} more)" if len(violations) > 3 else ""
        raise WriteRejectedError(f"rejected, nothing changed: {len(violations)} violation(s): {shown}{more}")
    return report.warnings


def _default_into_records(store: ox.Store) -> None:
    """Move default-graph triples into the records graph: remote engines such as Virtuoso have no default
    graph of their own (it is the union of the named graphs), so writes there land in the records graph."""
    default = list(store.quads_for_pattern(None, None, None, ox.DefaultGraph()))
    if default:
        records = ox.NamedNode(str(RECORDS_GRAPH))
        store.extend(ox.Quad(q.subject, q.predicate, q.object, records) for q in default)
        store.clear_graph(ox.DefaultGraph())


def apply_change(engine: Engine, change: Callable[[ox.Store], None]) -> WriteReport:
    """Run ``change`` on a copy of the store, validate and reason there, then commit the changed graphs."""
    with engine.write_lock:
        before = engine.backend.quads()
        copy = ox.Store()
        copy.extend(before)
        derived = _derived(copy)
        change(copy)
        refuse_derived_changes(derived, copy)
        if engine.spec.kind == "remote":
            _default_into_records(copy)
        warnings = validate_store(copy)
        try:
            reason(copy)
        except Exception as exc:  # noqa: BLE001 - a reasoner failure must reject the write, not half-apply it
            raise WriteRejectedError(f"rejected, nothing changed: the reasoner failed: {exc}") from None
        done = sync(engine.backend, before, list(copy))
        engine.after_write()
    return WriteReport(added=done.added, removed=done.removed, graphs=done.graphs, warnings=warnings)
