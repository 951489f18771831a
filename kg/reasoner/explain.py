"""Reasons a person can read: which claims put a model in its category and MOF class, and what is missing."""

from __future__ import annotations

from rdflib import URIRef

from kg.reasoner.axioms import Compiler, artifact_kinds
from kg.reasoner.facts import Claim, ModelFacts
from kg.vocab import AIO, ARTIFACT_SLUGS, AVAILABILITY_VALUES, LICENSE, SPDX

_AVAILABLE = {str(AIO.Public), str(AIO.Gated)}
_SLUGS = {str(k): v for k, v in ARTIFACT_SLUGS.items()}
_VALUES = {str(k): v for k, v in AVAILABILITY_VALUES.items()}


_KIND_LABELS = {kind: slug.replace("_", " ") for kind, slug in _SLUGS.items()}


def kind_label(kind: str) -> str:
    """``training_data`` -> ``training data``."""
    label = _KIND_LABELS.get(kind)
    return label if label is not None else kind.rsplit("#", 1)[-1].replace("_", " ")


def licence_text(lic: str, facts: ModelFacts) -> str:
    """An SPDX or KG licence id, or a free-text licence's name."""
    for ns in (str(SPDX), str(LICENSE)):
        if lic.startswith(ns):
            return lic[len(ns):]
    return facts.labels.get(lic, lic)


def describe(claim: Claim | None, kind: str, facts: ModelFacts) -> str:
    """``weights public under Apache-2.0 [https://...]`` for one deciding claim."""
    if claim is None or claim.availability is None:
        return f"{kind_label(kind)} not stated"
    value = _VALUES.get(claim.availability, repr(claim.availability))
    text = f"{kind_label(kind)} {value.replace('-', ' ')}"
    if claim.licences and claim.availability in _AVAILABLE:
        text += " under " + " and ".join(licence_text(lic, facts) for lic in claim.licences)
    evidence = claim_evidence(claim)
    text += f" [{evidence[0]}]" if evidence else " (no claim-level source)"
    return text


def claim_evidence(claim: Claim) -> list[str]:
    """The URLs that back this very claim: its own sources, else the artifact's URL (the page that serves
    it shows how it is released). Never the record's sources, which back the record as a whole."""
    return claim.sources or (claim.urls if claim.availability in _AVAILABLE else [])


def _either(values: list[str]) -> str:
    """``public, gated or not-released``."""
    return values[0] if len(values) == 1 else ", ".join(values[:-1]) + " or " + values[-1]


class CategoryReasons:
    """Why a model is in its category, read from the categories' definitions (ontology/aio.ttl): the claims
    of the artifact kinds that decided, or, for an unclassified model, which kind's availability is missing."""

    def __init__(self, compiler: Compiler, categories: dict[str, str]):
        self.deciding = {slug: compiler.deciding_kinds(URIRef(iri)) for iri, slug in categories.items()}
        named = {slug: artifact_kinds(compiler.g, compiler.definition(URIRef(iri)))
                 for iri, slug in categories.items()}
        every = [set(kinds) for kinds in named.values()]
        first = next(iter(named.values()), [])
        #: the kinds every category names (the weights), and the availabilities some category accepts for each
        self.required = [k for k in dict.fromkeys(first) if all(k in kinds for kinds in every)]
        self.accepted = {k: set().union(*(compiler.accepted_availability(URIRef(iri), k) for iri in categories))
                         for k in dict.fromkeys(k for kinds in named.values() for k in kinds)}
        #: the other kinds, and the categories that tell models apart by them
        self.rest = [k for k in self.accepted if k not in self.required]
        self.split = [slug for slug, kinds in named.items() if any(k in self.rest for k in kinds)]

    def reason(self, category: str, facts: ModelFacts) -> str:
        """Why the model is in ``category`` (or why it could not be classified)."""
        d = facts.deciding
        kinds = self.deciding.get(category)
        if kinds is not None:
            return f"{category}: " + "; ".join(describe(d.get(k), k, facts) for k in kinds(d))
        for kind in self.required:
            claim = d.get(kind)
            if claim is None or claim.availability not in self.accepted[kind]:
                status = ("not stated" if claim is None or claim.availability is None
                          else _VALUES.get(claim.availability, claim.availability))
                values = [v for iri, v in _VALUES.items() if iri in self.accepted[kind]]
                return (f"unclassified: the availability of the {kind_label(kind)} is {status}; every category "
                        f"needs it ({_either(values)})")
        unknown = [kind_label(k) for k in self.rest if d.get(k) is None or d[k].availability not in self.accepted[k]]
        stated = " and ".join(kind_label(k) for k in self.required)
        return (f"unclassified: {stated} are available, but the availability of {', '.join(unknown)} is unknown "
                f"or not stated, so {' and '.join(self.split)} cannot be told apart")


def conflict_reasons(facts: ModelFacts) -> list[str]:
    """One line per artifact whose sources disagree, naming the claim that decided."""
    lines = []
    for kind, claims in facts.conflicts().items():
        decided = facts.deciding[kind]
        stated = " vs ".join(
            f"{_VALUES.get(c.availability or '', c.availability)} "
            f"[{(claim_evidence(c) or ['no claim-level source'])[0]}]"
            for c in claims
        )
        lines.append(
            f"conflict on {kind_label(kind)}: {stated}; "
            f"{_VALUES.get(decided.availability or '', decided.availability)} decided "
            "(definite availability first, then the most recent as-of date, then hand-checked, then the claim "
            "that promises less)"
        )
    return lines


#: What every MOF class asks of its required components (the axioms of ontology/mof.ttl).
MOF_REQUIRED_TEXT = "each required component available under a licence open for its content type"


def mof_reason(mof_label: str | None, next_missing: list[str], lowest_label: str) -> str:
    """Why the model has its MOF class (``mof_label``, the class's label), and what the next class lacks."""
    head = f"MOF {mof_label}: {MOF_REQUIRED_TEXT}" if mof_label else f"no MOF class: {lowest_label} is not met"
    if next_missing:
        head += "; the next class lacks " + ", ".join(next_missing)
    return head
