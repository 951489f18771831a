"""Queries in worker processes, so a timeout really stops the work.

pyoxigraph runs a query in Rust without checking for interruption, so a thread cannot be stopped; a process
can. Each worker opens a read-only snapshot of the store (an on-disk store directly; an in-memory store
through a snapshot the pool writes to a temporary directory) and answers one query at a time over a pipe
with the serialised result (requests and answers travel as plain tuples, which pickle fastest, in the
length-prefixed messages of server.pipes). A query past its deadline gets its worker killed and replaced.
After a write the pool is refreshed: workers reopen the store, so readers never see a half-done write.

No Flask here.
"""

from __future__ import annotations

import contextlib
import math
import os
import queue
import select
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, fields
from pathlib import Path

from kg.errors import QueryError
from server import pipes

#: The directory holding the ``kg`` and ``server`` packages, so workers import the same code.
_ROOT = str(Path(__file__).resolve().parents[1])


@dataclass(frozen=True)
class QueryRequest:
    """What a worker needs to answer one request."""

    sparql: str
    default_graphs: tuple[str, ...] = ()
    named_graphs: tuple[str, ...] = ()
    accept: str | None = None
    format: str | None = None
    row_limit: int = 10_000
    #: the base IRI relative IRIs resolve against (the endpoint's URL)
    base_iri: str | None = None
    #: whether the default graph is the union of all graphs (no dataset named by protocol or FROM);
    #: None: the worker looks at the query text
    union: bool | None = None

    def with_union(self, union: bool) -> QueryRequest:
        """This request with ``union`` decided (dataclasses.replace costs several times more, per query)."""
        copy = object.__new__(QueryRequest)
        copy.__dict__.update(self.__dict__)
        object.__setattr__(copy, "union", union)  # frozen: the one field set here, on the new copy
        return copy


#: QueryRequest's fields in order (what a worker's QueryRequest(*fields) takes back).
_FIELDS = tuple(f.name for f in fields(QueryRequest))


class PoolBusyError(QueryError):
    """Every worker stayed busy for as long as a query may run (HTTP 503)."""


class WorkerMemoryError(QueryError):
    """A worker reached its memory ceiling and was replaced (HTTP 507)."""


def _worker_main(path: str) -> None:
    """Loop of a worker process: open the snapshot, answer requests on stdin/stdout until stdin closes."""
    import pyoxigraph as ox

    requests, results = os.dup(0), os.dup(1)
    # nothing else may write to the result pipe
    devnull = os.open(os.devnull, os.O_RDWR)
    os.dup2(devnull, 0)
    os.dup2(2, 1)

    from kg.errors import QueryError as _QueryError
    from kg.store import engine_errors, run_local_query
    from server.results import render

    store = ox.Store.read_only(path)
    from server.audit import install_from_env

    install_from_env([path])  # tests (and wary operators) log any socket or file access from here on
    reply: tuple = ("ready", None)
    while True:
        try:
            pipes.send(results, reply)
            request = QueryRequest(*pipes.recv(requests))
        except (EOFError, OSError):  # the server closed the pipes (or is gone): stop quietly
            return
        try:
            started = time.perf_counter()
            with engine_errors():  # results are lazy: rendering them raises the engine's errors too
                result = run_local_query(store, request.sparql, request.default_graphs, request.named_graphs,
                                         base_iri=request.base_iri, union=request.union)
                answer = render(result, request.accept, request.format, request.row_limit)
            seconds = time.perf_counter() - started
            reply = ("ok", (answer.media_type, answer.body, answer.truncated, answer.rows, seconds))
        except _QueryError as exc:
            reply = ("error", (type(exc).__name__, str(exc)))
        except Exception as exc:  # noqa: BLE001 - a worker answers every request; a dead one costs a restart
            reply = ("error", ("QueryError", f"query failed: {type(exc).__name__}"))


