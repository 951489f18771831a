"""The SPARQL 1.1 query-evaluation and result-format tests, each sent over HTTP with its data loaded.

The query goes as ``application/sparql-query`` with ``BASE <its file IRI>`` in front, so relative IRIs
(``FROM <data.ttl>``) name the graphs the data was loaded under, as when the suite runs in-process. The
response is asked for in the expected result's syntax (XML for ``.srx``, JSON for ``.srj``, TSV, CSV,
an RDF syntax for ``.ttl``), parsed, and compared with the expected result.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from . import manifest
from ._params import params
from .endpoint import DEFAULT_DATA, Endpoint
from .results import (
    CSV_TYPE,
    ResultError,
    compare_graphs,
    compare_tables,
    order_keys,
    parse_graph,
    parse_rdf_result_set,
    parse_results,
)

ACCEPT = {
    ".srx": "application/sparql-results+xml",
    ".srj": "application/sparql-results+json",
    ".tsv": "text/tab-separated-values",
    ".csv": "text/csv",
    ".ttl": "text/turtle, application/n-triples;q=0.9, application/rdf+xml;q=0.8",
    ".rdf": "text/turtle, application/n-triples;q=0.9, application/rdf+xml;q=0.8",
}
EXPECTED_TYPE = {
    ".srx": "application/sparql-results+xml",
    ".srj": "application/sparql-results+json",
    ".tsv": "text/tab-separated-values",
    ".csv": CSV_TYPE,
    ".ttl": "text/turtle",
    ".rdf": "application/rdf+xml",
}


def _cases() -> list[manifest.EvalTest]:
    # Cases that share data run one after another, so the data is loaded once for all of them.
    return sorted(manifest.eval_tests(), key=lambda t: (t.data, t.graph_data))


CASES = params(_cases, lambda t: t.id)


_FROM = re.compile(r"\bFROM\b", re.IGNORECASE)


def dataset(case: manifest.EvalTest, query: str, endpoint: Endpoint) -> tuple[list[str], list[str]]:
    """The protocol dataset to name for a server that needs it pinned (none when the query has FROM)."""
    if not endpoint.pin_dataset or _FROM.search(query):
        return [], []
    return ([DEFAULT_DATA] if case.data else []), list(case.graph_data)


def run_case(case: manifest.EvalTest, endpoint: Endpoint) -> None:
    """Load the case's data, send its query, and compare the answer with the expected result."""
    endpoint.load(default=case.data, named=[(g, g) for g in case.graph_data])
    query = manifest.iri_to_path(case.query).read_text(encoding="utf-8")
    result_path: Path = manifest.iri_to_path(case.result)
    ext = result_path.suffix
    expected_set = parse_rdf_result_set(result_path.read_bytes(), case.result) if ext == ".ttl" else None
    accept = ACCEPT[".srj"] if expected_set is not None else ACCEPT[ext]
    default, named = dataset(case, query, endpoint)
    resp = endpoint.query(f"BASE <{case.query}>\n{query}", accept, default, named)
    assert resp.status == 200, f"{resp.status} {resp.media_type}: {resp.body[:500]!r}"
    if case.folder in manifest.RESULT_FORMAT_DIRS:
        assert resp.media_type == EXPECTED_TYPE[ext], f"asked for {ACCEPT[ext]}, got {resp.media_type}"
    if expected_set is not None:
        expected = expected_set
    elif ext in (".ttl", ".rdf"):
        expected_graph = parse_graph(result_path.read_bytes(), EXPECTED_TYPE[ext], base=case.result)
        compare_graphs(expected_graph, parse_graph(resp.body, resp.media_type))
        return
    else:
        expected = parse_results(result_path.read_bytes(), EXPECTED_TYPE[ext])
    actual = parse_results(resp.body, resp.media_type)
    if isinstance(expected, bool) or isinstance(actual, bool):
        if expected is not actual:
            raise ResultError(f"expected {expected!r}, got {actual!r}")
        return
    compare_tables(expected, actual, order_keys(query), csv_text=case.csv)


@pytest.mark.parametrize("case", CASES)
def test_query_evaluation(case: manifest.EvalTest, endpoint: Endpoint, expect) -> None:
    expect(case.id)
    run_case(case, endpoint)
