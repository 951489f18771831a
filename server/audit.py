"""Audit hooks (PEP 578) that record network and file access, to prove the server makes none it should not.

Used two ways, both only by tests and by operators who want proof:

- in this process, :func:`recording` collects, while its block runs, every ``socket.connect``,
  ``socket.getaddrinfo``, ``urllib.Request``, process start and ``open`` of a path outside the allowed roots;
- in query workers: when the environment variable ``OPENNESS_AUDIT_LOG`` names a file, a worker installs
  the same hook and appends one line per event to that file (written through an already open descriptor, so
  recording does not itself open anything).

Audit hooks see Python's own calls only; pyoxigraph's Rust code opens files and sockets below them, which
tests/test_security_egress.py covers with strace and a canary server.
"""

from __future__ import annotations

import os
import sys
import tempfile
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from server.worker_command import WORKER_COMMAND

ENV = "OPENNESS_AUDIT_LOG"

#: Events that reach the network or start programs: every one is recorded.
NETWORK_EVENTS = frozenset({
    "socket.connect", "socket.getaddrinfo", "socket.gethostbyname", "socket.gethostbyaddr", "socket.sendto",
    "urllib.Request", "http.client.connect", "ftplib.connect", "smtplib.connect",
    "os.system", "os.exec", "os.posix_spawn", "os.spawn", "subprocess.Popen",
})

#: Where code, package data and the interpreter's own files live: reading these is not a leak.
_ROOT = Path(__file__).resolve().parents[1]


def default_roots() -> list[str]:
    """Directories whose files the code may read: the interpreter, installed packages, this project."""
    roots = {sys.prefix, sys.base_prefix, sys.exec_prefix, sys.base_exec_prefix, str(_ROOT)}
    roots.update(p for p in sys.path if p and os.path.isdir(p))
    roots.add(os.path.join(tempfile.gettempdir(), "openness-snapshot-"))  # store snapshots the server writes
    return sorted({os.path.realpath(r) if not r.endswith("-") else r for r in roots})


class Auditor:
    """Decides which audit events are violations: network events always, opens outside ``roots``."""

    def __init__(self, roots: Iterable[str | os.PathLike[str]] = ()):
        self.roots = tuple(default_roots()) + tuple(os.path.realpath(os.fspath(r)) for r in roots)

    def allowed_path(self, path: object) -> bool:
        if isinstance(path, int):
            return True  # an already open descriptor
        if isinstance(path, bytes):
            path = os.fsdecode(path)
        if not isinstance(path, str) or path in (os.devnull, "/dev/urandom", "/dev/random"):
            return True
        real = os.path.realpath(path)
        return any(real == r or real.startswith(r.rstrip(os.sep) + os.sep) or (r.endswith("-") and real.startswith(r))
                   for r in self.roots)

    def violation(self, event: str, args: tuple[object, ...]) -> str | None:
        """A one-line description when ``event`` is a violation, else None."""
        if event == "subprocess.Popen" and _is_query_worker(args):
            return None  # the server's own query workers (server.executor), started after a write or a kill
        if event in NETWORK_EVENTS:
            shown = ", ".join(repr(a)[:200] for a in args[1:3] if a is not None) if event.startswith("socket") \
                else repr(args[:2])[:300]
            return f"{event} {shown}"
        if event == "open" and args and not self.allowed_path(args[0]):
            return f"open {args[0]!r}"
        return None


def _is_query_worker(args: tuple[object, ...]) -> bool:
    argv = args[1] if len(args) > 1 else None
    return isinstance(argv, list | tuple) and tuple(argv[:3]) == WORKER_COMMAND


_lock = threading.Lock()
_recorders: list[tuple[Auditor, list[str]]] = []
_installed = False


def _hook(event: str, args: tuple[object, ...]) -> None:
    if not _recorders or (event not in NETWORK_EVENTS and event != "open"):
        return
    for auditor, events in list(_recorders):
        found = auditor.violation(event, args)
        if found is not None:
            events.append(found)


@contextmanager
def recording(roots: Iterable[str | os.PathLike[str]] = ()) -> Iterator[list[str]]:
    """Collect violations (network, process starts, opens outside ``roots`` and the code) in this process."""
    global _installed
    with _lock:
        if not _installed:
            sys.addaudithook(_hook)
            _installed = True
    events: list[str] = []
    entry = (Auditor(roots), events)
    _recorders.append(entry)
    try:
        yield events
    finally:
        _recorders.remove(entry)


def install_from_env(roots: Iterable[str | os.PathLike[str]] = ()) -> bool:
    """In a worker: when OPENNESS_AUDIT_LOG is set, log every violation to it for the rest of the process."""
    target = os.environ.get(ENV)
    if not target:
        return False
    fd = os.open(target, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    auditor = Auditor(roots)
    pid = os.getpid()

    def hook(event: str, args: tuple[object, ...]) -> None:
        if event not in NETWORK_EVENTS and event != "open":
            return
        found = auditor.violation(event, args)
        if found is not None:
            os.write(fd, f"{pid} {found}\n".encode("utf-8", "replace"))

    sys.addaudithook(hook)
    os.write(fd, f"{pid} audit-installed\n".encode())
    return True
