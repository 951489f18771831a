"""Licence terms as ODRL data (ontology/license-terms.ttl) and their summary (kg/license_terms.py)."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from rdflib import RDF, URIRef
from rdflib.namespace import DCTERMS

from kg import license_terms as lt
from kg import licenses as lic
from kg.kgdata import bundled_records
from kg.reasoner import classify_recordset
from kg.vocab import AIO, LICENSE, SPDX

ODRL = "http://www.w3.org/ns/odrl/2/"


def terms(iri: str) -> lt.LicenceTerms:
    return lt.licence_terms(iri)


def test_every_kg_licence_is_an_offer() -> None:
    g = lt.terms_graph()
    for iri in lic.kg_license_iris():
        assert (iri, RDF.type, URIRef(ODRL + "Offer")) in g, f"{iri} has no odrl:Offer in license-terms.ttl"


def test_every_rule_has_an_action_a_source_and_a_clause() -> None:
    for iri in lic.kg_license_iris():
        for rule in lt.rules_of(str(iri)):
            assert rule.action, (iri, rule)
            assert rule.source.startswith("https://"), (iri, rule)
            assert rule.clause, (iri, rule)
            for duty in rule.duties:
                assert duty.action and duty.source and duty.clause, (iri, duty)


def test_licences_without_rules_say_why() -> None:
    g = lt.terms_graph()
    for iri in lic.kg_license_iris():
        if not [r for r in lt.rules_of(str(iri)) if r.kind != "reservation"]:
            assert g.value(iri, AIO.termsNote) is not None, f"{iri}: no rules and no aio:termsNote"


def test_scancode_keys_exist_in_the_licensedb_index() -> None:
    index = lt._scancode_categories()
    g = lt.terms_graph()
    keys = [str(k) for k in g.objects(None, AIO.scancodeKey)]
    assert len(keys) >= 15
    for key in keys:
        assert key in index, f"{key} is not in the ScanCode LicenseDB index"


@pytest.mark.parametrize(("licence", "commercial", "derivatives", "redistribution", "cap", "territories", "aup"), [
    (LICENSE["llama3.1"], "conditional", "conditional", "conditional", 700_000_000, [], True),
    (LICENSE["llama2"], "conditional", "allowed", "conditional", 700_000_000, [], True),
    (LICENSE["llama3.2"], "conditional", "conditional", "conditional", 700_000_000, ["EU"], True),
    (LICENSE["gemma"], "allowed", "conditional", "conditional", None, [], True),
    (LICENSE["tencent-hunyuan"], "conditional", "allowed", "conditional", 100_000_000, ["EU", "GB", "KR"], True),
    (LICENSE["mistral-non-production"], "prohibited", "allowed", "conditional", None, [], False),
    (LICENSE["flux-1-dev-non-commercial"], "prohibited", "conditional", "conditional", None, [], True),
    (LICENSE["bigcode-openrail-m"], "allowed", "conditional", "conditional", None, [], True),
    (LICENSE["stability-community"], "conditional", "allowed", "conditional", None, [], True),
    (LICENSE["minimax"], "allowed", "allowed", "conditional", None, [], True),
    (LICENSE["hai-def"], "unknown", "unknown", "unknown", None, [], False),
    (LICENSE["mistral-research"], "prohibited", "conditional", "conditional", None, [], False),
    (LICENSE["deepfloyd-if"], "prohibited", "conditional", "conditional", None, [], True),
    (LICENSE["flux-dev-non-commercial-2.0"], "prohibited", "conditional", "conditional", None, [], True),
    (LICENSE["exaone-1.2-nc"], "prohibited", "conditional", "conditional", None, [], True),
    (LICENSE["skywork-community"], "allowed", "allowed", "conditional", None, [], True),
    (LICENSE["open-aleph-1.0"], "prohibited", "conditional", "conditional", None, [], False),
    (LICENSE["ai-sweden-llm"], "allowed", "conditional", "conditional", None, [], True),
    (LICENSE["tii-falcon-2.0"], "allowed", "conditional", "conditional", None, [], True),
    (LICENSE["baichuan-7b"], "conditional", "unknown", "unknown", None, [], False),
    (LICENSE["stable-beluga-non-commercial"], "prohibited", "unknown", "unknown", None, [], False),
    (LICENSE["microsoft-research-license"], "unknown", "unknown", "unknown", None, [], False),
    (SPDX["Apache-2.0"], "allowed", "allowed", "allowed", None, [], False),
    (SPDX["GPL-3.0-only"], "allowed", "conditional", "conditional", None, [], False),
    (SPDX["CC-BY-NC-4.0"], "prohibited", "allowed", "allowed", None, [], False),
    (SPDX["CC-BY-SA-4.0"], "allowed", "conditional", "conditional", None, [], False),
    (SPDX["CC-BY-ND-4.0"], "allowed", "prohibited", "allowed", None, [], False),
])
def test_summaries_agree_with_the_licence_texts(licence, commercial, derivatives, redistribution, cap, territories,
                                                aup) -> None:
    t = terms(str(licence)).as_json()
    assert (t["commercial_use"], t["derivatives"], t["redistribution"]) == (commercial, derivatives, redistribution)
    assert t["user_cap"] == cap
    assert t["excluded_territories"] == territories
    assert t["use_restrictions"] is aup
    assert t["sources"], licence


def test_llama_3_2_eu_exclusion_is_for_multimodal_models_only() -> None:
    t = terms(str(LICENSE["llama3.2"]))
    assert t.as_json(multimodal=False)["excluded_territories"] == []
    assert t.as_json(multimodal=True)["excluded_territories"] == ["EU"]


def test_revenue_threshold_and_naming_duty() -> None:
    assert terms(str(LICENSE["stability-community"])).revenue_cap == 1_000_000
    assert terms(str(LICENSE["llama3.3"])).names_derivatives
    assert not terms(str(SPDX["MIT"])).names_derivatives


def test_spdx_families_come_from_the_id_or_scancode() -> None:
    f = lt.FAMILY
    assert lt.spdx_families("MIT") == [f["PermissiveTerms"]]
    assert lt.spdx_families("LGPL-2.1-only") == [f["WeakCopyleftTerms"]]
    assert lt.spdx_families("AGPL-3.0-only") == [f["StrongCopyleftTerms"]]
    assert lt.spdx_families("CC-BY-NC-SA-4.0") == [f["CCAttributionTerms"], f["CCNonCommercialTerms"],
                                                   f["CCShareAlikeTerms"]]


def test_expressions_are_parsed_and_combined() -> None:
    assert lic.parse_license_expression("Apache-2.0 OR mit") == ("OR", ["Apache-2.0", "MIT"])
    assert lic.parse_license_expression("MIT AND llama3.3") == ("AND", ["MIT", "llama3.3"])
    assert lic.parse_license_expression("Acme Model Licence v2") is None
    both = lt.expression_terms("MIT AND llama3.3")
    assert both is not None and both.commercial_use == "conditional" and both.user_cap == 700_000_000
    either = lt.expression_terms("Apache-2.0 OR CC-BY-NC-4.0")
    assert either is not None and either.commercial_use == "allowed"
    nc = lt.expression_terms("CC-BY-NC-4.0 AND MIT")
    assert nc is not None and nc.commercial_use == "prohibited"
    # the revenue threshold and the ban on training other models bind under AND; under OR only if every
    # choice has them
    capped = lt.expression_terms("MIT AND stability-community")
    assert capped is not None and capped.revenue_cap == 1_000_000
    assert "annual revenue" in lt.describe(capped)
    assert lt.expression_terms("MIT OR stability-community").revenue_cap is None  # type: ignore[union-attr]
    assert lt.expression_terms("lfm-1.0 OR stability-community").revenue_cap == 10_000_000  # type: ignore[union-attr]
    assert lt.expression_terms("MIT AND llama3").trains_other_models == "prohibited"  # type: ignore[union-attr]
    assert lt.expression_terms("MIT OR llama3").trains_other_models == "unknown"  # type: ignore[union-attr]


def test_free_text_names_resolve_to_licence_individuals() -> None:
    for name, lid in [("BigCode OpenRAIL-M v1", "bigcode-openrail-m"),
                      ("Kimi K2 Modified MIT License", "kimi-modified-mit"),
                      ("FLUX.1 [dev] Non-Commercial License", "flux-1-dev-non-commercial"),
                      ("Tencent Hunyuan Community License", "tencent-hunyuan"),
                      ("Falcon-LLM License", "tii-falcon-2.0"),
                      ("AI Sweden's LLM AI License", "ai-sweden-llm"),
                      ("DeepFloyd IF Research License Agreement", "deepfloyd-if"),
                      ("EXAONE AI Model License Agreement 1.2 - NC", "exaone-1.2-nc")]:
        assert lic.resolve_license(name) == LICENSE[lid]


def test_bundled_kg_weights_licences_are_never_blank_nodes_and_have_terms() -> None:
    results = classify_recordset(bundled_records())
    with_weights = [r for r in results if r.license_terms is not None]
    assert len(with_weights) > 150
    for r in with_weights:
        data = r.as_json()["license_terms"]
        if data["license"] is None:  # the weights' source states no licence: nothing is claimed
            assert {data["commercial_use"], data["derivatives"], data["redistribution"]} == {"unknown"}, r.id
            assert data["sources"] == [], r.id
            continue
        assert not data["license"].startswith("_:"), r.id
        if {data["commercial_use"], data["derivatives"], data["redistribution"]} != {"unknown"}:
            assert data["sources"], r.id
    kinds = {(r.license_terms.commercial_use, r.license_terms.use_restrictions) for r in with_weights}
    assert len(kinds) >= 4


def test_spdx_licences_in_the_ontology_graph_inherit_their_family() -> None:
    from kg.ontology import ontology_graph

    g = ontology_graph([SPDX["Apache-2.0"]])
    assert (SPDX["Apache-2.0"], URIRef(ODRL + "inheritFrom"), lt.FAMILY["PermissiveTerms"]) in g
    # the family's rules are in the same graph, with their sources
    perms = list(g.objects(lt.FAMILY["PermissiveTerms"], URIRef(ODRL + "permission")))
    assert perms and all(g.value(p, DCTERMS.source) is not None for p in perms)


def test_classify_json_has_license_terms() -> None:
    out = subprocess.run([sys.executable, "-m", "kg", "classify", "--format", "json"], capture_output=True,
                         text=True, check=True).stdout
    models = {m["id"]: m for m in json.loads(out)}
    assert models["flux.1-dev"]["license_terms"]["commercial_use"] == "prohibited"
    assert models["codestral-22b"]["license_terms"]["commercial_use"] == "prohibited"
    assert models["llama-3.2-11b-vision"]["license_terms"]["excluded_territories"] == ["EU"]
    assert models["bloom"]["license_terms"]["use_restrictions"] is True
    closed = [m for m in models.values() if m["category"] == "closed-source"]
    assert closed and all(m["license_terms"] is None for m in closed)


def test_licence_data_conforms_to_the_licence_shapes() -> None:
    """shapes/licences.ttl over ontology/license-terms.ttl: every rule and duty has an action, a source, a clause."""
    import pyshacl
    from rdflib import Graph

    from kg.resources import resource_dir

    shapes = Graph().parse(resource_dir("shapes") / "licences.ttl")
    conforms, _, text = pyshacl.validate(lt.terms_graph(), shacl_graph=shapes)
    assert conforms, text
    broken = Graph().parse(data="""
        @prefix odrl: <http://www.w3.org/ns/odrl/2/> .
        <https://example.org/lic> odrl:permission [ a odrl:Permission ; odrl:action odrl:use ] .""", format="turtle")
    conforms, _, text = pyshacl.validate(broken, shacl_graph=shapes)
    assert not conforms and "https URL" in text


