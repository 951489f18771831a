"""Reproduce the hostile requests of issue 13 against a real ``openness serve`` and print the figures.

Starts ``openness serve --store bundled`` with a write token on 127.0.0.1, a canary TCP listener, and runs
each attack, printing: connections the canary saw, peak RSS of the server's process tree (server and
workers) under the worst queries, how long a new client (another loopback address, 127.0.0.2) waits for an
answer during each attack, and the store's statement count before and after the bad writes.

    python bench/hostile.py                  # every attack, bounded (a few minutes)
    python bench/hostile.py --slowloris 100 --runaway 6
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
import urllib.request
from contextlib import contextmanager, suppress
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from tests.test_security_hostile import Canary, spellings, update_spellings  # noqa: E402

TOKEN = "hostile-bench-token-0123456789"
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
MEMORY_BOMBS = {
    "cartesian ORDER BY": "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f } ORDER BY ?c ?f LIMIT 1",
    "59 nested OPTIONAL (depth-capped)": "SELECT * WHERE { ?s ?p ?o " + "OPTIONAL { ?s ?p ?o " * 59 + "}" * 59 + "}",
    "23 nested OPTIONAL": "SELECT * WHERE { ?a ?b ?c " + "".join(f"OPTIONAL {{ ?x{i} ?y{i} ?z{i} " for i in range(
        23)) + "}" * 23 + "}",
}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def request(url: str, *, data: bytes | None = None, headers: dict | None = None, source: str = "127.0.0.1",
            timeout: float = 120, method: str | None = None) -> tuple[int, bytes, float]:
    """(status, body, seconds) of one HTTP request from the loopback address ``source``."""
    parts = urllib.parse.urlsplit(url)
    started = time.monotonic()
    with socket.create_connection((parts.hostname, parts.port), timeout=timeout,
                                  source_address=(source, 0)) as sock:
        target = parts.path + (f"?{parts.query}" if parts.query else "")
        verb = method or ("POST" if data is not None else "GET")
        head = [f"{verb} {target} HTTP/1.1", f"Host: {parts.netloc}",
                "Connection: close"]
        head += [f"{k}: {v}" for k, v in (headers or {}).items()]
        if data is not None:
            head.append(f"Content-Length: {len(data)}")
        sock.sendall(("\r\n".join(head) + "\r\n\r\n").encode() + (data or b""))
        chunks = []
        while True:
            chunk = sock.recv(65536)
            if not chunk:
                break
            chunks.append(chunk)
    raw = b"".join(chunks)
    status = int(raw.split(b" ", 2)[1]) if raw.startswith(b"HTTP/") else 0
    return status, raw.split(b"\r\n\r\n", 1)[-1], time.monotonic() - started


def query(base: str, text: str, source: str = "127.0.0.1", timeout: float = 120) -> tuple[int, bytes, float]:
    return request(f"{base}/sparql?{urllib.parse.urlencode({'query': text})}", source=source, timeout=timeout,
                   headers={"Accept": "application/sparql-results+json"})


def update(base: str, text: str) -> tuple[int, bytes, float]:
    return request(f"{base}/update", data=text.encode(), headers={
        "Content-Type": "application/sparql-update", "Authorization": f"Bearer {TOKEN}"})


def statements(base: str) -> int:
    status, body, _ = query(base, COUNT, source="127.0.0.2")
    return int(json.loads(body)["results"]["bindings"][0]["n"]["value"]) if status == 200 else -status


def tree_rss(pid: int) -> int:
    """Resident bytes of ``pid`` and its children."""
    total = 0
    pids = [pid]
    while pids:
        current = pids.pop()
        try:
            for line in Path(f"/proc/{current}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1]) * 1024
            children = Path(f"/proc/{current}/task/{current}/children").read_text().split()
        except OSError:
            continue
        pids += [int(c) for c in children]
    return total


@contextmanager
def peak_rss(pid: int):
    """Yields a dict whose 'peak' is the highest tree RSS seen while the block runs (sampled every 50 ms)."""
    seen = {"peak": tree_rss(pid)}
    stop = threading.Event()

    def sample() -> None:
        while not stop.is_set():
            seen["peak"] = max(seen["peak"], tree_rss(pid))
            time.sleep(0.05)

    thread = threading.Thread(target=sample, daemon=True)
    thread.start()
    try:
        yield seen
    finally:
        stop.set()
        thread.join()


def new_client_wait(base: str) -> str:
    status, _, seconds = query(base, "ASK { ?s ?p ?o }", source="127.0.0.2", timeout=60)
    return f"{status} in {seconds:.2f} s"


@contextmanager
def serving(args: argparse.Namespace):
    port = free_port()
    env = {**os.environ, "OPENNESS_TOKEN": TOKEN}
    cmd = [sys.executable, "-m", "kg", "serve", "--store", "bundled", "--port", str(port),
           "--timeout", str(args.timeout), "--memory-limit", str(args.memory_limit), "--client-rate", "0"]
    proc = subprocess.Popen(cmd, cwd=REPO, env=env, stderr=subprocess.PIPE, text=True)
    line = proc.stderr.readline()  # type: ignore[union-attr]
    if "openness serve:" not in line:
        raise SystemExit(f"the server did not start: {line}")
    threading.Thread(target=lambda: proc.stderr.read(), daemon=True).start()  # type: ignore[union-attr]
    try:
        yield f"http://127.0.0.1:{port}", proc.pid
    finally:
        proc.terminate()
        proc.wait(30)


def attack_egress(base: str) -> None:
    canary = Canary()
    try:
        codes = [query(base, q)[0] for q in spellings(canary.port)]
        codes += [update(base, u)[0] for u in update_spellings(canary.port)]
        time.sleep(0.5)
        print(f"egress: {len(codes)} spellings, statuses {sorted(set(codes))}, canary connections "
              f"{canary.connections}")
    finally:
        canary.close()


def attack_memory(base: str, pid: int) -> None:
    for name, text in MEMORY_BOMBS.items():
        with peak_rss(pid) as rss:
            result: dict = {}
            worker = threading.Thread(target=lambda t=text, out=result: out.update(r=query(base, t)))
            worker.start()
            time.sleep(0.5)
            wait = new_client_wait(base)
            worker.join()
        status, body, seconds = result["r"]
        print(f"memory: {name}: {status} after {seconds:.1f} s ({body[:70]!r}); peak tree RSS "
              f"{rss['peak'] / (1 << 20):.0f} MiB; new client {wait}")


def attack_runaway(base: str, count: int) -> None:
    text = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
    statuses: list[int] = []
    threads = [threading.Thread(target=lambda: statuses.append(query(base, text)[0])) for _ in range(count)]
    for thread in threads:
        thread.start()
    time.sleep(1)
    wait = new_client_wait(base)
    for thread in threads:
        thread.join()
    print(f"runaway: {count} runaway queries from one client: statuses {sorted(statuses)}; new client {wait}")


def attack_nesting(base: str, count: int) -> None:
    nested = "SELECT * WHERE " + "{ " * 3000 + "?s ?p ?o " + "} " * 3000
    started = time.monotonic()
    codes = [request(f"{base}/sparql", data=nested.encode(), headers={
        "Content-Type": "application/sparql-query"})[0] for _ in range(count)]
    print(f"nesting: {count} deeply nested 12 KB queries in {time.monotonic() - started:.1f} s, statuses "
          f"{sorted(set(codes))}; new client {new_client_wait(base)}")


def attack_slowloris(base: str, sockets: int) -> None:
    parts = urllib.parse.urlsplit(base)
    held = []
    for i in range(sockets):
        sock = socket.create_connection((parts.hostname, parts.port), source_address=(f"127.0.1.{i % 50 + 1}", 0))
        sock.send(b"G")
        held.append(sock)
    stop = threading.Event()

    def drip() -> None:
        while not stop.is_set():
            for sock in held:
                with suppress(OSError):
                    sock.send(b"E")
            time.sleep(1)

    thread = threading.Thread(target=drip, daemon=True)
    thread.start()
    time.sleep(2)
    print(f"slowloris: {sockets} sockets sending a byte a second; new client {new_client_wait(base)}")
    time.sleep(18)
    alive = 0
    for sock in held:
        try:
            sock.send(b"E")
            sock.settimeout(0.01)
            alive += sock.recv(1) != b""
        except (TimeoutError, BlockingIOError):
            alive += 1
        except OSError:
            pass
    stop.set()
    for sock in held:
        sock.close()
    print(f"slowloris: after 20 s, {alive} of {sockets} slow sockets still open; new client {new_client_wait(base)}")


def attack_chunked(base: str, pid: int) -> None:
    parts = urllib.parse.urlsplit(base)
    with peak_rss(pid) as rss, socket.create_connection((parts.hostname, parts.port)) as sock:
        sock.sendall(b"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Type: application/sparql-query\r\n"
                     b"Transfer-Encoding: chunked\r\n\r\n")
        sent = 0
        try:
            for _ in range(64):
                sock.sendall(b"1" * (1 << 20))
                sent += 1 << 20
        except OSError:
            pass
    print(f"chunked: a chunk-size line that never ends: the server closed after {sent / (1 << 20):.0f} MiB; "
          f"peak tree RSS {rss['peak'] / (1 << 20):.0f} MiB; new client {new_client_wait(base)}")


def attack_writes(base: str) -> None:
    before = statements(base)
    bomb = ('<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaaaaaaaa">' + "".join(
        f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">' for i in range(8)) + ']>'
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:e="urn:e#">'
        '<rdf:Description rdf:about="urn:x"><e:p>&i;</e:p></rdf:Description></rdf:RDF>')
    results = {
        "entity bomb (GSP POST)": request(f"{base}/store?graph=urn:g", data=bomb.encode(), headers={
            "Content-Type": "application/rdf+xml", "Authorization": f"Bearer {TOKEN}"})[0],
        "runaway update": update(base, "INSERT { ?a <urn:q> ?f } WHERE { GRAPH ?x { ?a ?b ?c } "
                                 "GRAPH ?y { ?d ?e ?f } GRAPH ?z { ?g ?h ?i } }")[0],
        "DELETE of the ontology graph": request(
            f"{base}/store?graph={urllib.parse.quote('https://w3id.org/ai-openness/graph/ontology')}",
            data=b"", method="DELETE", headers={"Authorization": f"Bearer {TOKEN}"})[0],
        "JSON to /store": request(f"{base}/store?default", data=b'{"a":1}', headers={
            "Content-Type": "application/json", "Authorization": f"Bearer {TOKEN}"})[0],
    }
    after = statements(base)
    shown = ", ".join(f"{k} {v}" for k, v in results.items())
    print(f"writes: {shown}; statements before {before}, after {after}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--timeout", type=float, default=10.0, help="the server's --timeout (default 10)")
    parser.add_argument("--memory-limit", type=int, default=1024, help="the server's --memory-limit in MiB")
    parser.add_argument("--runaway", type=int, default=6, help="runaway queries at once (default 6)")
    parser.add_argument("--nesting", type=int, default=50, help="deeply nested queries (default 50)")
    parser.add_argument("--slowloris", type=int, default=100, help="slow sockets (default 100)")
    args = parser.parse_args(argv)
    with serving(args) as (base, pid):
        print(f"server {base} (pid {pid}), --timeout {args.timeout:g}, --memory-limit {args.memory_limit} MiB; "
              f"idle tree RSS {tree_rss(pid) / (1 << 20):.0f} MiB", flush=True)
        attack_egress(base)
        attack_memory(base, pid)
        attack_runaway(base, args.runaway)
        attack_nesting(base, args.nesting)
        attack_slowloris(base, args.slowloris)
        attack_chunked(base, pid)
        attack_writes(base)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
