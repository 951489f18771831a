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


def _vocabulary(name: str) -> list[str]:
    from kg import vocab

    return list(getattr(vocab, name))


def value(types: list[str], *, many: bool = False, pattern: str | None = None, enum: list[str] | None = None,
          mapping: str | None = None) -> dict[str, Any]:
    """The schema of a field's value: one of ``types`` (or null: not given), with ``many`` also a list of such
    values (the readers accept both). Keywords apply by type (a pattern to strings, a mapping's keys to
    objects), so a value is checked once, against what applies to its type: quicker than ``anyOf`` or
    ``if``/``else`` per field (jsonschema is pure Python), and the error names that one expectation."""
    item: dict[str, Any] = {"type": types[0] if len(types) == 1 else list(types)}
    if pattern:
        item["pattern"] = pattern
    if enum and "object" in types:  # an enum would refuse the mapping: only strings are held to it
        item["if"] = {"type": "string"}
        item["then"] = {"enum": enum}
    elif enum:
        item["enum"] = enum
    if mapping:
        item["$ref"] = f"#/$defs/{mapping}"
    schema = dict(item)
    schema["type"] = [*types, *(["array"] if many else []), "null"]
    if "enum" in schema:
        schema["enum"] = [*enum, None] if enum else None
        if many:  # a list is not in the enum either
            del schema["enum"]
            schema["if"], schema["then"] = {"type": "string"}, {"enum": enum}
    if many:
        schema["items"] = item
    return schema


def _types() -> dict[str, tuple[dict[str, Any], str]]:
    """Type name -> (JSON Schema of the value, what a person is told is expected)."""
    availability = _vocabulary("AVAILABILITY")
    count_pattern = r"^\s*[0-9]+(\.[0-9]+)?\s*[kKmMbBtT]?\s*$"
    return {
        "slug": (value(["string"], pattern=SLUG_PATTERN), "a text (a lowercase slug)"),
        "text": (value(["string"], many=True), "a text"),
        "texts": (value(["string"], many=True), "a text or a list of texts"),
        "urls": (value(["string"], many=True, pattern="^https?://"), "a URL or a list of URLs"),
        "date": (value(["string", "integer"], many=True, pattern=DATE_PATTERN),
                 "a date (YYYY, YYYY-MM or YYYY-MM-DD)"),
        "count": (value(["integer", "string"], pattern=count_pattern), "a number (an integer, or 8B, 1.5T, 470M)"),
        "availability": (value(["string"], enum=availability),
                         "an availability (public, gated, not-released or unknown)"),
        "modality": (value(["string"], many=True, enum=_vocabulary("MODALITIES")), "a modality or a list of them"),
        "derivation_kind": (value(["string"], enum=_vocabulary("DERIVATION_KINDS")), "a derivation kind"),
        "parameters": (value(["object", "integer", "string"], pattern=count_pattern, mapping="parameters"),
                       "a parameter count or a mapping {total, active}"),
        "derivations": (value(["string", "object"], many=True, mapping="derivation"),
                        "a model id or URL, a mapping {model, kind, source}, or a list of these"),
        "history": ({"type": ["array", "null"], "items": {"type": "object", "$ref": "#/$defs/state"}},
                    "a list of dated states"),
        "claims": (value(["object", "string"], many=True, enum=availability, mapping="claim"),
                   "an availability, a claim mapping, or a list of claims"),
        "artifacts": ({"type": ["object", "null"], "properties": {slug: _ref("claims")
                                                                 for slug in _vocabulary("ARTIFACTS")},
                       "additionalProperties": False}, "a mapping from artifact slug to claims"),
    }


TYPES = _types()


def expected(type_name: str) -> str:
    """What a value of ``type_name`` must be, in words."""
    return TYPES[type_name][1]


def _keys(fields: tuple[Field, ...], title: str) -> dict[str, Any]:
    """The keywords of a mapping's keys (no ``type``: a field's schema says where a mapping may be)."""
    properties = {f.key: {"description": f.description, **TYPES[f.type][0]} for f in fields if not f.csv_only}
    return {"title": title, "properties": properties, "additionalProperties": False}


def record_schema() -> dict[str, Any]:
    """The schema of a record file: one record, a list of records, or ``{"models": [records]}``."""
    defs = {name: _keys(fields, name) for name, fields in NESTED.items()}
    defs["record"]["type"] = "object"
    defs["claims"] = {"description": "One claim about an artifact, or several.", **TYPES["claims"][0]}
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


def inlined(schema: dict[str, Any]) -> dict[str, Any]:
    """``schema`` with each ``$ref`` to its ``$defs`` replaced by the definition (merged with the keywords
    beside it): the same schema, validated without reference look-ups."""
    defs = schema.get("$defs", {})

    def expand(node: Any) -> Any:
        if isinstance(node, dict):
            out = {k: expand(v) for k, v in node.items() if k not in ("$ref", "$defs")}
            ref = node.get("$ref")
            if isinstance(ref, str) and ref.startswith("#/$defs/"):
                out = {**expand(defs[ref.rsplit("/", 1)[-1]]), **out}
            return out
        if isinstance(node, list):
            return [expand(v) for v in node]
        return node

    return expand(schema)
