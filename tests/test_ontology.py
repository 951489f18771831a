"""Ontology quality: the SPARQL checks in ``ontology/checks/``, the header, OWL 2 DL basics, HermiT, kg.vocab.

Each check is a file ``<what>-violation.sparql`` whose SELECT must return no rows over the merged modules
(the habit of the OBO Ontology Development Kit); a broken example per check proves that it can fire.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib
from rdflib import OWL, RDF, RDFS, URIRef
from rdflib.namespace import DCTERMS

from kg.resources import ontology_files, resource_dir
from kg.vocab import AIO, ONTOLOGY_IRI

CHECKS_DIR = resource_dir("ontology") / "checks"
CHECKS = sorted(CHECKS_DIR.glob("*-violation.sparql"))
NS = str(AIO)
PREFIXES = """
@prefix aio: <https://w3id.org/ai-openness/ontology#> .
@prefix lic: <https://w3id.org/ai-openness/license/> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix ex: <http://example.org/> .
"""
DEFINED = "rdfs:isDefinedBy <https://w3id.org/ai-openness/ontology>"

#: For each check, a small addition to the ontology that breaks it: proof the query can fire.
BROKEN: dict[str, str] = {
    "missing-label": f'aio:Nameless a owl:Class ; rdfs:subClassOf aio:AIModel ; skos:definition "x"@en ; {DEFINED} .',
    "missing-definition": f'aio:Undefined a owl:Class ; rdfs:subClassOf aio:AIModel ; rdfs:label "undefined"@en ; '
                          f"{DEFINED} .",
    "missing-defined-by": 'lic:stray a owl:NamedIndividual , aio:License ; rdfs:label "stray"@en ; '
                          'skos:definition "x"@en ; aio:slug "stray" .',
    "multiple-label": 'aio:AIModel rdfs:label "machine-learning model"@en .',
    "duplicate-label": f'aio:Twin a owl:Class ; rdfs:subClassOf aio:AIModel ; rdfs:label "AI Model"@en ; '
                       f'skos:definition "x"@en ; {DEFINED} .',
    "orphan-class": f'aio:Floating a owl:Class ; rdfs:label "floating"@en ; skos:definition "x"@en ; {DEFINED} .',
    "undeclared-term": "aio:AIModel rdfs:seeAlso aio:Typo .",
    "dimension-value-unlinked": f'aio:Loose a owl:NamedIndividual , aio:DimensionValue ; rdfs:label "loose"@en ; '
                                f'skos:definition "x"@en ; {DEFINED} .',
    "dimension-incomplete": "aio:OpenSourceModel rdfs:subClassOf "
                            "[ a owl:Restriction ; owl:onProperty aio:governance ; owl:hasValue aio:MinimalLockIn ] .",
    "missing-slug": f'aio:Checkpoints a owl:NamedIndividual , aio:ArtifactKind ; rdfs:label "checkpoints"@en ; '
                    f'skos:definition "x"@en ; {DEFINED} .',
    "duplicate-slug": f'aio:Weights2 a owl:NamedIndividual , aio:ArtifactKind ; rdfs:label "weights again"@en ; '
                      f'skos:definition "x"@en ; aio:slug "weights" ; {DEFINED} .',
    "property-undeclared": "aio:AIModel ex:undeclared ex:thing . "
                           "ex:both a owl:ObjectProperty , owl:DatatypeProperty . aio:AIModel ex:both ex:thing .",
    "datatype-outside-owl2": "aio:asOf rdfs:range xsd:date .",
}


def check_name(path: Path) -> str:
    """``missing-label`` for ``missing-label-violation.sparql``."""
    return path.name.removesuffix("-violation.sparql")


def merged_store(extra: str = "") -> ox.Store:
    """The ontology modules (ontology/*.ttl) merged in one store's default graph, plus ``extra`` Turtle."""
    store = ox.Store()
    for path in ontology_files():
        store.bulk_load(path=str(path), format=ox.RdfFormat.TURTLE)
    if extra:
        store.load((PREFIXES + extra).encode("utf-8"), format=ox.RdfFormat.TURTLE)
    return store


def run_check(store: ox.Store, path: Path) -> list[list[str]]:
    """The rows a check returns, as text."""
    rows = store.query(path.read_text(encoding="utf-8"))
    return [[str(v) if v is not None else "-" for v in row] for row in rows]


@pytest.fixture(scope="module")
def store() -> ox.Store:
    return merged_store()


@pytest.fixture(scope="module")
def graph() -> rdflib.Graph:
    g = rdflib.Graph()
    for path in ontology_files():
        g.parse(path, format="turtle")
    return g


def test_checks_exist() -> None:
    assert len(CHECKS) >= 10, f"expected the quality checks in {CHECKS_DIR}"
    assert {check_name(p) for p in CHECKS} == set(BROKEN), "every check needs a broken example in BROKEN"


@pytest.mark.parametrize("check", CHECKS, ids=check_name)
def test_check_passes(store: ox.Store, check: Path) -> None:
    rows = run_check(store, check)
    assert not rows, f"{check.name} found {len(rows)} violation(s):\n" + "\n".join(" ".join(r) for r in rows)


@pytest.mark.parametrize("check", CHECKS, ids=check_name)
def test_check_fires_on_broken_example(check: Path) -> None:
    rows = run_check(merged_store(BROKEN[check_name(check)]), check)
    assert rows, f"{check.name} did not notice: {BROKEN[check_name(check)]}"


def test_header(graph: rdflib.Graph) -> None:
    onto = URIRef(ONTOLOGY_IRI)
    assert (onto, RDF.type, OWL.Ontology) in graph
    version = graph.value(onto, OWL.versionInfo)
    version_iri = graph.value(onto, OWL.versionIRI)
    assert version is not None and version_iri is not None
    assert str(version_iri) == f"{ONTOLOGY_IRI}/{version}", "owl:versionIRI should end with owl:versionInfo"
    assert str(graph.value(onto, DCTERMS.license) or "").startswith("http"), "the ontology needs a dcterms:license IRI"
    for prop in (DCTERMS.title, DCTERMS.description, DCTERMS.modified):
        assert graph.value(onto, prop) is not None, f"the header lacks {prop}"
    assert len(set(graph.subjects(RDF.type, OWL.Ontology))) == 1, "the modules should share one ontology header"


def declared_terms(graph: rdflib.Graph) -> set[str]:
    """Local names of the aio: IRIs that the ontology types (classes, properties, individuals)."""
    return {str(s)[len(NS):] for s in graph.subjects(RDF.type, None) if str(s).startswith(NS)}


def test_vocab_members_are_declared_with_labels(graph: rdflib.Graph) -> None:
    missing = [name for name in AIO.__annotations__ if (AIO[name], RDF.type, None) not in graph]
    unlabelled = [name for name in AIO.__annotations__ if graph.value(AIO[name], RDFS.label) is None]
    assert not missing, f"kg.vocab.AIO members not declared in ontology/*.ttl: {missing}"
    assert not unlabelled, f"kg.vocab.AIO members without rdfs:label: {unlabelled}"


def test_ontology_terms_are_vocab_members(graph: rdflib.Graph) -> None:
    extra = sorted(declared_terms(graph) - set(AIO.__annotations__))
    assert not extra, f"terms declared in ontology/*.ttl but missing from kg.vocab.AIO: {extra}"


def test_no_xsd_date_range(graph: rdflib.Graph) -> None:
    xsd_date = URIRef("http://www.w3.org/2001/XMLSchema#date")
    assert not list(graph.subjects(RDFS.range, xsd_date)), "HermiT rejects rdfs:range xsd:date"


@pytest.mark.java
@pytest.mark.skipif(shutil.which("java") is None, reason="HermiT needs a Java runtime ('java' is not on PATH)")
def test_hermit_consistent_and_satisfiable() -> None:
    import owlready2

    from kg.ontology import ontology_graph

    graph = ontology_graph()  # the modules plus the licence typing computed from the SPDX list
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "ontology.nt")
        graph.serialize(path, format="nt", encoding="utf-8")
        world = owlready2.World()
        onto = world.get_ontology("file://" + path).load()
        with onto:  # raises OwlReadyInconsistentOntologyError when the ontology is inconsistent
            owlready2.sync_reasoner_hermit(world, infer_property_values=False, debug=0)
        unsatisfiable = [c.iri for c in world.inconsistent_classes()]
        categories = [world[str(c)] for c in (AIO.ClosedSourceModel, AIO.OpenWeightModel, AIO.OpenSourceModel)]
        assert all(c is not None for c in categories)
        world.close()
    assert not unsatisfiable, f"unsatisfiable classes: {unsatisfiable}"
