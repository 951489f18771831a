"""Slow and half-open connections under ``openness serve``'s waitress (server.http): a request must arrive
whole within the request deadline, one address cannot take every connection, and a chunk-size line that
never ends closes its connection. Bounded here (a 1 s deadline, 20 sockets); bench/hostile.py runs 100
sockets against the defaults."""

from __future__ import annotations

import contextlib
import socket
import threading
import time
import urllib.request
from collections.abc import Iterator

import pytest

from server.http import make_server


def _app(environ, start_response):  # type: ignore[no-untyped-def]
    start_response("200 OK", [("Content-Type", "text/plain"), ("Content-Length", "2")])
    return [b"ok"]


@pytest.fixture()
def server() -> Iterator[tuple[str, int]]:
    srv = make_server(_app, host="127.0.0.1", port=0, threads=2, cleanup_interval=1, request_timeout=1.5,
                      client_connections=10)
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    yield "127.0.0.1", srv.effective_port
    srv.close()


def closed(sock: socket.socket) -> bool:
    sock.settimeout(0.5)
    try:
        return sock.recv(1) == b""
    except TimeoutError:
        return False
    except OSError:
        return True


def answered(host: str, port: int, source: str = "127.0.0.2") -> bool:
    with socket.create_connection((host, port), timeout=5, source_address=(source, 0)) as sock:
        sock.sendall(b"GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        return sock.recv(64).startswith(b"HTTP/1.1 200")


def test_a_request_that_dribbles_in_is_cut_at_the_deadline(server):
    host, port = server
    socks = []
    for i in range(20):
        sock = socket.create_connection((host, port), source_address=(f"127.0.3.{i + 1}", 0))
        sock.send(b"G")
        socks.append(sock)
    assert answered(host, port)  # new clients are served meanwhile
    for _ in range(4):
        time.sleep(1)
        for sock in socks:
            with contextlib.suppress(OSError):
                sock.send(b"E")
    assert all(closed(sock) for sock in socks)
    for sock in socks:
        sock.close()


def test_one_address_cannot_take_every_connection(server):
    host, port = server
    socks = [socket.create_connection((host, port), source_address=("127.0.4.1", 0)) for _ in range(15)]
    time.sleep(0.5)
    assert sum(closed(sock) for sock in socks) >= 5  # past the cap of 10, closed at once
    assert answered(host, port)
    for sock in socks:
        sock.close()


def test_a_chunk_size_line_that_never_ends_closes_the_connection(server):
    host, port = server
    with socket.create_connection((host, port)) as sock:
        sock.sendall(b"POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n")
        sent = 0
        with pytest.raises(OSError):
            for _ in range(256):
                sock.sendall(b"1" * 65536)
                sent += 65536
                time.sleep(0.005)
    assert sent < 8 << 20
    assert urllib.request.urlopen(f"http://{host}:{port}/", timeout=5).read() == b"ok"
