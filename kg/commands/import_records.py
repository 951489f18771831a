"""Import model records from an external registry: Hugging Face Hub repo ids, Wikidata QIDs (or a
search), Model Openness Tool or OSAI-index YAML files or folders, or AI bills of materials (SPDX 3.0 AI
profile JSON-LD, CycloneDX 1.6 ML-BOM JSON).

The records are printed in any record format (Turtle by default). Items that fail (a missing repo, a
rate limit, no network, a bad id, an unreadable file) are reported on standard error, one line each;
the others are still imported. Exit 0 when all imported, 2 when any failed. With ``--merge FILE``
the imported records are merged with the records of FILE: one model per model, every claim with its
source, and the conflicts between sources listed on standard error with the claim that decides.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

NAME = "import"
HELP = "records from external registries (huggingface, wikidata, mot, osai) or AI-BOMs (spdx3, cyclonedx)"
REGISTRIES = ("huggingface", "wikidata", "mot", "osai", "spdx3", "cyclonedx")
FORMATS = ("turtle", "csv", "jsonld", "nt", "json", "yaml")


def configure(parser: argparse.ArgumentParser) -> None:
    """Declare the command's arguments."""
    parser.add_argument("registry", choices=REGISTRIES, help="where the records come from")
    parser.add_argument("items", nargs="*", metavar="ARG",
                        help="Hub repo ids, Wikidata QIDs, MOT/OSAI YAML files and folders, or BOM files")
    parser.add_argument("--format", choices=FORMATS, default="turtle", help="output format (default turtle)")
    parser.add_argument("-o", "--output", metavar="FILE", help="write to FILE instead of standard output")
    parser.add_argument("--endpoint", metavar="URL",
                        help="another server: a Hub mirror (else $HF_ENDPOINT) or a SPARQL endpoint")
    parser.add_argument("--search", action="append", default=[], metavar="TEXT",
                        help="wikidata: import the items whose English label or alias is TEXT")
    parser.add_argument("--merge", action="append", default=[], metavar="FILE",
                        help="merge the imported records with the records of FILE")
    parser.add_argument("--timeout", type=float, default=30.0, help="seconds to wait for a server (default 30)")


def run(args: argparse.Namespace) -> int:
    """Import, merge if asked, write; problems to standard error."""
    from kg.commands.output import write_to
    from kg.importers.registry import ImportOptions, get

    if not args.items and not args.search:
        print(f"openness import {args.registry}: nothing to import: give at least one ARG"
              + (" or --search TEXT" if args.registry == "wikidata" else ""), file=sys.stderr)
        return 2
    if args.search and args.registry != "wikidata":
        print(f"openness import {args.registry}: --search works with wikidata only", file=sys.stderr)
        return 2
    options = ImportOptions(endpoint=args.endpoint, search=tuple(args.search), timeout=args.timeout,
                            progress=Progress(args.registry))
    result = get(args.registry)(args.items, options)
    records = result.records
    if args.merge:
        from kg.merge import merge_records
        from kg.records import read_files, records_from_triples

        existing = records_from_triples(read_files(args.merge).triples)
        merged = merge_records([*existing, *records])
        records = merged.records
        for conflict in merged.conflicts:
            print(f"openness import: conflict: {conflict.describe()}", file=sys.stderr)
    for note in result.notes:
        print(f"openness import: note: {note}", file=sys.stderr)
    for problem in result.problems:
        print(f"openness import: error: {problem}", file=sys.stderr)
    if records:
        data = with_derivations(records)
        write_to(args.output, lambda out: _write(data, args.format, out))
    failed = len(result.problems)
    if failed:
        print(f"openness import: {len(result.records)} imported, {failed} failed", file=sys.stderr)
        return 2
    return 0


def _write(data: Any, fmt: str, out: Any) -> None:
    from kg.records import write

    write(data, fmt, out)


def with_derivations(records: list[dict]) -> Any:
    """The records' RDF plus ``schema:isBasedOn`` for the models they derive from (Hub ``base_model``)."""
    import pyoxigraph as ox

    from kg.records import records_to_recordset
    from kg.vocab import MODEL, SCHEMA

    recordset = records_to_recordset(records)
    for record in records:
        for base in record.get("derived_from") or []:
            recordset.triples.append(ox.Triple(ox.NamedNode(str(MODEL[record["id"]])),
                                               ox.NamedNode(str(SCHEMA.isBasedOn)), ox.NamedNode(base)))
    return recordset


class Progress:
    """Progress of a long import on standard error: a line updated in place on a terminal, else a
    line per tenth; silent for imports of fewer than 20 items."""

    def __init__(self, label: str, stream: Any = None) -> None:
        self.label = label
        self.stream = stream or sys.stderr
        self.last_tenth = -1

    def __call__(self, done: int, total: int, item: str) -> None:
        if total < 20:
            return
        if self.stream.isatty():
            end = "\n" if done == total else ""
            self.stream.write(f"\r{self.label}: {done}/{total} {item[:40]:<40}{end}")
            self.stream.flush()
            return
        tenth = done * 10 // total
        if tenth != self.last_tenth:
            self.last_tenth = tenth
            print(f"{self.label}: {done}/{total}", file=self.stream)
