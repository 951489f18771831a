"""The write-ahead journal that makes a multi-graph replacement atomic on an on-disk store."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pyoxigraph as ox

from kg.errors import ConfigurationError
from kg.store.graphs import apply_graphs, graph_key, graph_term


class Journal:
    """Write-ahead journal that makes a multi-graph replacement atomic on an on-disk store.

    pyoxigraph makes each ``extend`` or ``remove_graph`` one transaction, but has no transaction spanning
    several; a checked write replaces several graphs (records, ontology, inferences). So before touching the
    store the new content of every changed graph is written to ``<store>.journal.tmp``, synced, and renamed
    to ``<store>.journal``: the rename is the commit marker. The store is then changed and flushed, and the
    journal removed. If the process dies in between, :meth:`recover` (run by open_store) replays the journal,
    which is idempotent; a leftover ``.tmp`` is a write that was never acknowledged and is dropped.
    """

    MAGIC = "# openness-journal "

    def __init__(self, store_path: Path):
        store_path = Path(store_path).absolute()
        self.path = store_path.with_name(store_path.name + ".journal")
        self.tmp = store_path.with_name(store_path.name + ".journal.tmp")

    def write(self, graphs: dict[str, set[ox.Triple]]) -> None:
        """Record the new content of ``graphs`` durably (the commit point is the rename)."""
        with open(self.tmp, "wb") as out:
            out.write((self.MAGIC + json.dumps(sorted(graphs)) + "\n").encode())
            quads = [ox.Quad(t.subject, t.predicate, t.object, graph_term(g))
                     for g, triples in graphs.items() for t in triples]
            ox.serialize(quads, out, format=ox.RdfFormat.N_QUADS)
            out.flush()
            os.fsync(out.fileno())
        os.replace(self.tmp, self.path)
        self._sync_dir()

    def clear(self) -> None:
        """The change is in the store: forget it."""
        self.path.unlink(missing_ok=True)
        self._sync_dir()

    def read(self) -> dict[str, set[ox.Triple]]:
        """The graphs a committed journal holds; raises ConfigurationError if it is damaged."""
        data = self.path.read_bytes()
        header, _, body = data.partition(b"\n")
        text = header.decode("utf-8", "replace")
        if not text.startswith(self.MAGIC):
            raise ConfigurationError(f"{self.path}: not an openness journal; move it away to open the store")
        try:
            graphs: dict[str, set[ox.Triple]] = {g: set() for g in json.loads(text[len(self.MAGIC):])}
            for quad in ox.parse(body, format=ox.RdfFormat.N_QUADS):
                graphs[graph_key(quad.graph_name)].add(quad.triple)
        except (ValueError, SyntaxError, KeyError) as exc:
            raise ConfigurationError(f"{self.path}: damaged journal ({exc}); move it away to open the store") from None
        return graphs

    def recover(self, store: ox.Store) -> bool:
        """Finish a committed change the last process did not; returns whether there was one."""
        self.tmp.unlink(missing_ok=True)
        if not self.path.exists():
            return False
        apply_graphs(store, self.read())
        store.flush()
        self.clear()
        return True

    def _sync_dir(self) -> None:
        fd = os.open(self.path.parent, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
