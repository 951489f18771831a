"""Finding the external entries (MOT, OSAI index, Wikidata) that describe the KG's models.

A link is *exact* when the entry names one of the model's Hub repos (a shared identifier) and its own name
does not contradict that, when its name equals the model's name (letters and digits, case ignored), no
other entry of that dataset has that name and it names no Hub repo the model lacks, or when the record's
``links`` already name it (a person decided).
Anything weaker (the entry names the model's family, or shares the developer and most name words) is a
*candidate* for a person to decide; only exact links are written as ``skos:exactMatch``. The mapping
table is SSSOM (https://w3id.org/sssom/): TSV with a YAML metadata header.
"""

from __future__ import annotations

import datetime as _dt
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TextIO
from urllib.parse import unquote

SKOS_EXACT = "skos:exactMatch"
SKOS_CLOSE = "skos:closeMatch"
BY_IDENTIFIER = "semapv:DatabaseCrossReference"
BY_NAME = "semapv:LexicalMatching"
BY_SIMILARITY = "semapv:LexicalSimilarityThresholdMatching"
BY_CURATION = "semapv:ManualMappingCuration"
#: The ``dataset`` of entries found by a Wikidata search.
WIKIDATA = "Wikidata"

CURIE_MAP = {
    "model": "https://w3id.org/ai-openness/model/",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "semapv": "https://w3id.org/semapv/vocab/",
    "osai": "https://osai-index.eu/model/",
    "mot": "https://github.com/lfai/model_openness_tool/blob/main/models/",
    "wd": "http://www.wikidata.org/entity/",
    "hf": "https://huggingface.co/",
}
COLUMNS = ("subject_id", "subject_label", "predicate_id", "object_id", "object_label", "mapping_justification",
           "confidence", "object_source", "comment")


@dataclass(frozen=True)
class Entry:
    """An external entry that may describe a model."""

    iri: str
    name: str
    dataset: str
    developer: str = ""
    repos: tuple[str, ...] = ()


@dataclass(frozen=True)
class Link:
    """A mapping from a KG model to an entry; ``exact`` links are written, the others reviewed."""

    model: str
    model_name: str
    entry: Entry
    exact: bool
    justification: str
    confidence: float
    comment: str = ""


def norm(text: str) -> str:
    """A name reduced to lowercase letters and digits, for exact name comparison.

    >>> norm("Llama-3.1 8B"), norm("llama 3.1-8b")
    ('llama318b', 'llama318b')
    """
    return re.sub(r"[^a-z0-9]", "", text.lower())


def _words(text: str) -> set[str]:
    return set(re.findall(r"[a-z0-9]+(?:\.[0-9]+)*", text.lower()))


def entries_from_records(records: Iterable[Mapping[str, Any]], dataset: str) -> list[Entry]:
    """Entries from imported records: the entry IRI is the record's first link, else its first source."""
    out = []
    for r in records:
        iri = next(iter(_list(r.get("links"))), None) or next(iter(_list(r.get("source"))), None)
        if not iri:
            continue
        repos = [str(v).lower() for v in _list(r.get("huggingface"))]
        repos += [repo for repo in _weight_repos(r) if repo not in repos]
        out.append(Entry(str(iri), str(r.get("name") or r.get("id")), dataset, str(r.get("developer") or ""),
                         tuple(repos)))
    return out


def _weight_repos(record: Mapping[str, Any]) -> list[str]:
    """Hub repos (``owner/name``, lowercase) that the record's weights claims point at."""
    weights = (record.get("artifacts") or {}).get("weights")
    out = []
    for claim in weights if isinstance(weights, list) else [weights]:
        if isinstance(claim, Mapping):
            for url in _list(claim.get("url")):
                m = re.match(r"https://huggingface\.co/([\w.-]+/[\w.-]+)", str(url))
                if m and _is_model_repo(m.group(1)):
                    out.append(m.group(1).lower())
    return out


def _is_model_repo(repo: str) -> bool:
    """Whether ``owner/name`` can be a model repo (not a Hub page such as ``papers/2309.16609``)."""
    return repo.split("/")[0].lower() not in ("datasets", "spaces", "collections", "docs", "papers", "blog")


def _list(value: Any) -> list:
    if value is None:
        return []
    return [v for v in value if v] if isinstance(value, (list, tuple)) else [value]


def find_links(models: Sequence[Mapping[str, Any]], entries: Sequence[Entry]) -> list[Link]:
    """Exact links and candidates for each model among ``entries``."""
    index = _EntryIndex.of(entries)
    links: list[Link] = []
    for m in models:
        links.extend(_links_for_model(m, entries, index).values())
    return _prefer_identifier(links)


