"""The fast rule path: category, MOF class and the ten dimensions of every model, with reasons."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import pyoxigraph as ox
import rdflib
from rdflib import OWL
from rdflib.collection import Collection
from rdflib.term import Node, URIRef

from kg.license_terms import LicenceTerms, claim_terms
from kg.meaning import meaning, meaning_of
from kg.ontology import ontology_graph
from kg.perf import gc_paused
from kg.reasoner import explain
from kg.reasoner.assessment import Assessor
from kg.reasoner.axioms import (
    Compiled,
    Compiler,
    ModelTest,
    UnsupportedAxiomError,
    always,
    artifact_kinds,
    compile_ontology,
)
from kg.reasoner.bitsets import Bitsets, BitsTest
from kg.reasoner.facts import ModelFacts, collect_facts, collect_facts_from_plain
from kg.records.entity_fields import family_slug
from kg.records.model import RecordSet
from kg.vocab import AIO, CATEGORIES, DIMENSIONS, INFERRED_GRAPH, local_name

_WEIGHTS = str(AIO.Weights)
#: Modalities that make a model multimodal in the sense of the licences that restrict such models.
MULTIMODAL = {str(AIO.VisionLanguageModality), str(AIO.ImageModality), str(AIO.VideoModality),
              str(AIO.AudioModality)}


@dataclass
class Classification:
    """One model's category, MOF class and dimension values, with the reasons for them."""

    id: str
    iri: str
    name: str
    category: str
    mof_class: str | None
    dimensions: dict[str, str]
    reasons: list[str]
    conflicts: list[str] = field(default_factory=list)
    deciding: dict[str, str] = field(default_factory=dict)
    family: str | None = None
    #: the weights' licence terms (docs/design.md section 6); None when the weights are not available
    license_terms: LicenceTerms | None = None
    #: per dimension slug, the level rule met (None: "none"); the text is made when asked for
    levels: dict[str, Any] = field(default_factory=dict, repr=False)
    facts: ModelFacts | None = field(default=None, repr=False)
    assessor: Any = field(default=None, repr=False)
    #: base licences whose terms this model carries (kg.reasoner.lineage), each with its reason
    inherited_terms: list[dict[str, Any]] = field(default_factory=list)

    @property
    def multimodal(self) -> bool | None:
        """Whether the model is multimodal (some licences restrict only those); None when the record does not say."""
        if self.facts is None or not self.facts.modalities:
            return None
        return any(m in MULTIMODAL for m in self.facts.modalities)

    @property
    def assessment(self) -> dict[str, dict[str, Any]]:
        """The ``assessment`` object of docs/design.md section 6."""
        if self.assessor is None or self.facts is None:
            return {}
        return self.assessor.as_json(self.levels, self.facts, self.license_terms, self.multimodal)

    @property
    def osaid(self) -> dict[str, Any]:
        """The ``osaid`` object of docs/design.md section 6."""
        from kg.reasoner.osaid import osaid

        if self.facts is None:
            return {"conformant": None, "because": []}
        return osaid(self.facts, self.license_terms)

    def as_json(self) -> dict[str, Any]:
        """The object ``classify --format json`` prints (docs/design.md sections 5 and 6)."""
        return {
            "id": self.id, "iri": self.iri, "name": self.name, "category": self.category,
            "mof_class": self.mof_class, "dimensions": dict(self.dimensions), "reasons": list(self.reasons),
            "conflicts": list(self.conflicts), "family": self.family,
            "inherited_terms": list(self.inherited_terms),
            "license_terms": self.license_terms.as_json(self.multimodal) if self.license_terms is not None else None,
            "osaid": self.osaid, "assessment": self.assessment,
        }


