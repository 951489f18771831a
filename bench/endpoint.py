"""Benchmark the SPARQL endpoint against its ceiling and a Python peer on the same 10,000-model dataset.

Servers, each a real process on 127.0.0.1 with the dataset on disk or loaded at start:

- ``openness``: ``openness serve --store DIR --client-rate 0`` (waitress; queries in worker processes, the
  default; the per-client rate limit off, since every benchmark client comes from 127.0.0.1);
- ``oxigraph``: ``oxigraph serve --location DIR --union-default-graph`` (the native engine: our ceiling);
- ``rdflib-endpoint``: ``rdflib-endpoint serve FILE`` (FastAPI and rdflib: a Python peer).

The dataset is generated as plain records (docs/records.md), turned into RDF by kg.records, loaded with
the ontology and reasoned (kg.store.load_records), so every server holds the same quads: records,
ontology and inferred categories. Each server's default graph is the union of them.

Three queries, each for ``--duration`` seconds with ``--clients`` concurrent clients: one model's triples
by IRI (a random model per request); count of models by category; a filter, join and order query. Every
server runs all the time and the cell is measured in ``--rounds`` slices, the servers taking turns in a
rotating order, so other load on the machine falls on each server alike rather than on whichever ran when
it peaked. The same client (bench/_load.py) drives every server; before a query is measured, each server
answers the same texts (five look-ups, or the one query) and their row counts are compared: a server that
answers differently is not measured, and every measured request must answer 200.

    python bench/endpoint.py                 # 10,000 models, 4 clients, 20 s per cell
    python bench/endpoint.py --duration 3    # a quick run
    python bench/endpoint.py --work /tmp/b   # keep the dataset and stores for the next run
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bench._load import CellResult, get, run_cell  # noqa: E402

BIN = Path(sys.executable).parent
JSON = "application/sparql-results+json"
MODEL = "https://w3id.org/ai-openness/model/"
PREFIXES = """PREFIX aio: <https://w3id.org/ai-openness/ontology#>
PREFIX schema: <https://schema.org/>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
"""

ARTIFACTS = ("weights", "architecture", "training_code", "training_data", "inference_code", "model_card")
LICENCES = ("Apache-2.0", "MIT", "BSD-3-Clause", "CC-BY-4.0", "llama3.1", "proprietary-terms")
DEVELOPERS = tuple(f"Lab {i:03d}" for i in range(200))


def model_id(n: int) -> str:
    return f"bench-model-{n:05d}"


def make_records(count: int, seed: int = 7) -> list[dict]:
    """``count`` plain model records with a realistic spread of categories (seeded, so runs agree)."""
    rng = random.Random(seed)
    records = []
    for n in range(count):
        kind = rng.random()
        weights = "not-released" if kind < 0.3 else rng.choice(("public", "public", "gated"))
        opened = kind >= 0.8  # open-source: all four category artifacts available
        artifacts: dict[str, object] = {}
        for slug in ARTIFACTS:
            if slug == "weights":
                status = weights
            elif opened and slug in ("architecture", "training_code", "training_data"):
                status = "public"
            else:
                status = rng.choice(("public", "not-released", "not-released", "gated"))
            if rng.random() < 0.03:
                status = "unknown"
            if status in ("public", "gated"):
                artifacts[slug] = {
                    "availability": status,
                    "license": rng.choice(LICENCES),
                    "url": f"https://example.org/{model_id(n)}/{slug}",
                }
            else:
                artifacts[slug] = status
        year = rng.randint(2019, 2026)
        records.append(
            {
                "id": model_id(n),
                "name": f"Bench Model {n}",
                "developer": rng.choice(DEVELOPERS),
                "date": f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
                "source": [f"https://example.org/{model_id(n)}"],
                "artifacts": artifacts,
            }
        )
    return records


def build_dataset(count: int, work: Path) -> tuple[Path, Path, Path, int]:
    """The openness store directory, an N-Quads dump and an N-Triples file (graphs merged) of one dataset."""
    import pyoxigraph as ox

    from kg.records.plain import records_to_recordset
    from kg.store import load_records

    store_dir = work / "openness-store"
    nquads = work / "dataset.nq"
    ntriples = work / "dataset.nt"
    marker = work / "dataset.models"
    if marker.exists() and marker.read_text() == str(count) and ntriples.exists():
        with ntriples.open("rb") as f:
            return store_dir, nquads, ntriples, sum(1 for _ in f)  # built by an earlier run with --work
    if store_dir.exists():
        shutil.rmtree(store_dir)
    shutil.rmtree(work / "oxigraph-store", ignore_errors=True)
    store = ox.Store(str(store_dir))
    load_records(store, records_to_recordset(make_records(count), file="bench"))
    store.flush()
    quads = list(store)
    with nquads.open("wb") as out:
        ox.serialize(quads, out, ox.RdfFormat.N_QUADS)
    triples = {q.triple for q in quads}
    with ntriples.open("wb") as out:
        ox.serialize(sorted(triples, key=str), out, ox.RdfFormat.N_TRIPLES)
    del store
    marker.write_text(str(count))
    return store_dir, nquads, ntriples, len(triples)


# ---------------------------------------------------------------------------------------------------------
# Queries


def lookup(rng: random.Random, count: int) -> str:
    return f"SELECT ?p ?o WHERE {{ <{MODEL}{model_id(rng.randrange(count))}> ?p ?o }}"


COUNT_BY_CATEGORY = (
    PREFIXES
    + """SELECT ?category (COUNT(DISTINCT ?m) AS ?n) WHERE {
  VALUES ?category { aio:ClosedSourceModel aio:OpenWeightModel aio:OpenSourceModel }
  ?m a ?category .
} GROUP BY ?category ORDER BY ?category"""
)

FILTER_JOIN_ORDER = (
    PREFIXES
    + """SELECT ?m ?name ?date ?licence WHERE {
  ?m a aio:OpenWeightModel ; schema:name ?name ; dcterms:issued ?date ; aio:hasRelease ?r .
  ?r aio:artifact aio:Weights ; aio:availability aio:Public ; dcterms:license ?licence .
  FILTER(?date >= "2024-01-01"^^xsd:date && STRSTARTS(STR(?licence), "http://spdx.org/licenses/"))
} ORDER BY DESC(?date) ?name LIMIT 50"""
)


def queries(count: int) -> dict[str, Callable[[random.Random], str]]:
    return {
        "lookup": lambda rng: lookup(rng, count),
        "count-by-category": lambda rng: COUNT_BY_CATEGORY,
        "filter-join-order": lambda rng: FILTER_JOIN_ORDER,
    }


# ---------------------------------------------------------------------------------------------------------
# Servers


@dataclass
class Server:
    name: str
    url: str  # the SPARQL query URL


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _exe(name: str) -> str:
    local = BIN / name
    found = str(local) if local.exists() else shutil.which(name)
    if not found:
        raise SystemExit(f"bench/endpoint.py: '{name}' is not installed (pip install -e '.[test]')")
    return found


@contextmanager
def running(name: str, cmd: list[str], url: str, log: Path, ready_timeout: float = 600,
            settle: str | None = None) -> Iterator[Server]:
    """Start a server process, wait until it answers a query (and ``settle``, a page fetched once, has
    answered), stop it afterwards."""
    with log.open("wb") as out:
        proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT, cwd=REPO)
    try:
        deadline = time.monotonic() + ready_timeout
        while True:
            if proc.poll() is not None:
                raise SystemExit(f"{name} exited with {proc.returncode}; see {log}")
            try:
                status, _ = get(url, "ASK {}", JSON, timeout=5)
                if status == 200:
                    break
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise SystemExit(f"{name} did not answer within {ready_timeout:.0f} s; see {log}")
            time.sleep(0.25)
        if settle:
            urllib.request.urlopen(settle, timeout=ready_timeout).read()
        yield Server(name, url)
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def start(name: str, work: Path, store_dir: Path, nquads: Path, ntriples: Path) -> Iterator[Server]:
    port = free_port()
    log = work / f"{name}.log"
    if name == "openness":
        # The per-client rate and concurrency limits guard against abuse; they are not capacity, and every
        # benchmark client comes from 127.0.0.1, so they are turned off here.
        cmd = [sys.executable, "-m", "kg", "serve", "--store", str(store_dir), "--port", str(port)]
        cmd += ["--row-limit", "100000", "--client-rate", "0", "--client-concurrent", "0"]
        # A started server warms its page caches in a thread (every model classified for the pages' OSAID
        # filter), which takes the CPU for some seconds; the filter's page waits for it, so the server is
        # measured warm, as it serves after its first minute.
        settle = f"http://127.0.0.1:{port}/models?osaid=conforms&format=json"
        return running(name, cmd, f"http://127.0.0.1:{port}/sparql", log, settle=settle)
    if name == "oxigraph":
        location = work / "oxigraph-store"
        if not location.exists():
            subprocess.run(
                [_exe("oxigraph"), "load", "--location", str(location), "--file", str(nquads)],
                check=True,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
        cmd = [
            _exe("oxigraph"),
            "serve-read-only",
            "--location",
            str(location),
            "--bind",
            f"127.0.0.1:{port}",
            "--union-default-graph",
        ]
        return running(name, cmd, f"http://127.0.0.1:{port}/query", log)
    if name == "rdflib-endpoint":
        cmd = [_exe("rdflib-endpoint"), "serve", "--host", "127.0.0.1", "--port", str(port), str(ntriples)]
        return running(name, cmd, f"http://127.0.0.1:{port}/", log)
    raise SystemExit(f"unknown server {name}")


# ---------------------------------------------------------------------------------------------------------
# The run


def answer_rows(url: str, query: str, timeout: float) -> int | None:
    """How many solutions a server gives (a cross-check that every server holds the same data); None when
    the server gives no answer within ``timeout`` seconds (the cell is then not run)."""
    try:
        status, body = get(url, query, JSON, timeout=timeout)
    except OSError:
        return None
    if status != 200:
        return -status
    return len(json.loads(body)["results"]["bindings"])


#: Look-ups cross-checked on every server before the look-up cells run (seeded, so every server gets the same).
CHECKED_LOOKUPS = 5


def check_rows(servers: list[Server], qname: str, make: Callable[[random.Random], str],
               timeout: float) -> dict[str, int]:
    """Ask every server the same queries (a few look-ups; the one text of the other queries) and compare the
    row counts: a server whose answers differ is not measured. Returns each server's rows of the first one
    (-1: no answer in time, -N: HTTP status N, -2: a different answer than the others)."""
    texts = [make(random.Random(i)) for i in range(CHECKED_LOOKUPS if qname == "lookup" else 1)]
    counts = {s.name: [answer_rows(s.url, text, timeout) for text in texts] for s in servers}
    answered = [c for c in counts.values() if all(n is not None and n >= 0 for n in c)]
    reference = max(answered, key=answered.count) if answered else None  # the answer most servers give
    rows = {}
    for name, found in counts.items():
        if any(n is None for n in found):
            rows[name] = -1
        elif reference is not None and found != reference and all(n is not None and n >= 0 for n in found):
            rows[name] = -2
            print(f"  {qname}: {name} answers {found} rows where the others answer {reference}", flush=True)
        else:
            rows[name] = found[0] if found[0] is not None else -1
    return rows


def merge(parts: list[CellResult]) -> CellResult:
    """One cell measured in several rounds: requests, errors and seconds added up."""
    return CellResult(
        requests=sum(p.requests for p in parts),
        errors=sum(p.errors for p in parts),
        seconds=sum(p.seconds for p in parts),
        latencies_ms=[ms for p in parts for ms in p.latencies_ms],
        first_error=next((p.first_error for p in parts if p.first_error), None),
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--models", type=int, default=10_000, help="models in the dataset (default 10000)")
    parser.add_argument("--duration", type=float, default=20.0, help="seconds per cell (default 20)")
    parser.add_argument("--rounds", type=int, default=4,
                        help="each cell is measured in this many slices, the servers taking turns, so a change "
                             "in the machine's other load falls on every server alike (default 4)")
    parser.add_argument("--warmup", type=float, default=1.0, help="seconds of load per cell before measuring")
    parser.add_argument("--clients", type=int, default=4, help="concurrent clients (default 4)")
    parser.add_argument("--servers", default="openness,oxigraph,rdflib-endpoint", help="comma-separated")
    parser.add_argument("--queries", default="lookup,count-by-category,filter-join-order", help="comma-separated")
    parser.add_argument(
        "--request-timeout",
        type=float,
        default=120.0,
        help="seconds one request may take; a query slower than this is not measured (default 120)",
    )
    parser.add_argument("--json", type=Path, default=None, help="also write the figures to this file")
    parser.add_argument("--work", type=Path, default=None, help="working directory (default: a temporary one)")
    args = parser.parse_args(argv)
    names = [s for s in args.servers.split(",") if s]
    wanted = [q for q in args.queries.split(",") if q]
    rounds = max(1, args.rounds)

    work = args.work or Path(tempfile.mkdtemp(prefix="openness-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    t0 = time.perf_counter()
    store_dir, nquads, ntriples, n_triples = build_dataset(args.models, work)
    print(
        f"dataset: {args.models} models, {n_triples} triples (records, ontology, inferences), "
        f"built in {time.perf_counter() - t0:.1f} s in {work}",
        flush=True,
    )

    makers = {k: v for k, v in queries(args.models).items() if k in wanted}
    results: dict[str, dict[str, CellResult]] = {q: {} for q in makers}
    rows: dict[str, dict[str, int]] = {q: {} for q in makers}
    stacks: dict[str, ExitStack] = {}

    def up(name: str) -> Server:
        t1 = time.perf_counter()
        stacks[name] = ExitStack()
        server = stacks[name].enter_context(start(name, work, store_dir, nquads, ntriples))
        print(f"{name}: up in {time.perf_counter() - t1:.1f} s at {server.url}", flush=True)
        return server

    try:
        servers = [up(name) for name in names]  # all up at once, idle while another is measured
        for qname, make in makers.items():
            rows[qname] = check_rows(servers, qname, make, args.request_timeout)
            measured = [s for s in servers if rows[qname][s.name] >= 0]
            for i, server in enumerate(servers):
                if server not in measured:
                    why = {-1: f"no answer within {args.request_timeout:g} s", -2: "answers differ"}.get(
                        rows[qname][server.name], f"HTTP {-rows[qname][server.name]}")
                    print(f"  {qname:18} {server.name:16} not measured: {why}", flush=True)
                    results[qname][server.name] = CellResult(0, 0, args.duration, [], why)
                    if rows[qname][server.name] == -1:  # it may still be working on it: not beside the others
                        stacks.pop(server.name).close()
                        if qname != list(makers)[-1]:
                            servers[i] = up(server.name)
            if args.warmup > 0:
                for server in measured:
                    run_cell(server.url, make, JSON, args.clients, args.warmup, args.request_timeout)
            parts: dict[str, list[CellResult]] = {s.name: [] for s in measured}
            for turn in range(rounds if measured else 0):
                # the order rotates, so no server always follows the same one
                shift = turn % len(measured)
                for server in measured[shift:] + measured[:shift]:
                    parts[server.name].append(run_cell(server.url, make, JSON, args.clients,
                                                       args.duration / rounds, args.request_timeout))
            for server in measured:
                cell = results[qname][server.name] = merge(parts[server.name])
                err = f" (first error: {cell.first_error})" if cell.first_error else ""
                print(
                    f"  {qname:18} {server.name:16} {cell.rate:9.1f} req/s  p50 {cell.percentile(50):8.2f} ms  "
                    f"p99 {cell.percentile(99):8.2f} ms  errors {cell.errors}{err}",
                    flush=True,
                )
    finally:
        for stack in stacks.values():
            stack.close()

    report(results, rows, args)
    if args.json:
        args.json.write_text(
            json.dumps(
                {
                    "models": args.models,
                    "triples": n_triples,
                    "clients": args.clients,
                    "duration": args.duration,
                    "rounds": rounds,
                    "cells": {
                        q: {
                            s: {
                                "req_s": c.rate,
                                "p50_ms": c.percentile(50),
                                "p99_ms": c.percentile(99),
                                "requests": c.requests,
                                "errors": c.errors,
                                "rows": rows[q].get(s),
                            }
                            for s, c in cells.items()
                        }
                        for q, cells in results.items()
                    },
                },
                indent=2,
            )
        )
    if args.work is None:
        shutil.rmtree(work, ignore_errors=True)
    return 0


def report(
    results: dict[str, dict[str, CellResult]], rows: dict[str, dict[str, int]], args: argparse.Namespace
) -> None:
    """The table, the ratios and the issue's goals."""
    print(f"\n{args.models} models, {args.clients} clients, {args.duration:g} s per cell")
    print(f"{'query':18} {'server':16} {'req/s':>9} {'p50 ms':>9} {'p99 ms':>9} {'errors':>7} {'rows':>6}")
    for qname, cells in results.items():
        for name, cell in cells.items():
            print(
                f"{qname:18} {name:16} {cell.rate:9.1f} {cell.percentile(50):9.2f} "
                f"{cell.percentile(99):9.2f} {cell.errors:7d} {rows[qname].get(name, 0):6d}"
            )
    print()
    goals = {
        "lookup": [("oxigraph", 0.25), ("rdflib-endpoint", 3.0)],
        "count-by-category": [("oxigraph", 0.85)],
        "filter-join-order": [("oxigraph", 0.85)],
    }
    for qname, cells in results.items():
        ours = cells.get("openness")
        if ours is None:
            continue
        parts = []
        for peer in ("oxigraph", "rdflib-endpoint"):
            if peer in cells and cells[peer].rate > 0:
                ratio = ours.rate / cells[peer].rate
                goal = dict(goals.get(qname, [])).get(peer)
                verdict = "" if goal is None else f" (goal >= {goal:g}x: {'met' if ratio >= goal else 'NOT met'})"
                parts.append(f"{ratio:.2f}x {peer}{verdict}")
        print(f"openness {qname:18} " + "; ".join(parts))


if __name__ == "__main__":
    os.environ.setdefault("PYTHONUNBUFFERED", "1")
    raise SystemExit(main())
