"""The SPARQL 1.1 Graph Store HTTP Protocol at /store (``?graph=IRI`` or ``?default``).

Reads are open; PUT, POST and DELETE need the bearer token and go through the checked-write pipeline.
``GET ?default`` is the default graph SPARQL queries see: the union of every graph (the service
description says ``sd:UnionDefaultGraph``), so the two protocols agree. A write to ``?default`` changes
the store's unnamed graph, which is part of that union. ``GET /store`` without a graph gives the whole
dataset, as N-Quads or TriG.
"""

from __future__ import annotations

import pyoxigraph as ox
from flask import Blueprint, Response, current_app, request
from werkzeug.exceptions import BadRequest, Conflict, NotFound, RequestEntityTooLarge, UnsupportedMediaType

from kg.errors import UnreadableInputError
from kg.parsing import InputTooLargeError, parse_rdf
from kg.store import DERIVED_GRAPHS
from server.context import engine_of
from server.describe import graph_response
from server.sparql import require_token
from server.writes import apply_change

bp = Blueprint("gsp", __name__)

def _target() -> str:
    """'default' or the graph IRI the request names."""
    graphs = request.args.getlist("graph")
    has_default = "default" in request.args
    if has_default and graphs:
        raise BadRequest("give either ?default or ?graph=IRI, not both")
    if has_default:
        return "default"
    if len(graphs) != 1 or not graphs[0].strip():
        raise BadRequest("name the graph with ?graph=IRI (or ?default for the default graph)")
    return graphs[0].strip()


def _term(graph: str) -> ox.NamedNode | ox.DefaultGraph:
    if graph == "default":
        return ox.DefaultGraph()
    try:
        return ox.NamedNode(graph)
    except ValueError:
        raise BadRequest(f"{graph!r} is no absolute IRI") from None


def _exists(graph: str) -> bool:
    return graph == "default" or graph in engine_of(current_app).graph_names()


def _body_triples(graph: str) -> list[ox.Triple]:
    fmt = ox.RdfFormat.from_media_type(request.mimetype or "")
    if request.mimetype == "application/json":  # plain JSON is no RDF (JSON-LD is application/ld+json)
        fmt = None
    if fmt is None:
        raise UnsupportedMediaType(f"Content-Type {request.mimetype or '(none)'} is no RDF format this store reads")
    base = None if graph == "default" else graph
    limit = current_app.config.get("MAX_CONTENT_LENGTH") or 1 << 20
    try:  # the one safe parse: no XML entity declarations, parsed size bounded by the body limit
        quads = parse_rdf(request.get_data(cache=True), fmt, source="the request body", base_iri=base,
                          max_bytes=limit)
    except InputTooLargeError as exc:
        raise RequestEntityTooLarge(exc.message) from None
    except UnreadableInputError as exc:
        raise BadRequest(f"the request body is not valid {fmt.name}: {exc}") from None
    return [q.triple for q in quads]


#: The dataset (quads) formats, the first being the default.
DATASET_TYPES = ("application/n-quads", "application/trig")
_DATASET_NAMES = {"nq": "application/n-quads", "nquads": "application/n-quads", "n-quads": "application/n-quads",
                  "trig": "application/trig"}


def _dataset() -> Response:
    """Every graph of the store, as N-Quads or TriG (by ``format`` or Accept)."""
    from werkzeug.exceptions import NotAcceptable

    named = [_DATASET_NAMES.get(v.strip().lower(), v.strip().lower()) for v in request.args.getlist("format")]
    media = next((m for m in named if m in DATASET_TYPES), None)
    if media is None:
        if named:
            raise NotAcceptable(f"the dataset is served as {', '.join(DATASET_TYPES)} (format=nq or trig)")
        media = request.accept_mimetypes.best_match(DATASET_TYPES, default=None) if request.accept_mimetypes \
            else DATASET_TYPES[0]
        if media is None:
            raise NotAcceptable(f"the dataset is served as {', '.join(DATASET_TYPES)}; name a graph with "
                                "?graph=IRI or ?default for a triple format")
    data = engine_of(current_app).backend.quads()
    fmt = ox.RdfFormat.N_QUADS if media == "application/n-quads" else ox.RdfFormat.TRIG
    response = Response(ox.serialize(data, format=fmt) or b"", mimetype=media)
    response.headers["Vary"] = "Accept"
    return response


@bp.route("/store", methods=["GET", "HEAD"])
def read() -> Response:
    """The triples of one graph, in the negotiated RDF format; without a graph, the dataset."""
    if not request.args.getlist("graph") and "default" not in request.args:
        return _dataset()
    graph = _target()
    if not _exists(graph):
        raise NotFound(f"no graph <{graph}> in this store")
    engine = engine_of(current_app)
    pattern = "{ ?s ?p ?o }" if graph == "default" else f"{{ GRAPH <{graph}> {{ ?s ?p ?o }} }}"
    # ?default: the union default graph, as SPARQL sees it
    result = engine.internal_query(f"CONSTRUCT {{ ?s ?p ?o }} WHERE {pattern}")
    return graph_response(list(result))  # type: ignore[call-overload]


@bp.route("/store", methods=["PUT", "POST", "DELETE"])
def write() -> Response:
    """Replace (PUT), add to (POST) or drop (DELETE) one graph, validated and reasoned before commit."""
    require_token()

    graph = _target()
    term = _term(graph)
    if graph in DERIVED_GRAPHS:
        raise Conflict(f"<{graph}> is derived from the records (rebuilt after every write); change the records "
                       "instead")
    existed = _exists(graph)
    if request.method == "DELETE":
        if not existed:
            raise NotFound(f"no graph <{graph}> in this store")

        def change(store: ox.Store) -> None:
            store.clear_graph(term) if isinstance(term, ox.DefaultGraph) else store.remove_graph(term)
    else:
        triples = _body_triples(graph)
        replace = request.method == "PUT"

        def change(store: ox.Store) -> None:
            if replace and (isinstance(term, ox.DefaultGraph) or store.contains_named_graph(term)):
                store.clear_graph(term)
            store.extend(ox.Quad(t.subject, t.predicate, t.object, term) for t in triples)

    report = apply_change(engine_of(current_app), change)
    status = 201 if request.method != "DELETE" and not existed else 204
    response = Response(status=status)
    if status == 201:
        response.set_data(report.summary() + "\n")
        response.mimetype = "text/plain"
    return response
