"""Classify models: openness category, MOF class and the ten dimensions, with the reasons.

Without FILE, classifies the bundled knowledge graph. Exit 0 on success, 2 on unreadable input.
"""

from __future__ import annotations

import argparse
import csv
import json
from typing import TextIO

NAME = "classify"
HELP = "category, MOF class and ten dimensions per model, with the reasons"


def configure(parser: argparse.ArgumentParser) -> None:
    """Declare the command's arguments."""
    parser.add_argument("files", nargs="*", metavar="FILE", help="record files (default: the bundled KG)")
    parser.add_argument("--format", choices=("table", "json", "csv"), default="table", help="output format")
    parser.add_argument("--explain", action="store_true", help="print the reasons (table format)")
    parser.add_argument("-o", "--output", metavar="FILE", help="write to FILE instead of standard output")


def run(args: argparse.Namespace) -> int:
    """Read, classify, print."""
    from kg.commands.output import write_to
    from kg.kgdata import bundled_records
    from kg.reasoner import classify_recordset
    from kg.records import read_files

    records = read_files(args.files) if args.files else bundled_records()
    results = classify_recordset(records)
    results.sort(key=lambda r: r.id)
    write_to(args.output, lambda out: WRITERS[args.format](results, out, args.explain))
    return 0


def write_json(results: list, out: TextIO, explain: bool) -> None:
    """DESIGN section 5: a JSON array of objects with id, name, category, mof_class, dimensions, reasons."""
    json.dump([r.as_json() for r in results], out, indent=2, ensure_ascii=False)
    out.write("\n")


def write_csv(results: list, out: TextIO, explain: bool) -> None:
    """One row per model; the ten dimensions as columns; reasons joined by ' | '."""
    from kg.vocab import DIMENSIONS, local_name

    dims = [local_name(str(d)) for d in DIMENSIONS]
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["id", "name", "category", "mof_class", *dims, "reasons"])
    for r in results:
        writer.writerow([r.id, r.name, r.category, r.mof_class or "", *(r.dimensions.get(d, "") for d in dims),
                         " | ".join(r.reasons)])


def write_table(results: list, out: TextIO, explain: bool) -> None:
    """An aligned table, with the reasons under each model when ``explain``; a summary line last."""
    from collections import Counter

    rows = [(r.id, r.category, r.mof_class or "-", r.name) for r in results]
    head = ("ID", "CATEGORY", "MOF", "NAME")
    widths = [max(len(str(x)) for x in col) for col in zip(head, *rows, strict=False)] if rows else [2, 8, 3, 4]
    fmt = "  ".join(f"{{:<{w}}}" for w in widths[:-1]) + "  {}"
    out.write(fmt.format(*head) + "\n")
    for r, row in zip(results, rows, strict=True):
        out.write(fmt.format(*row) + "\n")
        if explain:
            for reason in r.reasons:
                out.write(f"    - {reason}\n")
    counts = Counter(r.category for r in results)
    order = ("open-source", "open-weight", "closed-source", "unclassified")
    out.write(f"{len(results)} models: " + ", ".join(f"{counts[c]} {c}" for c in order) + "\n")


WRITERS = {"json": write_json, "csv": write_csv, "table": write_table}
