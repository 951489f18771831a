"""The remote backend: an existing SPARQL 1.1 engine over the SPARQL 1.1 Protocol, its answers read back
as pyoxigraph results, and graph replacement as SPARQL updates an engine's parser can take."""

from __future__ import annotations

import base64
import json
import re
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterable, Sequence

import pyoxigraph as ox

from kg.errors import QueryError, UnreadableInputError
from kg.parsing import parse_rdf
from kg.sparql_lexer import query_form
from kg.store.backend import QueryResult
from kg.store.errors import QueryTimeoutError, StoreUnavailableError, first_line
from kg.store.spec import StoreSpec


class RemoteBackend:
    """An existing SPARQL 1.1 engine reached over the SPARQL 1.1 Protocol."""

    #: What we ask a remote engine for; every result is parsed and re-served by us.
    ACCEPT = (
        "application/sparql-results+json, application/sparql-results+xml;q=0.9, "
        "application/n-triples;q=0.8, text/turtle;q=0.7, application/rdf+xml;q=0.5"
    )

    #: For CONSTRUCT/DESCRIBE: some engines (Virtuoso) answer a graph as JSON bindings if JSON is accepted.
    GRAPH_ACCEPT = "application/n-triples, text/turtle;q=0.9, application/rdf+xml;q=0.5"

    def __init__(self, spec: StoreSpec, timeout: float = 60.0):
        self.spec = spec
        self.timeout = timeout
        parts = urllib.parse.urlsplit(spec.query_url or "")
        self._auth: str | None = None
        if parts.username:
            token = f"{urllib.parse.unquote(parts.username)}:{urllib.parse.unquote(parts.password or '')}"
            self._auth = "Basic " + base64.b64encode(token.encode()).decode()

    def _post(self, url: str, body: dict[str, str] | list[tuple[str, str]], accept: str, timeout: float | None):
        headers = {"Accept": accept, "Content-Type": "application/x-www-form-urlencoded; charset=utf-8"}
        if self._auth:
            headers["Authorization"] = self._auth
        parts = urllib.parse.urlsplit(url)
        netloc = (parts.hostname or "") + (f":{parts.port}" if parts.port else "")
        clean = urllib.parse.urlunsplit(parts._replace(netloc=netloc))
        data = urllib.parse.urlencode(body).encode()
        request = urllib.request.Request(clean, data=data, headers=headers, method="POST")
        try:
            response = urllib.request.urlopen(request, timeout=timeout or self.timeout)  # noqa: S310 (configured URL)
        except urllib.error.HTTPError as exc:
            detail = exc.read(2000).decode("utf-8", "replace").strip().splitlines()
            message = detail[0][:300] if detail else exc.reason
            if 400 <= exc.code < 500:
                raise QueryError(f"the SPARQL engine refused the request ({exc.code}): {message}") from None
            raise StoreUnavailableError(f"the SPARQL engine at {clean} failed ({exc.code}): {message}") from None
        except TimeoutError:
            raise QueryTimeoutError("the SPARQL engine did not answer in time") from None
        except (urllib.error.URLError, OSError) as exc:
            reason = getattr(exc, "reason", exc)
            if isinstance(reason, TimeoutError):
                raise QueryTimeoutError("the SPARQL engine did not answer in time") from None
            raise StoreUnavailableError(f"the SPARQL engine at {clean} is unreachable: {reason}") from None
        return response

    def query(
        self,
        sparql: str,
        *,
        default_graphs: Sequence[str] | None = None,
        named_graphs: Sequence[str] | None = None,
        timeout: float | None = None,
    ) -> QueryResult:
        body = [("query", sparql)]
        body += [("default-graph-uri", g) for g in default_graphs or ()]
        body += [("named-graph-uri", g) for g in named_graphs or ()]
        form = query_form(sparql)
        accept = self.GRAPH_ACCEPT if form in ("CONSTRUCT", "DESCRIBE") else self.ACCEPT
        response = self._post(self.spec.query_url or "", body, accept, timeout)
        with response:
            media = response.headers.get_content_type()
            payload = response.read()
        result = parse_remote_result(payload, media)
        if form == "ASK" and isinstance(result, ox.QuerySolutions):
            # Virtuoso may answer ASK as one binding of ?__ask_retval
            rows = list(result)
            value = rows[0][0] if rows and len(result.variables) == 1 else None
            return bool(value is not None and value.value in ("1", "true"))
        return result

    def update(self, sparql: str) -> None:
        self._post(self.spec.update_url or "", {"update": sparql}, "*/*", None).close()

    def graph_names(self) -> list[str]:
        result = self.query("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }")
        return sorted(s["g"].value for s in result if isinstance(s["g"], ox.NamedNode))  # type: ignore[union-attr]

    def quads(self) -> list[ox.Quad]:
        result = self.query("SELECT ?s ?p ?o ?g WHERE { GRAPH ?g { ?s ?p ?o } }")
        return [ox.Quad(s["s"], s["p"], s["o"], s["g"]) for s in result]  # type: ignore[union-attr,index]

    def replace_graphs(self, graphs: dict[str, set[ox.Triple]]) -> None:
        """One graph after the other (a remote engine offers no transaction across requests)."""
        for graph, triples in graphs.items():
            self.replace_graph(graph, triples)

    def replace_graph(self, graph: str, triples: Iterable[ox.Triple]) -> None:
        """Drop the graph, then insert in chunks an engine's parser can take (not atomic across chunks)."""
        clear = f"DROP SILENT GRAPH <{graph}>" if graph not in ("", "default") else "DROP SILENT DEFAULT"
        self.update(clear)
        for update in insert_updates(graph, list(triples)):
            self.update(update)

    def close(self) -> None:
        return None


