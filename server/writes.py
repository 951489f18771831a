"""Checked writes: apply to a copy, validate with the shapes, reason, and only then commit.

A rejected write (syntax error, a SHACL violation, a failing reasoner) raises before anything touches the
store, so it changes nothing. The commit replaces exactly the graphs whose content changed, under the
engine's write lock; the query workers then reopen the store. No Flask here.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

import pyoxigraph as ox

from kg.errors import QueryError
from kg.vocab import INFERRED_GRAPH, ONTOLOGY_GRAPH
from server.engine import Engine

_INFERRED = ox.NamedNode(str(INFERRED_GRAPH))
_ONTOLOGY = ox.NamedNode(str(ONTOLOGY_GRAPH))


class WriteRejectedError(QueryError):
    """The write would leave records that violate the shapes (HTTP 400; nothing was changed)."""


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


def _graph_key(term: ox.NamedNode | ox.BlankNode | ox.DefaultGraph) -> str:
    return "default" if isinstance(term, ox.DefaultGraph) else term.value


def _by_graph(quads: list[ox.Quad]) -> dict[str, set[ox.Triple]]:
    out: dict[str, set[ox.Triple]] = defaultdict(set)
    for q in quads:
        out[_graph_key(q.graph_name)].add(q.triple)
    return out


def validate_store(store: ox.Store) -> int:
    """Validate the records of ``store`` (every graph but the ontology's and the inferences); returns warnings.

    Raises WriteRejectedError with the first violations.
    """
    from kg.records.model import RecordSet
    from kg.validation import validate

    triples = [q.triple for q in store if q.graph_name not in (_ONTOLOGY, _INFERRED)]
    report = validate(RecordSet(triples=triples, files=["<write>"]))
    if not report.conforms:
        violations = [r for r in report.results if r.severity == "Violation"]
        shown = "; ".join(r.message for r in violations[:3])
        more = f" (and {len(violations) - 3} more)" if len(violations) > 3 else ""
        raise WriteRejectedError(f"rejected, nothing changed: {len(violations)} violation(s): {shown}{more}")
    return report.warnings


def apply_change(engine: Engine, change: Callable[[ox.Store], None]) -> WriteReport:
    """Run ``change`` on a copy of the store, validate and reason there, then commit the changed graphs."""
    from kg.reasoner import materialise

    with engine.write_lock:
        before = engine.backend.quads()
        copy = ox.Store()
        copy.extend(before)
        change(copy)
        warnings = validate_store(copy)
        try:
            materialise(copy)
        except Exception as exc:  # noqa: BLE001 - a reasoner failure must reject the write, not half-apply it
            raise WriteRejectedError(f"rejected, nothing changed: the reasoner failed: {exc}") from None
        old, new = _by_graph(before), _by_graph(list(copy))
        changed = sorted(g for g in old.keys() | new.keys() if old.get(g, set()) != new.get(g, set()))
        added = sum(len(new.get(g, set()) - old.get(g, set())) for g in changed)
        removed = sum(len(old.get(g, set()) - new.get(g, set())) for g in changed)
        for graph in changed:
            engine.backend.replace_graph(graph, new.get(graph, set()))
        engine.after_write()
    return WriteReport(added=added, removed=removed, graphs=changed, warnings=warnings)


def apply_update(engine: Engine, sparql: str) -> WriteReport:
    """A SPARQL Update, checked as a whole."""

    def change(store: ox.Store) -> None:
        try:
            store.update(sparql)
        except SyntaxError as exc:
            raise QueryError(f"SPARQL update syntax error: {str(exc).splitlines()[0][:300]}") from None
        except OSError as exc:
            raise QueryError(f"the update failed: {str(exc).splitlines()[0][:300]}") from None

    return apply_change(engine, change)
