"""The plain SPARQL query, ``GET /sparql?query=...``, answered without Flask's per-request machinery.

Flask's request context, URL matching, hooks and response object cost about as much per request as a
look-up by IRI in the engine itself, and a protocol endpoint answers that one kind of request almost
always. This WSGI middleware takes it straight to the Engine, with the same rules as the Flask route:
the URL-length limit, admission control (429 with Retry-After before anything runs), the same parameter
parsing (strict UTF-8), the same answer headers (row count, truncation signal, Vary, nosniff, CORS) and
the same short error responses. Anything else — another path or method, HEAD, a parameter besides
``query``, ``default-graph-uri``, ``named-graph-uri``, ``format`` and ``output``, a repeated ``query``, an
empty or malformed query string — goes to Flask unchanged, which answers it (errors included) as before.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from werkzeug.exceptions import BadRequest

from server import engine_of, error_response, exception_response
from server.engine import graphs_param
from server.executor import QueryRequest
from server.sparql import answer_headers, base_iri, content_type, parse_pairs

#: Parameters the lane understands; a request with any other goes to Flask.
PARAMS = frozenset({"query", "default-graph-uri", "named-graph-uri", "format", "output"})
#: Response headers of every answer (what the app's after_request hook adds).
NOSNIFF = ("X-Content-Type-Options", "nosniff")
CORS = (("Access-Control-Allow-Origin", "*"),
        ("Access-Control-Expose-Headers", "X-Openness-Truncated, X-Openness-Rows"))

StartResponse = Callable[..., Any]
#: Query strings whose parse is kept.
PLANS = 256


class SparqlLane:
    """WSGI middleware in front of the Flask app (``app.wsgi_app = SparqlLane(app, app.wsgi_app)``)."""

    def __init__(self, app: Any, flask_wsgi: Callable[[dict, StartResponse], Iterable[bytes]]):
        self.app = app
        self.flask_wsgi = flask_wsgi
        #: recent query strings and what they parse to (percent-decoding a long query costs more than the
        #: look-up it asks for); emptied when full
        self._plans: dict[str, tuple[str, tuple[tuple[str, str], ...]] | None] = {}
        #: requests this lane answered (the rest went to Flask)
        self.answered = 0

    def __call__(self, environ: dict, start_response: StartResponse) -> Iterable[bytes]:
        if environ.get("REQUEST_METHOD") != "GET" or environ.get("PATH_INFO") != "/sparql":
            return self.flask_wsgi(environ, start_response)
        plan = self._plan(environ)
        if plan is None:
            return self.flask_wsgi(environ, start_response)
        self.answered += 1
        return self._answer(environ, start_response, *plan)

    def _plan(self, environ: dict) -> tuple[str, tuple[tuple[str, str], ...]] | None:
        """The query text and parameters of a plain query request, None for one Flask must answer."""
        raw = environ.get("QUERY_STRING", "")
        if not raw or environ.get("SCRIPT_NAME") or len("/sparql") + len(raw) > int(self.app.config["MAX_URL_LENGTH"]):
            return None
        try:
            return self._plans[raw]
        except KeyError:
            pass
        plan = self._parse(raw)
        if len(self._plans) >= PLANS:
            self._plans.clear()
        self._plans[raw] = plan
        return plan

    @staticmethod
    def _parse(raw: str) -> tuple[str, tuple[tuple[str, str], ...]] | None:
        try:
            pairs = parse_pairs(raw.encode("latin-1"), "query string")
        except (BadRequest, UnicodeEncodeError):
            return None
        queries = [v for k, v in pairs if k == "query"]
        if len(queries) != 1 or not queries[0].strip():
            return None
        names = [k for k, _ in pairs]
        if not PARAMS.issuperset(names) or names.count("format") > 1 or names.count("output") > 1:
            return None
        return queries[0], tuple(pairs)

    def _answer(self, environ: dict, start_response: StartResponse, text: str,
                pairs: tuple[tuple[str, str], ...]) -> Iterable[bytes]:
        app = self.app
        config = app.config
        admission = app.extensions["openness.admission"]
        refusal = admission.enter(environ.get("REMOTE_ADDR") or "unknown")
        if refusal is not None:
            response = error_response(429, refusal.reason)
            response.headers["Retry-After"] = str(refusal.retry_after)
            return self._finish(response, environ, start_response)
        try:
            row_limit = int(config["ROW_LIMIT"])
            fmt = next((v for k, v in pairs if k == "format"), None) or next(
                (v for k, v in pairs if k == "output"), None)
            request = QueryRequest(
                sparql=text,
                default_graphs=graphs_param([v for k, v in pairs if k == "default-graph-uri"]),
                named_graphs=graphs_param([v for k, v in pairs if k == "named-graph-uri"]),
                accept=environ.get("HTTP_ACCEPT"),
                format=fmt,
                row_limit=row_limit,
                base_iri=base_iri(environ),
            )
            answer = engine_of(app).query(request)
        except Exception as exc:  # noqa: BLE001 - every error gets the Flask route's response
            return self._finish(exception_response(app, exc), environ, start_response)
        finally:
            admission.leave()
        headers = [("Content-Type", content_type(answer.media_type)), ("Content-Length", str(len(answer.body)))]
        headers += answer_headers(answer, row_limit)
        headers.append(NOSNIFF)
        if config["CORS"]:
            headers += CORS
        start_response("200 OK", headers)
        return [answer.body]

    def _finish(self, response: Any, environ: dict, start_response: StartResponse) -> Iterable[bytes]:
        """An error response with the headers the app's after_request hook gives every response."""
        response.headers.setdefault(*NOSNIFF)
        if self.app.config["CORS"]:
            for name, value in CORS:
                response.headers.setdefault(name, value)
        return response(environ, start_response)
