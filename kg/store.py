"""Where the knowledge graph lives: one small interface over three kinds of store.

A *store spec* is what users type after ``--store``:

- ``bundled`` (the default): the bundled KG, ontology, records and inferences, in memory;
- ``memory``: an empty in-memory store;
- a directory path: an on-disk pyoxigraph store, persistent; a new one starts with the bundled KG;
- ``http(s)://...``: an existing SPARQL 1.1 engine, by its query endpoint URL, optionally followed by a
  comma and its update endpoint URL (``http://127.0.0.1:7878/query,http://127.0.0.1:7878/update``); without
  one, a URL ending in ``/query`` updates at ``/update``, any other URL at itself.

Every backend answers queries with pyoxigraph result objects and takes updates as SPARQL Update strings,
so the server, the ``query`` and the ``load`` commands never care which kind they talk to.
"""

from __future__ import annotations

import base64
import contextlib
import io
import json
import os
import re
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal, Protocol, TypeVar

import pyoxigraph as ox

from kg.errors import ConfigurationError, QueryError, UnreadableInputError
from kg.vocab import INFERRED_GRAPH, ONTOLOGY_GRAPH, RECORDS_GRAPH

Kind = Literal["bundled", "memory", "path", "remote"]
T = TypeVar("T")
QueryResult = ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples | list[ox.Triple] | bool


@dataclass(frozen=True)
class StoreSpec:
    """A parsed ``--store`` value."""

    kind: Kind
    path: Path | None = None
    query_url: str | None = None
    update_url: str | None = None

    def __str__(self) -> str:
        if self.kind == "path":
            return str(self.path)
        if self.kind == "remote":
            return f"{self.query_url},{self.update_url}"
        return self.kind


def parse_store_spec(spec: str | None) -> StoreSpec:
    """Parse a ``--store`` value; raises ConfigurationError for an unusable one.

    >>> parse_store_spec(None).kind
    'bundled'
    >>> parse_store_spec("http://127.0.0.1:7878/query").update_url
    'http://127.0.0.1:7878/update'
    >>> parse_store_spec("memory").kind
    'memory'
    """
    if spec is None or spec.strip() in ("", "bundled"):
        return StoreSpec("bundled")
    spec = spec.strip()
    if spec == "memory":
        return StoreSpec("memory")
    if spec.startswith(("http://", "https://")):
        query_url, _, update_url = spec.partition(",")
        for url in (query_url, update_url):
            if url and not urllib.parse.urlsplit(url).netloc:
                raise ConfigurationError(f"--store {spec}: {url!r} is no absolute http(s) URL")
        if not update_url:
            update_url = query_url[: -len("/query")] + "/update" if query_url.endswith("/query") else query_url
        return StoreSpec("remote", query_url=query_url, update_url=update_url)
    if "://" in spec:
        raise ConfigurationError(f"--store {spec}: expected a directory, 'memory', 'bundled' or an http(s) URL")
    path = Path(spec).expanduser()
    if path.exists() and not path.is_dir():
        raise ConfigurationError(f"--store {spec}: is a file; expected a directory for an on-disk store")
    return StoreSpec("path", path=path)


class Backend(Protocol):
    """What the server and the commands need of a store."""

    spec: StoreSpec

    def query(
        self,
        sparql: str,
        *,
        default_graphs: Sequence[str] | None = None,
        named_graphs: Sequence[str] | None = None,
        timeout: float | None = None,
    ) -> QueryResult:
        """Run a SPARQL query; with no default graph given, the default graph is the union of all graphs."""
        ...

    def update(self, sparql: str) -> None:
        """Run a SPARQL Update, atomically where the engine allows."""
        ...

    def graph_names(self) -> list[str]:
        """The IRIs of the named graphs in the store."""
        ...

    def quads(self) -> list[ox.Quad]:
        """Every quad of the store (used to copy it before a checked write)."""
        ...

    def replace_graph(self, graph: str, triples: Iterable[ox.Triple]) -> None:
        """Make the named graph ``graph`` hold exactly ``triples``."""
        ...

    def replace_graphs(self, graphs: dict[str, set[ox.Triple]]) -> None:
        """Make each graph hold exactly its triples, all or nothing where the store allows."""
        ...

    def close(self) -> None:
        """Release the store (flushes an on-disk store)."""
        ...


