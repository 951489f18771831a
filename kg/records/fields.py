"""The single table of record fields: every key of the plain form (JSON, YAML), its value type, the RDF
property it maps to, its CSV column and what it means.

Everything that lists fields is derived from here: the JSON Schema (``kg.records.schema``, published as
``docs/record.schema.json``), the keys the readers accept, the CSV columns and the "did you mean" of
``openness validate``. Adding a field is one line in one of the tables below (plus, if it maps to RDF in a
new way, its mapping in ``kg.records.to_rdf`` or ``kg.records.entity_fields``); ``tests/test_records_schema.py``
fails until the mapping modules and this table agree.

Types are names in ``kg.records.schema.TYPES`` (each gives its JSON Schema and the wording "expected ...").
"""

from __future__ import annotations

from dataclasses import dataclass

DCT = "http://purl.org/dc/terms/"
SDO = "https://schema.org/"
AIO = "https://w3id.org/ai-openness/ontology#"
PROV = "http://www.w3.org/ns/prov#"
SKOS = "http://www.w3.org/2004/02/skos/core#"


@dataclass(frozen=True)
class Field:
    """One key of a record (or of a claim, state, derivation or parameter mapping)."""

    #: The key in JSON and YAML records (the JSON key and the YAML key are the same).
    key: str
    #: The value type: a name in ``kg.records.schema.TYPES``.
    type: str
    #: The RDF property the value is stated with (None where the mapping is not one property).
    predicate: str | None
    #: The CSV column (for claim fields, the suffix after the artifact slug: ``""`` is the slug itself);
    #: None where the field has no CSV form.
    csv: str | None
    #: What the field means, for the schema's descriptions and docs/records.md.
    description: str
    #: True for CSV-only columns that spell a nested field flat (``parameters_total``); not a JSON/YAML key.
    csv_only: bool = False
    #: True where shapes/records.ttl checks the field's values: validate then reports a bad value through
    #: the shape (one message) and takes only the field's type from the schema.
    shaped: bool = False


RECORD_FIELDS: tuple[Field, ...] = (
    Field("id", "slug", DCT + "identifier", "id", "The record's id: a lowercase slug.", shaped=True),
    Field("name", "text", SDO + "name", "name", "The model's name.", shaped=True),
    Field("developer", "text", AIO + "developer", "developer", "Who developed the model.", shaped=True),
    Field("date", "date", DCT + "issued", "date", "The release date: YYYY, YYYY-MM or YYYY-MM-DD.", shaped=True),
    Field("huggingface", "texts", SKOS + "exactMatch", "huggingface", "Hub repo id(s): owner/name.", shaped=True),
    Field("wikidata", "texts", SKOS + "exactMatch", "wikidata", "Wikidata item id(s): Q and digits.", shaped=True),
    Field("links", "urls", SKOS + "exactMatch", "links", "Other registries' entries for the same model."),
    Field("source", "urls", PROV + "wasDerivedFrom", "source", "The URL(s) backing the record.", shaped=True),
    Field("as_of", "date", AIO + "asOf", "as_of", "When the facts were checked.", shaped=True),
    Field("checked", "date", AIO + "handChecked", "checked", "When hand-checked against primary sources.", shaped=True),
    Field("dataset", "texts", AIO + "fromDataset", "dataset", "The third-party dataset the record was built from."),
    Field("family", "texts", AIO + "inFamily", "family", "The model family's slug."),
    Field("modality", "modality", AIO + "modality", "modality", "What the model takes and produces."),
    Field("parameters", "parameters", AIO + "totalParameters", None,
          "Parameter counts: the total, or {total, active} for mixtures of experts."),
    Field("parameters_total", "count", AIO + "totalParameters", "parameters_total", "The total parameter count.",
          csv_only=True),
    Field("parameters_active", "count", AIO + "activeParameters", "parameters_active",
          "The active parameter count (mixtures of experts).", csv_only=True),
    Field("weights_date", "date", AIO + "weightsReleased", "weights_date",
          "When the weights were released, where that differs from date."),
    Field("organisations", "texts", AIO + "developedBy", "organisations", "The developing organisations' slugs."),
    Field("based_on", "derivations", SDO + "isBasedOn", "based_on",
          "The model(s) this one was derived from: record ids or URLs, or {model, kind, source}."),
    Field("based_on_kind", "texts", AIO + "derivationKind", "based_on_kind",
          "The kind of each based_on link, parallel to it ('-' for none).", csv_only=True),
    Field("based_on_source", "texts", PROV + "wasDerivedFrom", "based_on_source",
          "One source per based_on link, parallel to it ('-' for none).", csv_only=True),
    Field("artifacts", "artifacts", AIO + "hasRelease", None,
          "Claims about the model's artifacts, keyed by artifact slug (CSV: one column group per slug)."),
)

