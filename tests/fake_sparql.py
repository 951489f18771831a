"""A SPARQL 1.1 endpoint on 127.0.0.1 over a pyoxigraph store, answering as the Wikidata Query Service.

``GET /sparql?query=...`` (and ``POST`` with a form or a ``application/sparql-query`` body) returns
``application/sparql-results+json``; a malformed query gets 400 with the parser's message, as WDQS does;
``/limited`` answers 429 with ``Retry-After``. The ``User-Agent`` of every request is recorded.
"""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pyoxigraph as ox

WIKIDATA_SAMPLE = Path(__file__).parent / "data" / "registries" / "wikidata.ttl"


class SparqlHandler(BaseHTTPRequestHandler):
    store: ox.Store
    requests: list[dict]

    def do_GET(self) -> None:  # noqa: N802 - the http.server API
        url = urlsplit(self.path)
        self._answer(url.path, parse_qs(url.query).get("query", [None])[0])

    def do_POST(self) -> None:  # noqa: N802
        url = urlsplit(self.path)
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0)).decode()
        if self.headers.get("Content-Type", "").startswith("application/sparql-query"):
            query = body
        else:
            query = parse_qs(body).get("query", [None])[0]
        self._answer(url.path, query)

    def _answer(self, path: str, query: str | None) -> None:
        type(self).requests.append({"path": path, "query": query, "user_agent": self.headers.get("User-Agent")})
        if path == "/limited":
            return self._send(429, b"Too Many Requests", "text/plain", {"Retry-After": "120"})
        if path != "/sparql":
            return self._send(404, b"Not Found", "text/plain")
        if not query:
            return self._send(400, b"missing query", "text/plain")
        try:
            results = type(self).store.query(query)
        except SyntaxError as exc:
            return self._send(400, f"MalformedQueryException: {exc}".encode(), "text/plain")
        data = results.serialize(format=ox.QueryResultsFormat.JSON)
        return self._send(200, data, "application/sparql-results+json")

    def _send(self, status: int, data: bytes, ctype: str, headers: dict | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(data)))
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass


class FakeSparql:
    """The endpoint in a thread; ``url`` is its ``/sparql`` address."""

    def __init__(self, data: Path = WIKIDATA_SAMPLE) -> None:
        store = ox.Store()
        store.load(path=str(data), format=ox.RdfFormat.TURTLE)
        handler = type("Handler", (SparqlHandler,), {"store": store, "requests": []})
        self.handler = handler
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.url = self.base + "/sparql"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def requests(self) -> list[dict]:
        return self.handler.requests

    def __enter__(self) -> FakeSparql:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()
