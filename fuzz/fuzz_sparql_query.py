"""atheris harness: guard, query and result serialisation on a small store (only QueryError may come out).

Run with ``-timeout=10``: a query that runs long is what the server's worker timeout is for, and atheris
reports it as a timeout, not a crash.
"""

from __future__ import annotations

import atheris
from common import run

STORE = None


def test_one(data: bytes) -> None:
    global STORE
    import pyoxigraph as ox

    from kg.errors import QueryError
    from kg.store import run_local_query
    from server import guard
    from server.results import render

    if STORE is None:
        STORE = ox.Store()
        STORE.update('INSERT DATA { GRAPH <urn:g> { <urn:a> <urn:b> "c"@en , 1 , <urn:d> . _:x <urn:b> <urn:a> } }')
    fdp = atheris.FuzzedDataProvider(data)
    accept = fdp.PickValueInList(["application/sparql-results+json", "text/csv", "application/sparql-results+xml",
                                  "text/turtle", "application/ld+json", "*/*", None])
    text = fdp.ConsumeUnicodeNoSurrogates(2048)
    try:
        guard.check(text, local_graphs=lambda: {"urn:g"})
        render(run_local_query(STORE, text), accept, None, 100)
    except QueryError:
        pass


if __name__ == "__main__":
    run(test_one, "server.guard", "server.results", "kg.store", "kg.sparql_lexer")
