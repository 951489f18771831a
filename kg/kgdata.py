"""The bundled knowledge graph: the records shipped in ``kg/data/models``, with the graphs derived from them."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox

from kg.records import RecordSet, read_files
from kg.resources import bundled_record_files
from kg.store import load_records


def bundled_records() -> RecordSet:
    """The bundled records, read from their YAML files."""
    return read_files(bundled_record_files())


def bundled_store(path: str | Path | None = None) -> ox.Store:
    """A store with the bundled KG: records, entities, ontology and inferences (in memory, or at ``path``)."""
    store = ox.Store(str(path)) if path is not None else ox.Store()
    load_records(store, bundled_records())
    return store
