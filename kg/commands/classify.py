"""Classify models: openness category, MOF class and the ten dimensions, with the reasons.

Without FILE, classifies the bundled knowledge graph. Given files are first checked against the record
schema, as validate does: a misspelt key or a value the schema does not allow would drop a claim without a
word, so such records are refused (each mistake named, nothing classified). Values the classifier can read
but not use (an availability of 'maybe') are classified and named in the reasons; validate reports them.
Exit 0 on success, 2 on unreadable input or structural mistakes.
"""

from __future__ import annotations

import argparse
import csv
import json
from collections.abc import Callable
from json.encoder import encode_basestring as _string  # the C encoder where there is one
from typing import Any, TextIO

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
    from kg.commands.structure import refuse_structural_mistakes
    from kg.kgdata import bundled_records
    from kg.perf import gc_paused
    from kg.reasoner import classify_recordset
    from kg.records import read_files

    with gc_paused():  # every object made from here on lives until the output is written
        records = read_files(args.files) if args.files else bundled_records()
        if args.files:
            refuse_structural_mistakes(records, "nothing was classified")
        results = classify_recordset(records)
        results.sort(key=lambda r: r.id)
        write_to(args.output, lambda out: WRITERS[args.format](results, out, args.explain))
    return 0


def write_json(results: list, out: TextIO, explain: bool) -> None:
    """docs/design.md section 5: a JSON array of objects with id, name, category, mof_class, dimensions, reasons."""
    dump_json([r.as_json() for r in results], out)
    out.write("\n")


def dump_json(value: Any, out: TextIO) -> None:
    """The text of ``json.dump(value, out, indent=2, ensure_ascii=False)``, written by C encoders.

    ``json`` uses its C encoder only without ``indent``; with it, its pure-Python one takes longer than
    classifying. This encodes each string with the C string encoder and writes the layout itself.
    """
    chunks: list[str] = []
    _encode(value, "\n", chunks.append)
    for start in range(0, len(chunks), 65536):
        out.write("".join(chunks[start:start + 65536]))


def _encode(value: Any, newline: str, emit: Callable[[str], None]) -> None:
    """Emit ``value`` as ``json.dump`` with ``indent=2`` would; ``newline`` is a newline and the current indent."""
    if value.__class__ is str:
        emit(_string(value))
    elif value is None:
        emit("null")
    elif value is True:
        emit("true")
    elif value is False:
        emit("false")
    elif isinstance(value, int):
        emit(int.__repr__(value))
    elif isinstance(value, float):
        emit(json.dumps(value))
    elif isinstance(value, str):
        emit(_string(value))
    elif isinstance(value, (list, tuple)):
        if not value:
            emit("[]")
            return
        inner = newline + "  "
        if all(item.__class__ is str for item in value):
            emit("[" + inner + ("," + inner).join(map(_string, value)) + newline + "]")
            return
        emit("[" + inner)
        for n, item in enumerate(value):
            if n:
                emit("," + inner)
            _encode(item, inner, emit)
        emit(newline + "]")
    elif isinstance(value, dict):
        if not value:
            emit("{}")
            return
        inner = newline + "  "
        emit("{" + inner)
        for n, (key, item) in enumerate(value.items()):
            emit(("," + inner if n else "") + _string(_key(key)) + ": ")
            if item.__class__ is str:
                emit(_string(item))
            else:
                _encode(item, inner, emit)
        emit(newline + "}")
    else:
        raise TypeError(f"Object of type {value.__class__.__name__} is not JSON serializable")


def _key(key: Any) -> str:
    """A dict key as ``json`` writes it."""
    if isinstance(key, str):
        return key
    if key is True or key is False or key is None or isinstance(key, (int, float)):
        return json.dumps(key)
    raise TypeError(f"keys must be str, int, float, bool or None, not {key.__class__.__name__}")


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
            write_licence_explanation(r, out)
    counts = Counter(r.category for r in results)
    order = ("open-source", "open-weight", "closed-source", "unclassified")
    out.write(f"{len(results)} models: " + ", ".join(f"{counts[c]} {c}" for c in order) + "\n")


def write_licence_explanation(r: Any, out: TextIO) -> None:
    """The ``license_terms``, ``osaid`` and ``assessment`` of one model, as ``--explain`` lines."""
    from kg.license_terms import describe, iter_rule_lines

    if r.license_terms is not None:
        out.write(f"    - licence terms of the weights: {describe(r.license_terms, r.multimodal)}\n")
        for text, clause, source in iter_rule_lines(r.license_terms):
            out.write(f"        {text} [{clause}] {source}\n")
    verdict = r.osaid
    out.write(f"    - OSAID 1.0: {str(verdict['conformant']).lower() if verdict['conformant'] is not None else 'null'}"
              f" ({'; '.join(verdict['because'])})\n")
    for slug, value in r.assessment.items():
        out.write(f"    - {slug}: {value['level']} ({'; '.join(value['because'])})\n")


WRITERS = {"json": write_json, "csv": write_csv, "table": write_table}
