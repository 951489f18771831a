"""Reasons a person can read: which claims put a model in its category and MOF class, and what is missing."""

from __future__ import annotations

from kg.reasoner.facts import Claim, ModelFacts
from kg.vocab import AIO, ARTIFACT_SLUGS, AVAILABILITY_VALUES, LICENSE, SPDX

_AVAILABLE = {str(AIO.Public), str(AIO.Gated)}
_NOT_RELEASED = str(AIO.NotReleased)
CORE_KINDS = (str(AIO.Weights), str(AIO.Architecture), str(AIO.TrainingCode), str(AIO.TrainingData))
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


def category_reason(category: str, facts: ModelFacts) -> str:
    """Why the model is in ``category`` (or why it could not be classified)."""
    d = facts.deciding
    weights, rest = CORE_KINDS[0], CORE_KINDS[1:]
    if category == "closed-source":
        return f"closed-source: {describe(d.get(weights), weights, facts)}"
    if category == "open-weight":
        missing = [k for k in rest if d.get(k) and d[k].availability == _NOT_RELEASED]
        parts = [describe(d.get(weights), weights, facts)] + [describe(d[k], k, facts) for k in missing]
        return "open-weight: " + "; ".join(parts)
    if category == "open-source":
        return "open-source: " + "; ".join(describe(d.get(k), k, facts) for k in CORE_KINDS)
    w = d.get(weights)
    if w is None or w.availability not in _AVAILABLE | {_NOT_RELEASED}:
        status = "not stated" if w is None or w.availability is None else _VALUES.get(w.availability, w.availability)
        return (f"unclassified: the availability of the weights is {status}; every category needs it "
                "(public, gated or not-released)")
    unknown = [kind_label(k) for k in rest if d.get(k) is None or d[k].availability not in _AVAILABLE]
    return (f"unclassified: weights are available, but the availability of {', '.join(unknown)} is unknown "
            "or not stated, so open-weight and open-source cannot be told apart")


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


MOF_NAMES = {"III": "Class III Open Model", "II": "Class II Open Tooling", "I": "Class I Open Science"}
#: For each MOF class, its required kinds and their content types, as the axioms of mof.ttl state them.
MOF_REQUIRED_TEXT = "each required component available under a licence open for its content type"


def mof_reason(mof_class: str | None, next_missing: list[str]) -> str:
    """Why the model has its MOF class, and what the next class lacks."""
    if mof_class:
        head = f"MOF {MOF_NAMES[mof_class]}: {MOF_REQUIRED_TEXT}"
    else:
        head = "no MOF class: Class III Open Model is not met"
    if next_missing:
        head += "; the next class lacks " + ", ".join(next_missing)
    return head