class RulePath:
    """A compiled ontology, ready to classify models."""

    def __init__(self, graph: rdflib.Graph):
        self.graph = graph
        self.compiler = Compiler(graph)
        self.compiled: Compiled = compile_ontology(graph, self.compiler)
        self._requirements: dict[str, list[tuple[ModelTest, list[str]]]] = {}
        #: category -> its dimension values as local names, in the seed's order
        self._dimensions = {
            cat: {local_name(str(p)): local_name(values[str(p)]) for p in DIMENSIONS if str(p) in values}
            for cat, values in self.compiled.dimensions.items()
        }
        #: every class the classifier tests, as masks over a model's bits (kg.reasoner.bitsets)
        self.bitsets = Bitsets(self.compiler)
        self._categories = [(iri, self.bitsets.test(URIRef(iri))) for iri in self.compiled.categories]
        self._category_names = {iri: CATEGORIES[URIRef(iri)] for iri in self.compiled.categories}
        self.meaning = meaning_of(graph)
        #: MOF class IRIs, lowest first; name -> label; a model's MOF class (or None) -> the class above it
        self._mof_order = [c.iri for c in self.meaning.mof_classes]
        self._mof_names = {c.iri: c.name for c in self.meaning.mof_classes}
        self._mof_labels = {c.name: c.label for c in self.meaning.mof_classes}
        self._next_mof = {c.name if c is not None else None: above.iri
                          for c in (None, *self.meaning.mof_classes) if (above := self.meaning.mof_above(
                              c.name if c is not None else None)) is not None}
        self._mof_plan = self._plan_mof()
        self._mof_requirements = {iri: requirements for iri, _, _, requirements in self._mof_plan}
        self._reasons = explain.CategoryReasons(self.compiler, self._category_names)
        #: licence keys of a weights claim -> their terms (a few licences serve many models)
        self._terms: dict[tuple[str, ...], LicenceTerms | None] = {}
        self.assessor = Assessor(graph, self.compiler, self.meaning, self.bitsets)

    def _plan_mof(self) -> list[tuple[str, list[str], list[BitsTest], list[tuple[BitsTest, list[str]]]]]:
        """Per MOF class, in an order where each comes after the MOF classes its definition names: those
        classes, its other named conjuncts (as tests) and its requirements (the rest, with their kinds)."""
        plan: dict[str, tuple[str, list[str], list[BitsTest], list[tuple[BitsTest, list[str]]]]] = {}

        def visit(iri: str, path: tuple[str, ...] = ()) -> None:
            if iri in plan:
                return
            if iri in path:
                raise UnsupportedAxiomError(f"MOF class {iri} is defined through itself")
            parts = self.conjuncts(iri)
            named = [str(p) for p in parts if isinstance(p, URIRef)]
            deps = [n for n in named if n in self.compiled.mof_classes]
            for dep in deps:
                visit(dep, (*path, iri))
            tests = [t for n in named if n not in deps and (t := self.bitsets.test(URIRef(n))) is not always]
            requirements = [(self.bitsets.test(part), kinds) for part, kinds in self._requirement_parts(iri)]
            plan[iri] = (iri, deps, tests, requirements)

        for iri in self.compiled.mof_classes:
            visit(iri)
        return list(plan.values())

    def conjuncts(self, cls_iri: str) -> list[Node]:
        """The conjuncts of a class definition (the definition itself when it is no intersection)."""
        g = self.graph
        expr = self.compiled.expressions[cls_iri]
        inter = g.value(expr, OWL.intersectionOf)
        return list(Collection(g, inter)) if inter is not None else [expr]

    def classify(self, facts: ModelFacts) -> Classification:
        """Classify one model from its deciding claims."""
        d = facts.deciding
        bits = self.bitsets.bits(d)
        matched = [iri for iri, test in self._categories if test(bits)]
        category_iri = matched[0] if len(matched) == 1 else None
        category = self._category_names[category_iri] if category_iri else "unclassified"
        dims = dict(self._dimensions.get(category_iri or "", {}))
        mof, failures = self._mof_class(bits)
        reasons = [self._reasons.reason(category, facts)]
        if len(matched) > 1:
            reasons.append("inconsistent: the claims satisfy "
                           + " and ".join(self._category_names[m] for m in matched))
        if dims:
            reasons.append(f"dimensions: the values the ontology gives every {category} model")
        missing = self._next_missing(mof, failures, bits, facts)
        reasons.append(explain.mof_reason(self._mof_labels[mof] if mof else None, missing,
                                          self.meaning.mof_classes[0].label))
        conflicts = explain.conflict_reasons(facts)
        reasons.extend(conflicts)
        return Classification(
            facts.id or local_name(facts.iri), facts.iri, facts.name or facts.id, category, mof, dims, reasons,
            conflicts, {k: claim.release for k, claim in d.items()}, family_slug(facts.family),
            self.weights_terms(facts), self.assessor.levels(facts, bits), facts, self.assessor,
        )

    def _mof_class(self, bits: int) -> tuple[str | None, dict[str, list[list[str]]]]:
        """The model's MOF class (None: none), and per class evaluated, the kinds of its failed requirements.

        MOF classes in definition order, each class's requirements evaluated once, and only where the classes
        it builds on hold; what failed is kept for the reason ("the next class lacks ...")."""
        holds: dict[str, bool] = {}
        failures: dict[str, list[list[str]]] = {}
        for iri, deps, tests, requirements in self._mof_plan:
            ok = True
            for dep in deps:  # plain loops: all() over a generator costs more than these few tests
                ok = ok and holds[dep]
            for test in tests:
                ok = ok and test(bits)
            if ok:
                failed = [kinds for test, kinds in requirements if not test(bits)]
                failures[iri] = failed
                ok = not failed
            holds[iri] = ok
        mof = None
        for iri in self._mof_order:
            if holds[iri]:
                mof = self._mof_names[iri]
        return mof, failures

    def _next_missing(self, mof: str | None, failures: dict[str, list[list[str]]], bits: int,
                      facts: ModelFacts) -> list[str]:
        """What the class above ``mof`` lacks, as text (nothing above the highest class)."""
        next_cls = self._next_mof.get(mof)
        if next_cls is None:
            return []
        failed_kinds = failures.get(next_cls)
        if failed_kinds is None:
            failed_kinds = [kinds for test, kinds in self._mof_requirements[next_cls] if not test(bits)]
        return self.missing_text(failed_kinds, facts)

    def weights_terms(self, facts: ModelFacts) -> LicenceTerms | None:
        """The terms of the weights' licence(s); None unless the weights are public or gated."""
        claim = facts.deciding.get(_WEIGHTS)
        if claim is None or claim.availability not in explain._AVAILABLE:
            return None
        key = tuple(claim.licences)
        if key not in self._terms:
            terms = claim_terms(key, facts.labels)
            self._terms[key] = terms if terms is not None else LicenceTerms(
                "", known=False, note="the record names no licence for the weights")
        return self._terms[key]

    def _requirement_parts(self, cls_iri: str) -> list[tuple[Node, list[str]]]:
        """The conjuncts of a MOF class other than named classes (AIModel, or the class below: cumulative),
        each with the kinds it names."""
        return [(part, artifact_kinds(self.graph, part)) for part in self.conjuncts(cls_iri)
                if not isinstance(part, URIRef)]

    def requirements(self, cls_iri: str) -> list[tuple[ModelTest, list[str]]]:
        """The requirements of a MOF class (its conjuncts other than named classes): each a test over the
        deciding claims and the kinds it names."""
        if cls_iri not in self._requirements:
            self._requirements[cls_iri] = [(self.compiler.model_test(part), kinds)
                                           for part, kinds in self._requirement_parts(cls_iri)]
        return self._requirements[cls_iri]

    def missing(self, cls_iri: str, facts: ModelFacts) -> list[str]:
        """The required components of ``cls_iri`` that the model does not meet, and why."""
        d = facts.deciding
        return self.missing_text([kinds for test, kinds in self.requirements(cls_iri) if not test(d)], facts)

    @staticmethod
    def missing_text(failed: list[list[str]], facts: ModelFacts) -> list[str]:
        """``training code (not released)`` for each kind named by a failed requirement."""
        out: list[str] = []
        for kinds in failed:
            for kind in kinds:
                claim = facts.deciding.get(kind)
                if claim is None or claim.availability is None:
                    why = "not stated"
                elif claim.availability not in explain._AVAILABLE:
                    why = explain._VALUES.get(claim.availability, claim.availability).replace("-", " ")
                elif not claim.licences:
                    why = "no licence given"
                else:
                    why = "licence " + ", ".join(explain.licence_text(x, facts) for x in claim.licences) + " not open"
                out.append(f"{explain.kind_label(kind)} ({why})")
        return out


