"""The bundled KG's records are traceable: every claim has a source, every record an as-of date.

Every availability claim must carry a source URL, its own (``source`` on the claim) or the record's; every
record an ``as_of`` date; every record built from a third-party dataset (``dataset:``) names that dataset
and links to its entry. ``links`` name only the registries' entry pages.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import yaml

from kg.records.plain import claims_of
from kg.resources import bundled_record_files

ENTRY_PREFIXES = ("https://github.com/lfai/model_openness_tool/blob/main/models/", "https://osai-index.eu/model/")


def records() -> Iterator[tuple[Path, Mapping[str, Any]]]:
    for path in bundled_record_files():
        for record in yaml.safe_load(path.read_text(encoding="utf-8")):
            yield path, record


def urls(value: Any) -> list[str]:
    items = value if isinstance(value, list) else [value] if value else []
    return [str(v) for v in items if str(v).startswith(("https://", "http://"))]


def test_at_least_200_models_with_unique_ids():
    ids = [r["id"] for _, r in records()]
    assert len(ids) >= 200
    assert len(ids) == len(set(ids)), "ids repeated: " + ", ".join(sorted({i for i in ids if ids.count(i) > 1}))


def test_every_claim_has_a_source():
    missing = []
    for path, record in records():
        record_sources = urls(record.get("source"))
        for slug, artifact in (record.get("artifacts") or {}).items():
            for claim in claims_of(artifact):
                if not (urls(claim.get("source")) or record_sources):
                    missing.append(f"{path.name}: {record['id']} {slug}")
    assert not missing, "claims without any source URL:\n" + "\n".join(missing)


def test_every_developer_and_family_is_an_entity():
    """A record's developer resolves to organisations (kg/data/orgs) and its family has a file
    (kg/data/families): docs/data.md, "How to add a release"."""
    from kg.entities import bundled_entities

    entities = bundled_entities()
    developers = sorted({f"{r['developer']!r} ({path.name})" for path, r in records()
                         if not entities.organisations_of(r)})
    assert not developers, ("add kg/data/orgs/<slug>.yaml, or an alias to an existing organisation, for: "
                            + ", ".join(developers))
    families = sorted({f"{r['family']!r} ({path.name})" for path, r in records()
                       if r.get("family") and r["family"] not in entities.families})
    assert not families, "add kg/data/families/<slug>.yaml for: " + ", ".join(families)


def test_every_record_has_an_as_of_date():
    bad = []
    for path, record in records():
        try:
            dt.date.fromisoformat(str(record.get("as_of")))
        except ValueError:
            bad.append(f"{path.name}: {record['id']} as_of={record.get('as_of')!r}")
    assert not bad, "records without a valid as_of date:\n" + "\n".join(bad)


def test_imported_records_name_their_dataset_and_entry():
    bad = [f"{path.name}: {r['id']}" for path, r in records()
           if "dataset" in r and not (r["dataset"] and (urls(r.get("links")) or urls(r.get("source"))))]
    assert not bad, "records with an empty dataset or no link to the dataset's entry:\n" + "\n".join(bad)


def test_links_are_registry_entry_pages():
    bad = [f"{path.name}: {r['id']} {link}" for path, r in records() for link in urls(r.get("links"))
           if not link.startswith(ENTRY_PREFIXES)]
    assert not bad, "links that are not MOT or OSAI-index entry pages:\n" + "\n".join(bad)


def test_hand_check_dates_are_real_dates_not_in_the_future():
    """A ``checked:`` date says when a person checked the record against its primary sources."""
    import datetime as dt

    today = dt.date.today().isoformat()
    bad = [r["id"] for _, r in records() if r.get("checked")
           and not (len(str(r["checked"])) == 10 and str(r["checked"]) <= today)]
    assert not bad, f"records with a malformed or future checked date: {bad}"


def test_validate_reports_no_violation(capsys):
    from kg.cli import main

    files = [str(p) for p in bundled_record_files()]
    assert main(["validate", *files]) == 0
    assert " 0 violations" in capsys.readouterr().out
