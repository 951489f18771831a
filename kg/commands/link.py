"""Link the KG's models to their entries in external registries and datasets.

Candidates come from the Model Openness Tool and OSAI-index records in the registry data folder
(``--external DIR``, else ``$OPENNESS_EXTERNAL``, else ``~/.local/share/openness/external``, or
``$XDG_DATA_HOME/openness/external``), which holds ``mot/models`` and ``osai-index``, and, with
``--wikidata-endpoint``, from a Wikidata search by name. Only exact matches (a shared Hub repo, or the
one entry with the same name) are written, as an SSSOM mapping table (or ``skos:exactMatch`` triples
with ``--format turtle``); the ambiguous ones go to ``--review FILE`` and are counted on standard error,
with the conflicts between what the KG and the linked entries say. ``--write`` adds the exact MOT and
OSAI-index links to the YAML record files' ``links:`` (links already there, e.g. added by hand, stay)
and the exact Wikidata items as ``wikidata:`` to the records that name none yet.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

NAME = "link"
HELP = "link models to their Hub, Wikidata, MOT and OSAI-index entries (SSSOM mapping table)"


def configure(parser: argparse.ArgumentParser) -> None:
    """Declare the command's arguments."""
    parser.add_argument("files", nargs="*", metavar="FILE", help="record files (default: the bundled KG)")
    parser.add_argument("--external", metavar="DIR", help="folder holding mot/models and osai-index")
    parser.add_argument("--wikidata-endpoint", metavar="URL", help="also search Wikidata at this SPARQL endpoint")
    parser.add_argument("--format", choices=("sssom", "turtle"), default="sssom", help="output format")
    parser.add_argument("-o", "--output", metavar="FILE", help="write to FILE instead of standard output")
    parser.add_argument("--review", metavar="FILE", help="write the ambiguous candidates (SSSOM) to FILE")
    parser.add_argument("--write", action="store_true",
                        help="add the exact MOT and OSAI-index links to the records' links: field and the exact "
                             "Wikidata items as wikidata: (YAML files)")


def default_external() -> tuple[Path, str]:
    """The registry data folder when ``--external`` is not given, and where that choice came from:
    ``$OPENNESS_EXTERNAL``, else the user's data folder (``$XDG_DATA_HOME`` or ``~/.local/share``)
    ``/openness/external``, which does not depend on where the package is installed."""
    env = os.environ.get("OPENNESS_EXTERNAL")
    if env:
        return Path(env), "$OPENNESS_EXTERNAL"
    data_home = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(data_home) / "openness" / "external", "the default folder"


def run(args: argparse.Namespace) -> int:
    """Gather models and entries, match, write."""
    from kg.commands.output import write_to
    from kg.linking import WIKIDATA, find_links, write_sssom
    from kg.records import read_files, records_from_triples

    files = _record_files(args)
    models = records_from_triples(read_files(files).triples)
    entries, records_by_iri, compared = _registry_entries(args)
    if args.wikidata_endpoint:
        wikidata = _wikidata(models, args.wikidata_endpoint, records_by_iri)
        entries.extend(wikidata)
        compared.append(f"{len(wikidata)} Wikidata items found by name ({args.wikidata_endpoint})")
    links = find_links(models, entries)
    exact = [link for link in links if link.exact]
    review = [link for link in links if not link.exact]
    description = "Exact matches between AI Openness KG models and registry entries"
    if args.format == "turtle":
        write_to(args.output, lambda out: _write_turtle(exact, out))
    else:
        write_to(args.output, lambda out: write_sssom(exact, out, description=description))
    if args.review:
        write_to(args.review, lambda out: write_sssom(
            review, out, description="Candidate matches for a person to decide (not written to the KG)"))
    source = "the bundled KG" if not args.files else f"{len(files)} file{'s' if len(files) != 1 else ''}"
    print(f"openness link: compared {len(models)} models ({source}) with " + ", ".join(compared), file=sys.stderr)
    _report(models, exact, review, args.review, records_by_iri)
    if args.write:
        _write_links(files, [link for link in exact if link.entry.dataset != WIKIDATA])
        _write_wikidata(files, [link for link in exact if link.entry.dataset == WIKIDATA])
    return 0


def _record_files(args: argparse.Namespace) -> list[Path]:
    """The record files to link (default: the bundled KG's); ``--write`` needs them all to be YAML."""
    from kg.errors import OpennessError
    from kg.resources import bundled_record_files

    files = [Path(f) for f in args.files] or bundled_record_files()
    if args.write:
        not_yaml = [str(f) for f in files if f.suffix.lower() not in (".yaml", ".yml")]
        if not_yaml:
            raise OpennessError(f"{not_yaml[0]}: --write edits YAML record files only")
    return files


def _registry_entries(args: argparse.Namespace) -> tuple[list[Any], dict[str, dict], list[str]]:
    """The MOT and OSAI-index entries of the registry data folder, the imported record behind each entry
    IRI, and one line per dataset read (for the summary)."""
    from kg.errors import OpennessError
    from kg.importers.files import import_mot
    from kg.importers.osai import import_records as import_osai
    from kg.importers.registry import ImportOptions
    from kg.linking import entries_from_records

    external, chosen_by = (Path(args.external), "--external") if args.external else default_external()
    mot_dir, osai_dir = external / "mot" / "models", external / "osai-index"
    if not mot_dir.is_dir() and not osai_dir.is_dir() and not args.wikidata_endpoint:
        raise OpennessError(
            f"no registry data: {external} ({chosen_by}) has no mot/models or osai-index folder; give --external "
            "DIR or set OPENNESS_EXTERNAL to a folder holding mot/models (the Model Openness Tool's model files) "
            "and/or osai-index (the OSAI index's files), or search Wikidata with --wikidata-endpoint URL")
    records_by_iri: dict[str, dict] = {}
    entries: list[Any] = []
    compared: list[str] = []
    for folder, importer, dataset in ((mot_dir, import_mot, "Model Openness Tool"),
                                      (osai_dir, import_osai, "OSAI index")):
        if not folder.is_dir():
            continue
        found = 0
        for record in importer([str(folder)], ImportOptions()).records:
            for entry in entries_from_records([record], dataset):
                entries.append(entry)
                records_by_iri[entry.iri] = record
                found += 1
        compared.append(f"{found} {dataset} entries ({folder})")
    return entries, records_by_iri, compared