def test_validation_warns_about_a_licence_without_terms(tmp_path) -> None:
    from kg.records import read_files
    from kg.validation import validate

    path = tmp_path / "r.yaml"
    path.write_text("""- id: t1
  name: T1
  developer: X
  source: https://example.org/
  artifacts:
    weights: {availability: public, license: hai-def, url: https://example.org/w}
    architecture: {availability: public, license: Apache-2.0, url: https://example.org/a}
""", encoding="utf-8")
    report = validate(read_files([path]))
    messages = [r.message for r in report.results]
    assert any("no terms for licence 'hai-def'" in m for m in messages), messages
    assert not any("Apache-2.0" in m for m in messages), messages


def test_example_queries_answer_the_licence_questions() -> None:
    from kg.kgdata import bundled_store
    from server import examples

    store = bundled_store()

    def licences(query: str) -> set[str]:
        rows = store.query(query, use_default_graph_as_union=True)
        return {row["license"].value.rsplit("/", 1)[-1] for row in rows}

    free = licences(examples.COMMERCIAL_NO_CAP)
    assert "Apache-2.0" in free and "llama3.1" not in free and "CC-BY-NC-4.0" not in free
    assert licences(examples.TERRITORY_EXCLUDED) >= {"llama3.2", "tencent-hunyuan"}
    assert licences(examples.BEHAVIOURAL_USE) >= {"bigscience-bloom-rail-1.0", "bigcode-openrail-m", "gemma"}
    assert "Apache-2.0" not in licences(examples.BEHAVIOURAL_USE)
    assert licences(examples.NAMED_DERIVATIVES) >= {"llama3.1", "llama3.3"}
    # the assessment levels are in the inferred graph
    rows = store.query("PREFIX aio: <https://w3id.org/ai-openness/ontology#> "
                       "SELECT (COUNT(*) AS ?n) WHERE { ?m a aio:DeploymentControlFull }",
                       use_default_graph_as_union=True)
    assert int(next(iter(rows))["n"].value) > 50