def _licences(models: Mapping[str, ModelFacts]) -> set[URIRef]:
    """The licence IRIs the claims name (distinct strings first: a URIRef costs more than a set lookup)."""
    names: set[str] = set()
    add = names.update
    for m in models.values():
        for claims in m.claims.values():
            for c in claims:
                if c.licences:
                    add(c.licences)
    return {URIRef(lic) for lic in names if not lic.startswith("_:")}


def classify_facts(models: Mapping[str, ModelFacts]) -> list[Classification]:
    """Classify grouped facts (the step ``bench/classify.py`` times as inference)."""
    with gc_paused():  # the ontology graph too: its many small objects would have the collector walk ``models``
        path = RulePath(ontology_graph(_licences(models), with_terms=False))
        return [path.classify(f) for f in models.values()]


def classify_triples(triples: Iterable[Any]) -> list[Classification]:
    """Classify the models described by record triples (pyoxigraph terms)."""
    from kg.reasoner.lineage import links_from_triples

    triples = triples if isinstance(triples, list) else list(triples)
    facts = collect_facts(triples)
    return with_inherited_terms(classify_facts(facts), facts, links_from_triples(triples))


def classify_recordset(records: RecordSet) -> list[Classification]:
    """Classify what was read: from the plain records directly when there are only those (faster)."""
    from kg.reasoner.lineage import links_from_plain

    plain = records.plain_records()
    if plain is not None:
        facts = collect_facts_from_plain(plain)
        return with_inherited_terms(classify_facts(facts), facts, links_from_plain(plain))
    return classify_triples(records.triples)


