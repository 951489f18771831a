"""Print the bundled knowledge graph's coverage: models by category, by developer, by artifact status."""

from __future__ import annotations

import argparse

NAME = "coverage"
HELP = "coverage table of the bundled KG (models by category, developer, artifact status)"


def configure(parser: argparse.ArgumentParser) -> None:
    """Declare the command's arguments."""
    parser.add_argument("--format", choices=("markdown", "csv"), default="markdown", help="output format")
    parser.add_argument("-o", "--output", metavar="FILE", help="write to FILE instead of standard output")


def run(args: argparse.Namespace) -> int:
    """Classify the bundled records and write the tables."""
    from kg.commands.output import write_to
    from kg.coverage import bundled_tables, write_csv, write_markdown

    data = bundled_tables()
    writer = write_markdown if args.format == "markdown" else write_csv
    write_to(args.output, lambda out: writer(data, out))
    return 0
