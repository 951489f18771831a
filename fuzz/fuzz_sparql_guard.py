"""atheris harness: the SERVICE/LOAD/FROM guard (rdflib parse, pyoxigraph IRI resolution) on arbitrary text
(only QueryError may come out)."""

from __future__ import annotations

import contextlib

import atheris
from common import run


def test_one(data: bytes) -> None:
    from kg.errors import QueryError
    from server import guard

    text = atheris.FuzzedDataProvider(data).ConsumeUnicodeNoSurrogates(4096)
    with contextlib.suppress(QueryError):
        guard.check(text, allowed_hosts=("example.org",), local_graphs=lambda: {"urn:g"})


if __name__ == "__main__":
    run(test_one, "server.guard")
