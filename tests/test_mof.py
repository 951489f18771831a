"""The MOF classes (ontology/mof.ttl) against the Model Openness Tool's 27 conformance cases.

The records come from the MOT's own test files through our MOT reader (kg/importers/mot.py). Two
classifiers are checked against the MOT's expected classes:

* a small reference evaluator in this file that walks the OWL class expressions of ``mof.ttl`` with
  rdflib, so the axioms themselves are tested, whatever the reasoner does;
* the project's classifier ``kg.reasoner.classify_records`` (skipped while it does not exist).
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path
from typing import Any

import pytest
import yaml
from rdflib import OWL, RDF, RDFS, BNode, Graph, URIRef
from rdflib.collection import Collection
from rdflib.namespace import DCTERMS
from rdflib.term import Node

from kg.importers.mot import MOT_COMPONENTS, read_mot_file
from kg.licenses import MOF_CONTENT_TYPE, resolve_license
from kg.ontology import license_typing_triples
from kg.resources import ontology_files, resource_dir
from kg.vocab import AIO, ARTIFACT_SLUGS, ARTIFACTS, AVAILABILITY, MODEL, ONTOLOGY_IRI
from tests.conftest import EXTERNAL

MOT = EXTERNAL / "mot"
TEST_DATA = MOT / "Test_Data"
MOT_SETTINGS = MOT / "web" / "modules" / "mof" / "config" / "install" / "mof.settings.yml"
needs_mot = pytest.mark.skipif(not TEST_DATA.is_dir(), reason=f"{EXTERNAL / 'mot'} is absent")

MOF_CLASS_IRIS = {"I": AIO.MOFClassI, "II": AIO.MOFClassII, "III": AIO.MOFClassIII}
LICENSE_CLASS = {
    "code": AIO.OpenCodeLicense,
    "data": AIO.OpenDataLicense,
    "document": AIO.OpenDocumentLicense,
}
#: The constructs the fast classifier compiles; mof.ttl must use no others.
ALLOWED = {OWL.intersectionOf, OWL.unionOf, OWL.someValuesFrom, OWL.hasValue, OWL.oneOf, OWL.onProperty}


# --------------------------------------------------------------------------------------------------
# the MOT's test oracle
# --------------------------------------------------------------------------------------------------


def expected_classes() -> dict[str, str | None]:
    """release name -> expected MOF class ("I", "II", "III" or None) from expected_results.json."""
    text = (TEST_DATA / "expected_results.json").read_text(encoding="utf-8")
    text = re.sub(r",(\s*[}\]])", r"\1", text)  # upstream has trailing commas
    names = {0: None, 1: "I", 2: "II", 3: "III"}
    return {m["release"]["name"]: names[m["classification"]["class"]] for m in json.loads(text)["models"]}


def mot_cases() -> list[Any]:
    if not TEST_DATA.is_dir():
        return [pytest.param(None, None, marks=needs_mot, id="mot-absent")]
    expected = expected_classes()
    cases = []
    for path in sorted(TEST_DATA.glob("*.yml")):
        name = yaml.safe_load(path.read_text(encoding="utf-8"))["release"]["name"]
        cases.append(pytest.param(path, expected[name], id=path.stem))
    return cases


# --------------------------------------------------------------------------------------------------
# the reference evaluator: records as RDF, OWL class expressions walked with rdflib
# --------------------------------------------------------------------------------------------------


@lru_cache(maxsize=1)
def ontology() -> Graph:
    graph = Graph()
    for path in ontology_files():
        graph.parse(path, format="turtle")
    return graph


def record_graph(record: Mapping[str, Any]) -> tuple[Graph, URIRef]:
    """A plain record as RDF in the ontology's terms (docs/records.md), with its licences typed."""
    graph = Graph()
    model = MODEL[record["id"]]
    graph.add((model, RDF.type, AIO.AIModel))
    licences: list[Node] = []
    for slug, value in record.get("artifacts", {}).items():
        claims = value if isinstance(value, list) else [value]
        for n, claim in enumerate(claims, start=1):
            claim = {"availability": claim} if isinstance(claim, str) else claim
            release = URIRef(f"{model}/{slug}" + (f"-{n}" if n > 1 else ""))
            graph.add((model, AIO.hasRelease, release))
            graph.add((release, RDF.type, AIO.ArtifactRelease))
            graph.add((release, AIO.artifact, ARTIFACTS[slug]))
            graph.add((release, AIO.availability, AVAILABILITY[claim.get("availability", "unknown")]))
            if claim.get("license"):
                licence = resolve_license(claim["license"]) or BNode()
                graph.add((release, DCTERMS.license, licence))
                licences.append(licence)
    for triple in license_typing_triples(licences):
        graph.add(triple)
    return graph, model


