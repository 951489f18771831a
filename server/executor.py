"""Queries and updates in worker processes, so a timeout and a memory ceiling really stop the work.

pyoxigraph runs a query in Rust without checking for interruption, so a thread cannot be stopped; a process
can. Each worker (``python -m server.executor SNAPSHOT``) first walls itself in (server.sandbox: no network,
a memory ceiling), then opens a read-only snapshot of the store and answers one request at a time over a
pipe: it checks the operation with the guard (server.guard: a slow or pathological parse costs a worker,
not the server), runs it and sends back the serialised result (for an update, the quads it removed and
added). A request past its deadline gets its worker killed and replaced (503); a worker that runs out of
memory is replaced too (507). After a write the pool is refreshed: workers open the new snapshot, so
readers never see a half-done write. No Flask here.
"""

from __future__ import annotations

import contextlib
import json
import os
import queue
import signal
import subprocess
import sys
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass, fields
from multiprocessing.connection import Connection
from pathlib import Path

from kg.errors import QueryError
from server.worker_command import WORKER_COMMAND

#: The directory holding the ``kg`` and ``server`` packages, so workers import the same code.
_ROOT = str(Path(__file__).resolve().parents[1])
#: Environment of a worker: its memory ceiling in bytes, and the hosts SERVICE/LOAD may name (JSON).
MEMORY_ENV = "OPENNESS_WORKER_MEMORY"
HOSTS_ENV = "OPENNESS_ALLOWED_HOSTS"
#: Default memory ceiling of a worker.
DEFAULT_MEMORY = 1 << 30
#: Bytes of address space past which a worker retires after answering (default: halfway from a fresh
#: worker's size to the memory ceiling).
RETIRE_ENV = "OPENNESS_WORKER_RETIRE"
#: Guard verdicts a worker keeps (by text, base and dataset).
VERDICTS = 512


def open_statm() -> int | None:
    """/proc/self/statm, opened once (before the worker's audit hook: re-reading it opens no file)."""
    try:
        return os.open("/proc/self/statm", os.O_RDONLY)
    except OSError:
        return None


def address_space(statm: int | None) -> int:
    """This process's address space in bytes (what RLIMIT_AS counts); 0 where /proc is not there."""
    try:
        return int(os.pread(statm, 64, 0).split()[0]) * os.sysconf("SC_PAGE_SIZE") if statm is not None else 0
    except (OSError, ValueError, IndexError):
        return 0
#: Most statements one update may add or remove (its diff travels back to the server).
MAX_UPDATE_CHANGES = 1_000_000


@dataclass(frozen=True)
class QueryRequest:
    """What a worker needs to answer one query."""

    sparql: str
    default_graphs: tuple[str, ...] = ()
    named_graphs: tuple[str, ...] = ()
    accept: str | None = None
    format: str | tuple[str, ...] | None = None
    row_limit: int = 10_000
    #: the base IRI relative IRIs resolve against (the endpoint's URL)
    base_iri: str | None = None


@dataclass(frozen=True)
class UpdateRequest:
    """What a worker needs to run one update: the text the client sent (checked) and the text to run (the
    same, or with the protocol's USING clauses written in), both with escapes decoded."""

    checked: str
    sparql: str
    base_iri: str | None = None
    #: the protocol's using-graph-uri / using-named-graph-uri
    dataset: tuple[str, ...] = ()


#: Each request's fields in order (what a worker's Request(*fields) takes back).
_FIELDS = {"query": tuple(f.name for f in fields(QueryRequest)), "update": tuple(f.name for f in fields(UpdateRequest))}


class PoolBusyError(QueryError):
    """Every worker stayed busy for as long as a query may run (HTTP 503)."""


class WorkerMemoryError(QueryError):
    """A worker reached its memory ceiling and was replaced (HTTP 507)."""


class WorkerDiedError(QueryError):
    """A worker died while answering, for a reason other than memory (HTTP 500)."""

    status = 500


# ---------------------------------------------------------------------------------------------------------
# Inside a worker