def _graph_term(iri: str) -> ox.NamedNode | ox.DefaultGraph:
    return ox.DefaultGraph() if iri in ("", "default") else ox.NamedNode(iri)


class LocalBackend:
    """A pyoxigraph Store in this process, in memory or on disk."""

    def __init__(self, store: ox.Store, spec: StoreSpec):
        self.store = store
        self.spec = spec

    def query(
        self,
        sparql: str,
        *,
        default_graphs: Sequence[str] | None = None,
        named_graphs: Sequence[str] | None = None,
        timeout: float | None = None,
    ) -> QueryResult:
        """Run a query in this thread (``timeout`` is not enforced here; the server uses worker processes)."""
        return run_local_query(self.store, sparql, default_graphs, named_graphs)

    def update(self, sparql: str) -> None:
        run_local_update(self.store, sparql)

    def graph_names(self) -> list[str]:
        return sorted(g.value for g in self.store.named_graphs() if isinstance(g, ox.NamedNode))

    def quads(self) -> list[ox.Quad]:
        return list(self.store)

    def replace_graph(self, graph: str, triples: Iterable[ox.Triple]) -> None:
        self.replace_graphs({graph: set(triples)})

    def replace_graphs(self, graphs: dict[str, set[ox.Triple]]) -> None:
        """Replace several graphs as one change: on disk through the write-ahead journal (see Journal)."""
        if self.spec.kind == "path" and self.spec.path is not None:
            journal = Journal(self.spec.path)
            journal.write(graphs)
            _apply_graphs(self.store, graphs)
            self.store.flush()
            journal.clear()
        else:
            _apply_graphs(self.store, graphs)

    def close(self) -> None:
        """Flush an on-disk store and let go of it (its lock is released when the last reference goes)."""
        if self.spec.kind == "path" and self.store is not None:
            self.store.flush()
        self.store = None  # type: ignore[assignment]


def _apply_graphs(store: ox.Store, graphs: dict[str, set[ox.Triple]]) -> None:
    """Drop and refill each graph (idempotent, so a journal may replay it)."""
    for graph, triples in graphs.items():
        term = _graph_term(graph)
        if isinstance(term, ox.DefaultGraph):
            store.clear_graph(term)
        elif store.contains_named_graph(term):
            store.remove_graph(term)
        store.extend(ox.Quad(t.subject, t.predicate, t.object, term) for t in triples)


