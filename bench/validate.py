"""Benchmark: `openness validate` against plain pySHACL over the whole graph, with the same results.

Generates N CSV records (default 1,000, 10,000 and 100,000) with about 5 % defects of every kind
docs/design.md section 4 lists, runs `openness validate FILE --format json` as a subprocess (end to end: start-up,
reading, validation, report) and, up to --pyshacl-max records, plain ``pyshacl.validate`` over the
records' rdflib graph with the same shapes. It asserts both give the same results (focus node, path,
severity and value) and prints the times and the CLI's peak memory.

    .venv/bin/python bench/validate.py                 # 1,000, 10,000 and 100,000 records
    .venv/bin/python bench/validate.py -n 1000 -n 5000 # other sizes
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

ARTIFACTS = ("weights", "architecture", "training_code", "training_data", "inference_code", "model_card",
             "technical_report", "research_paper")
LICENCES = ("Apache-2.0", "MIT", "llama3.1", "CC-BY-4.0", "gemma", "BSD-3-Clause")
AVAILABILITY = ("public", "gated", "not-released", "unknown")
#: One defect kind per rule of docs/design.md section 4 (duplicate ids: planted as two rows with one id).
DEFECTS = ("no-id", "bad-id", "no-name", "no-developer", "availability", "date", "huggingface", "wikidata",
           "source", "url", "licence-id", "licence-name", "available-no-licence", "withheld-licence",
           "withheld-url", "no-source", "duplicate")


def header() -> list[str]:
    cols = ["id", "name", "developer", "date"]
    for slug in ARTIFACTS:
        cols += [slug, f"{slug}_license", f"{slug}_url"]
    return [*cols, "source", "huggingface", "wikidata"]


def generate(n: int, seed: int = 7, defect_rate: float = 0.05) -> tuple[list[dict[str, str]], int]:
    """N rows of the CSV form, about ``defect_rate`` of them with one defect each."""
    rng = random.Random(seed)
    rows = []
    defects = 0
    for i in range(n):
        row = {"id": f"model-{i}", "name": f"Model {i}", "developer": f"Lab {i % 97}",
               "date": f"{2018 + i % 8}-{1 + i % 12:02d}-{1 + i % 28:02d}",
               "source": f"https://example.org/models/{i}", "huggingface": f"lab{i % 97}/model-{i}",
               "wikidata": f"Q{1000 + i}"}
        for slug in ARTIFACTS:
            availability = rng.choice(AVAILABILITY)
            row[slug] = availability
            if availability in ("public", "gated"):
                row[f"{slug}_license"] = rng.choice(LICENCES)
                row[f"{slug}_url"] = f"https://example.org/models/{i}/{slug}"
        if rng.random() < defect_rate:
            defects += 1
            kind = rng.choice(DEFECTS)
            slug = rng.choice(ARTIFACTS)
            if kind == "no-id":
                row["id"] = ""
            elif kind == "bad-id":
                row["id"] = f"Model_{i}"
            elif kind == "no-name":
                row["name"] = ""
            elif kind == "no-developer":
                row["developer"] = ""
            elif kind == "availability":
                row[slug] = "maybe"
            elif kind == "date":
                row["date"] = "2024-13-45"
            elif kind == "huggingface":
                row["huggingface"] = "not-a-repo"
            elif kind == "wikidata":
                row["wikidata"] = f"X{i}"
            elif kind == "source":
                row["source"] = "not a url"
            elif kind == "url":
                row[slug], row[f"{slug}_license"], row[f"{slug}_url"] = "public", "MIT", "ftp://example.org/x"
            elif kind == "licence-id":
                row[slug], row[f"{slug}_license"] = "public", "Apache-3.0"
            elif kind == "licence-name":
                row[slug], row[f"{slug}_license"] = "public", "Our Own Research Licence"
            elif kind == "available-no-licence":
                row[slug], row[f"{slug}_license"] = "gated", ""
            elif kind == "withheld-licence":
                row[slug], row[f"{slug}_license"], row[f"{slug}_url"] = "not-released", "MIT", ""
            elif kind == "withheld-url":
                row[slug], row[f"{slug}_license"], row[f"{slug}_url"] = "not-released", "", "https://example.org/x"
            elif kind == "no-source":
                row["source"] = ""
            elif kind == "duplicate" and rows:
                row["id"] = rows[-1]["id"]
        rows.append(row)
    return rows, defects


def write_csv(rows: list[dict[str, str]], path: Path) -> None:
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=header(), restval="")
        writer.writeheader()
        writer.writerows(rows)


def run_cli(path: Path) -> tuple[float, float, dict]:
    """Seconds, peak MiB and the JSON report of `openness validate` in a fresh process."""
    start = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-c", "import resource, sys\nfrom kg.cli import main\nrc = main(sys.argv[1:])\n"
         "sys.stderr.write(f'MAXRSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}\\n')\nsys.exit(rc)",
         "validate", str(path), "--format", "json"],
        capture_output=True, text=True, cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    elapsed = time.perf_counter() - start
    if proc.returncode not in (0, 1):
        raise SystemExit(f"openness validate failed ({proc.returncode}): {proc.stderr.strip()}")
    rss = next(int(line.split()[1]) for line in proc.stderr.splitlines() if line.startswith("MAXRSS"))
    return elapsed, rss / 1024, json.loads(proc.stdout)


def compare(path: Path) -> tuple[float, set, set]:
    """Plain pySHACL's seconds over the whole graph, and its and our results on the same records."""
    from kg.records import read_files
    from kg.validation import data_graph, validate
    from kg.validation.pyshacl_run import run_pyshacl
    from kg.validation.report import node_text, path_text
    from kg.validation.shapes import our_shapes_graph

    records = read_files([path])
    graph = data_graph(records)
    shapes = our_shapes_graph()
    start = time.perf_counter()
    results, _report = run_pyshacl(graph, shapes)
    elapsed = time.perf_counter() - start
    reference = {(node_text(r.focus), path_text(r.path, full=True), r.severity, node_text(r.value))
                 for r in results}
    ours = {r.key() for r in validate(records).results if r.origin == "shacl"}
    return elapsed, ours, reference


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("-n", type=int, action="append", help="number of records (repeatable)")
    parser.add_argument("--pyshacl-max", type=int, default=10_000,
                        help="run plain pySHACL only up to this many records (default 10,000)")
    args = parser.parse_args(argv)
    sizes = args.n or [1_000, 10_000, 100_000]
    print(f"{'records':>8} {'defects':>8} {'results':>8} {'openness s':>11} {'peak MiB':>9} "
          f"{'pyshacl s':>10} {'speed-up':>9}  same results")
    with tempfile.TemporaryDirectory() as tmp:
        for n in sizes:
            rows, defects = generate(n)
            path = Path(tmp) / f"records-{n}.csv"
            write_csv(rows, path)
            seconds, peak, report = run_cli(path)
            line = f"{n:>8,} {defects:>8,} {len(report['results']):>8,} {seconds:>11.1f} {peak:>9.0f}"
            if n <= args.pyshacl_max:
                reference_seconds, ours, reference = compare(path)
                same = ours == reference
                line += f" {reference_seconds:>10.1f} {reference_seconds / seconds:>8.1f}x  {same}"
                if not same:
                    print(line)
                    for key in sorted(ours ^ reference)[:20]:
                        print("  differs:", key, "(only openness)" if key in ours else "(only pyshacl)")
                    return 1
            else:
                line += f" {'-':>10} {'-':>9}  (pySHACL not run)"
            print(line, flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
