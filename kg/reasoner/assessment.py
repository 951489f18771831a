"""The ten dimensions assessed per model: the level classes of ``ontology/assessment.ttl``, compiled.

Each dimension has one defined class per level (full, partial, limited); a model's level is the one of
highest rank (``aio:rank``) whose class definition its deciding claims meet, the lowest ("none") when it
meets none; which class stands for which dimension and level is read from the ontology (kg.meaning).
``because`` names the rule met (the class's definition), the claims of the artifacts the rule names, and
the weights' licence terms when the rule depends on them.
"""

from __future__ import annotations

from dataclasses import dataclass

import rdflib
from rdflib import SKOS, URIRef

from kg.license_terms import LicenceTerms, describe
from kg.meaning import Meaning, meaning_of
from kg.reasoner import explain
from kg.reasoner.axioms import Compiler
from kg.reasoner.bitsets import Bitsets, BitsTest
from kg.reasoner.facts import ModelFacts
from kg.vocab import AIO, ARTIFACT_SLUGS

_KINDS = tuple(str(kind) for kind in ARTIFACT_SLUGS)


@dataclass(frozen=True)
class LevelRule:
    """One level class compiled: its test, its definition text, the artifact kinds it names."""

    iri: str
    level: str
    test: BitsTest
    text: str
    kinds: tuple[str, ...]
    uses_licence_terms: bool
    #: the first line of ``because`` (``partial: the trained weights are available``), and the one when not
    #: even this level, the lowest, is met
    head: str = ""
    none_head: str = ""


def _names(g: rdflib.Graph, expr: object, found: set[str]) -> None:
    """Every IRI an expression mentions (artifact kinds, licence classes), depth first."""
    for _, _, o in g.triples((expr, None, None)):  # type: ignore[arg-type]
        if isinstance(o, URIRef):
            found.add(str(o))
        else:
            _names(g, o, found)


def _terms_classes(names: set[str], compiler: Compiler) -> set[str]:
    """The licence classes among ``names`` that are typed from licence terms: subclasses of ``aio:License``
    other than the MOF's open-licence classes (those are typed from the SPDX list, not from terms)."""
    out = set()
    for name in names:
        supers = compiler.superclasses(URIRef(name))
        if AIO.License in supers and AIO.OpenLicense not in supers:
            out.add(name)
    return out


class Assessor:
    """The compiled level rules of one ontology graph."""

    def __init__(self, graph: rdflib.Graph, compiler: Compiler, tables: Meaning | None = None,
                 bitsets: Bitsets | None = None):
        self.rules: dict[str, list[LevelRule]] = {}
        tables = tables or meaning_of(graph)
        self.bitsets = bitsets or Bitsets(compiler)
        none = tables.lowest_level.slug
        for dimension in tables.dimensions:
            rules = []
            for level_class in dimension.level_classes:
                cls, level = URIRef(level_class.iri), level_class.level.slug
                names: set[str] = set()
                _names(graph, compiler.definition(cls), names)
                text = str(graph.value(cls, SKOS.definition) or "")
                short = text.rstrip(".")
                rules.append(LevelRule(str(cls), level, self.bitsets.test(cls), text,
                                       tuple(k for k in _KINDS if k in names),
                                       bool(_terms_classes(names, compiler)), f"{level}: {short}",
                                       f"{none}: not even {level} ({short[:1].lower() + short[1:]})"))
            self.rules[dimension.slug] = rules
        self.none = none

    def levels(self, facts: ModelFacts, bits: int | None = None) -> dict[str, LevelRule | None]:
        """Per dimension slug, the highest level rule the model meets (None: level "none"); ``bits``, the
        model's bits when the caller has them (kg.reasoner.bitsets)."""
        if bits is None:
            bits = self.bitsets.bits(facts.deciding)
        out: dict[str, LevelRule | None] = {}
        for slug, rules in self.rules.items():
            met = None
            for rule in rules:
                if rule.test(bits):
                    met = rule
                    break
            out[slug] = met
        return out

    def as_json(self, levels: dict[str, LevelRule | None], facts: ModelFacts,
                terms: LicenceTerms | None, multimodal: bool | None = None) -> dict[str, dict[str, object]]:
        """The ``assessment`` object of docs/design.md section 6, with the deciding facts."""
        described: dict[str, str] = {}  # each claim described once per model, however many rules name it

        def claim(kind: str) -> str:
            text = described.get(kind)
            if text is None:
                text = described[kind] = explain.describe(facts.deciding.get(kind), kind, facts)
            return text

        licence_line = None
        out: dict[str, dict[str, object]] = {}
        for slug, rule in levels.items():
            if rule is None:
                lowest = self.rules[slug][-1]
                because = [lowest.none_head, *[claim(k) for k in lowest.kinds]]
                out[slug] = {"level": self.none, "because": because}
                continue
            because = [rule.head, *[claim(k) for k in rule.kinds]]
            if rule.uses_licence_terms and terms is not None:
                if licence_line is None:
                    licence_line = "weights licence " + describe(terms, multimodal)
                because.append(licence_line)
            out[slug] = {"level": rule.level, "because": because}
        return out
