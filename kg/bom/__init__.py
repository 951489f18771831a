"""AI bills of materials: SPDX 3.0 (AI and Dataset profiles, JSON-LD) and CycloneDX 1.6 (ML-BOM, JSON).

``write_bom`` describes each model of a record set as an AI package / machine-learning-model component
with its supplier, release date, weights download location and licence (SPDX expressions), its training
datasets with their availability, and its openness category and MOF class. Each model also carries its
whole record (``ai-openness:record``), so ``read_bom`` gives back exactly the records written; a BOM
from elsewhere is read from the formats' own fields (docs/exports.md says which).
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from kg.errors import UnreadableInputError

BOM_FORMATS = ("spdx3", "cyclonedx")


def write_bom(triples: Iterable[ox.Triple], fmt: str) -> str:
    """The models of ``triples`` as an AI-BOM document in ``fmt`` (``spdx3`` or ``cyclonedx``)."""
    from kg.bom.facts import model_facts

    facts = model_facts(list(triples))
    if fmt == "spdx3":
        from kg.bom.spdx3 import to_spdx3

        return to_spdx3(facts)
    if fmt == "cyclonedx":
        from kg.bom.cyclonedx import to_cyclonedx

        return to_cyclonedx(facts)
    raise ValueError(f"unknown BOM format {fmt!r}; expected one of {', '.join(BOM_FORMATS)}")


def read_bom(path: str | Path, fmt: str) -> list[dict[str, Any]]:
    """The plain records of the models an AI-BOM file describes."""
    from kg.parsing import load_json, read_text

    text = read_text(path)
    data = load_json(text, str(path))
    if not isinstance(data, dict):
        raise UnreadableInputError(str(path), f"a {fmt} document is a JSON object, not {type(data).__name__}")
    if fmt == "spdx3":
        from kg.bom.spdx3 import from_spdx3

        return from_spdx3(data, str(path))
    if fmt == "cyclonedx":
        from kg.bom.cyclonedx import from_cyclonedx

        return from_cyclonedx(data, str(path))
    raise ValueError(f"unknown BOM format {fmt!r}")


def _importer(fmt: str):  # type: ignore[no-untyped-def]
    def import_records(items, options):  # type: ignore[no-untyped-def]
        """Records from AI-BOM files; a file that cannot be read is one problem, the others still count."""
        from kg.importers.registry import ImportResult

        result = ImportResult()
        for item in items:
            try:
                result.records.extend(read_bom(item, fmt))
            except UnreadableInputError as exc:
                result.problems.append(str(exc))
        return result

    import_records.__name__ = "import_records"
    return import_records


#: ``openness import spdx3 FILE`` and ``openness import cyclonedx FILE`` (kg.importers.registry).
import_spdx3 = _importer("spdx3")
import_cyclonedx = _importer("cyclonedx")
