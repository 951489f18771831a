"""Shared fixtures. The server's follow Flask's tutorial: ``app``, ``client`` and ``runner``.

Building the bundled KG takes seconds, so the read-only ``app`` over it is built once per session; tests
that write get a fresh in-memory app from ``make_app``. Other fixtures: append below.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

TOKEN = "test-token-0123456789abcdef"

#: Third-party datasets the cross-checks and conformance tests read (``mot/``, ``osai-index/``,
#: ``w3c-sparql11/``): ``$OPENNESS_EXTERNAL``, else the team's shared folder beside the checkout.
#: Tests that need one skip with the path they looked for when it is absent.
EXTERNAL = Path(os.environ.get("OPENNESS_EXTERNAL") or Path(__file__).resolve().parents[2] / "shared" / "external")


@pytest.fixture(scope="session")
def app():  # type: ignore[no-untyped-def]
    """The endpoint over the bundled KG, read-only, with query workers and a 10,000-row cap."""
    from server import create_app, engine_of

    application = create_app({"TESTING": True, "QUERY_TIMEOUT": 20.0, "WORKERS": 2})
    yield application
    engine_of(application).close()


@pytest.fixture()
def client(app):  # type: ignore[no-untyped-def]
    """Flask's test client for ``app``."""
    return app.test_client()


@pytest.fixture()
def runner(app):  # type: ignore[no-untyped-def]
    """Flask's CLI runner for ``app``."""
    return app.test_cli_runner()


@pytest.fixture()
def make_app() -> Iterator[Callable[..., Any]]:
    """A factory of apps with their own store and settings (default: empty memory store, writes with TOKEN)."""
    from server import create_app, engine_of

    made = []

    def factory(**config: Any):  # type: ignore[no-untyped-def]
        settings = {"TESTING": True, "STORE": "memory", "TOKEN": TOKEN, "WORKERS": 1}
        settings.update(config)
        application = create_app(settings)
        made.append(application)
        return application

    yield factory
    for application in made:
        engine_of(application).close()


@pytest.fixture(scope="session")
def live_server(app) -> Iterator[str]:  # type: ignore[no-untyped-def]
    """``app`` under a real waitress server on 127.0.0.1 (a free port), as ``openness serve`` runs it."""
    from waitress.server import create_server

    server = create_server(app, host="127.0.0.1", port=0, threads=4)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.effective_port}"
    server.close()
