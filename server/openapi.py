"""The OpenAPI description of the HTTP interface, served as JSON at /openapi.json, and the JSON Schema of
model records at /schema/record.json (its stable IRI is kg.records.schema.SCHEMA_IRI).

The source is ``server/openapi.yaml`` (hand-written, reviewed like code); tests/test_openapi.py checks the
running app against it with schemathesis, so an undocumented status or a 5xx fails the build.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

from flask import Blueprint, Response, json

from kg.records.schema import schema_text

bp = Blueprint("openapi", __name__)

SOURCE = Path(__file__).with_name("openapi.yaml")


@lru_cache(maxsize=1)
def description() -> dict[str, Any]:
    """The parsed OpenAPI document."""
    import yaml

    return yaml.safe_load(SOURCE.read_text(encoding="utf-8"))


@bp.route("/openapi.json")
def openapi() -> Response:
    """This server's OpenAPI 3.0 description."""
    return Response(json.dumps(description()), mimetype="application/json")


@bp.route("/schema/record.json")
def record_schema() -> Response:
    """The JSON Schema of model records, generated from the record fields (as docs/record.schema.json)."""

    return Response(schema_text(), mimetype="application/schema+json")
