"""Validate model records (any record format, several files at once) against the SHACL shapes.

Exit 0 when no result reaches --fail-on (default: violation), 1 when some does, 2 on unreadable input.
"""

from __future__ import annotations

import argparse

NAME = "validate"
HELP = "SHACL report on record files; exit 0 conforms, 1 results at or above --fail-on, 2 unreadable input"


def configure(parser: argparse.ArgumentParser) -> None:
    """Declare the command's arguments."""
    parser.add_argument("files", nargs="+", metavar="FILE",
                        help="record files: .ttl .nt .jsonld .rdf/.owl/.xml .json .yaml/.yml .csv")
    parser.add_argument("--format", choices=("text", "json", "turtle"), default="text", help="report format")
    parser.add_argument("--shapes", action="append", default=[], metavar="EXTRA.ttl",
                        help="more SHACL shapes to check besides the project's (repeatable)")
    parser.add_argument("--fail-on", choices=("violation", "warning"), default="violation",
                        help="lowest severity that makes the exit code 1 (default: violation)")
    parser.add_argument("-o", "--output", metavar="FILE", help="write the report to FILE instead of standard output")


def run(args: argparse.Namespace) -> int:
    """Read every file first (so unreadable input exits 2 before any report), validate, print."""
    from kg.commands.output import write_to
    from kg.records import read_files
    from kg.validation import validate
    from kg.validation.engine import gc_paused
    from kg.validation.render import WRITERS

    with gc_paused():  # reading makes millions of small acyclic objects; full GC passes cost more than reading
        records = read_files(args.files)
    report = validate(records, extra_shapes=args.shapes, fail_on=args.fail_on.capitalize(), release_triples=True)
    write_to(args.output, lambda out: WRITERS[args.format](report, out))  # replaced whole, with the umask
    return 0 if report.conforms else 1
