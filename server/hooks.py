"""Request hooks every route shares: the URL-length limit, admission control and the response headers."""

from __future__ import annotations

from flask import Flask, Response, g, request

from server.admission import Admission
from server.context import ADMISSION
from server.errors import error_response

#: Blueprints whose requests run SPARQL operations and so pass admission control.
ADMITTED_BLUEPRINTS = ("sparql", "gsp")
#: Methods that change the store (a write never gets CORS headers unless its origin is configured).
WRITE_METHODS = ("PUT", "POST", "DELETE", "PATCH")
#: The request-global flag :func:`mark_write` sets.
WRITE_FLAG = "openness_write"
#: What a browser page on another origin may send to the read endpoints (answered in CORS preflights).
PREFLIGHT_METHODS = "GET, HEAD, POST, OPTIONS"
PREFLIGHT_HEADERS = "Accept, Accept-Language, Content-Language, Content-Type, Cache-Control, If-None-Match"
#: Seconds a browser may cache a preflight answer.
PREFLIGHT_MAX_AGE = "600"


def install_limits(app: Flask) -> None:
    """414 for a URL past MAX_URL_LENGTH; nosniff and CORS headers on every response."""

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
        origin = cors_origin(app)
        if origin is not None:
            response.headers.setdefault("Access-Control-Allow-Origin", origin)
            response.headers.setdefault("Access-Control-Expose-Headers",
                                        "X-Openness-Truncated, X-Openness-Rows, ETag, Last-Modified, Link")
            if origin != "*":
                response.headers.add("Vary", "Origin")
            if is_preflight():
                response.headers["Access-Control-Allow-Methods"] = (
                    PREFLIGHT_METHODS if origin == "*" else "GET, HEAD, POST, PUT, DELETE, OPTIONS")
                response.headers["Access-Control-Allow-Headers"] = (
                    PREFLIGHT_HEADERS if origin == "*" else PREFLIGHT_HEADERS + ", Authorization")
                response.headers["Access-Control-Max-Age"] = PREFLIGHT_MAX_AGE
        return response


def is_preflight() -> bool:
    """Whether this is a browser's CORS preflight (OPTIONS naming the method it will send)."""
    return request.method == "OPTIONS" and "Access-Control-Request-Method" in request.headers


def is_write() -> bool:
    """Whether this request asks to change the store (an update, or a Graph Store write); for a CORS
    preflight, whether the request it announces would."""
    if g.get(WRITE_FLAG) or request.path == "/update":
        return True
    if is_preflight():
        method = request.headers.get("Access-Control-Request-Method", "").upper()
        if request.blueprint == "gsp" and method in WRITE_METHODS:
            return True
        return method == "POST" and request.path != "/sparql"  # the only read taking POST is /sparql
    if request.blueprint == "gsp" and request.method in WRITE_METHODS:
        return True
    return request.path == "/sparql" and request.method == "POST" and request.mimetype == "application/sparql-update"


def mark_write() -> None:
    """Note that this request is a write (a form-encoded update at /sparql is only known once parsed)."""
    g.setdefault(WRITE_FLAG, True)


def cors_origin(app: Flask) -> str | None:
    """The Access-Control-Allow-Origin of this response: ``*`` for reads when CORS is on; for writes only the
    request's Origin when CORS_WRITE_ORIGINS lists it (a browser page elsewhere cannot drive writes)."""
    if not is_write():
        return "*" if app.config["CORS"] else None
    origin = request.headers.get("Origin")
    allowed = tuple(app.config.get("CORS_WRITE_ORIGINS") or ())
    return origin if origin and origin in allowed else None


def install_admission(app: Flask) -> Admission:
    """429 with Retry-After past the concurrency or per-client budget, before the operation starts."""
    admission = Admission(
        max_concurrent=int(app.config["MAX_CONCURRENT"]),
        wait=float(app.config["ADMISSION_WAIT"]),
        client_rate=float(app.config["CLIENT_RATE"] or 0),
        client_burst=int(app.config["CLIENT_BURST"]),
        client_concurrent=int(app.config["CLIENT_CONCURRENT"] or 0),
    )
    app.extensions[ADMISSION] = admission

    @app.before_request
    def _admit() -> Response | None:
        if request.blueprint not in ADMITTED_BLUEPRINTS or request.method == "OPTIONS":
            return None
        client = request.remote_addr or "unknown"
        refusal = admission.enter(client)
        if refusal is not None:
            response = error_response(429, refusal.reason)
            response.headers["Retry-After"] = str(refusal.retry_after)
            return response
        g.openness_admitted = client
        return None

    @app.teardown_request
    def _leave(exc: BaseException | None) -> None:
        client = g.pop("openness_admitted", None)
        if client is not None:
            admission.leave(client)

    return admission
