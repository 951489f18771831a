"""Fixtures: one live endpoint per server under test, started once for the session and stopped after."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from . import manifest
from .endpoint import Endpoint
from .servers import SERVERS, Unavailable
from .xfails import known_failure


def pytest_configure(config: pytest.Config) -> None:
    """Register the ``w3c`` marker here, beside the cases that carry it."""
    config.addinivalue_line("markers", "w3c: W3C SPARQL 1.1 conformance over HTTP against live servers")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark the cases of this folder ``w3c`` so they can be selected or left out as a group."""
    for item in items:
        if "tests/w3c/" in str(item.path).replace("\\", "/"):
            item.add_marker(pytest.mark.w3c)


@pytest.fixture(scope="session", params=list(SERVERS))
def endpoint(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Endpoint]:
    """A running server of each kind (``oxigraph``, ``openness``); skipped with the reason when it can't run."""
    if not manifest.available():
        pytest.skip(f"W3C SPARQL 1.1 suite not found at {manifest.SUITE}")
    start = SERVERS[request.param]
    try:
        cm = start(tmp_path_factory.mktemp(request.param))
        ep = cm.__enter__()
    except Unavailable as exc:
        pytest.skip(str(exc))
    try:
        yield ep
    finally:
        cm.__exit__(None, None, None)


@pytest.fixture
def expect(request: pytest.FixtureRequest, endpoint: Endpoint):  # noqa: ANN201 - a small callable
    """Mark the running case xfail (with its reason) when it is a known failure of this server."""

    def mark(test_id: str) -> None:
        reason = known_failure(endpoint.name, test_id)
        if reason:
            request.applymarker(pytest.mark.xfail(reason=reason, strict=False))

    return mark
