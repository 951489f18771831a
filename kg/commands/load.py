"""Validate records, reason over them and add them to a persistent store.

A record whose model is already in the store replaces the stored record, and the command names each model
it replaced; with --merge it is merged with the stored record instead (every claim kept with its source, the
conflicts listed, as 'openness import --merge' does). Nothing is written when a file is unreadable (exit 2)
or when validation finds violations (exit 1, with the report); warnings are printed and loaded. --store is a
store directory (created, with the bundled KG, when new) or a SPARQL endpoint URL.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from kg.errors import ConfigurationError

NAME = "load"
HELP = "validate, reason and add records to a persistent store (replacing, or with --merge merging, stored ones)"
DEFAULT_STORE = "openness-store"


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("files", nargs="+", type=Path, metavar="FILE", help="record files (any record format)")
    parser.add_argument("--store", default=DEFAULT_STORE,
                        help=f"store directory or SPARQL endpoint URL (default ./{DEFAULT_STORE})")
    parser.add_argument("--merge", action="store_true",
                        help="merge each record with the stored record of its model instead of replacing it")


def stored_records(store: Any, models: list[str]) -> dict[str, list[Any]]:
    """Model IRI -> the quads of its stored record: the model's own, its releases', states' and derivations'
    (every subject ``<model>`` or ``<model>#...``), plus the labels of the free-text licences they name."""
    import pyoxigraph as ox

    from kg.vocab import RECORDS_GRAPH

    graph = ox.NamedNode(str(RECORDS_GRAPH))
    wanted = {iri: [] for iri in models if not iri.startswith("_:")}
    blank: dict[Any, list[Any]] = {}
    for quad in store.quads_for_pattern(None, None, None, graph):
        if isinstance(quad.subject, ox.NamedNode):
            owner = wanted.get(quad.subject.value.split("#", 1)[0])
            if owner is not None:
                owner.append(quad)
        elif isinstance(quad.subject, ox.BlankNode):
            blank.setdefault(quad.subject, []).append(quad)
    for quads in wanted.values():
        quads.extend(q for o in {q.object for q in quads if isinstance(q.object, ox.BlankNode)}
                     for q in blank.get(o, []))
    return {iri: quads for iri, quads in wanted.items() if quads}


def _plain(triples: list[Any]) -> dict[str, Any]:
    from kg.records import records_from_triples

    found = records_from_triples(triples)
    return found[0] if found else {}


def merged_record(stored: dict[str, Any], new: dict[str, Any]) -> tuple[dict[str, Any], list[Any]]:
    """``new`` merged into ``stored`` (kg.merge rules for claims); fields kg.merge does not combine come from
    ``new`` where it gives them, else from ``stored``."""
    from kg.merge import merge_group
    from kg.records.fields import RECORD_KEYS

    record, conflicts = merge_group([stored, new])
    for key in RECORD_KEYS:
        if key not in record:
            value = new.get(key) if new.get(key) not in (None, "", [], {}) else stored.get(key)
            if value not in (None, "", [], {}):
                record[key] = value
    return record, conflicts


def apply_records(store: Any, records: Any, merge: bool = False) -> list[str]:
    """Put ``records`` into ``store``'s records graph, replacing (or merging with) the stored records of their
    models, then rebuild the derived graphs; returns one line per model that was already there."""
    import pyoxigraph as ox

    from kg.records import records_from_triples, records_to_recordset
    from kg.records.plain import model_node
    from kg.store import load_records

    stored = stored_records(store, records.models())
    notes: list[str] = []
    if merge and stored:
        plain = records_from_triples(list(records.triples))
        out = []
        for record in plain:
            iri = model_node(record.get("id"), "new").value if record.get("id") else ""
            if iri in stored:
                record, conflicts = merged_record(_plain([q.triple for q in stored[iri]]), record)
                notes.append(f"merged {record['id']} with its stored record"
                             + (f" ({len(conflicts)} conflict{'s' if len(conflicts) != 1 else ''})" if conflicts
                                else ""))
                notes.extend(f"  conflict: {c.describe()}" for c in conflicts)
            out.append(record)
        records = records_to_recordset(out)
    else:
        for iri, quads in stored.items():
            notes.append(f"replaced {iri.rsplit('/', 1)[-1]}: its stored record ({len(quads)} statements) gave way "
                         "to the new one (--merge keeps the stored claims)")
    for quads in stored.values():
        for quad in quads:
            if not isinstance(quad.subject, ox.BlankNode):  # free-text licences may be shared: kept
                store.remove(quad)
    load_records(store, records)
    return notes


def _where(result: Any) -> str:
    """``file:row (column c): record``: where a validation result is, as far as the input tells."""
    where = (result.file or "(input)") + (f":{result.row}" if result.row is not None else "")
    if result.column:
        where += f" (column {result.column})"
    return f"{where}: {result.record_label}" if result.record_label else where


def run(args: argparse.Namespace) -> int:
    from kg.records import read_files
    from kg.store import change_via_copy, open_store, parse_store_spec
    from kg.validation import validate
    from kg.validation.render import severity_label

    spec = parse_store_spec(args.store)
    if spec.kind in ("bundled", "memory"):
        raise ConfigurationError(f"--store {args.store}: load needs a persistent store (a directory or a URL)")
    records = read_files(args.files)
    report = validate(records)
    for result in report.results:
        print(f"{_where(result)}: {severity_label(result.severity)}: {result.message}", file=sys.stderr)
    if not report.conforms:
        print(f"openness load: {report.violations} violation(s); nothing was loaded", file=sys.stderr)
        return 1
    backend = open_store(spec)
    notes: list[str] = []
    try:
        done = change_via_copy(backend, lambda copy: notes.extend(apply_records(copy, records, merge=args.merge)))
    finally:
        backend.close()
    for note in notes:
        print(f"openness load: {note}", file=sys.stderr)
    models = len(records.models())
    print(f"loaded {models} model record{'s' if models != 1 else ''} into {spec}: "
          f"{done.added} statements added, {done.removed} removed", file=sys.stderr)
    return 0
