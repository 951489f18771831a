"""Model Openness Tool (MOT) records: MOF YAML files as plain model records (docs/records.md).

The MOT (https://mot.isitopen.ai, github.com/lfai/model_openness_tool) keeps one YAML file per model:
``release`` with ``name``, ``producer``, ``date``, the global ``license`` (``distribution``, ``code``,
``data``, ``document``) and the list of ``components`` the producer says are included, each with an
optional ``license``. ``openness import mot`` reaches ``read_mot_file`` through the registry
(``kg.importers.files.import_mot``). ``docs/mof.md`` explains the mapping; in short:

* a listed component is ``public`` (the MOT has no notion of gated access; a component path is optional
  there and a listed component counts as included); a component whose licence says "Component not
  included" is ``not-released``;
* a MOF component the record does not list is ``not-released``: the MOT's form asks which components
  the release includes and reads an unlisted one as missing;
* a component's licence is its own ``license``, else the release's licence for its content type, else
  the release's ``distribution`` licence, as the MOT resolves it; "unlicensed" and its kin mean no licence.

>>> rec = record_from_mot({"release": {"name": "Tiny LM", "producer": "Lab", "license": {
...     "distribution": {"name": "Apache-2.0"}}, "components": [{"name": "Model parameters (Final)"}]}})
>>> rec["id"], rec["artifacts"]["weights"], rec["artifacts"]["training_data"]
('tiny-lm', {'availability': 'public', 'license': 'Apache-2.0'}, 'not-released')
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Literal
from urllib.parse import quote

from kg.errors import UnreadableInputError
from kg.licenses import MOF_CONTENT_TYPE, canonical_license_id
from kg.parsing import load_yaml, read_text

DATASET = "Model Openness Tool"
#: Where the MOT's model records are published; a record's ``source`` is its file there.
MOT_MODELS_URL = "https://github.com/lfai/model_openness_tool/blob/main/models/"

#: MOF component name (as the MOT writes it) -> artifact slug.
MOT_COMPONENTS: dict[str, str] = {
    "Model architecture": "architecture",
    "Model parameters (Final)": "weights",
    "Technical report": "technical_report",
    "Evaluation results": "evaluation_results",
    "Model card": "model_card",
    "Data card": "data_card",
    "Sample model outputs": "sample_outputs",
    "Training code": "training_code",
    "Inference code": "inference_code",
    "Evaluation code": "evaluation_code",
    "Evaluation data": "evaluation_data",
    "Supporting libraries and tools": "supporting_libraries",
    "Datasets": "training_data",
    "Data preprocessing code": "preprocessing_code",
    "Model parameters (Intermediate)": "intermediate_weights",
    "Research paper": "research_paper",
    "Model metadata": "model_metadata",
}
_COMPONENT_BY_LOWER = {name.lower(): slug for name, slug in MOT_COMPONENTS.items()}

#: Licence values the MOT uses to say "included, but no licence".
_NO_LICENSE = {
    "unlicensed",
    "undisclosed",
    "license not specified",
    "not specified",
    "none",
    "pending evaluation",
}
#: Licence values that say the component is not part of the release ("Component not included" and typos).
_NOT_INCLUDED = re.compile(r"\bnot\s+include", re.IGNORECASE)
_HF_REPO = re.compile(r"^https?://huggingface\.co/([\w.-]+/[\w.-]+)/?$")
_URL = re.compile(r"^https?://\S+$")

Unlisted = Literal["not-released", "unknown"]


def slugify(name: str) -> str:
    """A record id from a MOT release name: lowercase letters, digits, ``.``, ``_`` and ``-``.

    A ``+`` becomes ``-plus`` so that "Command-R+" and "Command-R" stay apart.

    >>> slugify("Class3RTestFile_C1_40%-C2_55%"), slugify("Llama 3.1 (405B)"), slugify("Command-R+")
    ('class3rtestfile_c1_40-c2_55', 'llama-3.1-405b', 'command-r-plus')
    """
    slug = name.strip().lower().replace("+", "-plus")
    slug = re.sub(r"[^a-z0-9._-]+", "-", slug)
    slug = re.sub(r"-{2,}", "-", slug)
    return slug.strip("-._") or "model"


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()[:10]
    return str(value).strip()


def _global_license(release: Mapping[str, Any], content_type: str) -> str:
    licenses = release.get("license") or {}
    if not isinstance(licenses, Mapping):
        return ""
    for key in (content_type, "distribution"):
        entry = licenses.get(key)
        name = _text(entry.get("name")) if isinstance(entry, Mapping) else _text(entry)
        if name:
            return name
    return ""


def component_license(component: Mapping[str, Any], release: Mapping[str, Any], content_type: str) -> str:
    """The licence text the MOT applies to ``component``: its own, else the global one for its content
    type, else the distribution licence; ``""`` when there is none. An explicitly empty ``license: ''``
    means "no licence" and does not fall back, as in the MOT."""
    if "license" in component and component["license"] is not None:
        return _text(component["license"])
    return _global_license(release, content_type)


def _artifact(component: Mapping[str, Any], release: Mapping[str, Any], slug: str) -> dict[str, Any] | str:
    licence = component_license(component, release, MOF_CONTENT_TYPE[slug])
    if _NOT_INCLUDED.search(licence):
        return "not-released"
    claim: dict[str, Any] = {"availability": "public"}
    if licence and licence.lower() not in _NO_LICENSE:
        claim["license"] = canonical_license_id(licence) or licence
    url = _text(component.get("component_path"))
    if _URL.match(url):
        claim["url"] = url
    return claim


def record_from_mot(
    data: Mapping[str, Any], *, source: str | None = None, unlisted: Unlisted = "not-released"
) -> dict[str, Any]:
    """One parsed MOT YAML mapping as a plain model record.

    ``source`` is the URL the record came from (default: none); ``unlisted`` is the availability given to
    MOF components the record does not list. Raises ``ValueError`` when ``data`` has no ``release.name``.
    """
    release = data.get("release") if isinstance(data, Mapping) else None
    if not isinstance(release, Mapping) or not _text(release.get("name")):
        raise ValueError("not a MOT record: expected a 'release' mapping with a 'name'")
    name = _text(release["name"])
    record: dict[str, Any] = {"id": slugify(name), "name": name}
    if producer := _text(release.get("producer")):
        record["developer"] = producer
    if date := _text(release.get("date")):
        record["date"] = date
    if match := _HF_REPO.match(_text(release.get("huggingface"))):
        record["huggingface"] = match.group(1)
    if source:
        record["source"] = [source]
    record["dataset"] = DATASET

    artifacts: dict[str, Any] = {}
    for component in release.get("components") or []:
        if not isinstance(component, Mapping):
            continue
        slug = _COMPONENT_BY_LOWER.get(_text(component.get("name")).lower())
        if slug is None or slug in artifacts:
            continue
        artifacts[slug] = _artifact(component, release, slug)
    for slug in MOT_COMPONENTS.values():
        artifacts.setdefault(slug, unlisted)
    record["artifacts"] = artifacts
    return record


def read_mot_file(path: str | Path, *, source: str | None = None, unlisted: Unlisted = "not-released") -> dict:
    """The record of one MOT YAML file; ``source`` defaults to the file's URL in the MOT repository.

    Raises ``UnreadableInputError`` (naming the file) for a missing file, bad YAML or no MOT record.
    """
    path = Path(path)
    data = load_yaml(read_text(path), str(path))  # bounded: no alias bombs, no deep nesting
    try:
        return record_from_mot(data, source=source or MOT_MODELS_URL + quote(path.name), unlisted=unlisted)
    except ValueError as exc:
        raise UnreadableInputError(str(path), str(exc)) from None


def read_mot(path: str | Path, *, unlisted: Unlisted = "not-released") -> list[dict]:
    """The records of a MOT YAML file, or of every ``*.yml``/``*.yaml`` file in a directory (name order).

    Ids stay unique within a directory: a record whose release name gives an id already taken (the MOT
    holds some models twice, and a few files carry another model's name) takes the slug of its file name,
    or failing that the id with ``-2``, ``-3``... appended.
    """
    path = Path(path)
    if not path.is_dir():
        return [read_mot_file(path, unlisted=unlisted)]
    files = sorted(p for p in path.iterdir() if p.suffix in (".yml", ".yaml") and p.is_file())
    records: list[dict] = []
    taken: set[str] = set()
    for file in files:
        record = read_mot_file(file, unlisted=unlisted)
        if record["id"] in taken:
            record["id"] = _free_id(record["id"], slugify(file.stem), taken)
        taken.add(record["id"])
        records.append(record)
    return records


def _free_id(wanted: str, from_file: str, taken: set[str]) -> str:
    if from_file not in taken:
        return from_file
    n = 2
    while f"{wanted}-{n}" in taken:
        n += 1
    return f"{wanted}-{n}"
