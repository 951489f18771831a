"""Registry importers by name, loaded lazily as rdflib's plugin registry does.

An importer is a function ``(args, options) -> ImportResult``. Its module is imported only when the
importer is first asked for, so ``openness --help`` never pays for huggingface_hub or SPARQLWrapper.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

#: Called as ``progress(done, total, item)`` after each item of a long import.
ProgressCallback = Callable[[int, int, str], None]


@dataclass(frozen=True)
class ImportOptions:
    """Settings shared by every importer; each reads the ones that concern it."""

    #: Another server than the public one (a Hub mirror, a SPARQL endpoint).
    endpoint: str | None = None
    #: An access token (the Hub's ``HF_TOKEN``).
    token: str | None = None
    #: Free-text searches (Wikidata's ``--search``).
    search: tuple[str, ...] = ()
    #: Seconds to wait for one answer from a server.
    timeout: float = 30.0
    progress: ProgressCallback | None = None


@dataclass
class ImportResult:
    """What an import produced: plain records (docs/records.md), one line per item that failed, and
    notes about items imported with a caveat (printed, but no failure)."""

    records: list[dict] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def extend(self, other: ImportResult) -> None:
        """Add another result's records, problems and notes."""
        self.records.extend(other.records)
        self.problems.extend(other.problems)
        self.notes.extend(other.notes)


Importer = Callable[[Sequence[str], ImportOptions], ImportResult]

#: Importer name -> "module:function"; the module is imported on first use.
IMPORTERS: dict[str, str] = {
    "huggingface": "kg.importers.huggingface:import_records",
    "wikidata": "kg.importers.wikidata:import_records",
    "mot": "kg.importers.files:import_mot",
    "osai": "kg.importers.osai:import_records",
    "spdx3": "kg.bom:import_spdx3",
    "cyclonedx": "kg.bom:import_cyclonedx",
}

_loaded: dict[str, Importer] = {}


def names() -> list[str]:
    """The importer names, in the order the CLI lists them."""
    return list(IMPORTERS)


def get(name: str) -> Importer:
    """The importer registered as ``name``; raises KeyError for an unknown name.

    >>> get("osai").__name__
    'import_records'
    """
    if name not in _loaded:
        module_name, _, attr = IMPORTERS[name].partition(":")
        _loaded[name] = getattr(importlib.import_module(module_name), attr)
    return _loaded[name]
