"""The row counts of natively serialised single-pattern answers (server.results.serialize_native with the
shape's ``bound``) equal the rows a JSON parser finds, whatever the values hold, in every format."""

from __future__ import annotations

import json

import pyoxigraph as ox
import pytest

from server.fastpath import single_pattern
from server.results import NATIVE_FORMATS, serialize_native

E = "http://example.org/"
DATA = f"""
<{E}s> <{E}p> "plain", "{{\\"type\\":\\"uri\\"}}", "a}},{{b\\n<result>\\t\\"q\\"", "x"@en, 5, _:b, <{E}o> .
<{E}s> <{E}q> <<( <{E}a> <{E}b> <{E}c> )>> .
<{E}t> <{E}p> "" .
"""
QUERIES = [
    f"SELECT ?p ?o WHERE {{ <{E}s> ?p ?o }}",
    "SELECT * { ?s ?p ?o }",
    f"SELECT ?o ?z {{ ?s <{E}p> ?o }}",  # ?z is never bound
    f"SELECT ?z {{ ?s <{E}p> ?o }}",  # nothing bound: empty solutions
    f"SELECT $o {{ ?s <{E}p> ?o }} LIMIT 3",
    f"SELECT * {{ <{E}s> <{E}p> <{E}o> }}",  # no variable at all
    f"SELECT * {{ <{E}none> ?p ?o }}",
]


@pytest.fixture(scope="module")
def store() -> ox.Store:
    store = ox.Store()
    store.load(DATA.encode(), ox.RdfFormat.TURTLE)
    return store


@pytest.mark.parametrize("query", QUERIES)
def test_counted_rows_are_the_parsed_rows(store, query):
    shape = single_pattern(query)
    assert shape is not None
    expected = len(json.loads(store.query(query).serialize(format=ox.QueryResultsFormat.JSON))["results"]
                   ["bindings"])
    for media in NATIVE_FORMATS:
        _, rows = serialize_native(store.query(query), media, shape.bound)
        assert rows == expected, media
