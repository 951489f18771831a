"""What the ontology says about order and names, read once from its modules into small tables.

The reasoner's reasons, the HermiT reference, the store's inferred types and the pages all need the same
few facts: the MOF classes from lowest to highest (the ``rdfs:subClassOf`` chain of ``ontology/mof.ttl``),
their labels, the ten dimensions in order with their slugs (``skos:notation``, ``aio:slug`` in
``ontology/aio.ttl``), and for each dimension its level classes and the levels they stand for, ranked
(``aio:assessedDimension``, ``aio:assessedLevel``, ``aio:rank`` in ``ontology/assessment.ttl``). They are
taken from there, so a change to the ontology changes every reader at once.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import rdflib
from rdflib import RDF, RDFS, SKOS, URIRef

from kg.vocab import AIO, MOF_CLASSES


class OntologyShapeError(ValueError):
    """The ontology lacks a fact these tables need (a missing slug, rank or order)."""


@dataclass(frozen=True)
class MofClass:
    """One MOF class: its IRI, its name in outputs (``III``), its label, its rank (0 is the lowest)."""

    iri: str
    name: str
    label: str
    rank: int


@dataclass(frozen=True)
class Level:
    """One assessment level: its IRI, its slug in outputs (``partial``) and its rank (0 is ``none``)."""

    iri: str
    slug: str
    rank: int


@dataclass(frozen=True)
class LevelClass:
    """One level class of a dimension (``aio:DeploymentControlPartial``) and the level it stands for."""

    iri: str
    level: Level


@dataclass(frozen=True)
class Dimension:
    """One of the ten dimensions: its property IRI, slug, label, and level classes from the highest level."""

    iri: str
    slug: str
    label: str
    level_classes: tuple[LevelClass, ...]


@dataclass(frozen=True)
class Meaning:
    """The tables: MOF classes lowest first, levels highest first, dimensions in the ontology's order."""

    mof_classes: tuple[MofClass, ...]
    levels: tuple[Level, ...]
    dimensions: tuple[Dimension, ...]

    def mof(self, name: str) -> MofClass:
        """The MOF class named ``name`` (``III``)."""
        return next(c for c in self.mof_classes if c.name == name)

    def mof_above(self, name: str | None) -> MofClass | None:
        """The class right above ``name`` (the lowest for None; None above the highest)."""
        rank = -1 if name is None else self.mof(name).rank
        return next((c for c in self.mof_classes if c.rank == rank + 1), None)

    def mof_included(self, name: str) -> list[MofClass]:
        """``name`` and every class below it, lowest first: a model of a class is also of those below."""
        rank = self.mof(name).rank
        return [c for c in self.mof_classes if c.rank <= rank]

    def mof_highest(self, iris: object) -> str | None:
        """The name of the highest MOF class among ``iris`` (IRIs as strings), None when none is."""
        found = [c for c in self.mof_classes if c.iri in iris]  # type: ignore[operator]
        return found[-1].name if found else None

    @property
    def lowest_level(self) -> Level:
        """The level a model has on a dimension when it is in none of the dimension's level classes."""
        return self.levels[-1]


def _text(g: rdflib.Graph, term: URIRef, prop: URIRef) -> str:
    value = g.value(term, prop)
    if value is None:
        raise OntologyShapeError(f"{term} has no {prop}")
    return str(value)


def mof_classes(g: rdflib.Graph) -> tuple[MofClass, ...]:
    """The MOF classes ranked by the ``rdfs:subClassOf`` chain: each class is above the ones it is a subclass of."""
    iris = set(MOF_CLASSES)

    def below(cls: URIRef) -> set[URIRef]:
        seen: set[URIRef] = set()
        todo = [cls]
        while todo:
            for sup in g.objects(todo.pop(), RDFS.subClassOf):
                if isinstance(sup, URIRef) and sup in iris and sup not in seen:
                    seen.add(sup)
                    todo.append(sup)
        return seen

    ranked = sorted((len(below(c)), str(c)) for c in iris)
    if [rank for rank, _ in ranked] != list(range(len(ranked))):
        raise OntologyShapeError(f"the MOF classes do not form one rdfs:subClassOf chain: {ranked}")
    return tuple(MofClass(iri, MOF_CLASSES[URIRef(iri)], _text(g, URIRef(iri), RDFS.label), rank)
                 for rank, iri in ranked)


def levels(g: rdflib.Graph) -> tuple[Level, ...]:
    """The levels of ``aio:AssessmentLevels``, highest rank first."""
    out = []
    for term in g.subjects(RDF.type, AIO.Level):
        if isinstance(term, URIRef):
            out.append(Level(str(term), _text(g, term, AIO.slug), int(_text(g, term, AIO.rank))))
    out.sort(key=lambda lv: -lv.rank)
    if len({lv.rank for lv in out}) != len(out) or not out:
        raise OntologyShapeError(f"the assessment levels need distinct ranks: {out}")
    return tuple(out)


def dimensions(g: rdflib.Graph, by_iri: dict[str, Level]) -> tuple[Dimension, ...]:
    """The sub-properties of ``aio:opennessDimension`` in ``skos:notation`` order, each with its level classes."""
    classes: dict[str, list[LevelClass]] = {}
    for cls, dim in g.subject_objects(AIO.assessedDimension):
        level = by_iri.get(_text(g, cls, AIO.assessedLevel))  # type: ignore[arg-type]
        if level is None:
            raise OntologyShapeError(f"{cls}: aio:assessedLevel is no aio:Level")
        classes.setdefault(str(dim), []).append(LevelClass(str(cls), level))
    out = []
    for prop in g.subjects(RDFS.subPropertyOf, AIO.opennessDimension):
        if isinstance(prop, URIRef):
            found = sorted(classes.get(str(prop), []), key=lambda lc: -lc.level.rank)
            out.append((int(_text(g, prop, SKOS.notation)), Dimension(
                str(prop), _text(g, prop, AIO.slug), _text(g, prop, RDFS.label), tuple(found))))
    return tuple(d for _, d in sorted(out, key=lambda pair: pair[0]))


def meaning_of(g: rdflib.Graph) -> Meaning:
    """The tables of one ontology graph."""
    ranked = levels(g)
    return Meaning(mof_classes(g), ranked, dimensions(g, {lv.iri: lv for lv in ranked}))


@cache
def meaning() -> Meaning:
    """The tables of the project's ontology (read once per process)."""
    from kg.ontology import class_modules

    return meaning_of(class_modules())