class Journal:
    """Write-ahead journal that makes a multi-graph replacement atomic on an on-disk store.

    pyoxigraph makes each ``extend`` or ``remove_graph`` one transaction, but has no transaction spanning
    several; a checked write replaces several graphs (records, ontology, inferences). So before touching the
    store the new content of every changed graph is written to ``<store>.journal.tmp``, synced, and renamed
    to ``<store>.journal``: the rename is the commit marker. The store is then changed and flushed, and the
    journal removed. If the process dies in between, :meth:`recover` (run by open_store) replays the journal,
    which is idempotent; a leftover ``.tmp`` is a write that was never acknowledged and is dropped.
    """

    MAGIC = "# openness-journal "

    def __init__(self, store_path: Path):
        store_path = Path(store_path).absolute()
        self.path = store_path.with_name(store_path.name + ".journal")
        self.tmp = store_path.with_name(store_path.name + ".journal.tmp")

    def write(self, graphs: dict[str, set[ox.Triple]]) -> None:
        """Record the new content of ``graphs`` durably (the commit point is the rename)."""
        with open(self.tmp, "wb") as out:
            out.write((self.MAGIC + json.dumps(sorted(graphs)) + "\n").encode())
            quads = [ox.Quad(t.subject, t.predicate, t.object, _graph_term(g))
                     for g, triples in graphs.items() for t in triples]
            ox.serialize(quads, out, format=ox.RdfFormat.N_QUADS)
            out.flush()
            os.fsync(out.fileno())
        os.replace(self.tmp, self.path)
        self._sync_dir()

    def clear(self) -> None:
        """The change is in the store: forget it."""
        self.path.unlink(missing_ok=True)
        self._sync_dir()

    def read(self) -> dict[str, set[ox.Triple]]:
        """The graphs a committed journal holds; raises ConfigurationError if it is damaged."""
        data = self.path.read_bytes()
        header, _, body = data.partition(b"\n")
        text = header.decode("utf-8", "replace")
        if not text.startswith(self.MAGIC):
            raise ConfigurationError(f"{self.path}: not an openness journal; move it away to open the store")
        try:
            graphs: dict[str, set[ox.Triple]] = {g: set() for g in json.loads(text[len(self.MAGIC):])}
            for quad in ox.parse(body, format=ox.RdfFormat.N_QUADS):
                graphs[_graph_key(quad.graph_name)].add(quad.triple)
        except (ValueError, SyntaxError, KeyError) as exc:
            raise ConfigurationError(f"{self.path}: damaged journal ({exc}); move it away to open the store") from None
        return graphs

    def recover(self, store: ox.Store) -> bool:
        """Finish a committed change the last process did not; returns whether there was one."""
        self.tmp.unlink(missing_ok=True)
        if not self.path.exists():
            return False
        _apply_graphs(store, self.read())
        store.flush()
        self.clear()
        return True

    def _sync_dir(self) -> None:
        fd = os.open(self.path.parent, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def run_local_query(
    store: ox.Store,
    sparql: str,
    default_graphs: Sequence[str] | None = None,
    named_graphs: Sequence[str] | None = None,
    *,
    base_iri: str | None = None,
    union: bool | None = None,
) -> QueryResult:
    """Run ``sparql`` on a pyoxigraph store with the protocol's dataset parameters.

    The dataset follows the SPARQL 1.1 Protocol: ``default_graphs``/``named_graphs`` (the protocol's
    ``default-graph-uri``/``named-graph-uri``) win when either is given, a graph the store does not hold
    being an empty graph; otherwise the query's ``FROM``/``FROM NAMED``; otherwise the default graph is
    the union of all graphs, so the inferred categories are seen beside the records. ``union`` says
    whether the query has no dataset clause of its own (None: look). Engine errors the query can cause
    (syntax, unknown function, bad IRI) raise QueryError; results are lazy, so iterate them inside
    :func:`engine_errors` too.
    """
    options: dict[str, object] = {}
    with engine_errors():
        if default_graphs or named_graphs:
            options["default_graph"] = [_graph_term(g) for g in default_graphs or ()]
            options["named_graphs"] = [ox.NamedNode(g) for g in named_graphs or ()]
        elif union if union is not None else not has_dataset_clause(sparql):
            options["use_default_graph_as_union"] = True
        if base_iri:
            options["base_iri"] = base_iri
        return _tolerating_unknown_functions(lambda: store.query(sparql, **options), options)


#: pyoxigraph's refusal of a function IRI it does not know.
_UNKNOWN_FUNCTION = re.compile(r"The custom function <([^<>\s]*)> is not supported")
#: At most this many distinct unknown functions per query or update.
MAX_UNKNOWN_FUNCTIONS = 16


def _no_value(*_args: object) -> None:
    """An unknown extension function: every call is an error (unbound in a SELECT or BIND, false in FILTER)."""
    return None


def _tolerating_unknown_functions(run: Callable[[], T], options: dict[str, object]) -> T:
    """``run()``, where a call to an extension function the engine does not know evaluates to an error, as
    SPARQL treats any expression error, instead of failing the whole query (pyoxigraph refuses it while
    planning, one function at a time, so each is registered as :func:`_no_value` and the query re-planned)."""
    functions: dict[ox.NamedNode, Callable[..., None]] = {}
    while True:
        try:
            return run()
        except RuntimeError as exc:
            match = _UNKNOWN_FUNCTION.search(str(exc))
            if match is None or len(functions) >= MAX_UNKNOWN_FUNCTIONS:
                raise
            try:
                name = ox.NamedNode(match.group(1))
            except ValueError:
                raise exc from None
            if name in functions:
                raise
            functions[name] = _no_value
            options["custom_functions"] = functions


#: Errors pyoxigraph raises for a query or update that is wrong or cannot run here: the client's fault.
ENGINE_ERRORS = (SyntaxError, RuntimeError, ValueError, OSError, MemoryError)


def engine_error(exc: BaseException) -> QueryError:
    """The client-facing QueryError (HTTP 400) for an engine error, one line, no path or traceback."""
    if isinstance(exc, SyntaxError):
        return QueryError(f"SPARQL syntax error: {_first_line(exc)}")
    if isinstance(exc, MemoryError):
        return QueryError("the query needs more memory than this server gives one query")
    return QueryError(f"query failed: {_first_line(exc)}")


@contextlib.contextmanager
def engine_errors() -> Iterator[None]:
    """Turn engine errors into QueryError (lazy results raise while they are iterated, so wrap that too)."""
    try:
        yield
    except QueryError:
        raise
    except ENGINE_ERRORS as exc:
        raise engine_error(exc) from None


#: A FROM keyword outside strings, IRIs and comments (after _NOISE is removed): not part of a prefixed
#: name (``ex:from``, ``from:x``) or a variable.
_FROM_WORD = re.compile(r"(?<![\w:?$\-])FROM(?![\w:\-])", re.I)


def has_dataset_clause(sparql: str) -> bool:
    """Whether a query has ``FROM`` or ``FROM NAMED`` of its own.

    >>> has_dataset_clause('SELECT * FROM <http://e/g> { ?s ?p "FROM" }'), has_dataset_clause('SELECT ?from {}')
    (True, False)
    """
    return "from" in sparql.lower() and _FROM_WORD.search(_NOISE.sub(" ", sparql)) is not None


def run_local_update(store: ox.Store, sparql: str, base_iri: str | None = None) -> None:
    """Run a SPARQL Update on a pyoxigraph store; engine errors raise QueryError (HTTP 400)."""
    options: dict[str, object] = {"base_iri": base_iri} if base_iri else {}
    try:
        _tolerating_unknown_functions(lambda: store.update(sparql, **options), options)
    except SyntaxError as exc:
        raise QueryError(f"SPARQL update syntax error: {_first_line(exc)}") from None
    except ENGINE_ERRORS as exc:
        raise QueryError(f"the update failed: {_first_line(exc)}") from None


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0][:300] if text else type(exc).__name__


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