def insert_updates(graph: str, triples: list[ox.Triple], chunk: int = 1000) -> list[str]:
    """SPARQL updates that add ``triples`` to ``graph`` in chunks of about ``chunk`` triples.

    Triples sharing blank nodes stay in one update (as ``INSERT {...} WHERE {}``: Virtuoso refuses blank
    nodes in ``INSERT DATA``), so a chunk boundary never splits a blank node in two.
    """
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        while parent.setdefault(x, x) != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    plain: list[ox.Triple] = []
    linked: list[tuple[str, ox.Triple]] = []
    for t in triples:
        nodes = [n.value for n in (t.subject, t.object) if isinstance(n, ox.BlankNode)]
        if not nodes:
            plain.append(t)
            continue
        for other in nodes[1:]:
            parent[find(other)] = find(nodes[0])
        linked.append((nodes[0], t))
    groups: dict[str, list[ox.Triple]] = {}
    for node, t in linked:
        groups.setdefault(find(node), []).append(t)

    def wrap(body: list[ox.Triple], data: bool) -> str:
        text = (ox.serialize(body, format=ox.RdfFormat.N_TRIPLES) or b"").decode()
        target = f"GRAPH <{graph}> {{ {text} }}" if graph not in ("", "default") else text
        return f"INSERT DATA {{ {target} }}" if data else f"INSERT {{ {target} }} WHERE {{}}"

    updates = [wrap(plain[i:i + chunk], True) for i in range(0, len(plain), chunk)]
    batch: list[ox.Triple] = []
    for group in groups.values():
        if batch and len(batch) + len(group) > chunk:
            updates.append(wrap(batch, False))
            batch = []
        batch.extend(group)
    if batch:
        updates.append(wrap(batch, False))
    return updates


def _clean_bnodes(payload: bytes) -> bytes:
    """JSON results with blank node labels pyoxigraph accepts (Virtuoso writes ``nodeID://b123``)."""
    try:
        doc = json.loads(payload)
    except ValueError:
        return payload
    for binding in doc.get("results", {}).get("bindings", []):
        for term in binding.values():
            if isinstance(term, dict) and term.get("type") == "bnode":
                term["value"] = re.sub(r"[^A-Za-z0-9_]", "_", str(term.get("value", ""))) or "b"
    return json.dumps(doc).encode()


def parse_remote_result(payload: bytes, media: str) -> QueryResult:
    """A remote engine's answer as pyoxigraph results, by its media type."""
    results_formats = {
        "application/sparql-results+json": ox.QueryResultsFormat.JSON,
        "application/json": ox.QueryResultsFormat.JSON,
        "application/sparql-results+xml": ox.QueryResultsFormat.XML,
        "text/tab-separated-values": ox.QueryResultsFormat.TSV,
    }
    try:
        if media in results_formats:
            if results_formats[media] == ox.QueryResultsFormat.JSON and b'"bnode"' in payload:
                payload = _clean_bnodes(payload)
            return ox.parse_query_results(payload, format=results_formats[media])
        rdf_format = ox.RdfFormat.from_media_type(media)
        if rdf_format is None:
            raise StoreUnavailableError(f"the SPARQL engine answered with an unexpected type {media}")
        # the one safe RDF parse: no XML entity declarations, parsed size bounded by the answer's
        quads = parse_rdf(payload, rdf_format, source="the SPARQL engine's answer", max_bytes=len(payload))
        return [q.triple for q in quads]
    except SyntaxError as exc:
        raise StoreUnavailableError(f"the SPARQL engine's answer is unreadable: {first_line(exc)}") from None
    except UnreadableInputError as exc:
        raise StoreUnavailableError(f"the SPARQL engine's answer is refused: {exc.message}") from None
