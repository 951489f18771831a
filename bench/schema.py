"""Benchmark: what the record schema check adds to `openness validate` on JSON records.

Writes N JSON records (the bundled records, cycled, each with its own id), reads them, and times the
schema check (``RecordSet.check_fields``: jsonschema over every record) and the rest of validation (mapping
to RDF and the shapes) separately, in one process.

    .venv/bin/python bench/schema.py             # 1,000 records
    .venv/bin/python bench/schema.py -n 5000
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def records(n: int) -> list[dict]:
    """``n`` plain records: the bundled ones, cycled, with distinct ids."""
    from kg.parsing import load_yaml
    from kg.resources import bundled_record_files

    bundled: list[dict] = []
    for path in bundled_record_files():
        data = load_yaml(path.read_text(encoding="utf-8"), str(path))
        bundled.extend(data if isinstance(data, list) else [data])
    return [{**bundled[i % len(bundled)], "id": f"{bundled[i % len(bundled)]['id']}-{i}"} for i in range(n)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("-n", type=int, default=1000, help="records (default 1,000)")
    args = parser.parse_args()
    from kg.records import read_file
    from kg.validation import validate

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "records.json"
        path.write_text(json.dumps(records(args.n)), encoding="utf-8")
        recordset = read_file(path)
        start = time.perf_counter()
        problems = recordset.check_fields()
        schema = time.perf_counter() - start
        start = time.perf_counter()
        report = validate(recordset)
        rest = time.perf_counter() - start
    print(f"{args.n:,} records: schema check {schema:.2f} s ({schema / args.n * 1e3:.2f} ms a record), "
          f"the rest of validation {rest:.2f} s; {len(problems)} schema problems, {report.violations} violations")


if __name__ == "__main__":
    main()
