"""Load test of ``openness serve``: N concurrent keep-alive clients for a fixed time, mixed cheap requests.

Each client is a process (bench/_load.py's raw HTTP/1.1 client) sending its next request as soon as the
last is answered: a query by category, one model's triples, an ASK, the VoID page or a model's RDF, picked
at random. Counted apart: socket errors (connect/reset/short read), 5xx, 429 (admission control) and other
statuses; latencies over all requests, p50/p90/p99/max. Exit 1 on any socket error or 5xx.

    python bench/load.py                          # starts openness serve (bundled KG): 32 clients, 60 s
    python bench/load.py --clients 8 --duration 5 # a quick run
    python bench/load.py --url http://127.0.0.1:8080 # an already running server
    python bench/load.py --serve-arg=--client-rate=5   # see the per-client budget answer 429

The server started here runs with ``--client-rate 0``, ``--client-concurrent 0`` (every client here comes from
127.0.0.1) and ``--max-concurrent 8`` unless --serve-arg says
otherwise: every client comes from 127.0.0.1, so a per-client budget would ration the whole test.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import os
import random
import re
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlencode, urlsplit

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bench._load import RawClient, get  # noqa: E402

AIO = "https://w3id.org/ai-openness/ontology#"
BY_CATEGORY = f"""PREFIX aio: <{AIO}>
SELECT ?c (COUNT(?m) AS ?n) WHERE {{ VALUES ?c {{ aio:OpenWeightModel aio:OpenSourceModel aio:ClosedSourceModel }}
  ?m a ?c }} GROUP BY ?c"""
MODELS = f"SELECT ?m WHERE {{ ?m a <{AIO}Model> }} ORDER BY ?m LIMIT 200"
ACCEPT = "Accept: application/sparql-results+json\r\n"


def targets(models: list[str]) -> list[tuple[str, str]]:
    """The request mix: (path with query string, headers)."""
    mix = [
        ("/sparql?" + urlencode({"query": BY_CATEGORY}), ACCEPT),
        ("/sparql?" + urlencode({"query": "ASK { ?s a ?c }"}), ACCEPT),
        ("/.well-known/void", "Accept: text/turtle\r\n"),
    ]
    for m in models[:50]:
        mix.append(("/sparql?" + urlencode({"query": f"SELECT ?p ?o WHERE {{ <{m}> ?p ?o }}"}), ACCEPT))
        slug = m.rsplit("/", 1)[-1]
        if re.fullmatch(r"[a-z0-9._-]+", slug):
            mix.append((f"/model/{slug}", "Accept: text/turtle\r\n"))
    return mix


def _client(url: str, mix: list[tuple[str, str]], seconds: float, seed: int, out: mp.Queue) -> None:
    parts = urlsplit(url)
    rng = random.Random(seed)
    client = RawClient(parts.hostname or "127.0.0.1", parts.port or 80, timeout=60)
    statuses: Counter[str] = Counter()
    latencies: list[float] = []
    first_error = None
    deadline = time.perf_counter() + seconds
    while time.perf_counter() < deadline:
        path, headers = rng.choice(mix)
        t0 = time.perf_counter()
        try:
            statuses[str(client.get(path, headers))] += 1
        except (OSError, ValueError, IndexError) as exc:
            statuses["socket-error"] += 1
            first_error = first_error or f"{type(exc).__name__}: {exc}"
            client.close()
        latencies.append((time.perf_counter() - t0) * 1000)
    client.close()
    out.put((statuses, latencies, first_error))


def percentile(ordered: list[float], p: float) -> float:
    if not ordered:
        return float("nan")
    return ordered[min(len(ordered) - 1, max(0, round(p / 100 * len(ordered)) - 1))]


def run(url: str, clients: int, seconds: float) -> dict[str, object]:
    """Drive ``url`` and return the summary (requests, statuses, socket errors, 5xx, 429, percentiles)."""
    status, body = get(url + "/sparql", MODELS, "application/sparql-results+json")
    if status != 200:
        raise SystemExit(f"the server does not answer queries: HTTP {status}")
    models = [row["m"]["value"] for row in json.loads(body)["results"]["bindings"]]
    mix = targets(models)
    ctx = mp.get_context("fork")
    out: mp.Queue = ctx.Queue()
    procs = [ctx.Process(target=_client, args=(url, mix, seconds, i, out)) for i in range(clients)]
    started = time.perf_counter()
    for p in procs:
        p.start()
    parts = [out.get() for _ in procs]
    for p in procs:
        p.join()
    elapsed = time.perf_counter() - started
    statuses: Counter[str] = Counter()
    for part in parts:
        statuses.update(part[0])
    ordered = sorted(ms for part in parts for ms in part[1])
    requests = sum(statuses.values())
    return {
        "clients": clients,
        "seconds": round(elapsed, 1),
        "requests": requests,
        "rate_per_s": round(requests / elapsed, 1),
        "statuses": dict(sorted(statuses.items())),
        "socket_errors": statuses.get("socket-error", 0),
        "server_errors_5xx": sum(n for s, n in statuses.items() if s.startswith("5")),
        "refused_429": statuses.get("429", 0),
        "p50_ms": round(percentile(ordered, 50), 1),
        "p90_ms": round(percentile(ordered, 90), 1),
        "p99_ms": round(percentile(ordered, 99), 1),
        "max_ms": round(ordered[-1], 1) if ordered else None,
        "first_error": next((p[2] for p in parts if p[2]), None),
    }


@contextmanager
def serving(extra: list[str]) -> Iterator[str]:
    """``openness serve`` on a free loopback port for the duration of the block."""
    args = ["--client-rate", "0", "--client-concurrent", "0", "--max-concurrent", "8"]
    args = [*args, *extra]
    env = dict(os.environ, PYTHONPATH=str(REPO))
    process = subprocess.Popen([sys.executable, "-m", "kg", "serve", "--port", "0", *args],
                               stderr=subprocess.PIPE, text=True, env=env, cwd=REPO)
    try:
        deadline = time.monotonic() + 180
        url = None
        while url is None and time.monotonic() < deadline:
            line = process.stderr.readline()  # type: ignore[union-attr]
            if not line and process.poll() is not None:
                raise SystemExit(f"openness serve exited with {process.returncode}")
            match = re.search(r"(http://127\.0\.0\.1:\d+)/", line)
            url = match.group(1) if match else None
        if url is None:
            raise SystemExit("openness serve did not start")
        # keep reading its log (waitress warns of queue depth under load): a full pipe would block the server
        threading.Thread(target=process.stderr.read, daemon=True).start()  # type: ignore[union-attr]
        yield url
    finally:
        process.terminate()
        try:
            process.wait(30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(30)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", help="an already running server (default: start openness serve)")
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--duration", type=float, default=60.0, help="seconds")
    parser.add_argument("--serve-arg", action="append", default=[], metavar="ARG",
                        help="an argument for the openness serve started here (repeatable)")
    args = parser.parse_args(argv)
    if args.url:
        summary = run(args.url.rstrip("/"), args.clients, args.duration)
    else:
        with serving([a for arg in args.serve_arg for a in arg.split("=", 1)]) as url:
            summary = run(url, args.clients, args.duration)
    print(json.dumps(summary, indent=2))
    return 1 if summary["socket_errors"] or summary["server_errors_5xx"] else 0


if __name__ == "__main__":
    sys.exit(main())
