"""Benchmark: the rule path against HermiT, at N = 1,000, 10,000 and 100,000 generated models.

Times, per N: the inference step (``classify_facts`` over grouped facts), end to end from a CSV and a JSON
file (``kg.records.read_file`` + classify), the ``openness classify FILE --format json`` command, and
HermiT (``kg.reasoner.hermit.classify_with_hermit``) up to ``--hermit-max`` models or 5 minutes, with
the ratio. Goal (issue #2): 100,000 models in under 10 s for inference, under 30 s end to end.

    .venv/bin/python bench/classify.py                       # N = 1000,10000,100000; HermiT up to 1000
    .venv/bin/python bench/classify.py --sizes 1000 --hermit-max 1000 --json out.json
    .venv/bin/python bench/classify.py --sizes 100000 --profile   # where the time goes (cProfile)
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import io
import json
import os
import pstats
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # run from a checkout without installing
    sys.path.insert(0, str(ROOT))

from kg.reasoner import classify_facts, classify_recordset  # noqa: E402
from kg.reasoner.facts import collect_facts  # noqa: E402
from kg.records import read_file, records_to_recordset  # noqa: E402
from kg.records.writers import write_csv  # noqa: E402
from kg.vocab import ARTIFACTS  # noqa: E402

HERMIT_BUDGET_S = 300.0
#: Availability as seen in real records: mostly stated, some unknown, some left out (None).
AVAILABILITY = ("public",) * 4 + ("gated",) * 2 + ("not-released",) * 3 + ("unknown", None)
LICENCES = ("Apache-2.0", "MIT", "CC-BY-4.0", "CDLA-Permissive-2.0", "llama3.1", "gemma", "proprietary",
            "CC-BY-NC-4.0", "OpenMDW-1.0", None)


def generate(n: int, seed: int = 7) -> list[dict[str, Any]]:
    """``n`` plain records like the bundled ones: about ten artifacts each, with licences, URLs and sources."""
    rng = random.Random(seed)
    slugs = list(ARTIFACTS)
    core = ["weights", "architecture", "training_code", "training_data"]
    records = []
    for i in range(n):
        chosen = core + rng.sample([s for s in slugs if s not in core], rng.randint(3, 10))
        artifacts: dict[str, Any] = {}
        for slug in chosen:
            state = rng.choice(AVAILABILITY)
            if state is None:
                continue
            entry: dict[str, Any] = {"availability": state}
            if state in ("public", "gated"):
                licence = rng.choice(LICENCES)
                if licence:
                    entry["license"] = licence
                entry["url"] = f"https://example.org/m{i}/{slug}"
            artifacts[slug] = entry
        records.append({
            "id": f"bench-{i:06d}", "name": f"Bench model {i}", "developer": f"Lab {i % 97}",
            "date": f"{2019 + i % 7}-{1 + i % 12:02d}", "source": [f"https://example.org/m{i}"],
            "artifacts": artifacts,
        })
    return records


def timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    start = time.perf_counter()
    result = fn()
    return time.perf_counter() - start, result


def write_files(records: list[dict[str, Any]], directory: Path) -> tuple[Path, Path]:
    """The records as a CSV file and a JSON file (docs/design.md section 4)."""
    csv_path, json_path = directory / "models.csv", directory / "models.json"
    with csv_path.open("w", encoding="utf-8", newline="") as out:
        write_csv(records, out)
    with json_path.open("w", encoding="utf-8") as out:
        json.dump(records, out)
    return csv_path, json_path


def cli_command() -> list[str] | None:
    """The ``openness`` command (through ``python -m kg``), if the classify sub-command exists."""
    if not (ROOT / "kg" / "commands" / "classify.py").exists():
        return None
    return [sys.executable, "-m", "kg", "classify"]


def run_cli(path: Path) -> float | None:
    command = cli_command()
    if command is None:
        return None
    start = time.perf_counter()
    proc = subprocess.run([*command, str(path), "--format", "json"], cwd=ROOT, stdout=subprocess.DEVNULL,
                          stderr=subprocess.PIPE, text=True, check=False)
    elapsed = time.perf_counter() - start
    if proc.returncode != 0:
        print(f"  openness classify exited {proc.returncode}: {proc.stderr.strip()[:300]}", file=sys.stderr)
        return None
    return elapsed


_HERMIT_CHILD = """
import json, sys, time
sys.path.insert(0, sys.argv[2])
from kg.records import read_file
from kg.reasoner.facts import collect_facts
from kg.reasoner.hermit import classify_with_hermit
facts = collect_facts(read_file(sys.argv[1]).triples)
start = time.perf_counter()
classify_with_hermit(facts)
print(json.dumps({"seconds": time.perf_counter() - start}))
"""


def run_hermit(json_path: Path, budget: float) -> float | None:
    """HermiT's time on the facts of ``json_path`` (in a child process, killed after ``budget`` seconds)."""
    proc = subprocess.Popen([sys.executable, "-c", _HERMIT_CHILD, str(json_path), str(ROOT)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True)
    try:
        out, err = proc.communicate(timeout=budget + 60)  # + reading and grouping, which are not timed
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)  # the child and the Java process it started
        proc.communicate()
        return None
    if proc.returncode != 0:
        print(f"  HermiT failed: {err.strip()[-300:]}", file=sys.stderr)
        return None
    seconds = json.loads(out.strip().splitlines()[-1])["seconds"]
    return seconds if seconds <= budget else None


