"""The SPARQL endpoint and web pages: a Flask application factory.

``create_app(config)`` builds the app over a store (``STORE``: a store spec, see kg.store; default the
bundled KG). One blueprint per concern: ``server.sparql`` (SPARQL 1.1 Protocol query and update),
``server.gsp`` (Graph Store Protocol), ``server.describe`` (Service Description and VoID) and
``server.pages`` (query UI, model pages, ontology). ``openness serve`` runs it under waitress.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import Flask, Response, request
from werkzeug.exceptions import HTTPException

from kg.errors import ConfigurationError, QueryError

#: Defaults; every key can be overridden by the ``config`` mapping given to create_app.
DEFAULTS: dict[str, Any] = {
    "STORE": None,  # store spec string (kg.store.parse_store_spec) or a kg.store backend
    "TOKEN": None,  # bearer token that enables /update and Graph Store writes
    "QUERY_TIMEOUT": 30.0,  # seconds; the worker running a longer query is killed
    "ROW_LIMIT": 10_000,  # rows (or triples) per result; more are cut and the answer says so
    "MAX_CONTENT_LENGTH": 1 << 20,  # request bodies above this get 413
    "MAX_URL_LENGTH": 8 << 10,  # request targets above this get 414
    "ALLOWED_HOSTS": (),  # hosts SERVICE/LOAD/FROM may name
    "WORKERS": None,  # query worker processes; default one per CPU
    "USE_WORKERS": True,  # False: run local queries in the request thread (no timeout)
    "REPEAT_BUDGET": 0.1,  # seconds a worker took for a request whose repeats run in-thread (0: never)
    "CORS": True,  # read-only endpoints answer any origin (no credentials)
    "MAX_CONCURRENT": 6,  # SPARQL operations in flight; past it a request waits ADMISSION_WAIT, then gets 429
    "ADMISSION_WAIT": 0.5,  # seconds a request may wait for a free slot
    "CLIENT_RATE": 0.0,  # requests per second per client address (token bucket); 0 turns it off
    "CLIENT_BURST": 40,  # bucket size: requests a client may send at once
    "LANE": True,  # plain GET /sparql?query=... skips Flask's request machinery (server.lane); same answers
}


def create_app(config: Mapping[str, Any] | None = None) -> Flask:
    """Build the application; raises kg.errors.ConfigurationError for an unusable store."""
    from kg.store import Backend
    from server.engine import Engine, Settings

    app = Flask(__name__)
    app.config.update(DEFAULTS)
    if config:
        app.config.update(config)
    store = app.config["STORE"]
    settings = Settings(
        store=None if not isinstance(store, str | type(None)) else store,
        token=app.config["TOKEN"] or None,
        query_timeout=float(app.config["QUERY_TIMEOUT"]),
        row_limit=int(app.config["ROW_LIMIT"]),
        allowed_hosts=tuple(app.config["ALLOWED_HOSTS"] or ()),
        workers=app.config["WORKERS"],
        use_workers=bool(app.config["USE_WORKERS"]),
        repeat_budget=float(app.config["REPEAT_BUDGET"]),
    )
    backend: Backend | None = None if isinstance(store, str | type(None)) else store
    app.extensions["openness"] = Engine(settings, backend)

    from server import describe, gsp, pages, sparql

    app.register_blueprint(sparql.bp)
    app.register_blueprint(gsp.bp)
    app.register_blueprint(describe.bp)
    app.register_blueprint(pages.bp)
    from server import openapi

    app.register_blueprint(openapi.bp)
    _install_limits(app)
    _install_admission(app)
    _install_errors(app)
    if app.config["LANE"]:
        from server.lane import SparqlLane

        app.wsgi_app = SparqlLane(app, app.wsgi_app)  # type: ignore[method-assign]
    return app


def engine_of(app: Flask):  # type: ignore[no-untyped-def]
    """The app's Engine."""
    return app.extensions["openness"]