@dataclass(frozen=True)
class _EntryIndex:
    """The entries by Hub repo they name, by (dataset, normalised name), and the datasets in order."""

    by_repo: dict[str, list[Entry]]
    by_name: dict[tuple[str, str], list[Entry]]
    datasets: list[str]

    @classmethod
    def of(cls, entries: Sequence[Entry]) -> _EntryIndex:
        by_repo: dict[str, list[Entry]] = {}
        by_name: dict[tuple[str, str], list[Entry]] = {}
        for e in entries:
            for repo in e.repos:
                by_repo.setdefault(repo, []).append(e)
            by_name.setdefault((e.dataset, norm(e.name)), []).append(e)
        return cls(by_repo, by_name, sorted({e.dataset for e in entries}))


def _links_for_model(m: Mapping[str, Any], entries: Sequence[Entry], index: _EntryIndex) -> dict[str, Link]:
    """One model's links by entry IRI: by shared repo, then by name per dataset, then candidates, then stated."""
    mid, mname = str(m["id"]), str(m.get("name") or m["id"])
    developer = str(m.get("developer") or "")
    repos = [str(r).lower() for r in _list(m.get("huggingface"))]
    found: dict[str, Link] = {}
    for repo in repos:
        for e in index.by_repo.get(repo, []):
            found.setdefault(e.iri, _repo_link(mid, mname, e, repo, index.by_repo[repo]))
    for dataset in index.datasets:
        named = [e for e in index.by_name.get((dataset, norm(mname)), []) if e.iri not in found]
        found.update(_name_links(mid, mname, developer, repos, named, found))
    for e in entries:
        reason = None if e.iri in found else _candidate_reason(mname, developer, e)
        if reason:
            found[e.iri] = Link(mid, mname, e, False, BY_SIMILARITY, 0.5, reason)
    stated = {str(v) for v in _list(m.get("links"))}
    for e in entries:
        if e.iri in stated and not (e.iri in found and found[e.iri].exact):
            found[e.iri] = Link(mid, mname, e, True, BY_CURATION, 1.0, "stated in the record's links")
    return found


def _name_links(mid: str, mname: str, developer: str, repos: Sequence[str], named: Sequence[Entry],
                found: Mapping[str, Link]) -> dict[str, Link]:
    """Links to the entries of one dataset that bear the model's name and are not linked yet (``named``).

    The only one is a match unless the dataset already has an exact link for the model; several are
    ambiguous, each a candidate.
    """
    if not named:
        return {}
    dataset = named[0].dataset
    exact_here = any(link.exact and link.entry.dataset == dataset for link in found.values())
    if len(named) == 1 and not exact_here:
        return {named[0].iri: _name_link(mid, mname, developer, repos, named[0])}
    ambiguous: dict[str, Link] = {}
    for e in named:
        ambiguous.setdefault(e.iri, Link(mid, mname, e, False, BY_NAME, 0.5,
                                         f"ambiguous: {len(named)} entries of {dataset} have this name"))
    return ambiguous


def _name_link(mid: str, mname: str, developer: str, repos: Sequence[str], e: Entry) -> Link:
    """A link to the one entry of its dataset with the model's name: exact unless the entry contradicts it.

    It does when it names a Hub repo the model lacks, or (a Wikidata item) names another developer.
    """
    entry_repos = {r for r in e.repos if _is_model_repo(r)}
    if entry_repos and not entry_repos & set(repos):
        return Link(mid, mname, e, False, BY_NAME, 0.5,
                    f"same name, but the entry names the Hub repo {sorted(entry_repos)[0]}, which the record does not")
    if e.dataset == WIKIDATA and not same_developer(developer, e.developer):
        return Link(mid, mname, e, False, BY_NAME, 0.5,
                    f"same name, but the item's developer ({e.developer or 'none stated'}) is not the record's")
    return Link(mid, mname, e, True, BY_NAME, 0.95, "same name")


def _prefer_identifier(links: list[Link]) -> list[Link]:
    """Name matches demoted to candidates where the entry names another model's Hub repo.

    An entry that shares a repo with one model describes that model; its name (often the family's, as in
    "DeepSeek R1" for an entry about R1-0528) is then no proof that it describes another.
    """
    by_repo = {(link.entry.iri, link.model) for link in links if link.exact and link.justification == BY_IDENTIFIER}
    owners = {iri for iri, _ in by_repo}
    out = []
    for link in links:
        if link.exact and link.justification == BY_NAME and link.entry.iri in owners \
                and (link.entry.iri, link.model) not in by_repo:
            other = sorted(m for iri, m in by_repo if iri == link.entry.iri)
            link = Link(link.model, link.model_name, link.entry, False, BY_NAME, 0.5,
                        f"same name, but the entry names the Hub repo of {', '.join(other)}")
        out.append(link)
    return out


