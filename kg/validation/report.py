"""Validation results as people and programs read them: located at a record (and CSV cell) and worded.

A result keeps the SHACL facts (focus node, path, value, severity, source shape and component) and
adds the record's file, CSV row and column and a message with the value filled in.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pyoxigraph as ox

from kg.records.model import RecordSet, term_key
from kg.validation.shapes import Path_, Shape
from kg.vocab import AIO, ARTIFACT_SLUGS, HF, LICENSE, SCHEMA, SPDX, WIKIDATA, local_name

SEVERITIES = ("Violation", "Warning", "Info")
_MODIFIERS = ("*", "+", "?")
_RELEASE = ox.NamedNode(str(AIO.hasRelease))
_ARTIFACT = ox.NamedNode(str(AIO.artifact))
_LABEL = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
_IDENTIFIER = ox.NamedNode("http://purl.org/dc/terms/identifier")
_LICENSE = ox.NamedNode("http://purl.org/dc/terms/license")
_NAME = ox.NamedNode(str(SCHEMA.name))
_SLUGS = {iri_str: slug for iri_str, slug in ((str(k), v) for k, v in ARTIFACT_SLUGS.items())}
_MATCH = "http://www.w3.org/2004/02/skos/core#exactMatch"
_MODEL_COLUMNS = {
    "http://purl.org/dc/terms/identifier": "id", str(SCHEMA.name): "name", str(AIO.developer): "developer",
    "http://purl.org/dc/terms/issued": "date", str(AIO.asOf): "as_of", str(AIO.handChecked): "checked",
    "http://www.w3.org/ns/prov#wasDerivedFrom": "source",
}
_RELEASE_COLUMNS = {
    str(AIO.availability): "", str(AIO.artifact): "", "http://purl.org/dc/terms/license": "_license",
    str(SCHEMA.url): "_url", "http://www.w3.org/ns/prov#wasDerivedFrom": "_source", str(AIO.asOf): "_as_of",
}
PREFIXES = {
    "aio": "https://w3id.org/ai-openness/ontology#",
    "dcterms": "http://purl.org/dc/terms/",
    "schema": "https://schema.org/",
    "prov": "http://www.w3.org/ns/prov#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "shp": "https://w3id.org/ai-openness/shapes#",
    "sh": "http://www.w3.org/ns/shacl#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
}


@dataclass
class Result:
    """One validation result, located and worded."""

    severity: str
    focus: Any
    path: Path_ | None
    value: Any
    message: str
    shape: Any = None
    component: Any = None
    file: str | None = None
    row: int | None = None
    column: str | None = None
    #: The record (model node) the focus belongs to, for grouping, and how people know it.
    record: Any = None
    record_label: str | None = None
    #: "shacl" for results of the shapes; "records" for what only the records as read show; "schema" for
    #: the structure of plain records (``kg.records.checks``).
    origin: str = "shacl"
    #: For "schema" results: the field's dotted path in the plain form (``artifacts.weights.availability``).
    field: str | None = None

    def key(self) -> tuple[str, str, str, str]:
        """(focus, path, severity, value) as strings: what the benchmark compares across engines."""
        return (node_text(self.focus), path_text(self.path, full=True), self.severity,
                node_text(self.value))

    def as_json(self) -> dict[str, Any]:
        return {
            "severity": self.severity,
            "focus": node_text(self.focus) if self.focus is not None else None,
            "path": self.field or path_text(self.path, full=True) or None,
            "value": display(self.value) if self.value is not None else None,
            "message": self.message,
            "file": self.file,
            "row": self.row,
            "column": self.column,
        }


@dataclass
class Report:
    """All results of one validation run."""

    results: list[Result] = field(default_factory=list)
    records: int = 0
    files: list[str] = field(default_factory=list)
    fail_on: str = "Violation"

    def count(self, severity: str) -> int:
        return sum(1 for r in self.results if r.severity == severity)

    @property
    def violations(self) -> int:
        return self.count("Violation")

    @property
    def warnings(self) -> int:
        return self.count("Warning")

    @property
    def failures(self) -> list[Result]:
        """Results at or above the ``fail_on`` severity; a shape's own severity IRI always fails.

        This is pySHACL's ``allow_warnings`` mode generalised: only ``sh:Warning`` and ``sh:Info`` can be let
        through, since a custom severity's rank is unknown.
        """
        threshold = SEVERITIES.index(self.fail_on)
        return [r for r in self.results
                if r.severity not in SEVERITIES or SEVERITIES.index(r.severity) <= threshold]

    @property
    def conforms(self) -> bool:
        """No result at or above the ``fail_on`` severity (see :attr:`failures`)."""
        return not self.failures


def node_text(node: Any) -> str:
    """An RDF term as a string: the IRI, ``_:id`` or the literal's text."""
    if node is None:
        return ""
    if isinstance(node, ox.BlankNode):
        return f"_:{node.value}"
    return node.value


def display(node: Any, labels: dict[Any, str] | None = None) -> str:
    """A value as a person wrote it: a literal's text, a licence id, a free-text licence's name."""
    if isinstance(node, (ox.Literal, ox.NamedNode)) and node.value.startswith((HF, WIKIDATA)):
        return node.value.split("/entity/", 1)[-1] if node.value.startswith(WIKIDATA) else node.value[len(HF):]
    if isinstance(node, ox.Literal):
        return node.value
    if isinstance(node, ox.BlankNode):
        return (labels or {}).get(node, f"_:{node.value}")
    if isinstance(node, ox.NamedNode):
        for namespace in (str(SPDX), str(LICENSE)):
            if node.value.startswith(namespace):
                return node.value[len(namespace):]
        return node.value
    return str(node)


