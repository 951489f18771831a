"""Checked writes: apply to a copy, validate with the shapes, rebuild the derived graphs, and only then commit.

A rejected write (syntax error, a SHACL violation, a failing reasoner) raises before anything touches the
store, so it changes nothing. The commit replaces exactly the graphs whose content changed, under the
engine's write lock; the query workers then reopen the store. No Flask here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pyoxigraph as ox

from kg.errors import QueryError
from kg.records.model import RecordSet
from kg.store import DERIVED_GRAPHS, change_via_copy, rebuild_derived, record_triples
from kg.validation import validate
from kg.vocab import RECORDS_GRAPH
from server.engine import Engine


class WriteRejectedError(QueryError):
    """The write would leave records that violate the shapes (HTTP 400; nothing was changed)."""


class DerivedGraphError(QueryError):
    """The write adds to a graph derived from the records (entities, ontology, inferences) (HTTP 409)."""

    status = 409


#: Graphs derived from the records (rebuilt after every write, kg.store.rebuild_derived): a write must not add to them.
DERIVED = tuple(ox.NamedNode(g) for g in DERIVED_GRAPHS)


def _derived(store: ox.Store) -> dict[ox.NamedNode, set[ox.Quad]]:
    return {g: set(store.quads_for_pattern(None, None, None, g)) for g in DERIVED}


def refuse_derived_changes(before: dict[ox.NamedNode, set[ox.Quad]], store: ox.Store) -> None:
    """Raise DerivedGraphError for a write that adds statements to a derived graph: they would
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
    """Validate the records of ``store`` (every graph but the derived ones); returns warnings.

    Raises WriteRejectedError with the first violations.
    """

    report = validate(RecordSet(triples=record_triples(store), files=["<write>"]))
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
    """Run ``change`` on a copy of the store, validate and rebuild the derived graphs there, then commit the
    changed graphs."""
    warnings = 0

    def checked(copy: ox.Store) -> None:
        nonlocal warnings
        derived = _derived(copy)
        change(copy)
        refuse_derived_changes(derived, copy)
        if engine.spec.kind == "remote":
            _default_into_records(copy)
        warnings = validate_store(copy)
        try:
            rebuild_derived(copy)
        except Exception as exc:  # noqa: BLE001 - a reasoner failure must reject the write, not half-apply it
            raise WriteRejectedError(f"rejected, nothing changed: the reasoner failed: {exc}") from None

    with engine.write_lock:
        done = change_via_copy(engine.backend, checked)
        engine.after_write()
    return WriteReport(added=done.added, removed=done.removed, graphs=done.graphs, warnings=warnings)
