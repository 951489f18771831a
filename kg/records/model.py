"""The data the readers produce: RDF triples plus where each statement came from."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

import pyoxigraph as ox
import rdflib

from kg.records.fields import CLAIM_FIELDS, RECORD_FIELDS
from kg.records.terms import model_node, term_key
from kg.records.to_rdf import record_to_triples
from kg.vocab import AIO

RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
AI_MODEL = ox.NamedNode(str(AIO.AIModel))


@dataclass(frozen=True)
class Location:
    """Where a statement came from: the file and, for CSV, the line (header = 1) and column name."""

    file: str
    row: int | None = None
    column: str | None = None


def _model_columns() -> dict[str, str]:
    out: dict[str, str] = {}
    for f in RECORD_FIELDS:  # a predicate several fields share is reported at the first one's column
        if f.predicate and f.csv:
            out.setdefault(f.predicate, f.csv)
    return out


#: Model-level predicate -> the field (CSV column) it is written in.
MODEL_FIELD_OF = _model_columns()
#: Release-level predicate -> the suffix of its field after the artifact slug (the kind and the availability
#: are the slug's own column).
RELEASE_SUFFIX_OF = {str(AIO.artifact): "", **{
    f.predicate: f.csv.replace("_", ".", 1) for f in CLAIM_FIELDS if f.predicate and f.csv is not None}}


class RecordSet:
    """Records read from one or more files, as RDF triples in the form of ``docs/records.md``.

    Values the readers cannot map (an availability of ``maybe``, a malformed date) are kept as plain
    literals so that validation can report them where they are. Where each statement came from is kept
    per record (file and CSV line) plus, per CSV file, which column holds which field: a few entries per
    record rather than one per statement. Records read from the plain formats (CSV, JSON, YAML) are
    turned into triples only when ``triples`` is first used, so classifying them can skip RDF entirely.
    """

    def __init__(self, triples: list[ox.Triple] | None = None, files: list[str] | None = None):
        self._triples: list[ox.Triple] = list(triples or [])
        #: plain records not yet turned into triples: (index, record, where)
        self._pending: list[tuple[int, Any, Location]] = []
        #: how many plain records were given in all (kept after they become triples)
        self._plain_count = 0
        #: subject (model or release, as ``term_key``) -> where its record was written (several for duplicates).
        self._record_locations: dict[str, list[Location]] = {}
        #: release subject -> its artifact slug.
        self.release_slugs: dict[str, str] = {}
        #: CSV file -> field path (``name``, ``weights``, ``weights.license``...) -> column header.
        self.columns: dict[str, dict[str, str]] = {}
        self.files: list[str] = list(files or [])
        #: CSV columns that name no known field, per file.
        self.unknown_columns: dict[str, list[str]] = {}
        #: Structural mistakes found so far (``kg.records.checks.FieldProblem``): CSV headers when read,
        #: JSON and YAML records when ``check_fields`` runs.
        self.field_problems: list[Any] = []
        self._checked = 0

    def add_plain(self, index: int, record: Any, where: Location) -> None:
        """Add a plain record, to be turned into triples when they are needed."""
        self._pending.append((index, record, where))
        self._plain_count += 1

    def _materialise(self) -> None:
        if self._pending:
            from kg.perf import gc_paused

            pending, self._pending = self._pending, []
            self._checked = 0
            with gc_paused():
                for index, record, where in pending:
                    self._triples.extend(record_to_triples(record, index=index, sink=self, where=where))

    @property
    def triples(self) -> list[ox.Triple]:
        """Every record as RDF triples."""
        self._materialise()
        return self._triples

    @triples.setter
    def triples(self, value: list[ox.Triple]) -> None:
        self._pending = []
        self._checked = 0
        self._triples = value

    @property
    def record_locations(self) -> dict[str, list[Location]]:
        """Subject -> where its record was written."""
        self._materialise()
        return self._record_locations

    def check_fields(self) -> list[Any]:
        """Check the plain records not yet turned into triples against the record schema (CSV rows are built
        from known columns and need no check); returns every field problem found so far.

        Call it before ``triples``: records already mapped are not checked again.
        """
        from kg.records.checks import check_record, with_yaml_lines

        new: dict[str, list[Any]] = {}
        for index, record, where in self._pending[self._checked:]:
            if where.row is not None:
                continue
            found = check_record(record, index, where.file)
            if found:
                subject = model_node(record.get("id") if isinstance(record, dict) else None, f"record{index}")
                new.setdefault(where.file, []).extend(dataclasses.replace(p, subject=subject) for p in found)
        self._checked = len(self._pending)
        for file, problems in new.items():
            self.field_problems.extend(with_yaml_lines(problems, file) if file.lower().endswith((".yaml", ".yml"))
                                       else problems)
        return self.field_problems

    def plain_records(self) -> list[tuple[int, Any]] | None:
        """The ``(index, record)`` pairs when every record came from a plain format and none became RDF yet."""
        if self._triples or not self._pending:
            return None
        return [(index, record) for index, record, _ in self._pending]

    def extend(self, other: RecordSet) -> None:
        """Add another set's records (as when several files are read at once)."""
        self._triples.extend(other._triples)
        self._pending.extend(other._pending)
        self._plain_count += other._plain_count
        for key, locs in other._record_locations.items():
            self._record_locations.setdefault(key, []).extend(locs)
        self.release_slugs.update(other.release_slugs)
        self.columns.update(other.columns)
        self.files.extend(other.files)
        self.unknown_columns.update(other.unknown_columns)
        self.field_problems.extend(other.field_problems)

    def add_record(self, subject: str, where: Location, slug: str | None = None) -> None:
        """Note where the record of ``subject`` (a model, or a release with its slug) was written."""
        self._record_locations.setdefault(subject, []).append(where)
        if slug is not None:
            self.release_slugs[subject] = slug

    def models(self) -> list[str]:
        """The model IRIs (or blank node ids), in the order their records were read."""
        seen: dict[str, None] = {}
        for t in self.triples:
            if t.predicate == RDF_TYPE and t.object == AI_MODEL:
                seen.setdefault(term_key(t.subject), None)
        return list(seen)

    def graph(self) -> rdflib.Graph:
        """The records as an rdflib graph (for pySHACL and for callers that want rdflib)."""
        g = rdflib.Graph()
        for t in self.triples:
            g.add((to_rdflib(t.subject), to_rdflib(t.predicate), to_rdflib(t.object)))
        return g

    def locations_of(self, subject: str) -> list[Location]:
        """Every place the record of ``subject`` was written (more than one for a duplicate id)."""
        return self.record_locations.get(subject, [])

    def location(self, subject: str, predicate: str | None = None, index: int = 0) -> Location | None:
        """Where ``(subject, predicate, ...)`` (or the record of ``subject``) was written: file, CSV line, column."""
        locs = self.record_locations.get(subject)
        if not locs:
            return None
        where = locs[min(index, len(locs) - 1)]
        if predicate is None or where.row is None:
            return where
        slug = self.release_slugs.get(subject)
        if slug is None:
            path = MODEL_FIELD_OF.get(predicate)
        else:
            suffix = RELEASE_SUFFIX_OF.get(predicate)
            path = None if suffix is None else slug + suffix
        column = self.columns.get(where.file, {}).get(path) if path else None
        return Location(where.file, where.row, column)


def to_rdflib(term: object) -> rdflib.term.Node:
    """Convert a pyoxigraph term to the equal rdflib term."""
    if isinstance(term, ox.NamedNode):
        return rdflib.URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return rdflib.BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return rdflib.Literal(term.value, lang=term.language)
        dt = term.datatype.value
        if dt == "http://www.w3.org/2001/XMLSchema#string":
            return rdflib.Literal(term.value)
        return rdflib.Literal(term.value, datatype=rdflib.URIRef(dt))
    raise TypeError(f"not an RDF term: {term!r}")


def from_rdflib(term: rdflib.term.Node) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    """Convert an rdflib term to the equal pyoxigraph term."""
    if isinstance(term, rdflib.URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, rdflib.BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, rdflib.Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype is not None:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    raise TypeError(f"not an RDF term: {term!r}")
