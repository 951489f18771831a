"""The reference path: HermiT (through owlready2) over the same ontology and the deciding claims.

Slow (docs/benchmarks.md) and needs Java, so it is used to prove the rule path right
(``tests/test_reasoner_differential.py``), not to serve answers.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass, field

import rdflib
from rdflib import RDF, URIRef

from kg.errors import JavaMissingError
from kg.meaning import meaning
from kg.ontology import ontology_graph
from kg.reasoner.facts import ModelFacts
from kg.vocab import AIO, CATEGORIES, DIMENSIONS, local_name

DCT_LICENSE = URIRef("http://purl.org/dc/terms/license")


@dataclass
class ReferenceResult:
    """What HermiT infers for one model."""

    category: str
    mof_class: str | None
    dimensions: dict[str, str]
    #: dimension slug -> the highest level class HermiT infers (``none`` when it infers none)
    levels: dict[str, str] = field(default_factory=dict)


def java_available() -> bool:
    """Whether a Java runtime is on PATH (HermiT is a Java program)."""
    return shutil.which("java") is not None


def abox(models: Mapping[str, ModelFacts], with_assessment: bool = False) -> rdflib.Graph:
    """The deciding claims as OWL individuals, plus the ontology with licence typing (and, if asked, the
    assessment's level classes)."""
    licences = {URIRef(lic) for m in models.values() for c in m.deciding.values() for lic in c.licences
                if not lic.startswith("_:")}
    g = ontology_graph(licences, with_terms=False, with_assessment=with_assessment)
    for facts in models.values():
        m = URIRef(facts.iri)
        g.add((m, RDF.type, AIO.AIModel))
        for claim in facts.deciding.values():
            r = URIRef(claim.release)
            g.add((m, AIO.hasRelease, r))
            g.add((r, RDF.type, AIO.ArtifactRelease))
            g.add((r, AIO.artifact, URIRef(claim.kind)))
            if claim.availability and claim.availability.startswith(str(AIO)):
                g.add((r, AIO.availability, URIRef(claim.availability)))
            for lic in claim.licences:
                if not lic.startswith("_:"):
                    g.add((r, DCT_LICENSE, URIRef(lic)))
    return g


def _levels(types: set[str]) -> dict[str, str]:
    """Per dimension, the highest level whose class (ontology/assessment.ttl) is among ``types``."""
    tables = meaning()
    return {d.slug: next((lc.level.slug for lc in d.level_classes if lc.iri in types), tables.lowest_level.slug)
            for d in tables.dimensions}


def classify_with_hermit(models: Mapping[str, ModelFacts], with_assessment: bool = False,
                         ) -> dict[str, ReferenceResult]:
    """Run HermiT over the models' deciding claims; model IRI -> inferred category, MOF class, dimensions and,
    ``with_assessment``, the level of each dimension's assessment (empty otherwise)."""
    if not java_available():
        raise JavaMissingError(
            "the HermiT reference reasoner needs Java (install a JRE, e.g. 'apt-get install default-jre-headless'); "
            "the default rule path does not"
        )
    import owlready2

    graph = abox(models, with_assessment)
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "abox.nt")
        graph.serialize(path, format="nt", encoding="utf-8")
        world = owlready2.World()
        onto = world.get_ontology("file://" + path).load()
        with onto:
            owlready2.sync_reasoner_hermit(world, infer_property_values=True, debug=0)
        by_category = {str(k): v for k, v in CATEGORIES.items()}
        out: dict[str, ReferenceResult] = {}
        for iri in models:
            ind = world[iri]
            types = {c.iri for c in ind.INDIRECT_is_a if hasattr(c, "iri")}
            cats = [by_category[t] for t in types if t in by_category]
            dims = {}
            for prop in DIMENSIONS:
                values = getattr(ind, local_name(str(prop)), [])
                if values:
                    dims[local_name(str(prop))] = local_name(values[0].iri)
            out[iri] = ReferenceResult(
                category=cats[0] if len(cats) == 1 else ("unclassified" if not cats else "+".join(sorted(cats))),
                mof_class=meaning().mof_highest(types),
                dimensions=dims,
                levels=_levels(types) if with_assessment else {},
            )
        world.close()
    return out
