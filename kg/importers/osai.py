"""Import the European Open Source AI Index (osai-index.eu): one YAML file per model family.

Each file grades 12 dimensions ``open``, ``partial`` or ``closed`` (empty: not applicable), each with
evidence ``link``\\ s. The mapping onto artifacts follows the index's own criteria (its ``readme.md``
and ``_parameters-descriptions.yml``); docs/registries.md gives the table and the reasons. In short:
our artifacts are the *complete* artifacts, so where ``partial`` means "only some of it is shared"
(data sources, training code) the complete artifact is ``not-released``; where it means "shared with
restrictions" (weights: "e.g. gated downloads") it is ``gated``; for documents, where it grades how
comprehensive an available document is (preprint, paper, model card, datasheet), it is ``public``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any
from urllib.parse import quote

from kg.errors import UnreadableInputError
from kg.importers.common import as_list, normalise_date, slugify
from kg.importers.files import expand_paths, import_files
from kg.importers.registry import ImportOptions, ImportResult
from kg.parsing import load_yaml, read_text

DATASET = "https://doi.org/10.5281/zenodo.15386042"
ENTRY_URL = "https://osai-index.eu/model/"
GRADES = ("open", "partial", "closed")

#: The index's 12 dimensions: what each grade says about which artifacts (None = not mapped).
#: dimension -> (artifact slugs, {grade: availability})
DIMENSIONS: dict[str, tuple[tuple[str, ...], dict[str, str]] | None] = {
    "datasources_basemodel": (("training_data",), {"open": "public", "partial": "not-released",
                                                   "closed": "not-released"}),
    "datasources_endmodel": (("training_data",), {"open": "public", "partial": "not-released",
                                                  "closed": "not-released"}),
    "weights_basemodel": None,  # only when the end model's weights are not graded (see _weights)
    "weights_endmodel": (("weights",), {"open": "public", "partial": "gated", "closed": "not-released"}),
    "trainingcode": (("training_code",), {"open": "public", "partial": "not-released",
                                          "closed": "not-released"}),
    "code": None,  # how well the code is documented: no artifact
    "hardware_architecture": None,  # training hardware and setup documented: no artifact
    "preprint": (("technical_report",), {"open": "public", "partial": "public", "closed": "not-released"}),
    "paper": (("research_paper",), {"open": "public", "partial": "public", "closed": "not-released"}),
    "modelcard": (("model_card",), {"open": "public", "partial": "public", "closed": "not-released"}),
    "datasheet": (("data_card",), {"open": "public", "partial": "public", "closed": "not-released"}),
    "licenses": None,  # whether everything is openly licensed: the weights' licence comes from the system
}
#: Licence texts that name no licence.
_NO_LICENSE = ("unknown", "unclear", "undisclosed", "unspecified", "various", "mixed", "purposely", "n/a", "none")
_ORDER = {"public": 0, "gated": 1, "not-released": 2}


def entry_url(path: Path) -> str:
    """The index's page for the model of a file (the site names models by their file name)."""
    return ENTRY_URL + quote(path.stem)


def grade(value: Any, path: Path, dimension: str) -> str | None:
    """The grade of one dimension entry (``open``/``partial``/``closed``), None when not applicable."""
    if not isinstance(value, Mapping):
        return None
    text = str(value.get("class") or "").strip().lower()
    if not text:
        return None
    if text not in GRADES:
        raise UnreadableInputError(
            str(path), f"{dimension}.class is {text!r}; expected one of {', '.join(GRADES)} or empty"
        )
    return text


def evidence(value: Any) -> list[str]:
    """The evidence links of a dimension entry that are http(s) URLs."""
    if not isinstance(value, Mapping):
        return []
    links = [str(v).strip() for v in as_list(value.get("link"))]
    return [v for v in links if v.startswith(("http://", "https://")) and " " not in v]


def record_from_osai(data: Mapping[str, Any], path: Path) -> dict:
    """The plain record of one index file (already parsed)."""
    system = data.get("system") if isinstance(data.get("system"), Mapping) else None
    if system is None:
        raise UnreadableInputError(str(path), "no 'system' section: not an OSAI index model file")
    org = data.get("org") if isinstance(data.get("org"), Mapping) else {}
    page = entry_url(path)
    record: dict[str, Any] = {
        "id": slugify(path.stem),
        "name": str(system.get("name") or path.stem).strip(),
        "developer": str(org.get("name") or "").strip() or None,
        "date": normalise_date(system.get("releasedate")),
        "links": [page],
        "source": [page],
        "dataset": DATASET,
    }
    from kg.importers.huggingface import parse_repo_id

    link = str(system.get("link") or "")
    if link.startswith("https://huggingface.co/") and parse_repo_id(link):
        record["huggingface"] = parse_repo_id(link)

    claims: dict[str, list[tuple[str, list[str]]]] = {}
    for dimension, mapping in DIMENSIONS.items():
        if mapping is None:
            continue
        entry = data.get(dimension)
        g = grade(entry, path, dimension)
        if dimension == "weights_endmodel" and g is None:
            entry = data.get("weights_basemodel")  # "mirrors the end model" when no distinction applies
            g = grade(entry, path, "weights_basemodel")
        if g is None:
            continue
        slugs, availability = mapping
        for slug in slugs:
            claims.setdefault(slug, []).append((availability[g], evidence(entry)))

    license_id = _license(system.get("endmodellicense"))
    artifacts: dict[str, Any] = {}
    for slug, found in claims.items():
        # two dimensions on one artifact (base and end model data): the complete artifact is only as
        # available as its least available part
        value = max((a for a, _ in found), key=_ORDER.__getitem__)
        links = list(dict.fromkeys(link for _, ls in found for link in ls))
        claim: dict[str, Any] = {"availability": value}
        if slug == "weights" and license_id and value != "not-released":
            claim["license"] = license_id
        if links and value != "not-released":
            claim["url"] = links
        claim["source"] = [page, *links]
        artifacts[slug] = claim
    if artifacts.get("training_code", {}).get("availability") == "public":
        # complete training code defines the model: the architecture is public with it
        artifacts["architecture"] = {"availability": "public", "url": artifacts["training_code"].get("url", []),
                                     "source": artifacts["training_code"]["source"]}
    if artifacts:
        record["artifacts"] = artifacts
    return {k: v for k, v in record.items() if v not in (None, [], "")}


def _license(value: Any) -> str | None:
    text = " ".join(str(value or "").split())
    if not text or text.lower().startswith(_NO_LICENSE):
        return None
    from kg.licenses import canonical_license_id

    return canonical_license_id(text) or text


def read_osai_file(path: Path) -> dict:
    """The record of one index file; raises UnreadableInputError naming the file (and line)."""
    data = load_yaml(read_text(path), str(path))  # bounded: no alias bombs, no deep nesting
    if not isinstance(data, Mapping):
        raise UnreadableInputError(str(path), "not an OSAI index model file (expected a YAML mapping)")
    return record_from_osai(data, path)


def _not_a_model(path: Path) -> bool:
    """Files of the index that are no model: the parameter lists and the submission template."""
    return path.name.startswith(("_", "a_submission_template"))


def import_records(args: Sequence[str], options: ImportOptions) -> ImportResult:
    """Import index files, or every model file of index folders."""
    files, problems = expand_paths(args, (".yaml", ".yml"), skip=_not_a_model)
    result = import_files(files, read_osai_file, options)
    result.problems[:0] = problems
    return result
