"""Library log records and warnings as people should see them: one line each, never a traceback.

rdflib logs "Failed to convert Literal lexical form to value" with a full traceback for every ill-typed
literal (``"aldi"^^xsd:integer``) it reads, and warns about odd booleans; pySHACL logs through its own
loggers. The literal is kept as written and ``sh:datatype`` reports it, so none of this is a crash.
Importing this module turns rdflib's literal record into one line that names the value; ``configure_cli``
(called by the command line) prints library records and warnings as ``openness: warning: ...`` lines,
each distinct one once, and ``quiet_literals`` silences the records of literals the code builds itself.
"""

from __future__ import annotations

import logging
import sys
import threading
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, TextIO

#: Loggers of the libraries whose records reach the user through the command line.
LIBRARY_LOGGERS = ("rdflib", "pyshacl", "owlready2")
#: Distinct lines printed per run before the rest are only counted.
MAX_LINES = 20

_quiet = threading.local()


@contextmanager
def quiet_literals() -> Iterator[None]:
    """Drop rdflib's literal-conversion records in this thread while the block runs."""
    _quiet.depth = getattr(_quiet, "depth", 0) + 1
    try:
        yield
    finally:
        _quiet.depth -= 1


def _ill_typed(record: logging.LogRecord) -> tuple[str, str] | None:
    """(lexical form, datatype) of rdflib's literal-conversion record, read from the failing frame."""
    if record.funcName != "_castLexicalToPython" or not record.exc_info:
        return None
    tb = record.exc_info[2]
    frame_locals: dict[str, Any] = tb.tb_frame.f_locals if tb is not None else {}
    lexical, datatype = frame_locals.get("lexical"), frame_locals.get("datatype")
    if lexical is None or datatype is None:
        return None
    return (lexical.decode("utf-8", "replace") if isinstance(lexical, bytes) else str(lexical), str(datatype))


class _LiteralRecords(logging.Filter):
    """On the ``rdflib.term`` logger: silence while quiet; otherwise one line naming the ill-typed value."""

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(_quiet, "depth", 0):
            return False
        found = _ill_typed(record)
        if found is not None:
            lexical, datatype = found
            record.msg, record.args = "ill-typed literal %r^^<%s> is kept as written", (lexical, datatype)
            record.exc_info = record.exc_text = None
        return True


class _OncePerLine(logging.Filter):
    """One line per distinct message, no traceback, at most ``MAX_LINES`` lines."""

    def __init__(self) -> None:
        super().__init__()
        self.seen: set[str] = set()

    def filter(self, record: logging.LogRecord) -> bool:
        text = " ".join(record.getMessage().split("\n", 1)[0].split())
        record.msg, record.args = text, ()
        record.exc_info = record.exc_text = record.stack_info = None
        if text in self.seen:
            return False
        self.seen.add(text)
        if len(self.seen) == MAX_LINES + 1:
            record.msg = "further library warnings are not shown"
            return True
        return len(self.seen) <= MAX_LINES


def _install() -> None:
    term = logging.getLogger("rdflib.term")
    if not any(isinstance(f, _LiteralRecords) for f in term.filters):
        term.addFilter(_LiteralRecords())


def configure_cli(stream: TextIO | None = None) -> None:
    """Send library log records (WARNING and up) and Python warnings to ``stream`` as one-line warnings."""
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.setFormatter(logging.Formatter("openness: warning: %(message)s"))
    once = _OncePerLine()
    handler.addFilter(once)
    for name in LIBRARY_LOGGERS:
        logger = logging.getLogger(name)
        for old in [h for h in logger.handlers if getattr(h, "_openness", False)]:
            logger.removeHandler(old)
        handler._openness = True  # type: ignore[attr-defined]
        logger.addHandler(handler)
        logger.setLevel(logging.WARNING)
        logger.propagate = False

    def show(message: Warning | str, category: type[Warning], _filename: str, lineno: int,
             file: TextIO | None = None, line: str | None = None) -> None:
        handler.handle(logging.makeLogRecord({"msg": str(message), "levelno": logging.WARNING,
                                              "levelname": "WARNING", "name": "py.warnings"}))

    warnings.showwarning = show


_install()
