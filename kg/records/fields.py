"""The single table of record fields: every key of the plain form (JSON, YAML), its value type, the RDF
property it maps to, its CSV column and what it means.

Everything that lists fields is derived from here: the JSON Schema (``kg.records.schema``, published as
``docs/record.schema.json``), the keys the readers accept, the CSV columns, the "did you mean" of
``openness validate``, the RDF mapping both ways (``kg.records.mapping``: each row's ``term`` codec and
``plain`` shape), the CSV column of each statement, and the facts the reasoner collects (``fact``). Adding a
field is one row in one of the tables below; only a field that needs a node of its own (like ``based_on``)
or a new kind of term (a new codec in ``kg.records.mapping``) needs code.

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
    #: How one value becomes an RDF term and back: a codec name in ``kg.records.mapping.CODECS``; None where
    #: the field is a nested mapping with its own code (parameters, based_on, artifacts, history).
    term: str | None = None
    #: How the values read back from RDF make the plain value: ``first`` (the first one), ``sorted`` (a
    #: sorted list) or ``one_or_sorted`` (a single value alone, else a sorted list).
    plain: str = "first"
    #: The attribute of ``kg.reasoner.facts.ModelFacts`` (or ``Claim``) the values fill, if the reasoner
    #: uses the field: a list attribute gets every value, any other the first.
    fact: str | None = None
    #: Where the field's CSV column comes in a header the writer makes (ascending; for claim fields, within
    #: the artifact's column group); None for no column. The ``artifacts`` row's place is where the
    #: per-artifact column groups go.
    csv_order: int | None = None
    #: True for the columns every header the writer makes has, used or not.
    csv_always: bool = False


RECORD_FIELDS: tuple[Field, ...] = (
    Field("id", "slug", DCT + "identifier", "id", "The record's id: a lowercase slug.", shaped=True,
          term="identifier", fact="id", csv_order=1, csv_always=True),
    Field("name", "text", SDO + "name", "name", "The model's name.", shaped=True,
          term="text", fact="name", csv_order=2, csv_always=True),
    Field("developer", "text", AIO + "developer", "developer", "Who developed the model.", shaped=True,
          term="text", fact="developer", csv_order=3, csv_always=True),
    Field("date", "date", DCT + "issued", "date", "The release date: YYYY, YYYY-MM or YYYY-MM-DD.", shaped=True,
          term="date", csv_order=4, csv_always=True),
    Field("huggingface", "texts", SKOS + "exactMatch", "huggingface", "Hub repo id(s): owner/name.", shaped=True,
          term="huggingface", plain="one_or_sorted", csv_order=7, csv_always=True),
    Field("wikidata", "texts", SKOS + "exactMatch", "wikidata", "Wikidata item id(s): Q and digits.", shaped=True,
          term="wikidata", plain="one_or_sorted", csv_order=8, csv_always=True),
    Field("links", "urls", SKOS + "exactMatch", "links", "Other registries' entries for the same model.",
          term="iri", plain="sorted", csv_order=9),
    Field("source", "urls", PROV + "wasDerivedFrom", "source", "The URL(s) backing the record.", shaped=True,
          term="iri", plain="sorted", fact="sources", csv_order=6, csv_always=True),
    Field("as_of", "date", AIO + "asOf", "as_of", "When the facts were checked.", shaped=True,
          term="date", fact="as_of", csv_order=10),
    Field("checked", "date", AIO + "handChecked", "checked", "When hand-checked against primary sources.", shaped=True,
          term="date", fact="checked", csv_order=11),
    Field("dataset", "texts", AIO + "fromDataset", "dataset", "The third-party dataset the record was built from.",
          term="iri", csv_order=12),
    Field("family", "texts", AIO + "inFamily", "family", "The model family's slug.",
          term="family", fact="family", csv_order=14),
    Field("modality", "modality", AIO + "modality", "modality", "What the model takes and produces.",
          term="modality", plain="one_or_sorted", fact="modalities", csv_order=15),
    Field("parameters", "parameters", AIO + "totalParameters", None,
          "Parameter counts: the total, or {total, active} for mixtures of experts."),
    Field("parameters_total", "count", AIO + "totalParameters", "parameters_total", "The total parameter count.",
          csv_only=True, csv_order=16),
    Field("parameters_active", "count", AIO + "activeParameters", "parameters_active",
          "The active parameter count (mixtures of experts).", csv_only=True, csv_order=17),
    Field("weights_date", "date", AIO + "weightsReleased", "weights_date",
          "When the weights were released, where that differs from date.",
          term="date", csv_order=18),
    Field("organisations", "texts", AIO + "developedBy", "organisations", "The developing organisations' slugs.",
          term="organisation", plain="sorted", csv_order=19),
    Field("based_on", "derivations", SDO + "isBasedOn", "based_on",
          "The model(s) this one was derived from: record ids or URLs, or {model, kind, source}.", csv_order=13),
    Field("based_on_kind", "texts", AIO + "derivationKind", "based_on_kind",
          "The kind of each based_on link, parallel to it ('-' for none).", csv_only=True, csv_order=20),
    Field("based_on_source", "texts", PROV + "wasDerivedFrom", "based_on_source",
          "One source per based_on link, parallel to it ('-' for none).", csv_only=True, csv_order=21),
    Field("artifacts", "artifacts", AIO + "hasRelease", None,
          "Claims about the model's artifacts, keyed by artifact slug (CSV: one column group per slug).", csv_order=5),
)

CLAIM_FIELDS: tuple[Field, ...] = (
    Field("availability", "availability", AIO + "availability", "",
          "public, gated, not-released, unknown.", shaped=True,
          term="availability", fact="availability", csv_order=1),
    Field("license", "texts", DCT + "license", "_license", "SPDX id, KG licence id or free-text name.", shaped=True,
          term="license", plain="one_or_sorted", fact="licences", csv_order=2),
    Field("url", "urls", SDO + "url", "_url", "Where the artifact is.", shaped=True,
          term="iri", plain="one_or_sorted", fact="urls", csv_order=3),
    Field("source", "urls", PROV + "wasDerivedFrom", "_source", "The URL(s) backing this claim.", shaped=True,
          term="iri", plain="sorted", fact="sources", csv_order=4),
    Field("as_of", "date", AIO + "asOf", "_as_of", "When this claim was checked.", shaped=True,
          term="date", fact="as_of", csv_order=5),
    Field("checked", "date", AIO + "handChecked", "_checked", "When this claim was hand-checked.",
          term="date", fact="checked", csv_order=6),
    Field("history", "history", AIO + "hasState", None, "The claim's dated states, oldest first."),
)

STATE_FIELDS: tuple[Field, ...] = (
    Field("valid_from", "date", AIO + "validFrom", None, "The date this state took effect.",
          term="date"),
    Field("availability", "availability", AIO + "stateAvailability", None, "The availability in this state.",
          term="availability"),
    Field("license", "texts", DCT + "license", None, "The licence(s) in this state.",
          term="license", plain="one_or_sorted"),
    Field("source", "urls", PROV + "wasDerivedFrom", None, "The URL(s) showing this state.",
          term="iri", plain="sorted"),
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

#: The record fields a written CSV header has a place for, in header order (``artifacts``: the column groups).
CSV_HEADER_FIELDS: tuple[Field, ...] = tuple(sorted((f for f in RECORD_FIELDS if f.csv_order is not None),
                                                    key=lambda f: f.csv_order or 0))
#: The claim fields in the order of an artifact's column group (the availability, the bare slug, first).
CSV_CLAIM_FIELDS: tuple[Field, ...] = tuple(sorted((f for f in CLAIM_FIELDS if f.csv_order is not None),
                                                   key=lambda f: f.csv_order or 0))
