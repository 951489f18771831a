"""The ten dimensions assessed per model: the level classes of ``ontology/assessment.ttl``, compiled.

Each dimension has one defined class per level (full, partial, limited); a model's level is the highest
class whose definition its deciding claims meet, "none" when it meets none. ``because`` names the rule met
(the class's definition), the claims of the artifacts the rule names, and the weights' licence terms when
the rule depends on them.
"""

from __future__ import annotations

from dataclasses import dataclass

import rdflib
from rdflib import SKOS, URIRef

from kg.license_terms import LicenceTerms, describe
from kg.reasoner import explain
from kg.reasoner.axioms import Compiler, ModelTest
from kg.reasoner.facts import ModelFacts
from kg.vocab import AIO

#: docs/design.md section 2: dimension slug -> the prefix of its level classes
DIMENSION_CLASSES = {
    "artifact_access": "ArtifactAccess", "auditability": "Auditability", "reproducibility": "Reproducibility",
    "fine_tuning": "FineTuning", "deployment_control": "DeploymentControl", "risk_surface": "RiskSurface",
    "innovation": "Innovation", "lock_in": "LockIn", "governance": "Governance",
    "knowledge_diffusion": "KnowledgeDiffusion",
}
LEVELS = ("full", "partial", "limited")
_LICENCE_CLASSES = {str(AIO.CommercialUsePermittedLicense), str(AIO.UnrestrictedUseLicense),
                    str(AIO.DerivativesPermittedLicense)}


@dataclass(frozen=True)
class LevelRule:
    """One level class compiled: its test, its definition text, the artifact kinds it names."""

    iri: str
    level: str
    test: ModelTest
    text: str
    kinds: tuple[str, ...]
    uses_licence_terms: bool
    #: the first line of ``because`` (``partial: the trained weights are available``), and the one when not
    #: even this level, the lowest, is met
    head: str = ""
    none_head: str = ""


def level_class(slug: str, level: str) -> URIRef:
    """``aio:DeploymentControlFull`` for (``deployment_control``, ``full``)."""
    return AIO[DIMENSION_CLASSES[slug] + level.capitalize()]


def _names(g: rdflib.Graph, expr: object, found: set[str]) -> None:
    """Every IRI an expression mentions (artifact kinds, licence classes), depth first."""
    for _, _, o in g.triples((expr, None, None)):  # type: ignore[arg-type]
        if isinstance(o, URIRef):
            found.add(str(o))
        else:
            _names(g, o, found)


class Assessor:
    """The compiled level rules of one ontology graph."""

    def __init__(self, graph: rdflib.Graph, compiler: Compiler):
        self.rules: dict[str, list[LevelRule]] = {}
        kinds_all = set(explain._SLUGS)
        for slug in DIMENSION_CLASSES:
            rules = []
            for level in LEVELS:
                cls = level_class(slug, level)
                expr = compiler.definition(cls)
                names: set[str] = set()
                _names(graph, expr, names)
                text = str(graph.value(cls, SKOS.definition) or "")
                short = text.rstrip(".")
                rules.append(LevelRule(str(cls), level, compiler.model_test(cls), text,
                                       tuple(k for k in explain._SLUGS if k in names and k in kinds_all),
                                       bool(names & _LICENCE_CLASSES), f"{level}: {short}",
                                       f"none: not even {level} ({short[:1].lower() + short[1:]})"))
            self.rules[slug] = rules

    def levels(self, facts: ModelFacts) -> dict[str, LevelRule | None]:
        """Per dimension slug, the highest level rule the model meets (None: level "none")."""
        d = facts.deciding
        out: dict[str, LevelRule | None] = {}
        for slug, rules in self.rules.items():
            met = None
            for rule in rules:
                if rule.test(d):
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
                out[slug] = {"level": "none", "because": because}
                continue
            because = [rule.head, *[claim(k) for k in rule.kinds]]
            if rule.uses_licence_terms and terms is not None:
                if licence_line is None:
                    licence_line = "weights licence " + describe(terms, multimodal)
                because.append(licence_line)
            out[slug] = {"level": rule.level, "because": because}
        return out
