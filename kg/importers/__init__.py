"""Importers: records from external registries, as plain model records (docs/records.md).

Each importer is a function ``(args, options) -> ImportResult`` registered by name in
``kg.importers.registry`` and imported only when first used, so ``mot`` never loads the Hub client.
The names are re-exported here.

>>> names()
['huggingface', 'wikidata', 'mot', 'osai', 'spdx3', 'cyclonedx']
"""

from __future__ import annotations

from kg.importers.registry import IMPORTERS, ImportOptions, ImportResult, get, names

__all__ = ["IMPORTERS", "ImportOptions", "ImportResult", "get", "names"]
