"""The OSAID verdict and the per-dimension assessment of one model, for /compare.

The reasoner materialises categories, MOF classes and dimension values in the store, but the OSAID verdict
and the assessment levels (docs/design.md section 6) are computed by ``classify``. The pages run the same
rule path on the model's record triples, read from the store. The rules are compiled once per store
generation with every licence the store names (compiling costs far more than classifying one model; the
warm-up thread does it), and each model's result is kept per generation.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from kg.meaning import meaning
from kg.ontology import ontology_graph
from kg.perf import gc_paused
from kg.reasoner.classify import RulePath
from kg.reasoner.facts import collect_facts
from kg.vocab import AIO, RECORDS_GRAPH
from server.pagecache import page_cache
from server.reasons import Reason, pieces_of

LICENCES_QUERY = f"SELECT DISTINCT ?l WHERE {{ ?r <{AIO.availability}> ?a ; <http://purl.org/dc/terms/license> ?l " \
                 "FILTER(isIRI(?l)) }"


@lru_cache(maxsize=4)
def _compile(licences: frozenset[str]):  # type: ignore[no-untyped-def]
    from rdflib import URIRef


    return RulePath(ontology_graph({URIRef(lic) for lic in licences}))


def rule_path(engine: Any):  # type: ignore[no-untyped-def]
    """The rule path compiled with every licence the store names (once per generation)."""
    def compute():  # type: ignore[no-untyped-def]
        return _compile(frozenset(r["l"].value for r in engine.select(LICENCES_QUERY)))

    return page_cache(engine).get("rule-path", compute)


def record_query(iri: str) -> str:
    """The model's record triples: its own, its releases' and their dated states' (blank nodes included)."""
    return f"""CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{RECORDS_GRAPH}> {{
  {{ <{iri}> ?p ?o BIND(<{iri}> AS ?s) }}
  UNION {{ <{iri}> <{AIO.hasRelease}> ?s . ?s ?p ?o }}
  UNION {{ <{iri}> <{AIO.hasRelease}> ?r . ?r ?link ?s . ?s ?p ?o FILTER(isBlank(?s) || ?link = <{AIO.hasState}>) }}
  UNION {{ <{iri}> <{AIO.derivation}> ?s . ?s ?p ?o }}
}} }}"""


def _compute(engine: Any, iri: str) -> dict[str, Any] | None:

    triples = list(engine.internal_query(record_query(iri)))
    models = collect_facts(triples)
    if not models:
        return None
    with gc_paused():
        result = rule_path(engine).classify(next(iter(models.values())))
        return {"osaid": result.osaid, "assessment": result.assessment}


def verdicts(engine: Any, iri: str) -> dict[str, Any] | None:
    """{"osaid": {...}, "assessment": {...}} of a model (None when the store has no record of it)."""
    return page_cache(engine).get("verdicts:" + iri, lambda: _compute(engine, iri))


def shown(found: dict[str, Any] | None, dimensions: list[tuple[str, str | None]]) -> dict[str, Any]:
    """What pages show of the verdicts: the OSAID verdict and reasons, and per dimension (in the order of
    ``dimensions``, the model page's (label, value) pairs) its level and reasons, sources as links."""

    if found is None:
        return {"osaid": None, "dimensions": [(label, value, None, []) for label, value in dimensions]}
    osaid = found["osaid"]
    rows = []
    for (label, value), slug in zip(dimensions, (d.slug for d in meaning().dimensions), strict=False):
        entry = found["assessment"].get(slug) or {}
        because = [Reason("dimension", pieces_of(text)) for text in entry.get("because", [])]
        rows.append((label, value, entry.get("level"), because))
    return {"osaid": {"conformant": osaid.get("conformant"),
                      "because": [Reason("osaid", pieces_of(t)) for t in osaid.get("because", [])]},
            "dimensions": rows}


def osaid_all(engine: Any) -> dict[str, bool | None]:
    """Every model's OSAID verdict (model IRI -> conformant, None when a needed fact is unknown), from one read
    of the records graph (once per store generation)."""

    def compute() -> dict[str, bool | None]:
        path = rule_path(engine)
        triples = engine.internal_query(f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{RECORDS_GRAPH}> {{ ?s ?p ?o }} }}")
        with gc_paused():
            models = collect_facts(triples)
            return {iri: path.classify(facts).osaid.get("conformant") for iri, facts in models.items()}

    return page_cache(engine).get("osaid-all", compute)