def with_inherited_terms(results: list[Classification], facts: Mapping[str, ModelFacts],
                         links: Mapping[str, Any]) -> list[Classification]:
    """Add to each derived model the terms its base's licence binds it to, with the reason."""
    from kg.reasoner.lineage import carried_terms

    if not links:
        return results
    carried = carried_terms(facts, links)
    for result in results:
        for entry in carried.get(result.iri, []):
            result.inherited_terms.append(entry)
            result.reasons.append(entry["because"])
    return results


def classify_records(records: Iterable[Mapping[str, Any]]) -> list[Classification]:
    """Classify plain records (JSON/YAML/CSV-shaped dicts)."""
    from kg.records import records_to_recordset

    return classify_triples(records_to_recordset(list(records)).triples)


def store_triples(store: ox.Store, graph: ox.NamedNode | None = None) -> Iterable[ox.Quad]:
    """The record quads of a store (one graph, or all graphs except the inferred one)."""
    inferred = ox.NamedNode(str(INFERRED_GRAPH))
    for quad in store.quads_for_pattern(None, None, None, graph):
        if quad.graph_name != inferred:
            yield quad


def classify_store(store: ox.Store, graph: ox.NamedNode | None = None) -> list[Classification]:
    """Classify every model in a pyoxigraph store."""
    return classify_triples(store_triples(store, graph))


def inferred_quads(results: Iterable[Classification]) -> list[ox.Quad]:
    """The statements the reasoner adds: category, MOF and assessment level types, dimension values, deciding
    releases."""
    g = ox.NamedNode(str(INFERRED_GRAPH))
    rdf_type = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
    by_category = {v: str(k) for k, v in CATEGORIES.items()}
    tables = meaning()
    explanation = ox.NamedNode(str(AIO) + "explanation")
    deciding = ox.NamedNode(str(AIO.decidingRelease))
    ns = str(AIO)
    quads: list[ox.Quad] = []
    for r in results:
        m = ox.NamedNode(r.iri) if not r.iri.startswith("_:") else ox.BlankNode(r.iri[2:])
        if r.category in by_category:
            quads.append(ox.Quad(m, rdf_type, ox.NamedNode(by_category[r.category]), g))
        if r.mof_class:  # the class and every class below it
            for cls in tables.mof_included(r.mof_class):
                quads.append(ox.Quad(m, rdf_type, ox.NamedNode(cls.iri), g))
        for prop, value in r.dimensions.items():
            quads.append(ox.Quad(m, ox.NamedNode(ns + prop), ox.NamedNode(ns + value), g))
        for met in r.levels.values():  # the level class each dimension reaches (ontology/assessment.ttl)
            if met is not None:
                quads.append(ox.Quad(m, rdf_type, ox.NamedNode(met.iri), g))
        for release in r.deciding.values():
            node = ox.NamedNode(release) if not release.startswith("_:") else ox.BlankNode(release[2:])
            quads.append(ox.Quad(m, deciding, node, g))
        for reason in r.reasons:
            quads.append(ox.Quad(m, explanation, ox.Literal(reason), g))
    return quads


def materialise(store: ox.Store) -> int:
    """Replace the store's inferred graph with fresh inferences; returns the number of statements."""
    from kg.exports.fair4ml import fair4ml_of_store

    results = classify_store(store)
    quads = inferred_quads(results)
    g = ox.NamedNode(str(INFERRED_GRAPH))
    # the FAIR4ML/schema.org types and properties, for SPARQL clients that do no reasoning
    quads.extend(ox.Quad(t.subject, t.predicate, t.object, g) for t in fair4ml_of_store(store))
    store.clear_graph(g) if store.contains_named_graph(g) else None
    store.extend(quads)
    return len(quads)
