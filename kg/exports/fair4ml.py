"""The records in FAIR4ML and schema.org terms, for consumers that know those and not ``aio:``.

FAIR4ML 0.1.0 (https://w3id.org/fair4ml) describes machine-learning models as a kind of
``schema:CreativeWork``. ``aio:AIModel`` is a subclass of both ``fair4ml:MLModel`` and
``schema:CreativeWork``; a client that does no reasoning sees those types only if they are stated, so
they are. A released training-data artifact with a URL gives ``fair4ml:trainedOn``, released evaluation
data ``fair4ml:evaluatedOn``; a derivation of kind fine-tune or adapter gives ``fair4ml:fineTunedFrom``
its base (FAIR4ML has no term for quantisations, merges or distillations, which keep only
``aio:derivation``); the developing organisation is the one that shared the model
(``fair4ml:sharedBy``) and its ``schema:creator``.
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
CREATOR = _N(SCHEMA + "creator")
_DERIVATION = _N(str(AIO.derivation))
_BASE_MODEL = _N(str(AIO.baseModel))
_DERIVATION_KIND = _N(str(AIO.derivationKind))
_DEVELOPED_BY = _N(str(AIO.developedBy))
#: Derivation kinds FAIR4ML calls fine-tuning (an adapter is a parameter-efficient fine-tune).
FINE_TUNE_KINDS = {_N(str(AIO.FineTune)), _N(str(AIO.Adapter))}


#: The same mapping as ``fair4ml_triples``, as one query over a store (fast on big stores: it runs in Rust).
FAIR4ML_CONSTRUCT = f"""PREFIX aio: <{AIO}>
PREFIX fair4ml: <{FAIR4ML}>
PREFIX schema: <{SCHEMA}>
CONSTRUCT {{ ?m a fair4ml:MLModel, schema:CreativeWork . ?m ?dataset ?url . ?m fair4ml:fineTunedFrom ?base .
            ?m fair4ml:sharedBy ?org ; schema:creator ?org }}
WHERE {{
  ?m a aio:AIModel .
  OPTIONAL {{ ?m aio:hasRelease ?r . ?r aio:artifact ?kind ; aio:availability ?a ; schema:url ?url .
             VALUES (?kind ?dataset) {{ (aio:TrainingData fair4ml:trainedOn) (aio:EvaluationData fair4ml:evaluatedOn) }}
             FILTER (?a IN (aio:Public, aio:Gated) && isIRI(?url)) }}
  OPTIONAL {{ ?m aio:derivation ?d . ?d aio:derivationKind ?dk ; aio:baseModel ?base .
             FILTER (?dk IN (aio:FineTune, aio:Adapter) && isIRI(?base)) }}
  OPTIONAL {{ ?m aio:developedBy ?org . FILTER isIRI(?org) }}
}}"""


def fair4ml_of_store(store: ox.Store) -> list[ox.Triple]:
    """``fair4ml_triples`` of every model in ``store`` (its union default graph)."""
    return list(store.query(FAIR4ML_CONSTRUCT, use_default_graph_as_union=True))  # type: ignore[arg-type]


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
        for derivation in mprops.get(_DERIVATION, []):
            dprops = props.get(derivation, {})
            if set(dprops.get(_DERIVATION_KIND, [])) & FINE_TUNE_KINDS:
                out.extend(ox.Triple(model, FINE_TUNED_FROM, base) for base in dprops.get(_BASE_MODEL, [])
                           if isinstance(base, ox.NamedNode))
        for org in mprops.get(_DEVELOPED_BY, []):
            if isinstance(org, ox.NamedNode):
                out.extend(ox.Triple(model, p, org) for p in (SHARED_BY, CREATOR))
    return out
