"""Server time of every analyst page on a 10,000-model store.

The store is built from the same generated records as bench/endpoint.py (plain records, loaded and reasoned
by kg.store.load_records) in a directory store. The app is the one ``openness serve`` runs, called through
Flask's test client, so the figure is the server's own time per request (no network, no browser). Caches
per store generation (the model table, charts, dumps) are built first and reported apart: after start and
after each write the app builds them in a background thread, so visitors see the warm figures.

Budgets (issue #17): every page under 200 ms, /models with filters under 300 ms (median of the runs).

    python bench/pages.py                  # 10,000 models, 15 requests per page
    python bench/pages.py --models 2000 --repeat 5 --work /tmp/pages   # a quick run, store kept
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import quote

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bench.endpoint import make_records, model_id  # noqa: E402

BUDGET_MS = 200.0
FILTERED_BUDGET_MS = 300.0
COUNT_QUERY = ("PREFIX aio: <https://w3id.org/ai-openness/ontology#> SELECT ?c (COUNT(?m) AS ?n) WHERE { "
               "?m a ?c VALUES ?c { aio:OpenWeightModel aio:OpenSourceModel aio:ClosedSourceModel } } GROUP BY ?c")


def pages(count: int) -> list[tuple[str, str, float]]:
    """(label, path, budget in ms) of every page measured."""
    a, b, c = (model_id(n) for n in (1, count // 2, count - 1))
    return [
        ("home", "/", BUDGET_MS),
        ("models", "/models", BUDGET_MS),
        ("models, page 50", "/models?page=50", BUDGET_MS),
        ("models, category + sort", "/models?category=open-weight&sort=-date", FILTERED_BUDGET_MS),
        ("models, 4 filters + search", "/models?q=model+1&year=2024&mof=none&weights=public&sort=developer",
         FILTERED_BUDGET_MS),
        ("models, developer filter", "/models?developer=Lab+007&per=500", FILTERED_BUDGET_MS),
        ("models, OSAID + licence terms", "/models?osaid=conforms&terms=commercial-no-cap", FILTERED_BUDGET_MS),
        ("models as CSV (filtered)", "/models?category=open-source&format=csv", FILTERED_BUDGET_MS),
        ("compare 3 models", f"/compare?models={a},{b},{c}", BUDGET_MS),
        ("model page", f"/model/{b}", BUDGET_MS),
        ("query page", "/query", BUDGET_MS),
        ("query page, table answer", "/query?view=table&query=" + quote(COUNT_QUERY), BUDGET_MS),
        ("chart: categories by year", "/chart/categories-by-year.svg", BUDGET_MS),
        ("chart: top developers", "/chart/top-developers.svg", BUDGET_MS),
        ("VoID", "/.well-known/void", BUDGET_MS),
    ]


def build_store(count: int, directory: Path) -> Path:
    """A directory store with ``count`` generated models (kept and reused when it has that many)."""
    import pyoxigraph as ox

    from kg.records.plain import records_to_recordset
    from kg.store import load_records

    store_dir = directory / f"pages-store-{count}"
    marker = store_dir / "models.count"
    if marker.exists() and marker.read_text() == str(count):
        return store_dir
    store = ox.Store(str(store_dir))
    load_records(store, records_to_recordset(make_records(count), file="bench"))
    store.flush()
    del store
    marker.write_text(str(count))
    return store_dir


def timed_get(client, path: str) -> tuple[float, int]:  # type: ignore[no-untyped-def]
    started = time.perf_counter()
    accept = "text/turtle" if path.startswith("/.well-known/") else "text/html"
    response = client.get(path, headers={"Accept": accept})
    _ = response.data
    return (time.perf_counter() - started) * 1000, response.status_code


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--models", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=15, help="requests per page (after one warm-up)")
    parser.add_argument("--work", type=Path, help="directory for the store (kept for the next run)")
    args = parser.parse_args(argv)

    from server import create_app
    from server.context import engine_of

    with tempfile.TemporaryDirectory() as scratch:
        work = args.work or Path(scratch)
        work.mkdir(parents=True, exist_ok=True)
        started = time.perf_counter()
        store_dir = build_store(args.models, work)
        print(f"store: {args.models} models in {store_dir} ({time.perf_counter() - started:.1f} s to build or open)")
        app = create_app({"STORE": str(store_dir), "WARM_PAGES": False, "WORKERS": 2})
        client = app.test_client()
        try:
            print("\ncold (per store generation; the warm-up thread does these after start and after writes):")
            cold = (("model table + home", "/"), ("chart: categories by year", "/chart/categories-by-year.svg"),
                    ("chart: top developers", "/chart/top-developers.svg"),
                    ("OSAID verdicts of every model", "/models?osaid=conforms"))
            for label, path in cold:
                ms, status = timed_get(client, path)
                print(f"  {label:30s} {ms:8.1f} ms  (HTTP {status})")
            print(f"\nwarm server time per page, {args.repeat} requests each (ms):")
            print(f"  {'page':30s} {'median':>8s} {'p90':>8s} {'max':>8s}  budget")
            failed = []
            for label, path, budget in pages(args.models):
                status = timed_get(client, path)[1]
                times = sorted(timed_get(client, path)[0] for _ in range(args.repeat))
                median = statistics.median(times)
                p90 = times[min(len(times) - 1, round(0.9 * len(times)) - 1)]
                verdict = "ok" if median < budget and status == 200 else "OVER"
                if verdict != "ok":
                    failed.append(label)
                print(f"  {label:30s} {median:8.1f} {p90:8.1f} {times[-1]:8.1f}  <{budget:.0f} {verdict}"
                      + ("" if status == 200 else f" (HTTP {status})"))
        finally:
            engine_of(app).close()
    print("\nall pages within budget" if not failed else f"\nover budget: {', '.join(failed)}")
    return 0 if not failed else 1


if __name__ == "__main__":
    sys.exit(main())
