"""Opening the store a spec names: a new on-disk store, and the bundled one, start with the bundled KG."""

from __future__ import annotations

import pyoxigraph as ox

from kg.errors import ConfigurationError
from kg.store.backend import Backend
from kg.store.derived import load_records
from kg.store.errors import first_line
from kg.store.journal import Journal
from kg.store.local import LocalBackend
from kg.store.remote import RemoteBackend
from kg.store.spec import StoreSpec, parse_store_spec


def load_bundled(store: ox.Store) -> None:
    """Fill ``store`` with the bundled KG: records, entities, ontology and the reasoner's inferences."""
    from kg.records import read_files
    from kg.resources import bundled_record_files

    load_records(store, read_files(bundled_record_files()))


def open_store(spec: StoreSpec | str | None, *, create: bool = True) -> Backend:
    """Open the store a spec names; a new on-disk store is seeded with the bundled KG."""
    if not isinstance(spec, StoreSpec):
        spec = parse_store_spec(spec)
    if spec.kind == "remote":
        return RemoteBackend(spec)
    if spec.kind == "memory":
        return LocalBackend(ox.Store(), spec)
    if spec.kind == "bundled":
        store = ox.Store()
        load_bundled(store)
        return LocalBackend(store, spec)
    assert spec.path is not None
    is_new = not spec.path.exists() or not any(spec.path.iterdir())
    if is_new and not create:
        raise ConfigurationError(f"--store {spec.path}: no store there")
    try:
        store = ox.Store(str(spec.path))
    except OSError as exc:
        raise ConfigurationError(f"--store {spec.path}: cannot open the store: {first_line(exc)}") from None
    Journal(spec.path).recover(store)
    if is_new:
        load_bundled(store)
        store.flush()
    return LocalBackend(store, spec)