def _report(models: list[dict], exact: list[Any], review: list[Any], review_file: str | None,
            records_by_iri: dict[str, dict]) -> None:
    """The summary on standard error: exact links per dataset, candidates, and each conflict."""
    conflicts = _conflicts(models, exact, records_by_iri)
    per_dataset: dict[str, int] = {}
    for link in exact:
        per_dataset[link.entry.dataset] = per_dataset.get(link.entry.dataset, 0) + 1
    linked_models = len({link.model for link in exact})
    found_per = " (" + ", ".join(f"{d} {n}" for d, n in sorted(per_dataset.items())) + ")" if exact else ""
    print(f"openness link: {len(exact)} exact links{found_per}"
          + f" for {linked_models} of {len(models)} models; {len(review)} candidates to review"
          + (f" (in {review_file})" if review_file else " (write them with --review FILE)")
          + f"; {len(conflicts)} conflicts between the KG and linked entries", file=sys.stderr)
    for conflict in conflicts:
        print(f"openness link: conflict: {conflict.describe()}", file=sys.stderr)


def _write_links(files: list[Path], exact: list[Any]) -> None:
    """Add the exact links to each YAML file's records, rewriting only the files that change."""
    from kg.linking import add_links_to_yaml

    by_model: dict[str, set[str]] = {}
    for link in exact:
        by_model.setdefault(link.model, set()).add(link.entry.iri)
    total = _rewrite(files, lambda text: add_links_to_yaml(text, by_model), "links added to")
    print(f"openness link: {total} records got new links", file=sys.stderr)


def _write_wikidata(files: list[Path], exact: list[Any]) -> None:
    """Add each exact Wikidata item as ``wikidata:`` to its record, where the record names none yet."""
    from kg.importers.wikidata import ENTITY
    from kg.linking import add_wikidata_to_yaml

    by_model: dict[str, set[str]] = {}
    for link in exact:
        by_model.setdefault(link.model, set()).add(link.entry.iri.removeprefix(ENTITY))
    for model, qids in sorted(by_model.items()):
        if len(qids) > 1:
            print(f"openness link: {model}: several Wikidata items match ({', '.join(sorted(qids))}); "
                  "none written", file=sys.stderr)
    single = {model: next(iter(qids)) for model, qids in by_model.items() if len(qids) == 1}
    total = _rewrite(files, lambda text: add_wikidata_to_yaml(text, single), "Wikidata items added to")
    print(f"openness link: {total} records got a Wikidata item", file=sys.stderr)


def _rewrite(files: list[Path], edit: Callable[[str], tuple[str, list[str]]], what: str) -> int:
    """Apply ``edit`` to each file's text, writing only the files it changes; the number of records changed."""
    from kg.errors import OpennessError

    total = 0
    for path in files:
        try:
            new, changed = edit(path.read_text(encoding="utf-8"))
        except ValueError as exc:
            raise OpennessError(f"{path}: {exc}") from None
        if changed:
            path.write_text(new, encoding="utf-8")
            total += len(changed)
            print(f"openness link: {path}: {what} {', '.join(changed)}", file=sys.stderr)
    return total


def _wikidata(models: list[dict], endpoint: str, records_by_iri: dict[str, dict]) -> list[Any]:
    from kg.importers.registry import ImportOptions
    from kg.importers.wikidata import ENTITY, import_records
    from kg.linking import WIKIDATA, Entry

    names = list(dict.fromkeys(str(m.get("name") or m["id"]) for m in models if not m.get("wikidata")))
    result = import_records([], ImportOptions(endpoint=endpoint, search=tuple(names)))
    failures = [p for p in result.problems if "no item has this" not in p]
    for problem in failures[:5]:
        print(f"openness link: {problem}", file=sys.stderr)
    entries = []
    for record in result.records:
        entry = Entry(ENTITY + str(record["wikidata"]), str(record.get("name")), WIKIDATA,
                      str(record.get("developer") or ""))
        records_by_iri[entry.iri] = record
        entries.append(entry)
    return entries


def _conflicts(models: list[dict], exact: list[Any], records_by_iri: dict[str, dict]) -> list[Any]:
    from kg.merge import merge_group

    by_model: dict[str, list[dict]] = {}
    for link in exact:
        if link.entry.iri in records_by_iri:
            by_model.setdefault(link.model, []).append(records_by_iri[link.entry.iri])
    conflicts = []
    for model in models:
        linked = by_model.get(str(model["id"]))
        if linked:
            conflicts.extend(merge_group([model, *linked])[1])
    return conflicts


def _write_turtle(links: list[Any], out: Any) -> None:
    out.write("@prefix skos: <http://www.w3.org/2004/02/skos/core#> .\n\n")
    for link in links:
        out.write(f"<https://w3id.org/ai-openness/model/{link.model}> skos:exactMatch <{link.entry.iri}> .\n")
