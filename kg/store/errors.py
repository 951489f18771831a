"""Errors of the store: engine errors a query or update can cause become one-line QueryErrors (HTTP 400)."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

from kg.errors import ConfigurationError, QueryError

#: Errors pyoxigraph raises for a query or update that is wrong or cannot run here: the client's fault.
ENGINE_ERRORS = (SyntaxError, RuntimeError, ValueError, OSError, MemoryError)


class StoreUnavailableError(ConfigurationError):
    """The configured store cannot be reached or answered nonsense."""


class QueryTimeoutError(QueryError):
    """A query ran longer than the configured timeout and was stopped."""


def first_line(exc: BaseException) -> str:
    """The first line of an error's message, at most 300 characters (no path or traceback)."""
    text = str(exc).strip().splitlines()
    return text[0][:300] if text else type(exc).__name__


def engine_error(exc: BaseException) -> QueryError:
    """The client-facing QueryError (HTTP 400) for an engine error, one line, no path or traceback."""
    if isinstance(exc, SyntaxError):
        return QueryError(f"SPARQL syntax error: {first_line(exc)}")
    if isinstance(exc, MemoryError):
        return QueryError("the query needs more memory than this server gives one query")
    return QueryError(f"query failed: {first_line(exc)}")


@contextlib.contextmanager
def engine_errors() -> Iterator[None]:
    """Turn engine errors into QueryError (lazy results raise while they are iterated, so wrap that too)."""
    try:
        yield
    except QueryError:
        raise
    except ENGINE_ERRORS as exc:
        raise engine_error(exc) from None
