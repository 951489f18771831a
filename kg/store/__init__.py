"""Where the knowledge graph lives: one small interface over three kinds of store.

A *store spec* is what users type after ``--store``:

- ``bundled`` (the default): the bundled KG, ontology, records and inferences, in memory;
- ``memory``: an empty in-memory store;
- a directory path: an on-disk pyoxigraph store, persistent; a new one starts with the bundled KG;
- ``http(s)://...``: an existing SPARQL 1.1 engine, by its query endpoint URL, optionally followed by a
  comma and its update endpoint URL (``http://127.0.0.1:7878/query,http://127.0.0.1:7878/update``); without
  one, a URL ending in ``/query`` updates at ``/update``, any other URL at itself.

Every backend answers queries with pyoxigraph result objects and takes updates as SPARQL Update strings,
so the server, the ``query`` and the ``load`` commands never care which kind they talk to.

One module per job: ``spec`` (parsing ``--store``), ``backend`` (the interface), ``local`` (pyoxigraph in
this process), ``remote`` (a SPARQL 1.1 engine), ``journal`` (atomic multi-graph writes on disk),
``errors`` (engine errors as client errors), ``derived`` (entities, ontology and inferences rebuilt from the
records), ``sync`` (change a copy, write back what differs), ``opening`` (a spec to a backend). SPARQL text
is read by the one lexer, :mod:`kg.sparql_lexer`.
"""

from kg.store.backend import Backend, QueryResult
from kg.store.derived import DERIVED_GRAPHS, load_records, rebuild_derived, record_triples
from kg.store.errors import QueryTimeoutError, StoreUnavailableError, engine_errors
from kg.store.local import LocalBackend, run_local_query, run_local_update
from kg.store.opening import open_store
from kg.store.spec import StoreSpec, parse_store_spec
from kg.store.sync import SyncReport, change_via_copy, sync

__all__ = [
    "DERIVED_GRAPHS",
    "Backend",
    "LocalBackend",
    "QueryResult",
    "QueryTimeoutError",
    "StoreSpec",
    "StoreUnavailableError",
    "SyncReport",
    "change_via_copy",
    "engine_errors",
    "load_records",
    "open_store",
    "parse_store_spec",
    "rebuild_derived",
    "record_triples",
    "run_local_query",
    "run_local_update",
    "sync",
]