def holds(onto: Graph, data: Graph, individual: Node, expr: Node) -> bool:
    """Whether ``individual`` is an instance of the class expression ``expr`` (closed over ``data``).

    Handles exactly the constructs the fast classifier compiles; anything else raises.
    """
    if isinstance(expr, URIRef):
        if (individual, RDF.type, expr) in data:
            return True
        return any(holds(onto, data, individual, eq) for eq in onto.objects(expr, OWL.equivalentClass))
    if (members := onto.value(expr, OWL.intersectionOf)) is not None:
        return all(holds(onto, data, individual, m) for m in Collection(onto, members))
    if (members := onto.value(expr, OWL.unionOf)) is not None:
        return any(holds(onto, data, individual, m) for m in Collection(onto, members))
    if (members := onto.value(expr, OWL.oneOf)) is not None:
        return individual in set(Collection(onto, members))
    prop = onto.value(expr, OWL.onProperty)
    if prop is not None and (filler := onto.value(expr, OWL.someValuesFrom)) is not None:
        return any(holds(onto, data, o, filler) for o in data.objects(individual, prop))
    if prop is not None and (value := onto.value(expr, OWL.hasValue)) is not None:
        return (individual, prop, value) in data
    raise NotImplementedError(f"class expression {expr!r} uses a construct outside the compiled set")


def reference_mof_class(record: Mapping[str, Any]) -> str | None:
    """The highest MOF class the axioms of mof.ttl put the record in, or None."""
    data, model = record_graph(record)
    onto = ontology()
    for name in ("I", "II", "III"):
        if holds(onto, data, model, MOF_CLASS_IRIS[name]):
            return name
    return None


# --------------------------------------------------------------------------------------------------
# conformance: the 27 MOT cases
# --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("path", "expected"), mot_cases())
def test_mof_axioms_match_mot(path: Path, expected: str | None) -> None:
    record = read_mot_file(path)
    assert reference_mof_class(record) == expected


def _reasoner() -> Any:
    import kg.reasoner as reasoner

    return reasoner


@pytest.mark.parametrize(("path", "expected"), mot_cases())
def test_reasoner_matches_mot(path: Path, expected: str | None) -> None:
    reasoner = _reasoner()
    record = read_mot_file(path)
    (result,) = reasoner.classify_records([record])
    assert result.id == record["id"]
    assert result.mof_class == expected


# --------------------------------------------------------------------------------------------------
# the shape of the axioms
# --------------------------------------------------------------------------------------------------


def _component_restrictions(graph: Graph, cls: URIRef) -> dict[URIRef, URIRef]:
    """artifact individual -> licence class, for each ``hasRelease some (...)`` under ``cls``'s definition."""
    found: dict[URIRef, URIRef] = {}

    def walk(node: Node) -> None:
        if graph.value(node, OWL.onProperty) == AIO.hasRelease:
            parts = list(Collection(graph, graph.value(graph.value(node, OWL.someValuesFrom), OWL.intersectionOf)))
            kind = licence = None
            for part in parts:
                if graph.value(part, OWL.onProperty) == AIO.artifact:
                    kind = graph.value(part, OWL.hasValue)
                if graph.value(part, OWL.onProperty) == DCTERMS.license:
                    licence = graph.value(part, OWL.someValuesFrom)
            assert kind is not None and licence is not None
            found[kind] = licence
            return
        for key in (OWL.intersectionOf, OWL.unionOf):
            if (members := graph.value(node, key)) is not None:
                for member in Collection(graph, members):
                    walk(member)

    for definition in graph.objects(cls, OWL.equivalentClass):
        walk(definition)
    return found


def mof_graph() -> Graph:
    return Graph().parse(resource_dir("ontology") / "mof.ttl", format="turtle")


def test_mof_uses_only_compiled_constructs() -> None:
    graph = mof_graph()
    owl_predicates = {p for p in graph.predicates() if str(p).startswith(str(OWL))}
    structural = owl_predicates - {OWL.equivalentClass}
    assert structural <= ALLOWED, structural - ALLOWED
    for restriction in graph.subjects(RDF.type, OWL.Restriction):
        assert graph.value(restriction, OWL.someValuesFrom) or graph.value(restriction, OWL.hasValue)


