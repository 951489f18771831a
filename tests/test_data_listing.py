"""Every MOT and OSAI-index entry is in the KG (linked from a record) or listed in docs/data.md with a reason.

docs/data.md, "MOT and OSAI-index entries not linked to a record", holds one table row per entry no record
links to, and a sentence with the counts by reason. These tests keep the table and the sentence true as
records are added: a linked entry leaves the table, an unlinked one must be in it, and the counts add up.
"""

from __future__ import annotations

import re
from collections import Counter
from urllib.parse import unquote

import yaml

from kg.resources import bundled_record_files
from tests.conftest import EXTERNAL
from tests.test_crosscheck import DATA_DOC, pytestmark  # noqa: F401 (same skip reason)

#: The reasons an entry may have for not being linked, as each row's status begins.
REASONS = ("too little evidence", "in the KG", "not a model", "duplicate")
SECTION = "## MOT and OSAI-index entries not linked to a record"
ROW = re.compile(r"^\| (MOT|OSAI) \| \[[^\]]+\]\(([^)]+)\) \| (.+) \|$")


def entry_key(iri: str) -> str:
    """An entry IRI with its escapes undone (``Gemma%20Japanese`` and ``Gemma Japanese`` are one entry)."""
    return unquote(iri.strip())


def registry_entries() -> set[str]:
    """Every entry of the two registries, one per file (the OSAI index's submission template included)."""
    mot = {f"https://github.com/lfai/model_openness_tool/blob/main/models/{p.name}"
           for p in (EXTERNAL / "mot" / "models").glob("*.yml")}
    osai = {f"https://osai-index.eu/model/{p.stem}" for p in (EXTERNAL / "osai-index").glob("*.yaml")}
    return mot | osai


def linked_entries() -> set[str]:
    out: set[str] = set()
    for path in bundled_record_files():
        for record in yaml.safe_load(path.read_text(encoding="utf-8")):
            links = record.get("links") or []
            out.update(entry_key(str(iri)) for iri in (links if isinstance(links, list) else [links]))
    return out


def listed_rows() -> list[tuple[str, str, str]]:
    """(registry, entry IRI, status) of each row of the section's table."""
    text = DATA_DOC.read_text(encoding="utf-8")
    section = text.split(SECTION, 1)[1].split("\n## ", 1)[0]
    return [(m[1], entry_key(m[2]), m[3]) for line in section.splitlines() if (m := ROW.match(line))]


def reason_of(status: str) -> str | None:
    return next((r for r in REASONS if status.startswith(r)), None)


def test_every_entry_is_linked_or_listed_once():
    entries = registry_entries()
    linked = linked_entries() & entries
    rows = listed_rows()
    counts = Counter(iri for _, iri, _ in rows)
    assert not [i for i, n in counts.items() if n > 1], "entries listed twice in docs/data.md"
    assert not set(counts) - entries, f"rows naming no MOT/OSAI entry: {sorted(set(counts) - entries)}"
    assert not set(counts) & linked, \
        f"linked entries still listed as not linked (remove their rows): {sorted(set(counts) & linked)}"
    missing = entries - linked - set(counts)
    assert not missing, f"entries neither linked nor listed in docs/data.md: {sorted(missing)}"


def test_every_row_gives_a_reason():
    unexplained = [(iri, status) for _, iri, status in listed_rows() if reason_of(status) is None]
    assert not unexplained, f"rows whose status starts with none of {REASONS}: {unexplained}"


def test_the_counts_sentence_is_current():
    entries = registry_entries()
    rows = listed_rows()
    by_reason = Counter(reason_of(status) for _, _, status in rows)
    mot = sum(1 for iri in entries if "model_openness_tool" in iri)
    sentence = re.search(r"Every entry of the Model Openness Tool \((\d+)\) and of the OSAI index \((\d+)\).*?"
                         r"(\d+) entries are linked.*?The (\d+) others are listed here with the reason: ([^.]+)\.",
                         DATA_DOC.read_text(encoding="utf-8"), re.S)
    assert sentence, "docs/data.md lost the counts sentence above the table of unlinked entries"
    stated = {reason: int(n) for n, reason in re.findall(r"(\d+) ([a-zA-Z ]+?)(?: \([^)]*\))?(?:,|$)",
                                                          sentence[5])}
    want = {reason: n for reason, n in by_reason.items() if reason}
    expected = (f"{mot}, {len(entries) - mot}, {len(entries) - len(rows)}, {len(rows)}, "
                + ", ".join(f"{n} {r}" for r, n in by_reason.most_common()))
    assert (int(sentence[1]), int(sentence[2]), int(sentence[3]), int(sentence[4]), stated) == \
        (mot, len(entries) - mot, len(entries) - len(rows), len(rows), want), f"update the sentence: {expected}"
