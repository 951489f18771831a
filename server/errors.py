"""Short error responses: one line of plain text, the right status, never a traceback or a file's content."""

from __future__ import annotations

from flask import Flask, Response
from werkzeug.exceptions import HTTPException

from kg.errors import ConfigurationError, QueryError
from kg.store import QueryTimeoutError, StoreUnavailableError
from server.executor import PoolBusyError, WorkerMemoryError
from server.results import NotAcceptableError


def error_response(status: int, message: str) -> Response:
    """A short plain-text error: one line, no traceback, no file content."""
    line = " ".join(str(message).split())[:500]
    return Response(f"{status} {line}\n", status=status, mimetype="text/plain")


def _http_response(exc: HTTPException) -> Response:
    response = error_response(exc.code or 400, exc.description or exc.name)
    if exc.code == 405 and getattr(exc, "valid_methods", None):
        response.headers["Allow"] = ", ".join(exc.valid_methods)  # type: ignore[attr-defined]
    if exc.code == 401:
        response.headers["WWW-Authenticate"] = 'Bearer realm="openness"'
    return response


def status_of(exc: QueryError) -> int:
    """The HTTP status of a QueryError: the client's errors are 4xx, a busy or timed-out engine 503, a worker
    over its memory ceiling 507."""
    if isinstance(exc, NotAcceptableError):
        return 406
    if isinstance(exc, WorkerMemoryError):
        return 507
    if isinstance(exc, QueryTimeoutError | PoolBusyError):
        return 503
    return getattr(exc, "status", 400)


def exception_response(app: Flask, exc: BaseException) -> Response:
    """The short error response of an exception a request raised."""
    if isinstance(exc, HTTPException):
        return _http_response(exc)
    if isinstance(exc, QueryError):
        return error_response(status_of(exc), str(exc))
    if isinstance(exc, ConfigurationError):
        if isinstance(exc, StoreUnavailableError):
            return error_response(502, str(exc))
        return error_response(500, "the server is misconfigured")
    app.logger.error("unexpected error", exc_info=(type(exc), exc, exc.__traceback__))
    return error_response(500, "internal error; the server log has the details")


def install_errors(app: Flask) -> None:
    """Every error a request raises becomes :func:`exception_response`."""

    def handle(exc: Exception) -> Response:
        return exception_response(app, exc)

    for kind in (HTTPException, QueryError, ConfigurationError, Exception):
        app.register_error_handler(kind, handle)