def _sizes(text: str) -> set[str]:
    """The parameter counts a name states ("7B", "8x22B", "135M"), normalised."""
    return set(re.findall(r"(?<![a-z0-9.])(\d+(?:\.\d+)?(?:x\d+)?[bm])(?![a-z])", text.lower()))


def _repo_link(mid: str, mname: str, e: Entry, repo: str, sharing: Sequence[Entry]) -> Link:
    """A link by a shared Hub repo: exact, unless the entry's own name says it is another model.

    Registries copy repo ids by hand and sometimes wrongly (an entry named after one model that points at
    another's repo); and when several entries of one dataset name the repo, the one with the model's name
    is the match. Those become candidates for a person to decide.
    """
    why = f"both name the Hub repo {repo}"
    m_words, e_words = _words(mname), _words(e.name)
    m_sizes, e_sizes = _sizes(mname), _sizes(e.name)
    if not m_words & e_words and norm(e.name) not in norm(mname) and norm(mname) not in norm(e.name):
        return Link(mid, mname, e, False, BY_IDENTIFIER, 0.5, f"{why}, but the entry's name {e.name!r} differs")
    if m_sizes and e_sizes and not m_sizes & e_sizes:
        return Link(mid, mname, e, False, BY_IDENTIFIER, 0.5,
                    f"{why}, but the entry's name {e.name!r} states another size")
    same_dataset = [o for o in sharing if o.dataset == e.dataset]
    if len(same_dataset) > 1 and norm(e.name) != norm(mname) and any(
            norm(o.name) == norm(mname) for o in same_dataset):
        return Link(mid, mname, e, False, BY_IDENTIFIER, 0.5,
                    f"{why}, as does another entry of {e.dataset} with the model's own name")
    return Link(mid, mname, e, True, BY_IDENTIFIER, 1.0, why)


def same_developer(ours: str, theirs: str) -> bool:
    """Whether two developer names plausibly name the same organisation ("Google" in "Google DeepMind").

    Wikidata labels are short ("Meta Platforms", "Allen Institute for AI") and our records longer
    ("Meta", "Allen Institute for AI (Ai2)"), so one name contained in the other counts, word-wise.
    """
    a, b = norm(ours), norm(theirs)
    if not a or not b:
        return False
    if a in b or b in a:
        return True
    stop = {"ai", "inc", "the", "for", "of", "and", "platforms", "labs", "research", "technologies", "institute",
            "university", "company", "group", "lab", "team"}
    wa, wb = _words(ours) - stop, _words(theirs) - stop
    return bool(wa & wb)


def _candidate_reason(name: str, developer: str, e: Entry) -> str | None:
    """Why an entry might describe the model though it is no exact match; None if it does not."""
    n, en = norm(name), norm(e.name)
    if len(en) >= 4 and n.startswith(en) and n != en:
        return f"the entry names the family {e.name!r}"
    words, ewords = _words(name), _words(e.name)
    if same_developer(developer, e.developer) and words and ewords and len(words & ewords) / len(words | ewords) >= 0.5:
        return f"same developer, names share {', '.join(sorted(words & ewords))}"
    return None


def curie(iri: str) -> str:
    """The CURIE of an IRI under ``CURIE_MAP``, else the IRI itself."""
    for prefix, base in CURIE_MAP.items():
        if iri.startswith(base) and len(iri) > len(base):
            return f"{prefix}:{iri[len(base):]}"
    return iri


def write_sssom(links: Iterable[Link], out: TextIO, *, description: str, today: str | None = None) -> None:
    """Links as an SSSOM TSV mapping set (metadata in ``#`` lines, then one row per mapping)."""
    out.write("# curie_map:\n")
    for prefix, base in CURIE_MAP.items():
        out.write(f"#   {prefix}: {base}\n")
    out.write("# mapping_set_id: https://w3id.org/ai-openness/mappings/registry-links.sssom.tsv\n")
    out.write(f"# mapping_set_description: {description}\n")
    out.write("# license: https://creativecommons.org/publicdomain/zero/1.0/\n")
    out.write("# mapping_tool: openness link\n")
    out.write(f"# mapping_date: {today or _dt.date.today().isoformat()}\n")
    out.write("\t".join(COLUMNS) + "\n")
    for link in links:
        row = (
            curie(f"{CURIE_MAP['model']}{link.model}"), link.model_name,
            SKOS_EXACT if link.exact else SKOS_CLOSE, curie(link.entry.iri), link.entry.name,
            link.justification, f"{link.confidence:g}", link.entry.dataset, link.comment,
        )
        out.write("\t".join(_cell(v) for v in row) + "\n")