def test_mof_licence_class_follows_content_type() -> None:
    graph = mof_graph()
    for cls in MOF_CLASS_IRIS.values():
        for kind, licence in _component_restrictions(graph, cls).items():
            assert licence == LICENSE_CLASS[MOF_CONTENT_TYPE[ARTIFACT_SLUGS[kind]]], (cls, kind)


def test_mof_classes_are_cumulative_and_annotated() -> None:
    graph = mof_graph()
    assert (AIO.MOFClassI, RDFS.subClassOf, AIO.MOFClassII) in graph
    assert (AIO.MOFClassII, RDFS.subClassOf, AIO.MOFClassIII) in graph
    labels = {"I": "Class I Open Science", "II": "Class II Open Tooling", "III": "Class III Open Model"}
    for name, cls in MOF_CLASS_IRIS.items():
        assert str(graph.value(cls, RDFS.label)) == labels[name]
    for term in set(graph.subjects(RDF.type, OWL.Class)):
        if isinstance(term, URIRef):
            assert graph.value(term, RDFS.isDefinedBy) == URIRef(ONTOLOGY_IRI), term
            assert graph.value(term, RDFS.label) is not None, term


@pytest.mark.skipif(not MOT_SETTINGS.is_file(), reason=f"{EXTERNAL / 'mot'} is absent")
def test_required_components_follow_mot_settings() -> None:
    """Each class requires the MOT's required components of its own class (cumulative by subclassing)."""
    settings = yaml.safe_load(MOT_SETTINGS.read_text(encoding="utf-8"))["components"]
    graph = mof_graph()
    roman = {1: "I", 2: "II", 3: "III"}
    for number, name in roman.items():
        required = {ARTIFACTS[MOT_COMPONENTS[c["name"]]] for c in settings if c["class"] == number and c["required"]}
        stated = set(_component_restrictions(graph, MOF_CLASS_IRIS[name]))
        if name == "III":  # the research paper (a Class I component) may stand in for the technical report
            required.add(AIO.ResearchPaper)
        assert stated == required, (name, stated ^ required)
    for component in settings:
        assert MOF_CONTENT_TYPE[MOT_COMPONENTS[component["name"]]] == component["content_type"]


# --------------------------------------------------------------------------------------------------
# the evaluator on hand-made records (no external data needed)
# --------------------------------------------------------------------------------------------------

CLASS_III = {
    "architecture": {"availability": "public", "license": "Apache-2.0"},
    "weights": {"availability": "gated", "license": "Apache-2.0"},
    "evaluation_results": {"availability": "public", "license": "CC-BY-4.0"},
    "model_card": {"availability": "public", "license": "CC-BY-4.0"},
    "data_card": {"availability": "public", "license": "CC-BY-4.0"},
    "technical_report": {"availability": "public", "license": "CC-BY-4.0"},
}
CLASS_II = {
    **CLASS_III,
    **{
        slug: {"availability": "public", "license": "MIT"}
        for slug in ("training_code", "inference_code", "evaluation_code", "evaluation_data")
    },
}
CLASS_I = {
    **CLASS_II,
    **{
        slug: {"availability": "public", "license": "CC0-1.0"}
        for slug in ("training_data", "preprocessing_code", "intermediate_weights", "research_paper")
    },
}


@pytest.mark.parametrize(
    ("artifacts", "expected"),
    [
        (CLASS_III, "III"),
        (CLASS_II, "II"),
        (CLASS_I, "I"),
        ({**CLASS_III, "weights": {"availability": "public", "license": "llama3.1"}}, None),
        ({**CLASS_III, "weights": {"availability": "public"}}, None),  # unlicensed does not count
        ({**CLASS_III, "weights": {"availability": "not-released", "license": "MIT"}}, None),
        ({**CLASS_III, "weights": "unknown"}, None),
        (
            {
                **{k: v for k, v in CLASS_III.items() if k != "technical_report"},
                "research_paper": {"availability": "public", "license": "CC-BY-4.0"},
            },
            "III",
        ),
        ({**CLASS_II, "evaluation_data": {"availability": "public", "license": "CC-BY-NC-4.0"}}, "III"),
        ({**CLASS_I, "research_paper": "not-released"}, "II"),
        ({**CLASS_III, "weights": {"availability": "public", "license": "OpenMDW-1.0"}}, "III"),
        ({**CLASS_III, "weights": {"availability": "public", "license": "Some Custom Licence"}}, None),
    ],
)
def test_reference_evaluator_on_hand_made_records(artifacts: dict, expected: str | None) -> None:
    record = {"id": "m", "name": "M", "developer": "D", "artifacts": artifacts}
    assert reference_mof_class(record) == expected