class _WorkerState:
    """A worker's store, guard settings and the verdicts it already reached."""

    def __init__(self, path: str):
        import pyoxigraph as ox

        self.store = ox.Store.read_only(path)
        self.allowed_hosts = tuple(json.loads(os.environ.get(HOSTS_ENV) or "[]"))
        self._graphs: frozenset[str] | None = None
        self._verdicts: OrderedDict[tuple, object] = OrderedDict()

    def graphs(self) -> frozenset[str]:
        if self._graphs is None:
            self._graphs = frozenset(g.value for g in self.store.named_graphs() if hasattr(g, "value"))
        return self._graphs

    def check(self, sparql: str, kind: str, base: str | None, dataset: tuple[str, ...]):  # type: ignore[no-untyped-def]
        from server import guard

        key = (kind, sparql, base, dataset)
        verdict = self._verdicts.get(key)
        if verdict is None:
            verdict = guard.check(sparql, kind=kind, allowed_hosts=self.allowed_hosts, local_graphs=self.graphs,
                                  dataset_iris=dataset, base=base)
            self._verdicts[key] = verdict
            if len(self._verdicts) > VERDICTS:
                self._verdicts.popitem(last=False)
        return verdict

    def query(self, request: QueryRequest) -> tuple:
        from kg.store import engine_errors, run_local_query
        from server.results import render

        verdict = self.check(request.sparql, "query", request.base_iri,
                             (*request.default_graphs, *request.named_graphs))
        union = not (request.default_graphs or request.named_graphs) and not verdict.has_dataset
        with engine_errors():  # results are lazy: rendering them raises the engine's errors too
            result = run_local_query(self.store, request.sparql, request.default_graphs, request.named_graphs,
                                     base_iri=request.base_iri, union=union)
            answer = render(result, request.accept, request.format, request.row_limit)
        return answer.media_type, answer.body, answer.truncated, answer.rows

    def update(self, request: UpdateRequest) -> tuple[bytes, bytes]:
        """The N-Quads of the statements the update removes and adds (nothing is written here)."""
        import pyoxigraph as ox

        from kg.store import run_local_update

        self.check(request.checked, "update", request.base_iri, request.dataset)
        before = set(self.store)
        copy = ox.Store()
        copy.extend(before)  # not bulk_extend: its loader reserves 200 MB up front, past a small memory ceiling
        run_local_update(copy, request.sparql, request.base_iri)
        after = set(copy)
        removed, added = before - after, after - before
        if len(removed) + len(added) > MAX_UPDATE_CHANGES:
            raise QueryError(f"the update changes more than {MAX_UPDATE_CHANGES} statements; split it")
        return (ox.serialize(removed, format=ox.RdfFormat.N_QUADS) or b"",
                ox.serialize(added, format=ox.RdfFormat.N_QUADS) or b"")


