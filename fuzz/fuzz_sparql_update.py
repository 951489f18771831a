"""atheris harness: SPARQL Update on a fresh memory store through kg.store (only QueryError may come out)."""

from __future__ import annotations

import atheris
from common import run


def test_one(data: bytes) -> None:
    import pyoxigraph as ox

    from kg.errors import QueryError
    from kg.store import LocalBackend, StoreSpec
    from server import guard

    text = atheris.FuzzedDataProvider(data).ConsumeUnicodeNoSurrogates(2048)
    backend = LocalBackend(ox.Store(), StoreSpec("memory"))
    try:
        guard.check(text, kind="update")
        backend.update(text)
    except QueryError:
        pass
    except OSError:
        pass  # LOAD/SERVICE the guard let through to an allowed host: none here, so none should reach it


if __name__ == "__main__":
    run(test_one, "server.guard", "kg.store", "kg.sparql_lexer")
