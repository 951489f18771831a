"""The SPARQL 1.1 Protocol: queries at /sparql (GET, POST form, POST direct) and updates at /update."""

from __future__ import annotations

import hmac
import urllib.parse

from flask import Blueprint, Response, current_app, request
from werkzeug.exceptions import BadRequest, Forbidden, MethodNotAllowed, Unauthorized, UnsupportedMediaType

from server.context import engine_of
from server.describe import service_description
from server.engine import graphs_param
from server.executor import QueryRequest
from server.guard import valid_iri
from server.hooks import mark_write
from server.results import Answer
from server.writes import apply_change

bp = Blueprint("sparql", __name__)

FORM = "application/x-www-form-urlencoded"
QUERY_TYPE = "application/sparql-query"
UPDATE_TYPE = "application/sparql-update"


def parse_pairs(raw: bytes, what: str) -> list[tuple[str, str]]:
    """Form or query-string pairs, decoded strictly as UTF-8 (a bad byte is a 400, not a silent U+FFFD)."""
    try:
        return urllib.parse.parse_qsl(raw.decode("ascii", "strict") if raw.isascii() else raw.decode("utf-8"),
                                      keep_blank_values=True, encoding="utf-8", errors="strict")
    except UnicodeDecodeError:
        raise BadRequest(f"the {what} is not valid UTF-8") from None
    except ValueError as exc:
        raise BadRequest(f"the {what} is malformed: {exc}") from None


def body_text() -> str:
    """The request body as UTF-8 text (413 past MAX_CONTENT_LENGTH, 400 if not UTF-8)."""
    charset = (request.mimetype_params.get("charset") or "utf-8").lower()
    if charset not in ("utf-8", "utf8"):
        raise UnsupportedMediaType(f"charset {charset} is not supported; send UTF-8")
    try:
        return request.get_data(cache=True).decode("utf-8")
    except UnicodeDecodeError:
        raise BadRequest("the request body is not valid UTF-8") from None


def _one(pairs: list[tuple[str, str]], name: str) -> str | None:
    values = [v for k, v in pairs if k == name]
    if len(values) > 1:
        raise BadRequest(f"give exactly one '{name}' parameter, not {len(values)}")
    return values[0] if values else None


#: Parameters clients use to name the result format (Virtuoso's, Joseki's, RASQAL's); SPARQLWrapper sends all.
FORMAT_PARAMETERS = ("format", "output", "results")


def format_values(pairs: list[tuple[str, str]]) -> tuple[str, ...]:
    """Every value of the format parameters, in the order given (the first usable one wins)."""
    return tuple(v for k, v in pairs if k in FORMAT_PARAMETERS)


def _all(pairs: list[tuple[str, str]], name: str) -> tuple[str, ...]:
    return graphs_param([v for k, v in pairs if k == name])


def read_operation() -> tuple[str, str | None, list[tuple[str, str]]]:
    """``(kind, text, params)`` of a protocol request: kind is 'query', 'update' or 'none'."""
    url_pairs = parse_pairs(request.query_string, "query string")
    if request.method in ("GET", "HEAD"):
        if _one(url_pairs, "update") is not None:
            raise MethodNotAllowed(["POST"], "SPARQL updates must be sent with POST")
        query = _one(url_pairs, "query")
        return ("query", query, url_pairs) if query is not None else ("none", None, url_pairs)
    mimetype = request.mimetype
    if mimetype == FORM:
        form_pairs = parse_pairs(request.get_data(cache=True), "form body")
        pairs = url_pairs + form_pairs
        query, update = _one(form_pairs, "query"), _one(form_pairs, "update")
        if query is not None and update is not None:
            raise BadRequest("give either 'query' or 'update', not both")
        if query is not None:
            return "query", query, pairs
        if update is not None:
            return "update", update, pairs
        raise BadRequest("the form has no 'query' or 'update' field")
    if mimetype == QUERY_TYPE:
        return "query", body_text(), url_pairs
    if mimetype == UPDATE_TYPE:
        return "update", body_text(), url_pairs
    if not mimetype:
        raise BadRequest(f"POST needs a Content-Type: {FORM}, {QUERY_TYPE} or {UPDATE_TYPE}")
    raise UnsupportedMediaType(f"Content-Type {mimetype} is not accepted; use {FORM}, {QUERY_TYPE} or {UPDATE_TYPE}")