CLAIM_FIELDS: tuple[Field, ...] = (
    Field("availability", "availability", AIO + "availability", "",
          "public, gated, not-released, unknown.", shaped=True),
    Field("license", "texts", DCT + "license", "_license", "SPDX id, KG licence id or free-text name.", shaped=True),
    Field("url", "urls", SDO + "url", "_url", "Where the artifact is.", shaped=True),
    Field("source", "urls", PROV + "wasDerivedFrom", "_source", "The URL(s) backing this claim.", shaped=True),
    Field("as_of", "date", AIO + "asOf", "_as_of", "When this claim was checked.", shaped=True),
    Field("checked", "date", AIO + "handChecked", "_checked", "When this claim was hand-checked."),
    Field("history", "history", AIO + "hasState", None, "The claim's dated states, oldest first."),
)

STATE_FIELDS: tuple[Field, ...] = (
    Field("valid_from", "date", AIO + "validFrom", None, "The date this state took effect."),
    Field("availability", "availability", AIO + "stateAvailability", None, "The availability in this state."),
    Field("license", "texts", DCT + "license", None, "The licence(s) in this state."),
    Field("source", "urls", PROV + "wasDerivedFrom", None, "The URL(s) showing this state."),
)

DERIVATION_FIELDS: tuple[Field, ...] = (
    Field("model", "text", AIO + "baseModel", None, "The base model: a record id or a URL."),
    Field("kind", "derivation_kind", AIO + "derivationKind", None, "How it was derived from the base."),
    Field("source", "urls", PROV + "wasDerivedFrom", None, "The URL(s) backing the link."),
)

PARAMETER_FIELDS: tuple[Field, ...] = (
    Field("total", "count", AIO + "totalParameters", None, "All parameters: an integer, or 8B, 1.5T, 470M."),
    Field("active", "count", AIO + "activeParameters", None, "Parameters active per token (mixtures of experts)."),
)

#: Mapping name (as the schema's $defs call it) -> its fields.
NESTED: dict[str, tuple[Field, ...]] = {
    "record": RECORD_FIELDS, "claim": CLAIM_FIELDS, "state": STATE_FIELDS, "derivation": DERIVATION_FIELDS,
    "parameters": PARAMETER_FIELDS,
}

#: The keys of a JSON or YAML record.
RECORD_KEYS: tuple[str, ...] = tuple(f.key for f in RECORD_FIELDS if not f.csv_only)
CLAIM_KEYS: tuple[str, ...] = tuple(f.key for f in CLAIM_FIELDS)
STATE_KEYS: tuple[str, ...] = tuple(f.key for f in STATE_FIELDS)
#: CSV columns that are not per artifact.
CSV_MODEL_COLUMNS: tuple[str, ...] = tuple(f.csv for f in RECORD_FIELDS if f.csv)
#: Suffixes of the per-artifact CSV columns (``weights_license``); the bare slug is the availability.
CSV_CLAIM_SUFFIXES: tuple[str, ...] = tuple(f.csv for f in CLAIM_FIELDS if f.csv is not None)


def field_named(key: str, fields: tuple[Field, ...] = RECORD_FIELDS) -> Field | None:
    """The field with ``key`` in ``fields``."""
    return next((f for f in fields if f.key == key), None)
