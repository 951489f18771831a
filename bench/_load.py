"""A closed-loop HTTP load generator: N client processes, each one keep-alive connection, for a fixed time.

Clients are processes, not threads, so the generator is not held back by the GIL when the server under
test answers in tens of microseconds; each sends its next request as soon as the last one is answered.
Each speaks HTTP/1.1 over a raw socket: ``http.client`` costs about a millisecond per response in parsing,
which would make the native server look four times slower than it is.
"""

from __future__ import annotations

import http.client
import multiprocessing as mp
import random
import socket
import time
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlencode, urlsplit

#: Makes the query text for the n-th request of a client (given that client's random generator).
QueryMaker = Callable[[random.Random], str]


@dataclass
class CellResult:
    """What one (server, query) cell measured."""

    requests: int
    errors: int
    seconds: float
    latencies_ms: list[float]
    first_error: str | None = None

    @property
    def rate(self) -> float:
        """Successful requests per second."""
        return (self.requests - self.errors) / self.seconds if self.seconds else 0.0

    def percentile(self, p: float) -> float:
        """The p-th percentile latency in milliseconds (nearest rank), NaN when nothing was measured."""
        if not self.latencies_ms:
            return float("nan")
        ordered = sorted(self.latencies_ms)
        return ordered[min(len(ordered) - 1, max(0, round(p / 100 * len(ordered)) - 1))]


def get(url: str, query: str, accept: str, timeout: float = 120.0) -> tuple[int, bytes]:
    """One GET of a SPARQL query (for warm-up and cross-checks)."""
    parts = urlsplit(url)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=timeout)
    try:
        conn.request("GET", f"{parts.path}?{urlencode({'query': query})}", headers={"Accept": accept})
        resp = conn.getresponse()
        return resp.status, resp.read()
    finally:
        conn.close()


class RawClient:
    """A minimal keep-alive HTTP/1.1 client: GET, then read a Content-Length or chunked body."""

    def __init__(self, host: str, port: int, timeout: float = 120.0):
        self.address = (host, port)
        self.timeout = timeout
        self.sock: socket.socket | None = None
        self.buf = bytearray()
        self.error_body = b""  # the start of the last non-200 response's body, for the report

    def _connect(self) -> socket.socket:
        sock = socket.create_connection(self.address, timeout=self.timeout)
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.buf.clear()
        return sock

    def close(self) -> None:
        if self.sock is not None:
            self.sock.close()
            self.sock = None

    def _fill(self) -> None:
        assert self.sock is not None
        chunk = self.sock.recv(262144)
        if not chunk:
            raise ConnectionError("the server closed the connection")
        self.buf += chunk

    def _line(self) -> bytes:
        while (end := self.buf.find(b"\r\n")) < 0:
            self._fill()
        line = bytes(self.buf[:end])
        del self.buf[: end + 2]
        return line

    def _take(self, n: int, keep: bool = False) -> None:
        while len(self.buf) < n:
            self._fill()
        if keep:
            self.error_body = bytes(self.buf[: min(n, 200)])
        del self.buf[:n]

    def get(self, target: str, headers: str) -> int:
        """Send one GET and read the whole response; returns the status code."""
        if self.sock is None:
            self.sock = self._connect()
        self.sock.sendall(f"GET {target} HTTP/1.1\r\nHost: {self.address[0]}\r\n{headers}\r\n".encode())
        status = int(self._line().split(b" ", 2)[1])
        length, chunked, close = None, False, False
        while line := self._line():
            name, _, value = line.partition(b":")
            name = name.strip().lower()
            if name == b"content-length":
                length = int(value)
            elif name == b"transfer-encoding" and b"chunked" in value.lower():
                chunked = True
            elif name == b"connection" and b"close" in value.lower():
                close = True
        if chunked:
            while (size := int(self._line().split(b";")[0], 16)) > 0:
                self._take(size + 2, keep=status != 200)
            while self._line():  # trailers, then the empty line
                pass
        elif length is not None:
            self._take(length, keep=status != 200)
        else:
            close = True
            try:
                while True:
                    self._fill()
            except ConnectionError:
                pass
        if close:
            self.close()
        return status


def _client(url: str, make: QueryMaker, accept: str, seconds: float, seed: int, timeout: float, out: mp.Queue) -> None:
    parts = urlsplit(url)
    rng = random.Random(seed)
    client = RawClient(parts.hostname or "127.0.0.1", parts.port or 80, timeout)
    headers = f"Accept: {accept}\r\n"
    latencies: list[float] = []
    errors = 0
    first_error: str | None = None
    start = time.perf_counter()
    deadline = start + seconds
    while time.perf_counter() < deadline:
        target = f"{parts.path}?{urlencode({'query': make(rng)})}"
        t0 = time.perf_counter()
        try:
            status = client.get(target, headers)
            ok = status == 200
            if not ok and first_error is None:
                first_error = f"HTTP {status} {client.error_body.decode('utf-8', 'replace').strip()[:120]}"
        except (OSError, ValueError, IndexError) as exc:
            ok = False
            first_error = first_error or f"{type(exc).__name__}: {exc}"
            client.close()
        latencies.append((time.perf_counter() - t0) * 1000)
        errors += not ok
    client.close()
    out.put((len(latencies), errors, time.perf_counter() - start, latencies, first_error))


def run_cell(
    url: str, make: QueryMaker, accept: str, clients: int, seconds: float, timeout: float = 120.0
) -> CellResult:
    """Drive ``url`` with ``clients`` concurrent clients for ``seconds`` and gather what they measured."""
    ctx = mp.get_context("fork")
    out: mp.Queue = ctx.Queue()
    procs = [ctx.Process(target=_client, args=(url, make, accept, seconds, i, timeout, out)) for i in range(clients)]
    for p in procs:
        p.start()
    parts = [out.get() for _ in procs]
    for p in procs:
        p.join()
    latencies = [ms for part in parts for ms in part[3]]
    return CellResult(
        requests=sum(p[0] for p in parts),
        errors=sum(p[1] for p in parts),
        seconds=max(p[2] for p in parts),
        latencies_ms=latencies,
        first_error=next((p[4] for p in parts if p[4]), None),
    )