def compact(iri: str) -> str:
    for prefix, namespace in PREFIXES.items():
        if iri.startswith(namespace):
            return f"{prefix}:{iri[len(namespace):]}"
    return f"<{iri}>"


def path_text(path: Path_ | None, full: bool = False) -> str:
    """A path in SPARQL property path syntax (``dcterms:identifier/^dcterms:identifier``).

    ``full`` gives full IRIs (a bare IRI for a one-predicate path), as the JSON report does.
    """
    if path is None:
        return ""
    if isinstance(path, ox.NamedNode):
        return path.value if full else compact(path.value)
    return _step(path, full, top=True)


def _step(path: Path_, full: bool, top: bool = False) -> str:
    if isinstance(path, ox.NamedNode):
        return f"<{path.value}>" if full else compact(path.value)
    op, arg = path
    if op == "^":
        return "^" + _step(arg, full)
    if op in _MODIFIERS:
        inner = _step(arg, full)
        return (inner if isinstance(arg, ox.NamedNode) or inner.startswith("(") else f"({inner})") + op
    joined = op.join(_step(p, full) for p in arg)
    return joined if top else f"({joined})"


def first_predicate(path: Path_ | None) -> ox.NamedNode | None:
    if isinstance(path, ox.NamedNode):
        return path
    if isinstance(path, tuple) and path[0] == "/":
        return first_predicate(path[1][0])
    return None


class Locator:
    """Finds each result's record, file, CSV row and column, and words its message."""

    def __init__(self, records: RecordSet, index: Any):
        self.records = records
        self.index = index
        self.labels: dict[Any, str] = {}

    def label(self, node: Any) -> str:
        if node not in self.labels:
            found = self.index.ox_objects(node, _LABEL) if isinstance(node, ox.BlankNode) else []
            self.labels[node] = found[0].value if found else display(node)
        return self.labels[node]

    def record_of(self, focus: Any) -> Any:
        if focus is None:
            return None
        owners = self.index.ox_subjects(_RELEASE, focus)
        return owners[0] if owners else focus

    def artifact_slug(self, focus: Any) -> str | None:
        kinds = self.index.ox_objects(focus, _ARTIFACT)
        if not kinds:
            return None
        kind = kinds[0]
        return _SLUGS.get(kind.value) or (kind.value if isinstance(kind, ox.Literal) else local_name(kind.value))

    def message(self, shape: Shape | None, focus: Any, value: Any, fallback: str) -> str:
        text = (shape.messages[0] if shape is not None and shape.messages else fallback)
        shown = self.label(value) if value is not None else ""
        for var in ("{?value}", "{$value}"):
            text = text.replace(var, shown)
        for var in ("{?this}", "{$this}"):
            text = text.replace(var, display(focus))
        if shape is not None and first_predicate(shape.path) == _LICENSE and isinstance(value, ox.NamedNode) \
                and shape.severity == "Violation":
            from kg.licenses import closest_license_ids

            close = closest_license_ids(display(value))
            if close:
                text += f"; did you mean '{close[0]}'?"
                if len(close) > 1:
                    text += " (also close: " + ", ".join(f"'{c}'" for c in close[1:]) + ")"
        if shape is not None and first_predicate(shape.path) == _IDENTIFIER and shape.path != _IDENTIFIER:
            ids = self.index.ox_objects(focus, _IDENTIFIER)
            if ids:
                text = text.replace("the same id", f"the same id '{ids[0].value}'")
        slug = self.artifact_slug(focus)
        if slug and not text.startswith(f"{slug}:"):
            text = f"{slug}: {text}"
        return text

    def record_label(self, record: Any) -> str:
        if isinstance(record, ox.NamedNode):
            return record.value.rsplit("/", 1)[-1]
        for predicate in (_IDENTIFIER, _NAME):
            found = self.index.ox_objects(record, predicate)
            if found:
                return f"{found[0].value!r} (no usable id)"
        return "(a record without id or name)"

    def locate(self, result: Result, shape: Shape | None) -> Result:
        result.record = self.record_of(result.focus)
        if result.record is not None:
            result.record_label = self.record_label(result.record)
        if result.focus is None:
            return result
        predicate = first_predicate(result.path) or (shape.report_path if shape is not None else None)
        key = term_key(result.focus)
        location = self.records.location(key, predicate.value if predicate is not None else None)
        if location is None and result.record is not None:
            location = self.records.location(term_key(result.record))
        if location is not None:
            result.file, result.row, result.column = location.file, location.row, location.column
            if location.row is not None and predicate is not None:
                result.column = self.csv_column(result.focus, predicate, result.value) or result.column
        return result

    def csv_column(self, focus: Any, predicate: ox.NamedNode, value: Any) -> str | None:
        """The CSV column a statement is written in (docs/design.md section 4), when the reader did not say."""
        slug = self.artifact_slug(focus)
        if slug is not None:
            suffix = _RELEASE_COLUMNS.get(predicate.value)
            return None if suffix is None else slug + suffix
        if predicate.value == _MATCH:
            text = value.value if value is not None else ""
            return "wikidata" if text.startswith(WIKIDATA) else "huggingface" if text.startswith(HF) else "links"
        return _MODEL_COLUMNS.get(predicate.value)
