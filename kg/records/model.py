"""The data the readers produce: RDF triples plus where each statement came from."""

from __future__ import annotations

from dataclasses import dataclass, field

import pyoxigraph as ox
import rdflib

from kg.vocab import AIO

RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
AI_MODEL = ox.NamedNode(str(AIO.AIModel))


@dataclass(frozen=True)
class Location:
    """Where a statement came from: the file and, for CSV, the line (header = 1) and column name."""

    file: str
    row: int | None = None
    column: str | None = None


@dataclass
class RecordSet:
    """Records read from one or more files, as RDF triples in the form of ``docs/records.md``.

    Values the readers cannot map (an availability of ``maybe``, a malformed date) are kept as plain
    literals so that validation can report them where they are.
    """

    triples: list[ox.Triple] = field(default_factory=list)
    #: (subject, predicate or None) -> location; the ``None`` entry is the record as a whole.
    locations: dict[tuple[str, str | None], Location] = field(default_factory=dict)
    files: list[str] = field(default_factory=list)
    #: CSV columns that name no known field, per file (reported by validation as warnings).
    unknown_columns: dict[str, list[str]] = field(default_factory=dict)

    def extend(self, other: RecordSet) -> None:
        """Add another set's records (as when several files are read at once)."""
        self.triples.extend(other.triples)
        self.locations.update(other.locations)
        self.files.extend(other.files)
        self.unknown_columns.update(other.unknown_columns)

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

    def location(self, subject: str, predicate: str | None = None) -> Location | None:
        """Where the statement ``(subject, predicate, ...)`` (or the record of ``subject``) came from."""
        return self.locations.get((subject, predicate)) or self.locations.get((subject, None))


def term_key(term: ox.NamedNode | ox.BlankNode) -> str:
    """The string a subject is known by in ``RecordSet.locations``: the IRI, or ``_:id``."""
    return term.value if isinstance(term, ox.NamedNode) else f"_:{term.value}"


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
