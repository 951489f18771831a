"""A SPARQL 1.1 endpoint under test, reached over HTTP only.

The harness knows an endpoint by its URLs (query, update) and an optional bearer token for writes; it
loads test data through SPARQL Update (``DROP ALL`` then ``INSERT DATA``), which every SPARQL 1.1 server
takes, so the same harness runs against Oxigraph server and ``openness serve``. Requests go through
``http.client`` because the protocol tests need exact control of methods, headers and bodies (urllib adds a
form content type of its own).
"""

from __future__ import annotations

import http.client
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode, urlsplit

import pyoxigraph as ox

from .manifest import iri_to_path

#: Where default-graph data goes on a server with ``pin_dataset``.
DEFAULT_DATA = "urn:x-w3c-test:default-graph"
#: File extension -> RDF syntax of a data file in the suite.
RDF_FORMATS = {".ttl": ox.RdfFormat.TURTLE, ".nt": ox.RdfFormat.N_TRIPLES, ".rdf": ox.RdfFormat.RDF_XML}


@dataclass
class Response:
    """What came back: status, lower-cased headers and the body."""

    status: int
    headers: dict[str, str]
    body: bytes

    @property
    def media_type(self) -> str:
        """The Content-Type without parameters, lower-cased."""
        return self.headers.get("content-type", "").split(";")[0].strip().lower()


@dataclass
class Endpoint:
    """A live SPARQL endpoint: where to send queries and updates, and the token that allows writes."""

    name: str
    query_url: str
    update_url: str
    token: str | None = None
    timeout: float = 30.0
    #: Name the test's dataset with default-graph-uri / named-graph-uri on every query, and keep the
    #: default-graph data in the named graph DEFAULT_DATA: for a server whose default graph is the union
    #: of all graphs and whose writes add graphs of their own (the project's ontology and inferences).
    pin_dataset: bool = False
    _loaded: object = field(default=None, repr=False)

    def request(
        self, method: str, url: str, body: bytes | None = None, headers: Iterable[tuple[str, str]] = ()
    ) -> Response:
        """Send one request exactly as given (no redirects followed, no headers added but Host)."""
        parts = urlsplit(url)
        conn = http.client.HTTPConnection(parts.hostname or "127.0.0.1", parts.port, timeout=self.timeout)
        try:
            target = parts.path + (f"?{parts.query}" if parts.query else "")
            conn.putrequest(method, target, skip_accept_encoding=True)
            for name, value in headers:
                conn.putheader(name, value)
            if body is not None:
                conn.putheader("Content-Length", str(len(body)))
            conn.endheaders(body)
            resp = conn.getresponse()
            return Response(resp.status, {k.lower(): v for k, v in resp.getheaders()}, resp.read())
        finally:
            conn.close()

    def auth(self) -> list[tuple[str, str]]:
        """The Authorization header that writes need, if any."""
        return [("Authorization", f"Bearer {self.token}")] if self.token else []

    def query(
        self, text: str, accept: str, default_graphs: Iterable[str] = (), named_graphs: Iterable[str] = ()
    ) -> Response:
        """POST a query directly (``application/sparql-query``) asking for ``accept``, with an optional
        protocol dataset (``default-graph-uri`` / ``named-graph-uri``)."""
        params = [("default-graph-uri", g) for g in default_graphs] + [("named-graph-uri", g) for g in named_graphs]
        url = self.query_url + (f"?{urlencode(params)}" if params else "")
        headers = [("Content-Type", "application/sparql-query; charset=utf-8"), ("Accept", accept)]
        return self.request("POST", url, text.encode("utf-8"), headers)

    def update(self, text: str) -> Response:
        """POST an update directly (``application/sparql-update``) with the write token."""
        self._loaded = None
        headers = [("Content-Type", "application/sparql-update; charset=utf-8"), *self.auth()]
        return self.request("POST", self.update_url, text.encode("utf-8"), headers)

    def forget_state(self) -> None:
        """Note that the store changed behind the harness's back (a protocol or update test ran)."""
        self._loaded = None

    def load(self, default: Iterable[str] = (), named: Iterable[tuple[str, str]] = ()) -> None:
        """Empty the store, then load files (by suite IRI) into the default graph and named graphs.

        ``named`` pairs a file IRI with the graph name to load it under. Loading is skipped when the
        same data is already there, which keeps the suite fast: many tests share one data file.
        """
        default, named = tuple(default), tuple(named)
        key = (default, named)
        if self._loaded == key:
            return
        parts = ["DROP ALL ;"]
        default_graph = DEFAULT_DATA if self.pin_dataset else None
        body = [_ntriples(iri, default_graph) for iri in default]
        body += [_ntriples(iri, graph) for iri, graph in named]
        inserts = "\n".join(b for b in body if b)
        if inserts:
            parts.append(f"INSERT DATA {{\n{inserts}\n}}")
        resp = self.update("\n".join(parts))
        if resp.status >= 300:
            raise RuntimeError(f"{self.name}: loading test data failed: {resp.status} {resp.body[:300]!r}")
        self._loaded = key


def _ntriples(iri: str, graph: str | None) -> str:
    """The triples of one suite file as SPARQL ``INSERT DATA`` content, blank nodes kept apart per file."""
    path: Path = iri_to_path(iri)
    fmt = RDF_FORMATS[path.suffix]
    prefix = f"f{abs(hash(iri)) % 10**8}"
    lines = []
    for triple in ox.parse(path.read_bytes(), fmt, base_iri=iri):
        lines.append(" ".join(_term(t, prefix) for t in (triple.subject, triple.predicate, triple.object)) + " .")
    if not lines:
        return ""
    text = "\n".join(lines)
    return f"GRAPH <{graph}> {{\n{text}\n}}" if graph else text


def _term(term: object, prefix: str) -> str:
    if isinstance(term, ox.BlankNode):
        return f"_:{prefix}{term.value}"
    return str(term)
