"""Export the knowledge graph as a file: Turtle, N-Triples, JSON-LD, RDF/XML, the plain forms, or an AI-BOM.

RDF exports stand alone: they carry the licence typing the shapes check and the FAIR4ML/schema.org types,
each statement once, so plain pySHACL or Jena give ``openness validate``'s results on them. JSON-LD embeds
its context unless ``--context remote``. ``--inferred`` adds what the reasoner infers (categories, MOF
classes, dimension values) to RDF output. ``spdx3`` and ``cyclonedx`` write AI bills of materials
(docs/exports.md); ``--model ID`` narrows any export to one model. Given files are checked against the
record schema first: a record with a misspelt key or a value of the wrong type is refused, not converted
without the claim the mistake hides.
"""

from __future__ import annotations

import argparse

NAME = "export"
HELP = "the KG as a file (standard output without -o)"
RDF_FORMATS = ("turtle", "nt", "jsonld", "xml")
PLAIN_FORMATS = ("csv", "json", "yaml")
BOM_FORMATS = ("spdx3", "cyclonedx")


def configure(parser: argparse.ArgumentParser) -> None:
    """Declare the command's arguments."""
    parser.add_argument("--format", choices=RDF_FORMATS + PLAIN_FORMATS + BOM_FORMATS,
                        default="turtle", help="output format (default turtle)")
    parser.add_argument("--inferred", action="store_true", help="include inferred statements (RDF formats)")
    parser.add_argument("--context", choices=("inline", "remote"), default="inline",
                        help="JSON-LD: embed the context (default) or name its IRI")
    parser.add_argument("--model", metavar="ID", action="append",
                        help="export only this model (repeatable); default every model")
    parser.add_argument("--lossy", action="store_true",
                        help="csv: write even what the CSV cannot hold is dropped (named on standard error)")
    parser.add_argument("-o", "--output", metavar="FILE", help="write to FILE (replaced only on success)")
    parser.add_argument("files", nargs="*", metavar="FILE",
                        help="record files to export instead of the bundled KG (converts between formats)")


def run(args: argparse.Namespace) -> int:
    """Export."""
    from kg.commands.output import write_to
    from kg.commands.structure import refuse_structural_mistakes
    from kg.errors import OpennessError
    from kg.exports import export_triples, unique
    from kg.exports.select import only_models
    from kg.kgdata import bundled_records
    from kg.records import read_files

    records = read_files(args.files) if args.files else bundled_records()
    if args.files:
        refuse_structural_mistakes(records, "nothing was exported")
    triples = unique(records.triples)
    if args.model:
        triples = only_models(triples, args.model)
    if args.inferred and args.format not in RDF_FORMATS:
        raise OpennessError(f"--inferred needs an RDF format (turtle, nt, jsonld, xml), not {args.format}")
    if args.format in BOM_FORMATS:
        from kg.bom import write_bom

        text = write_bom(triples, args.format)
        write_to(args.output, lambda out: out.write(text))
        return 0
    if args.format == "csv" and args.lossy:
        return _lossy_csv(triples, args.output)
    if args.format in PLAIN_FORMATS:
        from kg.records import write

        write_to(args.output, lambda out: write(triples, args.format, out))
        return 0
    data = export_triples(triples, inferred=args.inferred)
    if args.format == "jsonld":
        from kg.exports.jsonld import to_jsonld

        text = to_jsonld(data, args.context)
    else:
        from kg.records.writers import serialize_triples

        text = serialize_triples(data, args.format)
    write_to(args.output, lambda out: out.write(text))
    return 0


def _lossy_csv(triples: list, output: str | None) -> int:
    """The CSV without the lossless check, saying on standard error how much it leaves out."""
    import sys

    from kg.commands.output import write_to
    from kg.exports.csv_lossless import csv_losses
    from kg.records.rdf_to_plain import records_from_triples
    from kg.records.writers import write_csv

    lost = csv_losses(triples)
    if lost:
        subjects = sorted({str(s) for s, _, _ in lost})
        print(f"openness export: warning: the CSV leaves out {len(lost)} statement(s) about {len(subjects)} "
              f"node(s), e.g. {subjects[0]}", file=sys.stderr)
    write_to(output, lambda out: write_csv(records_from_triples(triples), out))
    return 0