class _Worker:
    """One worker process (``python -m server.executor PATH``) and the two ends of its pipes."""

    def __init__(self, path: str, generation: int):
        self.generation = generation
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join(p for p in (_ROOT, env.get("PYTHONPATH")) if p)
        self.process = subprocess.Popen(
            [sys.executable, "-m", "server.executor", path],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=env, close_fds=True,
        )
        assert self.process.stdin is not None and self.process.stdout is not None
        # own duplicates of the pipe ends, so this object alone decides when they close
        self._requests: int | None = os.dup(self.process.stdin.fileno())
        self._results: int | None = os.dup(self.process.stdout.fileno())
        self.process.stdin.close()
        self.process.stdout.close()
        self.ready = False
        # one poll object per worker: multiprocessing's wait() builds a selector on every call
        self._poller = select.poll()
        self._poller.register(self._results, select.POLLIN | select.POLLERR | select.POLLHUP)

    def send(self, request: QueryRequest) -> None:
        if self._requests is None:
            raise OSError("the worker was stopped")
        # a plain tuple pickles several times faster than the dataclass (and astuple deep-copies)
        pipes.send(self._requests, tuple(getattr(request, name) for name in _FIELDS))

    def poll(self, timeout: float) -> bool:
        """Whether an answer (or the end of the pipe) is there within ``timeout`` seconds."""
        return bool(self._poller.poll(max(0, math.ceil(timeout * 1000))))

    def recv(self):  # type: ignore[no-untyped-def]
        if self._results is None:
            raise EOFError("the worker was stopped")
        return pipes.recv(self._results)

    def wait_ready(self, timeout: float) -> bool:
        if not self.ready and self.poll(timeout):
            status, _ = self.recv()
            self.ready = status == "ready"
        return self.ready

    def kill(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait(5)
        for fd in (self._requests, self._results):
            if fd is not None:
                os.close(fd)
        self._requests = self._results = None


class QueryPool:
    """A fixed number of worker processes over a store snapshot at ``path``."""

    def __init__(self, path: str | Path, size: int | None = None, timeout: float = 30.0):
        self.size = max(1, size or os.cpu_count() or 1)
        self.timeout = timeout
        self._path = str(path)
        self._generation = 0
        self._lock = threading.Lock()
        self._idle: queue.LifoQueue[_Worker] = queue.LifoQueue()
        self._closed = False
        self.kills = 0
        self._starting = 0  # replacements started but not yet idle
        for _ in range(self.size):
            self._idle.put(_Worker(self._path, self._generation))

    @property
    def path(self) -> str:
        """The snapshot directory the current generation of workers reads."""
        return self._path

    @property
    def generation(self) -> int:
        """Incremented by every refresh (each write)."""
        return self._generation

    def run(self, request: QueryRequest, timeout: float | None = None):
        """Answer ``request`` in a worker; on timeout the worker is killed and QueryTimeoutError raised."""
        from kg.store import QueryTimeoutError

        limit = self.timeout if timeout is None else timeout
        deadline = time.monotonic() + limit
        try:
            worker = self._idle.get(timeout=limit)
        except queue.Empty:
            worker = None
        if worker is None and self._starting:  # a replacement is on its way: its start-up is not the query's
            try:
                worker = self._idle.get(timeout=60)
            except queue.Empty:
                worker = None
        if worker is None:
            raise PoolBusyError(f"all {self.size} query workers are busy; try again later") from None
        try:
            if not worker.wait_ready(60):
                self._replace(worker)
                worker = None
                raise QueryError("a query worker failed to start")
            deadline = time.monotonic() + limit  # a worker's start-up does not count against the query
            worker.send(request)
            if not worker.poll(max(0.0, deadline - time.monotonic())):
                self._replace(worker)
                worker = None
                raise QueryTimeoutError(f"the query ran longer than {limit:g} s and was stopped")
            status, payload = worker.recv()
        except (EOFError, OSError, BrokenPipeError):
            if worker is not None:
                self._replace(worker)
                worker = None
            raise QueryError("the query worker died while answering (out of memory?)") from None
        finally:
            if worker is not None:
                self._release(worker)
        if status == "ok":
            from server.results import Answer

            media_type, body, truncated, rows, seconds = payload
            return Answer(media_type, body, truncated=truncated, rows=rows, seconds=seconds)
        name, message = payload
        if name == "NotAcceptableError":
            from server.results import NotAcceptableError

            raise NotAcceptableError(message)
        raise QueryError(message)

    def _release(self, worker: _Worker) -> None:
        with self._lock:
            if worker.generation != self._generation or self._closed:
                worker.kill()
                if self._closed:
                    return
                worker = _Worker(self._path, self._generation)
            self._idle.put(worker)

    def _replace(self, worker: _Worker) -> None:
        """Kill ``worker``; its replacement joins the idle workers once started, so until then the next
        query goes to a worker that is ready rather than waiting for a start-up (about a second)."""
        self.kills += 1
        worker.kill()
        with self._lock:
            if self._closed:
                return
            fresh = _Worker(self._path, self._generation)
            self._starting += 1
        threading.Thread(target=self._admit_when_ready, args=(fresh,), daemon=True).start()

    def _admit_when_ready(self, worker: _Worker) -> None:
        with contextlib.suppress(EOFError, OSError):  # one that failed to start is replaced when taken
            worker.wait_ready(60)
        with self._lock:
            self._starting -= 1
            if self._closed:
                worker.kill()
                return
        self._release(worker)

    def refresh(self, path: str | Path | None = None) -> None:
        """Make every worker reopen the store (at ``path`` if given): idle ones now, busy ones when done."""
        with self._lock:
            self._generation += 1
            if path is not None:
                self._path = str(path)
            stale: list[_Worker] = []
            while True:
                try:
                    stale.append(self._idle.get_nowait())
                except queue.Empty:
                    break
            for worker in stale:
                worker.kill()
                self._idle.put(_Worker(self._path, self._generation))

    def close(self) -> None:
        """Stop every idle worker; busy ones stop when they finish."""
        with self._lock:
            self._closed = True
            while True:
                try:
                    self._idle.get_nowait().kill()
                except queue.Empty:
                    break


class Snapshot:
    """On-disk copies of an in-memory store for the workers; old copies are removed once replaced."""

    def __init__(self) -> None:
        self._root = Path(tempfile.mkdtemp(prefix="openness-snapshot-"))
        self._count = 0
        self.current: Path | None = None
        self._previous: Path | None = None

    def write(self, quads: list) -> Path:
        """Write ``quads`` to a new snapshot directory and return it."""
        import pyoxigraph as ox

        self._count += 1
        path = self._root / f"g{self._count}"
        store = ox.Store(str(path))
        store.bulk_extend(quads)
        store.flush()
        del store
        # busy workers of the previous generation may still read it: remove only the one before
        if self._previous is not None:
            shutil.rmtree(self._previous, ignore_errors=True)
        self._previous, self.current = self.current, path
        return path

    def close(self) -> None:
        shutil.rmtree(self._root, ignore_errors=True)


if __name__ == "__main__":
    _worker_main(sys.argv[1])
