"""The coverage table of a set of records: models by openness category, by developer, by artifact status.

Generated (``openness coverage``), never written by hand, so that docs/coverage.md cannot drift from the
bundled data; tests/test_coverage.py regenerates it and compares.
"""

from __future__ import annotations

import csv
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, TextIO

from kg.records.plain import claims_of
from kg.sources import artifacts_on_secondary_pages, secondary_hosts

CATEGORIES = ("open-source", "open-weight", "closed-source", "unclassified")
STATUSES = ("public", "gated", "not-released", "unknown", "not stated")
ARTIFACTS = ("weights", "architecture", "training_code", "training_data", "intermediate_weights", "inference_code",
             "evaluation_code", "preprocessing_code", "api", "model_card", "data_card", "technical_report",
             "research_paper", "evaluation_results")

Table = tuple[str, Sequence[str], list[list[Any]]]


def status(artifact: Any) -> str:
    """One status per artifact: its availability; several claims that differ give the least open one."""
    if artifact is None:
        return "not stated"
    values = {str(c.get("availability", "unknown")) for c in claims_of(artifact)}
    for value in ("unknown", "not-released", "gated", "public"):
        if value in values:
            return value
    return "unknown"


def tables(records: Sequence[Mapping[str, Any]], categories: Mapping[str, str],
           entities: Any = None) -> list[Table]:
    """The coverage tables: (title, header, rows); ``categories`` maps record id to openness category.

    Developers are organisations (``/org/`` entities, ``entities`` a ``kg.entities.Entities``, the bundled ones
    by default), so that two spellings of one developer make one row; a joint release counts for each.
    """
    by_category = Counter(categories.get(str(r["id"]), "unclassified") for r in records)
    category_rows = [[c, by_category[c]] for c in CATEGORIES] + [["total", len(records)]]
    ents = _entities(entities)
    developer_rows = _count_rows({_org_name(ents, key): Counter(categories.get(str(r["id"]), "unclassified")
                                                                for r in rs)
                                  for key, rs in per_organisation(records, ents).items()})
    artifact_rows = []
    for slug in ARTIFACTS:
        counts = Counter(status((r.get("artifacts") or {}).get(slug)) for r in records)
        artifact_rows.append([slug, *(counts[s] for s in STATUSES)])
    provenance_rows = []
    for label, test in PROVENANCE:
        counts = Counter(categories.get(str(r["id"]), "unclassified") for r in records if test(r))
        provenance_rows.append([label, *(counts[c] for c in CATEGORIES), sum(counts.values())])
    return [
        ("Models by openness category", ("category", "models"), category_rows),
        ("Models by developer", ("developer", *CATEGORIES, "total"), developer_rows),
        ("Models by artifact status", ("artifact", *STATUSES), artifact_rows),
        ("Links and checks", ("records that", *CATEGORIES, "total"), provenance_rows),
    ]


def entity_tables(records: Sequence[Mapping[str, Any]], categories: Mapping[str, str],
                  entities: Any = None) -> list[Table]:
    """Tables over the organisations (newest release of each, by country, by kind), years, modalities and
    the structure fields (families, lineage, dated claims). ``entities``: a ``kg.entities.Entities``."""
    from kg.records.plain import as_list

    ents = _entities(entities)
    per_org = per_organisation(records, ents)
    newest_rows = []
    for slug, rs in sorted(per_org.items(), key=lambda kv: _org_name(ents, kv[0]).casefold()):
        newest = max(rs, key=lambda r: (str(r.get("date") or ""), str(r["id"])))
        org = ents.orgs.get(slug)
        newest_rows.append([_org_name(ents, slug), org.kind if org else "", (org.country or "") if org else "",
                            len(rs), str(newest.get("date") or "?"), f"{newest.get('name')} (`{newest['id']}`)"])
    by_country = _grouped(per_org, categories, lambda slug: (ents.orgs[slug].country or "(international)")
                          if slug in ents.orgs else "(none)")
    by_kind = _grouped(per_org, categories, lambda slug: ents.orgs[slug].kind if slug in ents.orgs else "(none)")
    years: dict[str, Counter] = {}
    modalities: dict[str, Counter] = {}
    for r in records:
        category = categories.get(str(r["id"]), "unclassified")
        years.setdefault(str(r.get("date") or "?")[:4], Counter())[category] += 1
        for modality in as_list(r.get("modality")) or ["(not stated)"]:
            modalities.setdefault(str(modality), Counter())[category] += 1
    return [
        ("Newest release per organisation", ("organisation", "kind", "country", "models", "newest release",
                                             "model"), newest_rows),
        ("Models by country of the developer", ("country", *CATEGORIES, "total"), by_country),
        ("Models by kind of developer", ("kind", *CATEGORIES, "total"), by_kind),
        ("Models by year of release", ("year", *CATEGORIES, "total"), _count_rows(years, by_total=False)),
        ("Models by modality", ("modality", *CATEGORIES, "total"), _count_rows(modalities)),
        ("Families, lineage and dated claims", ("what", "count"), structure_rows(records, ents)),
        ("Records that cite secondary pages", ("model", "secondary pages cited", "artifacts backed by them alone"),
         secondary_rows(records)),
    ]


def secondary_rows(records: Sequence[Mapping[str, Any]]) -> list[list[Any]]:
    """Each record that cites a page outside kg/data/primary-sources.yaml: its hosts, and the artifacts
    whose claims rest on such pages alone (the rest back record-level facts such as the date)."""
    rows = []
    for r in sorted(records, key=lambda r: str(r["id"])):
        hosts = secondary_hosts(r)
        if hosts:
            rows.append([f"`{r['id']}`", ", ".join(hosts), ", ".join(artifacts_on_secondary_pages(r)) or "-"])
    return rows


