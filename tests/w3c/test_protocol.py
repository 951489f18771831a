"""The 34 SPARQL 1.1 Protocol tests of ``protocol/manifest.ttl``, sent over HTTP as the manifest writes them.

The manifest addresses every request to ``/sparql/``; a request that carries an update goes to the
server's update URL with its write token, any other to its query URL. Named graphs a test needs are
loaded first under the names its ``ut:graphData`` gives.
"""

from __future__ import annotations

from urllib.parse import parse_qs

import pytest

from . import manifest
from ._params import params
from .endpoint import Endpoint, Response
from .results import GRAPH_FORMATS, RESULT_FORMATS, parse_graph, parse_results

CASES = params(manifest.protocol_tests, lambda t: t.id.split("/", 1)[1])


def _is_update(req: manifest.ProtocolRequest) -> bool:
    content_type = " ".join(v.lower() for k, v in req.headers if k.lower() == "content-type")
    query_string = req.path_and_query.partition("?")[2]
    body_form = (req.body or b"").startswith(b"update=")
    return "sparql-update" in content_type or body_form or "update" in parse_qs(query_string)


def send(endpoint: Endpoint, req: manifest.ProtocolRequest) -> Response:
    """Send one manifest request to the endpoint URL it belongs to."""
    update = _is_update(req)
    query_string = req.path_and_query.partition("?")[2]
    url = (endpoint.update_url if update else endpoint.query_url) + (f"?{query_string}" if query_string else "")
    headers = list(req.headers) + (endpoint.auth() if update else [])
    return endpoint.request(req.method, url, req.body, headers)


def check(req: manifest.ProtocolRequest, resp: Response) -> None:
    """Assert the response has the status class, format and answer the manifest expects."""
    status_class = f"{resp.status // 100}xx"
    detail = f"{req.method} {req.path_and_query[:120]} -> {resp.status} {resp.media_type}: {resp.body[:300]!r}"
    assert status_class in req.statuses, f"expected {'/'.join(req.statuses)}: {detail}"
    if req.format == "boolean":
        assert resp.media_type in RESULT_FORMATS, f"not a boolean results format: {detail}"
        answer = parse_results(resp.body, resp.media_type)
        assert isinstance(answer, bool), f"not a boolean result: {detail}"
        if req.boolean is not None:
            assert answer is req.boolean, f"expected {req.boolean}: {detail}"
    elif req.format == "tabular":
        assert resp.media_type in (*RESULT_FORMATS, "text/csv"), f"not a tabular results format: {detail}"
        table = parse_results(resp.body, resp.media_type)
        assert not isinstance(table, bool), f"not a table: {detail}"
    elif req.format == "RDF":
        assert resp.media_type in GRAPH_FORMATS, f"not an RDF format: {detail}"
        parse_graph(resp.body, resp.media_type)


@pytest.mark.parametrize("case", CASES)
def test_protocol(case: manifest.ProtocolTest, endpoint: Endpoint, expect) -> None:
    expect(case.id)
    endpoint.load(named=case.graph_data)
    try:
        for req in case.requests:
            check(req, send(endpoint, req))
    finally:
        endpoint.forget_state()
