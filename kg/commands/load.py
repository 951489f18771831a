"""Validate records, reason over them and add them to a persistent store.

Records whose models are already in the store replace them. Nothing is written when a file is unreadable
(exit 2) or when validation finds violations (exit 1, with the report); warnings are printed and loaded.
``--store`` is a store directory (created, with the bundled KG, when new) or a SPARQL endpoint URL.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from kg.errors import ConfigurationError

NAME = "load"
HELP = "validate, reason and add records to a persistent store"
DEFAULT_STORE = "openness-store"


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("files", nargs="+", type=Path, metavar="FILE", help="record files (any record format)")
    parser.add_argument("--store", default=DEFAULT_STORE,
                        help=f"store directory or SPARQL endpoint URL (default ./{DEFAULT_STORE})")


def replace_records(store, records) -> None:  # type: ignore[no-untyped-def]
    """Drop the records of the models ``records`` describes from ``store``, then add ``records`` and reason."""
    import pyoxigraph as ox

    from kg.store import reason
    from kg.vocab import RECORDS_GRAPH

    graph = ox.NamedNode(str(RECORDS_GRAPH))
    has_release = ox.NamedNode("https://w3id.org/ai-openness/ontology#hasRelease")
    for iri in records.models():
        if iri.startswith("_:"):
            continue
        model = ox.NamedNode(iri)
        releases = [q.object for q in store.quads_for_pattern(model, has_release, None, graph)]
        for subject in [model, *releases]:
            for quad in list(store.quads_for_pattern(subject, None, None, graph)):
                store.remove(quad)
    store.extend(ox.Quad(t.subject, t.predicate, t.object, graph) for t in records.triples)
    reason(store)


def run(args: argparse.Namespace) -> int:
    import pyoxigraph as ox

    from kg.records import read_files
    from kg.store import open_store, parse_store_spec, sync
    from kg.validation import validate

    spec = parse_store_spec(args.store)
    if spec.kind in ("bundled", "memory"):
        raise ConfigurationError(f"--store {args.store}: load needs a persistent store (a directory or a URL)")
    records = read_files(args.files)
    report = validate(records)
    for result in report.results:
        where = result.file or ""
        if result.row is not None:
            where += f":{result.row}"
        if result.column:
            where += f" ({result.column})"
        print(f"{where}: {result.severity}: {result.message}", file=sys.stderr)
    if not report.conforms:
        print(f"openness load: {report.violations} violation(s); nothing was loaded", file=sys.stderr)
        return 1
    backend = open_store(spec)
    try:
        before = backend.quads()
        copy = ox.Store()
        copy.extend(before)
        replace_records(copy, records)
        done = sync(backend, before, list(copy))
    finally:
        backend.close()
    models = len(records.models())
    print(f"loaded {models} model record{'s' if models != 1 else ''} into {spec}: "
          f"{done.added} statements added, {done.removed} removed", file=sys.stderr)
    return 0