def _entities(entities: Any) -> Any:
    from kg.entities import bundled_entities

    return entities if entities is not None else bundled_entities()


def per_organisation(records: Sequence[Mapping[str, Any]], ents: Any) -> dict[str, list[Mapping[str, Any]]]:
    """Records by organisation slug; a record whose developer names no organisation goes under its developer
    text (or "(none)"), so it still shows and its row says which organisation file is missing."""
    from kg.records.plain import as_list, text

    per_org: dict[str, list[Mapping[str, Any]]] = {}
    for r in records:
        keys = ents.organisations_of(r) or [" / ".join(text(d) for d in as_list(r.get("developer"))) or "(none)"]
        for key in keys:
            per_org.setdefault(key, []).append(r)
    return per_org


def _org_name(ents: Any, slug: str) -> str:
    return ents.orgs[slug].name if slug in ents.orgs else slug


def _grouped(per_org: Mapping[str, list[Mapping[str, Any]]], categories: Mapping[str, str],
             key: Any) -> list[list[Any]]:
    """Models by a property of their organisations; a joint release counts once per value."""
    groups: dict[str, dict[str, str]] = {}
    for slug, rs in per_org.items():
        models = groups.setdefault(key(slug), {})
        for r in rs:
            models[str(r["id"])] = categories.get(str(r["id"]), "unclassified")
    return _count_rows({value: Counter(models.values()) for value, models in groups.items()})


def _count_rows(counts: Mapping[str, Counter], by_total: bool = True) -> list[list[Any]]:
    rows = [[key, *(c[k] for k in CATEGORIES), sum(c.values())] for key, c in counts.items()]
    if by_total:
        return sorted(rows, key=lambda row: (-row[-1], str(row[0]).casefold()))
    return sorted(rows, key=lambda row: str(row[0]))


def structure_rows(records: Sequence[Mapping[str, Any]], ents: Any) -> list[list[Any]]:
    """How much of the KG uses the fields of docs/design.md section 7."""
    from kg.records.entity_fields import derivations_of
    from kg.records.plain import as_list

    links = Counter()
    history = 0
    for r in records:
        for link in derivations_of(r, as_list):
            links[str(link.get("kind") or "(kind not given)")] += 1
        for entry in (r.get("artifacts") or {}).values():
            history += sum(1 for claim in claims_of(entry) if claim.get("history"))
    named = {str(r["family"]) for r in records if r.get("family")}
    rows: list[list[Any]] = [
        ["organisations", len(ents.orgs)],
        ["families (with a file)", len(ents.families)],
        ["families named by records", len(named)],
        ["models in a family", sum(1 for r in records if r.get("family"))],
        ["models with a base (lineage)", sum(1 for r in records if r.get("based_on"))],
        ["lineage links", sum(links.values())],
    ]
    rows += [[f"lineage links: {kind}", n] for kind, n in sorted(links.items())]
    rows += [
        ["claims with a dated history", history],
        ["models with a modality", sum(1 for r in records if r.get("modality"))],
        ["models with a parameter count", sum(1 for r in records if r.get("parameters"))],
    ]
    return rows


def _links(record: Mapping[str, Any], marker: str) -> bool:
    links = record.get("links") or []
    return any(marker in str(link) for link in (links if isinstance(links, list) else [links]))


#: What the provenance table counts: hand checks and links to the registries (docs/design.md section 3).
PROVENANCE: tuple[tuple[str, Any], ...] = (
    ("were checked by hand against primary sources (`checked`)", lambda r: bool(r.get("checked"))),
    ("cite only primary pages (kg/data/primary-sources.yaml)", lambda r: not secondary_hosts(r)),
    ("name a Hugging Face repo (`huggingface`)", lambda r: bool(r.get("huggingface"))),
    ("name a Wikidata item (`wikidata`)", lambda r: bool(r.get("wikidata"))),
    ("link a Model Openness Tool entry", lambda r: _links(r, "lfai/model_openness_tool")),
    ("link an OSAI-index entry", lambda r: _links(r, "osai-index.eu")),
)


def bundled_tables() -> list[Table]:
    """The coverage tables of the bundled knowledge graph, classified by the reasoner."""
    import yaml

    from kg.reasoner import classify_records
    from kg.resources import bundled_record_files

    records: list[Mapping[str, Any]] = []
    for path in bundled_record_files():
        records.extend(yaml.safe_load(path.read_text(encoding="utf-8")) or [])
    categories = {c.id: c.category for c in classify_records(records)}
    return tables(records, categories) + entity_tables(records, categories)


def write_markdown(data: Iterable[Table], out: TextIO) -> None:
    """The tables as Markdown, under a heading that says how to regenerate them."""
    out.write("# Coverage of the bundled knowledge graph\n\n")
    out.write("Generated by `openness coverage --format markdown > docs/coverage.md` from `kg/data/models/`; do not\n"
              "edit by hand (`tests/test_coverage.py` fails when this file and the data differ). Categories are\n"
              "the reasoner's (`openness classify`); an artifact's status is its availability, the least open one\n"
              "where a record lists several claims, \"not stated\" where the record says nothing about it.\n")
    for title, header, rows in data:
        out.write(f"\n## {title}\n\n")
        out.write("| " + " | ".join(header) + " |\n")
        out.write("|" + "|".join("---" if i == 0 else "--:" for i in range(len(header))) + "|\n")
        for row in rows:
            out.write("| " + " | ".join(str(v) for v in row) + " |\n")


def write_csv(data: Iterable[Table], out: TextIO) -> None:
    """The tables as one CSV: table, row, column, count."""
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(("table", "row", "column", "count"))
    for title, header, rows in data:
        for row in rows:
            for column, value in zip(header[1:], row[1:], strict=True):
                writer.writerow((title, row[0], column, value))