def _worker_main(path: str) -> None:
    """Loop of a worker process: wall itself in, open the snapshot, answer requests until stdin closes."""
    from server.sandbox import enter_network_sandbox, limit_memory

    sandbox = enter_network_sandbox()  # first: nothing below may reach the network
    requests, results = Connection(os.dup(0), writable=False), Connection(os.dup(1), readable=False)
    devnull = os.open(os.devnull, os.O_RDWR)  # nothing else may write to the result pipe
    os.dup2(devnull, 0)
    os.dup2(2, 1)
    sys.setrecursionlimit(4000)  # the guard's parser recurses per nesting level (capped by server.limits)

    from kg.errors import QueryError as _QueryError
    from server.audit import install_from_env

    state = _WorkerState(path)
    import rdflib.plugins.sparql.parser  # noqa: F401 - loaded before the ceiling and before the first request

    limit = int(os.environ.get(MEMORY_ENV) or DEFAULT_MEMORY)
    limit_memory(limit)
    # A worker's heap stays as large as its largest query left it (freed memory is seldom given back), so
    # after many queries the next one could meet the ceiling with little of its own. Past half the room the
    # ceiling leaves above a fresh worker, the worker answers and retires; the pool starts another.
    statm = open_statm()
    start = address_space(statm)
    retire_at = int(os.environ.get(RETIRE_ENV) or 0) or (start + (limit - start) // 2 if limit and start else None)
    install_from_env([path])  # tests (and wary operators) log any socket or file access from here on
    reply: tuple = ("ready", sandbox)
    while True:
        try:
            results.send(reply)
            kind, payload = requests.recv()
        except (EOFError, OSError):  # the server closed the pipes (or is gone): stop quietly
            return
        try:
            if kind == "query":
                reply = ("ok", state.query(QueryRequest(*payload)))
            else:
                reply = ("ok", state.update(UpdateRequest(*payload)))
        except MemoryError:
            with contextlib.suppress(OSError):
                results.send(("error", ("WorkerMemoryError", "")))
            os._exit(3)  # a worker that ran out of memory is not trusted with the next request
        except _QueryError as exc:
            reply = ("error", (type(exc).__name__, str(exc)))
        except Exception as exc:  # noqa: BLE001 - a worker answers every request; a dead one costs a restart
            reply = ("error", ("QueryError", f"query failed: {type(exc).__name__}"))
        if retire_at is not None and address_space(statm) > retire_at:
            reply = (*reply, "retire")


# ---------------------------------------------------------------------------------------------------------
# The server's side


class _Worker:
    """One worker process and the two ends of its pipes."""

    def __init__(self, path: str, generation: int, env: dict[str, str]):
        self.generation = generation
        self.path = path
        self.process = subprocess.Popen(
            [*WORKER_COMMAND, path],  # in a session of its own: Ctrl-C in the terminal reaches the server only
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=env, close_fds=True, start_new_session=True,
        )
        assert self.process.stdin is not None and self.process.stdout is not None
        # own duplicates of the pipe ends, so this object alone decides when they close
        self._requests: Connection | None = Connection(os.dup(self.process.stdin.fileno()), readable=False)
        self._results: Connection | None = Connection(os.dup(self.process.stdout.fileno()), writable=False)
        self.process.stdin.close()
        self.process.stdout.close()
        self.ready = False
        self.sandbox: str | None = None

    def send(self, kind: str, request: QueryRequest | UpdateRequest) -> None:
        if self._requests is None:
            raise OSError("the worker was stopped")
        self._requests.send((kind, tuple(getattr(request, name) for name in _FIELDS[kind])))

    def poll(self, timeout: float) -> bool:
        """Whether an answer (or the end of the pipe) is there within ``timeout`` seconds."""
        return self._results is not None and self._results.poll(max(0.0, timeout))

    def recv(self):  # type: ignore[no-untyped-def]
        if self._results is None:
            raise EOFError("the worker was stopped")
        return self._results.recv()

    def wait_ready(self, timeout: float) -> bool:
        if not self.ready and self.poll(timeout):
            status, info = self.recv()
            self.ready = status == "ready"
            self.sandbox = info if self.ready else None
        return self.ready

    def died_of_memory(self) -> bool:
        """Whether the (dead) worker ran out of memory: an abort (Rust's allocation failure), a MemoryError
        exit, or the kernel's out-of-memory kill."""
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.process.wait(2)
        return self.process.returncode in (-signal.SIGABRT, 3, -signal.SIGKILL, -signal.SIGSEGV)

    def kill(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait(5)
        for conn in (self._requests, self._results):
            if conn is not None:
                conn.close()
        self._requests = self._results = None


class QueryPool:
    """A fixed number of worker processes over a store snapshot at ``path``."""

    def __init__(self, path: str | Path, size: int | None = None, timeout: float = 30.0,
                 memory_limit: int | None = DEFAULT_MEMORY, allowed_hosts: tuple[str, ...] = ()):
        # one more than the CPUs: a client at its concurrency cap (2) never holds every worker on 2 CPUs
        self.size = max(1, size or (os.cpu_count() or 1) + 1)
        self.timeout = timeout
        self.memory_limit = memory_limit
        self._env = dict(os.environ)
        self._env["PYTHONPATH"] = os.pathsep.join(p for p in (_ROOT, self._env.get("PYTHONPATH")) if p)
        self._env[MEMORY_ENV] = str(memory_limit or 0)
        self._env[HOSTS_ENV] = json.dumps(list(allowed_hosts))
        self._path = str(path)
        self._generation = 0
        self._lock = threading.Lock()
        self._idle: queue.LifoQueue[_Worker] = queue.LifoQueue()
        self._live: set[_Worker] = set()
        self._closed = False
        self.kills = 0
        self.retired = 0  # workers replaced after answering because their memory had grown (see _worker_main)
        self._starting = 0  # replacements started but not yet idle
        for _ in range(self.size):
            self._idle.put(self._start())

    def _start(self) -> _Worker:
        worker = _Worker(self._path, self._generation, self._env)
        self._live.add(worker)
        return worker

    @property
    def path(self) -> str:
        """The snapshot directory the current generation of workers reads."""
        return self._path

    @property
    def generation(self) -> int:
        """Incremented by every refresh (each write)."""
        return self._generation

    def paths_in_use(self) -> set[str]:
        """Snapshot directories some live worker still reads."""
        with self._lock:
            return {w.path for w in self._live} | {self._path}

    def sandbox(self) -> str | None:
        """What the last ready worker said about its network sandbox."""
        return next((w.sandbox for w in list(self._live) if w.sandbox), None)

    def run(self, request: QueryRequest, timeout: float | None = None):  # type: ignore[no-untyped-def]
        """Answer a query in a worker; on timeout the worker is killed and QueryTimeoutError raised."""
        from server.results import Answer

        media_type, body, truncated, rows = self._call("query", request, timeout)
        return Answer(media_type, body, truncated=truncated, rows=rows)

    def run_update(self, request: UpdateRequest, timeout: float | None = None) -> tuple[bytes, bytes]:
        """The N-Quads an update removes and adds, computed in a worker under the timeout."""
        return self._call("update", request, timeout)

    def _take(self, limit: float) -> _Worker:
        try:
            return self._idle.get(timeout=limit)
        except queue.Empty:
            pass
        if self._starting:  # a replacement is on its way: its start-up is not the request's
            with contextlib.suppress(queue.Empty):
                return self._idle.get(timeout=60)
        raise PoolBusyError(f"all {self.size} query workers are busy; try again later")

    def _call(self, kind: str, request: QueryRequest | UpdateRequest, timeout: float | None):  # type: ignore[no-untyped-def]
        from kg.store import QueryTimeoutError

        limit = self.timeout if timeout is None else timeout
        what = "query" if kind == "query" else "update"
        worker: _Worker | None = self._take(limit)
        try:
            assert worker is not None
            if not worker.wait_ready(60):
                self._replace(worker)
                worker = None
                raise QueryError("a query worker failed to start")
            deadline = time.monotonic() + limit  # a worker's start-up does not count against the request
            worker.send(kind, request)
            if not worker.poll(max(0.0, deadline - time.monotonic())):
                self._replace(worker)
                worker = None
                raise QueryTimeoutError(f"the {what} ran longer than {limit:g} s and was stopped"
                                        + ("; nothing was changed" if kind == "update" else ""))
            status, payload, *retiring = worker.recv()
            if retiring:
                self.retired += 1
                self._replace(worker, kill=False)
                worker = None
        except (EOFError, OSError):
            dead, worker = worker, None
            memory = dead is not None and dead.died_of_memory()
            if dead is not None:
                self._replace(dead)
            raise self._death(what, memory) from None
        finally:
            if worker is not None:
                self._release(worker)
        if status == "ok":
            return payload
        name, message = payload
        if name == "WorkerMemoryError":
            raise self._death(what, True)
        if name == "NotAcceptableError":
            from server.results import NotAcceptableError

            raise NotAcceptableError(message)
        if name in ("ForbiddenQueryError", "QueryLimitError"):
            from server.guard import ForbiddenQueryError

            raise ForbiddenQueryError(message)
        raise QueryError(message)

    def _death(self, what: str, memory: bool) -> QueryError:
        if memory:
            limit = f"{self.memory_limit / (1 << 20):.0f} MiB" if self.memory_limit else "the machine's memory"
            return WorkerMemoryError(f"the {what} needed more memory than the {limit} one {what} may use and "
                                     "was stopped; simplify it (a LIMIT, fewer unbound patterns)")
        return WorkerDiedError(f"the worker running the {what} died; the server log may say why")

    def _release(self, worker: _Worker) -> None:
        with self._lock:
            if worker.generation != self._generation or self._closed:
                self._stop(worker)
                if self._closed:
                    return
                worker = self._start()
            self._idle.put(worker)

    def _stop(self, worker: _Worker) -> None:
        worker.kill()
        self._live.discard(worker)

    def _replace(self, worker: _Worker, kill: bool = True) -> None:
        """Kill ``worker``; its replacement joins the idle workers once started, so until then the next
        request goes to a worker that is ready rather than waiting for a start-up (about a second)."""
        self.kills += kill
        with self._lock:
            self._stop(worker)
            if self._closed:
                return
            fresh = self._start()
            self._starting += 1
        threading.Thread(target=self._admit_when_ready, args=(fresh,), daemon=True).start()

    def _admit_when_ready(self, worker: _Worker) -> None:
        with contextlib.suppress(EOFError, OSError):  # one that failed to start is replaced when taken
            worker.wait_ready(60)
        with self._lock:
            self._starting -= 1
            if self._closed:
                self._stop(worker)
                return
        self._release(worker)

    def refresh(self, path: str | Path | None = None) -> None:
        """Make every worker open the snapshot at ``path`` (if given): idle ones now, busy ones when done."""
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
                self._stop(worker)
                self._idle.put(self._start())

    def close(self) -> None:
        """Stop every idle worker; busy ones stop when they finish."""
        with self._lock:
            self._closed = True
            while True:
                try:
                    self._stop(self._idle.get_nowait())
                except queue.Empty:
                    break


def worker(path: str) -> None:
    """A worker process's entry point (``WORKER_COMMAND``): the server stops its workers by closing their
    pipes, so an interrupt meant for the server (Ctrl-C) is ignored here."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _worker_main(path)


if __name__ == "__main__":
    worker(sys.argv[1])
