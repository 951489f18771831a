"""Conformance with the OSI's Open Source AI Definition 1.0 (docs/design.md section 6), with reasons.

OSAID 1.0 asks for the freedoms to use, study, modify and share, through the parameters (weights), the code
(training and inference) under OSI-approved terms, and data information: the training data available, or
described well enough (a data card) to build an equivalent system. Use restrictions break the freedom to
use. The verdict is true, false, or null when a fact it needs is unknown.
"""

from __future__ import annotations

from functools import lru_cache

from rdflib import URIRef

from kg.license_terms import LicenceTerms, claim_terms
from kg.licenses import MOF_CONTENT_TYPE, open_for
from kg.reasoner import explain
from kg.reasoner.facts import Claim, ModelFacts
from kg.vocab import AIO, ARTIFACT_SLUGS

_AVAILABLE = explain._AVAILABLE
_KNOWN = {str(AIO.Public), str(AIO.Gated), str(AIO.NotReleased)}
_WEIGHTS, _TRAINING_CODE, _ARCHITECTURE, _INFERENCE_CODE, _TRAINING_DATA, _DATA_CARD = (
    str(AIO.Weights), str(AIO.TrainingCode), str(AIO.Architecture), str(AIO.InferenceCode), str(AIO.TrainingData),
    str(AIO.DataCard))


@lru_cache(maxsize=4096)
def _open_licence(lic: str, content: str) -> bool:
    return not lic.startswith("_:") and open_for(URIRef(lic), content)  # type: ignore[arg-type]


def _open(claim: Claim, content: str) -> bool:
    return any(_open_licence(lic, content) for lic in claim.licences)


def _component(facts: ModelFacts, kind: str) -> tuple[bool | None, str]:
    """One required component: available under a licence open for its MOF content type (code, data)?"""
    label, content = explain.kind_label(kind), MOF_CONTENT_TYPE[ARTIFACT_SLUGS[URIRef(kind)]]
    claim = facts.deciding.get(kind)
    if claim is None or claim.availability not in _KNOWN:
        return None, f"{label}: availability not stated"
    if claim.availability not in _AVAILABLE:
        return False, f"{label}: not released"
    if not claim.licences:
        return None, f"{label}: available, no licence stated"
    if not _open(claim, content):
        names = ", ".join(explain.licence_text(x, facts) for x in claim.licences)
        return False, f"{label}: licence {names} not OSI-approved or open"
    return True, f"{label}: available under an open licence"


def osaid(facts: ModelFacts, terms: LicenceTerms | None = None) -> dict[str, object]:
    """``{"conformant": true|false|null, "because": [...]}`` for one model."""
    checks = [
        _component(facts, _WEIGHTS),
        _component(facts, _TRAINING_CODE),
    ]
    arch = _component(facts, _ARCHITECTURE)
    inference = _component(facts, _INFERENCE_CODE)
    # the code to run the model: the architecture or the inference code
    if inference[0] is True and arch[0] is not True:
        checks.append(inference)
    elif arch[0] is False and inference[0] is None:
        checks.append((None, f"{arch[1]}; {inference[1]}"))
    else:
        checks.append(arch)
    data = facts.deciding.get(_TRAINING_DATA)
    card = facts.deciding.get(_DATA_CARD)
    if data is not None and data.availability in _AVAILABLE:
        checks.append((True, "data information: training data available"))
    elif card is not None and card.availability in _AVAILABLE:
        checks.append((True, "data information: a data card describes the training data"))
    elif (data is not None and data.availability in _KNOWN) and (card is not None and card.availability in _KNOWN):
        checks.append((False, "data information: neither the training data nor a data card is released"))
    else:
        checks.append((None, "data information: the availability of the training data or data card is not stated"))
    weights = facts.deciding.get(_WEIGHTS)
    if terms is None and weights is not None:
        terms = claim_terms(tuple(weights.licences), facts.labels)
    if terms is not None and terms.use_restrictions:
        checks.append((False, f"freedom to use: the weights licence ({terms.license}) restricts uses"))
    verdicts = [v for v, _ in checks]
    conformant: bool | None
    if False in verdicts:
        conformant = False
    elif None in verdicts:
        conformant = None
    else:
        conformant = True
    return {"conformant": conformant, "because": [why for _, why in checks]}
