"""Importers: records from external registries, as plain model records (docs/records.md).

Each importer is a module with ``import_records(args: list[str]) -> list[dict]``; the registry maps its
name to the module, imported only when first used (so ``mot`` never loads the Hub client).

>>> sorted(IMPORTERS)
['huggingface', 'mot', 'osai', 'wikidata']
>>> get_importer("mot").DATASET
'Model Openness Tool'
"""

from __future__ import annotations

import importlib
from types import ModuleType

#: Importer name (as typed after ``openness import``) -> module.
IMPORTERS: dict[str, str] = {
    "huggingface": "kg.importers.huggingface",
    "wikidata": "kg.importers.wikidata",
    "mot": "kg.importers.mot",
    "osai": "kg.importers.osai",
}


class UnknownImporter(LookupError):
    """No importer of that name."""


def get_importer(name: str) -> ModuleType:
    """The importer module called ``name``, imported on first use."""
    try:
        module = IMPORTERS[name]
    except KeyError:
        raise UnknownImporter(
            f"no importer {name!r}: expected one of {', '.join(sorted(IMPORTERS))}"
        ) from None
    return importlib.import_module(module)
