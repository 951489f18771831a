"""The JSON Schema (draft 2020-12) of the plain record form, generated from ``kg.records.fields``.

Published as ``docs/record.schema.json`` and served at ``SCHEMA_IRI`` (``/schema/record.json`` on a running
server). Regenerate the file with ``python -m kg.records.schema > docs/record.schema.json``; a test checks
that the committed file is what this module generates.

Values that SHACL checks (availability values, date forms, slugs) are in the schema too, for editors; the
validate command reports those through the shapes, whose messages say more, and takes from the schema only
the structure: unknown keys and wrong types.
"""

from __future__ import annotations

import json
import sys
from typing import Any

from kg.records.fields import NESTED, Field

SCHEMA_IRI = "https://w3id.org/ai-openness/schema/record.json"
DRAFT = "https://json-schema.org/draft/2020-12/schema"
DATE_PATTERN = r"^[0-9]{4}(-(0[1-9]|1[0-2])(-[0-9]{2})?)?$"
SLUG_PATTERN = r"^[a-z0-9._-]+$"


def _ref(name: str) -> dict[str, Any]:
    return {"$ref": f"#/$defs/{name}"}


def one_or_many(item: dict[str, Any]) -> dict[str, Any]:
    """A value or a list of such values (the readers accept both). ``if``/``then``/``else`` rather than
    ``anyOf``, so that a wrong value is reported against the one branch that applies."""
    return {"if": {"type": "array"}, "then": {"type": "array", "items": item}, "else": item}


def _either(kind: str, when: dict[str, Any], other: dict[str, Any]) -> dict[str, Any]:
    return {"if": {"type": kind}, "then": when, "else": other}


def _vocabulary(name: str) -> list[str]:
    from kg import vocab

    return list(getattr(vocab, name))


def _types() -> dict[str, tuple[dict[str, Any], str]]:
    """Type name -> (JSON Schema, what a person is told is expected)."""
    text = {"type": "string"}
    availability = {"type": "string", "enum": _vocabulary("AVAILABILITY")}
    count = {"type": ["integer", "string"], "pattern": r"^\s*[0-9]+(\.[0-9]+)?\s*[kKmMbBtT]?\s*$"}
    claim_or_availability = _either("object", _ref("claim"), availability)
    return {
        "slug": ({"type": "string", "pattern": SLUG_PATTERN}, "a text (a lowercase slug)"),
        "text": (one_or_many(text), "a text"),
        "texts": (one_or_many(text), "a text or a list of texts"),
        "urls": (one_or_many({"type": "string", "pattern": "^https?://"}), "a URL or a list of URLs"),
        "date": (one_or_many({"type": ["string", "integer"], "pattern": DATE_PATTERN}),
                 "a date (YYYY, YYYY-MM or YYYY-MM-DD)"),
        "count": (count, "a number (an integer, or 8B, 1.5T, 470M)"),
        "availability": (availability, "an availability (public, gated, not-released or unknown)"),
        "modality": (one_or_many({"type": "string", "enum": _vocabulary("MODALITIES")}),
                     "a modality or a list of them"),
        "derivation_kind": ({"type": "string", "enum": _vocabulary("DERIVATION_KINDS")}, "a derivation kind"),
        "parameters": (_either("object", _ref("parameters"), count),
                       "a parameter count or a mapping {total, active}"),
        "derivations": (one_or_many(_either("object", _ref("derivation"), text)),
                        "a model id or URL, a mapping {model, kind, source}, or a list of these"),
        "history": ({"type": "array", "items": _ref("state")}, "a list of dated states"),
        "claims": (one_or_many(claim_or_availability),
                   "an availability, a claim mapping, or a list of claims"),
        "artifacts": ({"type": "object", "properties": {slug: _ref("claims") for slug in _vocabulary("ARTIFACTS")},
                       "additionalProperties": False}, "a mapping from artifact slug to claims"),
    }


TYPES = _types()


def expected(type_name: str) -> str:
    """What a value of ``type_name`` must be, in words."""
    return TYPES[type_name][1]


def _object(fields: tuple[Field, ...], title: str) -> dict[str, Any]:
    properties = {}
    for f in fields:
        if f.csv_only:
            continue
        # null is "not given" (``dataset: null``); any other value must have the field's type
        properties[f.key] = {"description": f.description, "if": {"type": "null"}, "else": TYPES[f.type][0]}
    return {"type": "object", "title": title, "properties": properties, "additionalProperties": False}


def record_schema() -> dict[str, Any]:
    """The schema of a record file: one record, a list of records, or ``{"models": [records]}``."""
    defs = {name: _object(fields, name) for name, fields in NESTED.items()}
    defs["claims"] = {**TYPES["claims"][0], "description": "One claim about an artifact, or several."}
    records = {"type": "array", "items": _ref("record")}
    return {
        "$schema": DRAFT,
        "$id": SCHEMA_IRI,
        "title": "AI Openness KG model record",
        "description": "A model record in the plain form (JSON or YAML); see docs/records.md. A file holds one "
                       "record, a list of records, or {\"models\": [records]}.",
        "if": {"type": "array"},
        "then": records,
        "else": {
            "if": {"type": "object", "required": ["models"]},
            "then": {"type": "object", "properties": {"models": records}, "required": ["models"],
                     "additionalProperties": False},
            "else": _ref("record"),
        },
        "$defs": defs,
    }


def schema_text() -> str:
    """The schema as the committed ``docs/record.schema.json`` holds it."""
    return json.dumps(record_schema(), indent=2, ensure_ascii=False) + "\n"


if __name__ == "__main__":
    sys.stdout.write(schema_text())
