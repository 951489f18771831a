"""The SPARQL 1.1 syntax tests over HTTP: a negative test must be answered 400, a positive one 200.

Query tests go to the query URL; negative update tests to the update URL with the write token (a
server that wrongly accepted one would run it, so the loaded data is forgotten afterwards). Positive
update tests are not sent: running them would change the store and try ``LOAD`` of remote documents.
"""

from __future__ import annotations

import pytest

from . import manifest
from ._params import params
from .endpoint import Endpoint

ACCEPT = "application/sparql-results+json, text/turtle;q=0.9, */*;q=0.1"
CASES = params(lambda: [t for t in manifest.syntax_tests() if not (t.update and t.positive)], lambda t: t.id)


@pytest.mark.parametrize("case", CASES)
def test_syntax(case: manifest.SyntaxTest, endpoint: Endpoint, expect) -> None:
    expect(case.id)
    text = f"BASE <{case.file}>\n" + manifest.iri_to_path(case.file).read_text(encoding="utf-8")
    if case.update:
        resp = endpoint.update(text)
    else:
        endpoint.load()
        resp = endpoint.query(text, ACCEPT)
    want = 200 if case.positive else 400
    assert resp.status == want, f"expected {want}, got {resp.status}: {resp.body[:300]!r}"
