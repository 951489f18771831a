"""Export the knowledge graph as a file: Turtle, N-Triples, JSON-LD, or the CSV of record rows.

``--inferred`` adds what the reasoner infers (categories, MOF classes, dimension values) to RDF output.
"""

from __future__ import annotations

import argparse

NAME = "export"
HELP = "the KG as a file (standard output without -o)"


def configure(parser: argparse.ArgumentParser) -> None:
    """Declare the command's arguments."""
    parser.add_argument("--format", choices=("turtle", "nt", "jsonld", "csv", "json", "yaml", "xml"),
                        default="turtle", help="output format (default turtle)")
    parser.add_argument("--inferred", action="store_true", help="include inferred statements (RDF formats)")
    parser.add_argument("-o", "--output", metavar="FILE", help="write to FILE (replaced only on success)")
    parser.add_argument("files", nargs="*", metavar="FILE",
                        help="record files to export instead of the bundled KG (converts between formats)")


def run(args: argparse.Namespace) -> int:
    """Export."""
    import pyoxigraph as ox

    from kg.commands.output import write_to
    from kg.kgdata import bundled_records
    from kg.records import read_files, write

    records = read_files(args.files) if args.files else bundled_records()
    triples = list(records.triples)
    if args.inferred:
        if args.format in ("csv", "json", "yaml"):
            from kg.errors import OpennessError

            raise OpennessError(f"--inferred needs an RDF format (turtle, nt, jsonld, xml), not {args.format}")
        from kg.reasoner import classify_triples, inferred_quads

        triples.extend(ox.Triple(q.subject, q.predicate, q.object) for q in inferred_quads(classify_triples(triples)))
    write_to(args.output, lambda out: write(triples, args.format, out))
    return 0