#: Comments, IRIs and strings: removed before looking for the query form.
_NOISE = re.compile(
    r"#[^\n]*|<[^<>\s\"{}|^`\\]*>|'''(?:[^'\\]|\\.|'(?!''))*'''|\"\"\"(?:[^\"\\]|\\.|\"(?!\"\"))*\"\"\""
    r"|'(?:[^'\\\n]|\\.)*'|\"(?:[^\"\\\n]|\\.)*\"",
    re.S,
)
_FORM = re.compile(r"\b(SELECT|ASK|CONSTRUCT|DESCRIBE)\b", re.I)


def query_form(sparql: str) -> str | None:
    """SELECT, ASK, CONSTRUCT or DESCRIBE: the first such keyword outside comments, IRIs and strings.

    >>> query_form('PREFIX s: <http://e/select#> # ASK\\nconstruct { ?s ?p "SELECT" } WHERE { ?s ?p ?o }')
    'CONSTRUCT'
    """
    match = _FORM.search(_NOISE.sub(" ", sparql))
    return match.group(1).upper() if match else None


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
    import json

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
        from kg.parsing import parse_rdf

        # the one safe RDF parse: no XML entity declarations, parsed size bounded by the answer's
        quads = parse_rdf(payload, rdf_format, source="the SPARQL engine's answer", max_bytes=len(payload))
        return [q.triple for q in quads]
    except SyntaxError as exc:
        raise StoreUnavailableError(f"the SPARQL engine's answer is unreadable: {_first_line(exc)}") from None
    except UnreadableInputError as exc:
        raise StoreUnavailableError(f"the SPARQL engine's answer is refused: {exc.message}") from None


class StoreUnavailableError(ConfigurationError):
    """The configured store cannot be reached or answered nonsense."""


class QueryTimeoutError(QueryError):
    """A query ran longer than the configured timeout and was stopped."""


def load_bundled(store: ox.Store) -> None:
    """Fill ``store`` with the bundled KG: ontology, records and the reasoner's inferences."""
    from kg.kgdata import bundled_records, load_records

    load_records(store, bundled_records())