def content_type(mimetype: str) -> str:
    """The Content-Type header of an answer in ``mimetype``."""
    if mimetype.startswith("text/") or mimetype.endswith(("+xml", "+json", "/json", "/ld+json", "n-triples")):
        return f"{mimetype}; charset=utf-8"
    return mimetype


def answer_headers(answer: Answer, row_limit: int) -> list[tuple[str, str]]:
    """The headers of a serialised result beyond Content-Type: Vary and the row count and truncation signal
    (shared by the Flask route and server.lane, so both answer alike)."""
    headers = [("Vary", "Accept"), ("X-Openness-Rows", str(answer.rows))]
    if answer.truncated:
        headers.append(("X-Openness-Truncated", str(row_limit)))
    return headers


def answer_response(answer: Answer) -> Response:
    """The HTTP response of a serialised result, with the truncation signal in headers."""
    response = Response(answer.body, status=200, mimetype=answer.media_type)
    response.headers["Content-Type"] = content_type(answer.media_type)
    for name, value in answer_headers(answer, int(current_app.config["ROW_LIMIT"])):
        response.headers[name] = value
    return response


@bp.route("/sparql", methods=["GET", "HEAD", "POST"])
def sparql() -> Response:
    """SPARQL 1.1 Protocol query operation; without a query, the Service Description."""
    kind, text, pairs = read_operation()
    if kind == "none":

        return service_description()
    if kind == "update":
        return run_update(text or "", pairs)
    return run_query(text or "", pairs)


@bp.route("/update", methods=["POST"])
def update() -> Response:
    """SPARQL 1.1 Protocol update operation (needs the bearer token)."""
    kind, text, pairs = read_operation()
    if kind != "update":
        raise BadRequest(f"/update takes SPARQL updates ({FORM} with 'update', or {UPDATE_TYPE})")
    return run_update(text or "", pairs)


def run_query(text: str, pairs: list[tuple[str, str]]) -> Response:
    """Guard, run and serialise one query."""
    if not text.strip():
        raise BadRequest("the query is empty")
    request_ = QueryRequest(
        sparql=text,
        default_graphs=_all(pairs, "default-graph-uri"),
        named_graphs=_all(pairs, "named-graph-uri"),
        accept=request.headers.get("Accept"),
        format=format_values(pairs),
        row_limit=int(current_app.config["ROW_LIMIT"]),
        base_iri=base_iri(),
    )
    answer = engine_of(current_app).query(request_)
    return answer_response(answer)


def base_iri(environ: dict | None = None) -> str | None:
    """The base IRI of a request's relative IRIs: the endpoint's URL (none if the Host header makes it no
    IRI, in which case relative IRIs are a syntax error, as without a base). Built from the WSGI environ:
    werkzeug's ``request.base_url`` is rebuilt on every request."""

    environ = request.environ if environ is None else environ
    host = environ.get("HTTP_HOST") or f"{environ.get('SERVER_NAME')}:{environ.get('SERVER_PORT')}"
    path = environ.get("SCRIPT_NAME", "") + environ.get("PATH_INFO", "")
    url = f"{environ.get('wsgi.url_scheme', 'http')}://{host}{path}"
    return url if valid_iri(url) else None


def require_token() -> None:
    """401 without the configured bearer token (compared in constant time); 403 when writes are off."""
    token = current_app.config.get("TOKEN")
    if not token:
        raise Forbidden("this endpoint is read-only; start it with a token to allow writes")
    header = request.headers.get("Authorization", "")
    scheme, _, given = header.partition(" ")
    if scheme.lower() != "bearer" or not hmac.compare_digest(given.strip().encode(), str(token).encode()):
        raise Unauthorized("writes need 'Authorization: Bearer <token>'")


def run_update(text: str, pairs: list[tuple[str, str]]) -> Response:
    """Check, validate, reason and commit one SPARQL Update."""
    mark_write()
    require_token()
    if not text.strip():
        raise BadRequest("the update is empty")

    engine = engine_of(current_app)
    change = engine.update_change(text, base_iri(), _all(pairs, "using-graph-uri"),
                                  _all(pairs, "using-named-graph-uri"))
    report = apply_change(engine, change)
    return Response(report.summary() + "\n", status=200, mimetype="text/plain")