def _cell(value: str) -> str:
    return " ".join(str(value).split())


def add_links_to_yaml(text: str, new_links: Mapping[str, Iterable[str]]) -> tuple[str, list[str]]:
    """``text`` (a YAML list of records, one ``- id:`` line each) with ``new_links`` added to ``links:``.

    Edits the text rather than re-dumping it, so comments, key order and quoting stay as written: each
    changed record's ``links:`` block is replaced (or inserted before ``source:``) by the union of the links
    it had and the new ones, sorted, one per line; a new link that differs from one the record has only in
    percent-encoding (``CodeT5%2B-16B.yml``, ``CodeT5+-16B.yml``) is the same link and is not added.
    Returns the new text and the ids that changed; the result is checked to load as the same records
    apart from ``links``.
    """

    def edit(rid: str, record: Mapping[str, Any], block: list[str]) -> list[str] | None:
        had = sorted(map(str, _list(record.get("links"))))
        seen = {unquote(link) for link in had}
        added = [link for link in new_links.get(rid, ()) if unquote(link) not in seen]
        union = sorted(set(had) | set(added))
        return _replace_links(block, union) if rid in new_links and union != had else None

    return _edit_record_blocks(text, "links", edit)


def _replace_links(block: list[str], links: Sequence[str]) -> list[str]:
    """A record's lines with its top-level ``links:`` key (and its list items) replaced by ``links``."""
    kept: list[str] = []
    skipping = False
    for line in block:
        if line.startswith("  links:"):
            skipping = True
            continue
        if skipping and (line.startswith("  - ") or line.startswith("    ")):
            continue
        skipping = False
        kept.append(line)
    new = ["  links:\n", *(f"  - {link}\n" for link in links)]
    for key in ("  source:", "  as_of:", "  artifacts:"):
        at = next((i for i, line in enumerate(kept) if line.startswith(key)), None)
        if at is not None:
            return kept[:at] + new + kept[at:]
    return kept + new


def add_wikidata_to_yaml(text: str, qids: Mapping[str, str]) -> tuple[str, list[str]]:
    """``text`` with ``wikidata: <QID>`` added to the records in ``qids`` that state no item yet.

    Like :func:`add_links_to_yaml`, edits lines rather than re-dumping, so the file keeps its layout; a
    record that already names an item keeps it (a person decided it). Returns the new text and the ids
    that changed; the result is checked to load as the same records apart from ``wikidata``.
    """

    def edit(rid: str, record: Mapping[str, Any], block: list[str]) -> list[str] | None:
        if rid not in qids or record.get("wikidata"):
            return None
        at = next((i for i, line in enumerate(block)
                   if line.startswith(("  links:", "  source:", "  as_of:", "  artifacts:"))), len(block))
        return block[:at] + [f"  wikidata: {qids[rid]}\n"] + block[at:]

    return _edit_record_blocks(text, "wikidata", edit)


def _edit_record_blocks(
    text: str, field: str, edit: Callable[[str, Mapping[str, Any], list[str]], list[str] | None]
) -> tuple[str, list[str]]:
    """``text`` with each record's lines passed through ``edit`` (None: unchanged), and the ids changed.

    Raises ValueError when the result would differ from ``text`` in anything but ``field``: the file's
    layout was not the one-``- id:``-line-per-record layout the edit expects.
    """
    import yaml

    before = [r for r in yaml.safe_load(text) or [] if isinstance(r, Mapping)]
    by_id = {str(r.get("id")): r for r in before}
    lines = text.splitlines(keepends=True)
    starts = [i for i, line in enumerate(lines) if line.startswith("- id:")]
    changed: list[str] = []
    out: list[str] = lines[: starts[0]] if starts else lines
    for n, start in enumerate(starts):
        block = lines[start: starts[n + 1] if n + 1 < len(starts) else len(lines)]
        rid = block[0][len("- id:"):].strip().strip("'\"")
        edited = edit(rid, by_id.get(rid, {}), block)
        if edited is not None:
            block = edited
            changed.append(rid)
        out.extend(block)
    result = "".join(out)
    after = [r for r in yaml.safe_load(result) or [] if isinstance(r, Mapping)]
    if [{k: v for k, v in r.items() if k != field} for r in before] != [
            {k: v for k, v in r.items() if k != field} for r in after]:
        raise ValueError(f"adding {field} would change other fields; the file's layout is not the expected one")
    return result, changed