def open_store(spec: StoreSpec | str | None, *, create: bool = True) -> Backend:
    """Open the store a spec names; a new on-disk store is seeded with the bundled KG."""
    if not isinstance(spec, StoreSpec):
        spec = parse_store_spec(spec)
    if spec.kind == "remote":
        return RemoteBackend(spec)
    if spec.kind == "memory":
        return LocalBackend(ox.Store(), spec)
    if spec.kind == "bundled":
        store = ox.Store()
        load_bundled(store)
        return LocalBackend(store, spec)
    assert spec.path is not None
    is_new = not spec.path.exists() or not any(spec.path.iterdir())
    if is_new and not create:
        raise ConfigurationError(f"--store {spec.path}: no store there")
    try:
        store = ox.Store(str(spec.path))
    except OSError as exc:
        raise ConfigurationError(f"--store {spec.path}: cannot open the store: {_first_line(exc)}") from None
    Journal(spec.path).recover(store)
    if is_new:
        load_bundled(store)
        store.flush()
    return LocalBackend(store, spec)


def reason(store: ox.Store) -> int:
    """Rebuild the derived graphs of ``store`` from its records: the ontology graph (with the licence typing
    the records' licences need) and the inferences. Returns the number of inferred statements.

    The records are every graph but the ontology's and the inferences'.
    """
    from kg.kgdata import ontology_quads
    from kg.reasoner import materialise
    from kg.records.model import RecordSet

    ontology, inferred = ox.NamedNode(str(ONTOLOGY_GRAPH)), ox.NamedNode(str(INFERRED_GRAPH))
    records = RecordSet(triples=[q.triple for q in store if q.graph_name not in (ontology, inferred)])
    if store.contains_named_graph(ontology):
        store.remove_graph(ontology)
    store.extend(ontology_quads(records))
    return materialise(store)


def _canonical(triples: set[ox.Triple]) -> set[ox.Quad]:
    dataset = ox.Dataset(ox.Quad(t.subject, t.predicate, t.object) for t in triples)
    dataset.canonicalize(ox.CanonicalizationAlgorithm.UNSTABLE)
    return set(dataset)


def _same_graph(a: set[ox.Triple], b: set[ox.Triple]) -> bool:
    """Equal, or equal up to blank node names (the ontology's axioms get new blank nodes on every parse)."""
    if a == b:
        return True
    if len(a) != len(b):
        return False
    return _canonical(a) == _canonical(b)


def _graph_key(term: ox.NamedNode | ox.BlankNode | ox.DefaultGraph) -> str:
    return "default" if isinstance(term, ox.DefaultGraph) else term.value


def _by_graph(quads: Iterable[ox.Quad]) -> dict[str, set[ox.Triple]]:
    out: dict[str, set[ox.Triple]] = {}
    for q in quads:
        out.setdefault(_graph_key(q.graph_name), set()).add(q.triple)
    return out


@dataclass(frozen=True)
class SyncReport:
    """What :func:`sync` changed."""

    added: int
    removed: int
    graphs: list[str]


def sync(backend: Backend, before: Iterable[ox.Quad], after: Iterable[ox.Quad]) -> SyncReport:
    """Make ``backend`` hold ``after`` where it held ``before``, replacing only the graphs that differ.

    Used by checked writes: the change is made, validated and reasoned on a copy, then synced.
    """
    old, new = _by_graph(before), _by_graph(after)
    changed = sorted(g for g in old.keys() | new.keys()
                     if not _same_graph(old.get(g, set()), new.get(g, set())))
    added = sum(len(new.get(g, set()) - old.get(g, set())) for g in changed)
    removed = sum(len(old.get(g, set()) - new.get(g, set())) for g in changed)
    if changed:
        backend.replace_graphs({graph: new.get(graph, set()) for graph in changed})
    return SyncReport(added, removed, changed)


def dump_nquads(backend: Backend) -> bytes:
    """Every quad of a store as N-Quads (how worker processes get a copy of an in-memory store)."""
    out = io.BytesIO()
    ox.serialize(backend.quads(), out, format=ox.RdfFormat.N_QUADS)
    return out.getvalue()


__all__ = [
    "Backend",
    "INFERRED_GRAPH",
    "Journal",
    "ONTOLOGY_GRAPH",
    "RECORDS_GRAPH",
    "LocalBackend",
    "QueryTimeoutError",
    "RemoteBackend",
    "StoreSpec",
    "StoreUnavailableError",
    "dump_nquads",
    "load_bundled",
    "open_store",
    "reason",
    "sync",
    "parse_store_spec",
    "run_local_query",
    "run_local_update",
    "engine_errors",
    "has_dataset_clause",
]
