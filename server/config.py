"""The server's settings: the Flask config keys ``create_app`` reads, with safe defaults, and the Engine's."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

#: Defaults; every key can be overridden by the ``config`` mapping given to create_app.
DEFAULTS: dict[str, Any] = {
    "STORE": None,  # store spec string (kg.store.parse_store_spec) or a kg.store backend
    "TOKEN": None,  # bearer token that enables /update and Graph Store writes
    "QUERY_TIMEOUT": 30.0,  # seconds; the worker running a longer query or update is killed
    "ROW_LIMIT": 10_000,  # rows (or triples) per result; more are cut and the answer says so
    "MAX_CONTENT_LENGTH": 1 << 20,  # request bodies above this get 413
    "MAX_URL_LENGTH": 8 << 10,  # request targets above this get 414
    "ALLOWED_HOSTS": (),  # hosts SERVICE/LOAD may name
    "WORKERS": None,  # query worker processes; default one per CPU
    "MEMORY_LIMIT": 1 << 30,  # bytes of address space per worker (a query or update past it: 507); 0: none
    "USE_WORKERS": True,  # False: run local queries in the request thread (no timeout; tests and the CLI)
    "CORS": True,  # read-only endpoints answer any origin (no credentials)
    "CORS_WRITE_ORIGINS": (),  # origins allowed to send writes from a browser (default: none)
    "MAX_CONCURRENT": 6,  # SPARQL operations in flight; past it a request waits ADMISSION_WAIT, then gets 429
    "ADMISSION_WAIT": 0.5,  # seconds a request may wait for a free slot
    "CLIENT_CONCURRENT": 2,  # operations one client address may have in flight; past it 429 (0: no cap)
    "CLIENT_RATE": 0.0,  # requests per second per client address (token bucket); 0 turns it off
    "CLIENT_BURST": 40,  # bucket size: requests a client may send at once
}


@dataclass
class Settings:
    """The Engine's knobs (no Flask), with safe defaults."""

    store: str | None = None
    token: str | None = None
    query_timeout: float = 30.0
    row_limit: int = 10_000
    allowed_hosts: tuple[str, ...] = ()
    workers: int | None = None
    #: bytes of address space a worker may use (0 or None: no ceiling)
    memory_limit: int | None = 1 << 30
    #: False runs local queries in the request thread (no timeout enforcement; for quick tests and the CLI).
    use_workers: bool = True


def engine_settings(config: Mapping[str, Any]) -> Settings:
    """The Engine's settings from a Flask config (a backend object as STORE is passed to the Engine apart)."""
    store = config["STORE"]
    return Settings(
        store=store if isinstance(store, str) else None,
        token=config["TOKEN"] or None,
        query_timeout=float(config["QUERY_TIMEOUT"]),
        row_limit=int(config["ROW_LIMIT"]),
        allowed_hosts=tuple(config["ALLOWED_HOSTS"] or ()),
        workers=config["WORKERS"],
        memory_limit=int(config["MEMORY_LIMIT"] or 0) or None,
        use_workers=bool(config["USE_WORKERS"]),
    )