def bench(n: int, hermit_max: int, budget: float, directory: Path) -> dict[str, Any]:
    """All timings for one N."""
    records = generate(n)
    csv_path, json_path = write_files(records, directory)
    row: dict[str, Any] = {"n": n}
    row["to_rdf_s"], triples = timed(lambda r=records: records_to_recordset(r).triples)
    del records
    row["group_s"], facts = timed(lambda t=triples: collect_facts(t))
    # each step starts from a heap without the previous steps' leftovers (10 million triples at N = 100,000):
    # a step is not charged for the collector's passes over objects that belong to another
    del triples
    gc.collect()
    cpu = time.process_time()
    row["inference_s"], results = timed(lambda f=facts: classify_facts(f))
    row["inference_cpu_s"] = time.process_time() - cpu
    assert len(results) == n
    del facts, results
    for label, path in (("csv", csv_path), ("json", json_path)):
        gc.collect()
        row[f"read_{label}_s"], rs = timed(lambda p=path: read_file(p))
        row[f"classify_{label}_s"], out = timed(lambda rs=rs: classify_recordset(rs))
        assert len(out) == n
        del rs, out
        row[f"end_to_end_{label}_s"] = row[f"read_{label}_s"] + row[f"classify_{label}_s"]
        row[f"cli_{label}_s"] = run_cli(path)
    row["hermit_s"] = None
    if n <= hermit_max and shutil.which("java"):
        row["hermit_s"] = run_hermit(json_path, budget)
    row["ratio"] = row["hermit_s"] / row["inference_s"] if row["hermit_s"] else None
    return row


def fmt(value: float | None) -> str:
    return "-" if value is None else f"{value:8.2f}"


def report(rows: list[dict[str, Any]]) -> str:
    """A plain-text table: one line per N, seconds."""
    head = (f"{'N':>7}  {'to RDF':>8}  {'group':>8}  {'infer':>8}  {'e2e csv':>8}  {'e2e json':>8}  "
            f"{'cli csv':>8}  {'cli json':>8}  {'HermiT':>8}  {'HermiT/infer':>12}")
    lines = [head]
    for r in rows:
        ratio = "-" if r["ratio"] is None else f"{r['ratio']:12.0f}x"
        hermit = fmt(r["hermit_s"]) if r["hermit_s"] is not None else (
            "  >5 min" if r.get("hermit_tried") else "       -")
        lines.append(f"{r['n']:>7}  {fmt(r['to_rdf_s'])}  {fmt(r['group_s'])}  {fmt(r['inference_s'])}  "
                     f"{fmt(r['end_to_end_csv_s'])}  {fmt(r['end_to_end_json_s'])}  {fmt(r['cli_csv_s'])}  "
                     f"{fmt(r['cli_json_s'])}  {hermit}  {ratio:>12}")
    lines.append("seconds, wall clock; 'infer' is classify_facts over grouped facts (CPU seconds: "
                 + ", ".join(f"{r['n']}: {r['inference_cpu_s']:.2f}" for r in rows) + ")")
    return "\n".join(lines)


def profile(n: int, directory: Path) -> str:
    """cProfile of the inference step and of reading the CSV, the 25 most expensive functions each."""
    records = generate(n)
    csv_path, _ = write_files(records, directory)
    facts = collect_facts(records_to_recordset(records).triples)
    out = io.StringIO()
    for label, fn in (("inference (classify_facts)", lambda: classify_facts(facts)),
                      ("read_file(CSV) + classify", lambda: classify_recordset(read_file(csv_path)))):
        prof = cProfile.Profile()
        prof.runcall(fn)
        out.write(f"\n=== {label}, N = {n} ===\n")
        pstats.Stats(prof, stream=out).sort_stats("cumulative").print_stats(25)
    return out.getvalue()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1000,10000,100000", help="comma-separated N (default: %(default)s)")
    parser.add_argument("--hermit-max", type=int, default=1000,
                        help="largest N to run HermiT on (default: %(default)s; 0 skips HermiT)")
    parser.add_argument("--hermit-budget", type=float, default=HERMIT_BUDGET_S,
                        help="seconds HermiT may take before it is stopped (default: %(default)s)")
    parser.add_argument("--json", metavar="FILE", help="also write the figures as JSON")
    parser.add_argument("--profile", action="store_true", help="print a cProfile of the largest N instead")
    args = parser.parse_args(argv)
    try:
        sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    except ValueError:
        parser.error(f"--sizes: expected comma-separated integers, got {args.sizes!r}")
    if not sizes or min(sizes) < 1:
        parser.error("--sizes: expected positive integers")
    with tempfile.TemporaryDirectory() as tmp:
        if args.profile:
            print(profile(max(sizes), Path(tmp)))
            return 0
        rows = []
        for n in sizes:
            print(f"N = {n} ...", file=sys.stderr, flush=True)
            row = bench(n, args.hermit_max, args.hermit_budget, Path(tmp))
            row["hermit_tried"] = n <= args.hermit_max and shutil.which("java") is not None
            rows.append(row)
    print(report(rows))
    big = [r for r in rows if r["n"] >= 100_000]
    for r in big:
        e2e = max(r["end_to_end_csv_s"], r["end_to_end_json_s"])
        print(f"goal at N = {r['n']}: inference {r['inference_s']:.2f} s (< 10 s: "
              f"{'yes' if r['inference_s'] < 10 else 'NO'}), end to end from files {e2e:.2f} s (< 30 s: "
              f"{'yes' if e2e < 30 else 'NO'})")
    if args.json:
        Path(args.json).write_text(json.dumps(rows, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