#: Blueprints whose requests run SPARQL operations and so pass admission control.
ADMITTED_BLUEPRINTS = ("sparql", "gsp")


def _install_admission(app: Flask) -> None:
    """429 with Retry-After past the concurrency or per-client budget, before the operation starts."""
    from flask import g

    from server.admission import Admission

    admission = Admission(
        max_concurrent=int(app.config["MAX_CONCURRENT"]),
        wait=float(app.config["ADMISSION_WAIT"]),
        client_rate=float(app.config["CLIENT_RATE"] or 0),
        client_burst=int(app.config["CLIENT_BURST"]),
    )
    app.extensions["openness.admission"] = admission

    @app.before_request
    def _admit() -> Response | None:
        if request.blueprint not in ADMITTED_BLUEPRINTS or request.method == "OPTIONS":
            return None
        refusal = admission.enter(request.remote_addr or "unknown")
        if refusal is not None:
            response = error_response(429, refusal.reason)
            response.headers["Retry-After"] = str(refusal.retry_after)
            return response
        g.openness_admitted = True
        return None

    @app.teardown_request
    def _leave(exc: BaseException | None) -> None:
        if g.pop("openness_admitted", False):
            admission.leave()


def _install_limits(app: Flask) -> None:
    @app.before_request
    def _url_length() -> Response | None:
        size = len(request.environ.get("PATH_INFO", "")) + len(request.environ.get("QUERY_STRING", ""))
        if size > int(app.config["MAX_URL_LENGTH"]):
            return error_response(414, f"the request URL is longer than {app.config['MAX_URL_LENGTH']} bytes; "
                                       "POST the query instead")
        return None

    @app.after_request
    def _headers(response: Response) -> Response:
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        if app.config["CORS"]:
            response.headers.setdefault("Access-Control-Allow-Origin", "*")
            response.headers.setdefault("Access-Control-Expose-Headers", "X-Openness-Truncated, X-Openness-Rows")
        return response


def error_response(status: int, message: str) -> Response:
    """A short plain-text error: one line, no traceback, no file content."""
    line = " ".join(str(message).split())[:500]
    return Response(f"{status} {line}\n", status=status, mimetype="text/plain")


def exception_response(app: Flask, exc: BaseException) -> Response:
    """The short error response of an exception a request raised (shared by Flask's error handlers and
    server.lane): the client's errors are 4xx, a busy or timed-out engine 503, an unreachable one 502."""
    from kg.store import QueryTimeoutError, StoreUnavailableError
    from server.executor import PoolBusyError
    from server.results import NotAcceptableError

    if isinstance(exc, HTTPException):
        response = error_response(exc.code or 400, exc.description or exc.name)
        if exc.code == 405 and exc.valid_methods:  # type: ignore[attr-defined]
            response.headers["Allow"] = ", ".join(exc.valid_methods)  # type: ignore[attr-defined]
        if exc.code == 401:
            response.headers["WWW-Authenticate"] = 'Bearer realm="openness"'
        return response
    if isinstance(exc, QueryError):
        if isinstance(exc, NotAcceptableError):
            return error_response(406, str(exc))
        if isinstance(exc, QueryTimeoutError | PoolBusyError):
            return error_response(503, str(exc))
        return error_response(400, str(exc))
    if isinstance(exc, ConfigurationError):
        if isinstance(exc, StoreUnavailableError):
            return error_response(502, str(exc))
        return error_response(500, "the server is misconfigured")
    app.logger.error("unexpected error", exc_info=(type(exc), exc, exc.__traceback__))
    return error_response(500, "internal error; the server log has the details")


def _install_errors(app: Flask) -> None:
    def handle(exc: Exception) -> Response:
        return exception_response(app, exc)

    for kind in (HTTPException, QueryError, ConfigurationError, Exception):
        app.register_error_handler(kind, handle)
