"""The records in FAIR4ML and schema.org terms, for consumers that know those and not ``aio:``.

FAIR4ML 0.1.0 (https://w3id.org/fair4ml) describes machine-learning models as a kind of
``schema:CreativeWork``. ``aio:AIModel`` is a subclass of both ``fair4ml:MLModel`` and
``schema:CreativeWork``; a client that does no reasoning sees those types only if they are stated, so
they are. A released training-data artifact with a URL gives ``fair4ml:trainedOn``, released evaluation
data ``fair4ml:evaluatedOn``; a base model the record says was fine-tuned (a derivation of kind
fine-tune or adapter) gives ``fair4ml:fineTunedFrom``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

import pyoxigraph as ox

from kg.vocab import AIO

FAIR4ML = "https://w3id.org/fair4ml#"
SCHEMA = "https://schema.org/"
_N = ox.NamedNode
RDF_TYPE = _N("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
ML_MODEL = _N(FAIR4ML + "MLModel")
CREATIVE_WORK = _N(SCHEMA + "CreativeWork")
TRAINED_ON = _N(FAIR4ML + "trainedOn")
EVALUATED_ON = _N(FAIR4ML + "evaluatedOn")
FINE_TUNED_FROM = _N(FAIR4ML + "fineTunedFrom")
SHARED_BY = _N(FAIR4ML + "sharedBy")

_MODEL = _N(str(AIO.AIModel))
_RELEASE = _N(str(AIO.hasRelease))
_ARTIFACT = _N(str(AIO.artifact))
_AVAILABILITY = _N(str(AIO.availability))
_URL = _N(SCHEMA + "url")
_AVAILABLE = {_N(str(AIO.Public)), _N(str(AIO.Gated))}
#: artifact kind -> the FAIR4ML property from the model to where that artifact is.
_DATASET_PROPERTY = {_N(str(AIO.TrainingData)): TRAINED_ON, _N(str(AIO.EvaluationData)): EVALUATED_ON}
#: Lineage predicates (of the records' derivation statements) that FAIR4ML calls fine-tuning.
FINE_TUNE_PREDICATES = {_N(str(AIO) + name) for name in ("fineTunedFrom", "adapterOf")}


def fair4ml_triples(triples: Iterable[ox.Triple]) -> list[ox.Triple]:
    """The FAIR4ML/schema.org statements that follow from ``triples`` (none repeats one given)."""
    props: dict[object, dict[object, list[object]]] = defaultdict(lambda: defaultdict(list))
    models: list[object] = []
    for t in triples:
        props[t.subject][t.predicate].append(t.object)
        if t.predicate == RDF_TYPE and t.object == _MODEL:
            models.append(t.subject)
    out: list[ox.Triple] = []
    for model in dict.fromkeys(models):
        mprops = props[model]
        out.extend(ox.Triple(model, RDF_TYPE, cls) for cls in (ML_MODEL, CREATIVE_WORK))
        for release in mprops.get(_RELEASE, []):
            rprops = props.get(release, {})
            if not set(rprops.get(_AVAILABILITY, [])) & _AVAILABLE:
                continue
            for kind in rprops.get(_ARTIFACT, []):
                prop = _DATASET_PROPERTY.get(kind)
                if prop is not None:
                    out.extend(ox.Triple(model, prop, url) for url in rprops.get(_URL, [])
                               if isinstance(url, ox.NamedNode))
        for predicate in FINE_TUNE_PREDICATES:
            out.extend(ox.Triple(model, FINE_TUNED_FROM, base) for base in mprops.get(predicate, [])
                       if not isinstance(base, ox.Literal))
    return out
