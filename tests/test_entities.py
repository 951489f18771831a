"""Organisations, families and lineage (docs/design.md section 7): the bundled files load, every bundled
developer resolves to organisations, families and bases name real records, and the store answers openness by
country and kind of developer."""

from __future__ import annotations

from collections import Counter

import pytest

from kg.entities import (
    Entities,
    bundled_entities,
    developer_links,
    entity_nodes,
    family_slugs,
    load_entities,
    load_organisation,
)
from kg.errors import UnreadableInputError
from kg.kgdata import bundled_records, bundled_store
from kg.records import records_to_recordset
from kg.vocab import DERIVATION_KINDS, ORGANISATION_KINDS


@pytest.fixture(scope="module")
def entities() -> Entities:
    return bundled_entities()


@pytest.fixture(scope="module")
def records() -> list[dict]:
    return [r for _, r in bundled_records().plain_records()]


@pytest.fixture(scope="module")
def store():
    return bundled_store()


def test_organisations_have_kind_and_country(entities):
    assert len(entities.orgs) >= 50
    assert {o.kind for o in entities.orgs.values()} == set(ORGANISATION_KINDS)
    for org in entities.orgs.values():
        assert org.country or org.kind == "collaboration", f"{org.slug} has no country"
    assert entities.orgs["mistral-ai"].country == "FR" and entities.orgs["openai"].wikidata == "Q21708200"


def test_joint_and_aliased_developers(entities):
    assert entities.resolve("Apple / DataComp-LM") == ["apple", "datacomp"]
    assert entities.resolve("Apple") == ["apple"]
    assert entities.resolve("MBZUAI / LLM360") == ["mbzuai", "llm360"] and entities.resolve("LLM360") == ["llm360"]
    assert entities.resolve("Cohere / Cohere Labs") == ["cohere"]
    assert entities.resolve("zhipu ai (z.ai)  /  tsinghua keg") == ["zhipu-ai", "tsinghua-keg"]
    assert entities.resolve("Microsoft and NVIDIA") == ["microsoft", "nvidia"]
    assert entities.resolve("Nobody Labs") == []
    assert entities.organisations_of({"developer": "Meta", "organisations": ["nvidia"]}) == ["nvidia"]


def test_families_name_real_records(entities, records):
    ids = {r["id"] for r in records}
    named = Counter(r["family"] for r in records if r.get("family"))
    assert len(named) >= 100
    for fam in entities.families.values():
        assert fam.developer and all(d in entities.orgs for d in fam.developer), fam.slug
        assert set(fam.members) <= ids, fam.slug
    assert named["qwen3"] >= 7 and named["olmo-2"] == 4


def test_lineage_names_real_bases_with_kind_and_source(records):
    ids = {r["id"] for r in records}
    links = [(r["id"], b) for r in records for b in (r.get("based_on") or [])]
    assert len(links) >= 90
    for rid, link in links:
        assert isinstance(link, dict), f"{rid}: give the base with kind and source"
        assert link["model"] in ids or link["model"].startswith("https://"), (rid, link)
        assert link["kind"] in DERIVATION_KINDS, (rid, link)
        sources = link.get("source") if isinstance(link.get("source"), list) else [link.get("source")]
        assert sources and all(str(s).startswith("https://") for s in sources), (rid, link)
    derived = {rid: {b["model"] for b in (r.get("based_on") or [])} for r in records for rid in [r["id"]]}
    assert {"qwen2.5-32b", "deepseek-r1"} <= derived["deepseek-r1-distill-qwen-32b"]
    for rid in ("tulu-3-8b", "zephyr-7b-beta", "bloomz", "code-llama-7b", "llama-3.1-8b-instruct"):
        assert derived[rid], f"{rid} has a base"


def test_store_answers_openness_by_country_and_kind(store):
    query = """PREFIX aio: <https://w3id.org/ai-openness/ontology#>
    SELECT ?country (COUNT(DISTINCT ?m) AS ?models) (COUNT(DISTINCT ?open) AS ?openSource) WHERE {
      ?m aio:developedBy ?org . ?org aio:country ?country .
      OPTIONAL { ?m a aio:OpenSourceModel . BIND(?m AS ?open) } } GROUP BY ?country"""
    rows = {r["country"].value: (int(r["models"].value), int(r["openSource"].value))
            for r in store.query(query, use_default_graph_as_union=True)}
    assert rows["US"][0] > rows["FR"][0] > 0 and rows["US"][1] > 0 and rows["CN"][0] > 0
    query = """PREFIX aio: <https://w3id.org/ai-openness/ontology#>
    SELECT DISTINCT ?kind WHERE { ?m aio:developedBy/aio:organisationKind ?kind }"""
    kinds = {r["kind"].value.rsplit("#", 1)[1] for r in store.query(query, use_default_graph_as_union=True)}
    assert kinds == {"Company", "Academic", "NonProfit", "Government", "Collaboration"}


def test_family_members_in_store(store):
    query = """PREFIX aio: <https://w3id.org/ai-openness/ontology#>
    SELECT ?m WHERE { ?m aio:inFamily <https://w3id.org/ai-openness/family/olmo-2> ; a aio:OpenSourceModel }"""
    assert len(list(store.query(query, use_default_graph_as_union=True))) == 4


@pytest.mark.parametrize(("text", "problem"), [
    ("name: X\nkind: startup\n", "field 'kind': expected one of company"),
    ("name: X\nkind: company\ncountry: France\n", "field 'country': expected an ISO 3166-1 alpha-2 code"),
    ("name: X\nkind: company\nwikidata: 42\n", "field 'wikidata'"),
    ("name: X\nkind: company\nceo: Y\n", "unknown field(s) ceo"),
    ("kind: company\n", "field 'name'"),
    ("- a list\n", "expected a mapping"),
])
def test_bad_organisation_file_is_named(tmp_path, text, problem):
    path = tmp_path / "x.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(UnreadableInputError) as err:
        load_organisation(path)
    assert str(path) in str(err.value) and problem in str(err.value)


def test_alias_claimed_twice_and_unknown_family_developer(tmp_path):
    orgs, fams = tmp_path / "orgs", tmp_path / "families"
    orgs.mkdir()
    fams.mkdir()
    (orgs / "a.yaml").write_text("name: A\nkind: company\naliases: [Shared]\n", encoding="utf-8")
    (orgs / "b.yaml").write_text("name: B\nkind: company\naliases: [shared]\n", encoding="utf-8")
    with pytest.raises(UnreadableInputError, match="alias 'shared' is also an alias of a"):
        load_entities(orgs, fams)
    (orgs / "b.yaml").write_text("name: B\nkind: academic\ncountry: DE\n", encoding="utf-8")
    (fams / "f.yaml").write_text("name: F\ndeveloper: [c]\n", encoding="utf-8")
    with pytest.raises(UnreadableInputError, match="field 'developer'"):
        load_entities(orgs, fams)
    (fams / "f.yaml").write_text("name: F\ndeveloper: [a, b]\nmembers: [m1]\n", encoding="utf-8")
    ents = load_entities(orgs, fams)
    record = {"id": "m2", "developer": "A / B", "family": "g"}
    links = developer_links([(0, record)], ents)
    nodes = entity_nodes(family_slugs(records_to_recordset([record]).triples), ents)
    assert {(t.subject.value.rsplit("/", 1)[1], t.object.value.rsplit("/", 1)[1]) for t in links} == {
        ("m2", "a"), ("m2", "b")}
    assert any(t.subject.value.endswith("/model/m1") for t in nodes), "a family's listed members point to it"
    assert any(t.subject.value.endswith("/family/g") for t in nodes), "a family named only by a record gets a node"


def test_bundled_histories_are_sourced_and_end_in_the_current_state(records):
    from kg.records.history import current_disagreements, on_date, states_of
    from kg.records.plain import claims_of

    with_history = [(r["id"], slug, claim) for r in records for slug, entry in (r.get("artifacts") or {}).items()
                    for claim in claims_of(entry) if claim.get("history")]
    assert len(with_history) >= 3
    for rid, slug, claim in with_history:
        assert not current_disagreements(claim), (rid, slug, current_disagreements(claim))
        assert all(state.source for state in states_of(claim)), f"{rid} {slug}: every state has a source"
    phi2 = next(c for rid, slug, c in with_history if rid == "phi-2" and slug == "weights")
    assert on_date(states_of(phi2), "2023-12-20", "license").license == ["Microsoft Research License"]
    assert on_date(states_of(phi2), "2024-06-01", "license").license == ["MIT"]


def test_licence_on_a_date_in_sparql(store):
    from kg.records.history import LICENCE_ON_DATE

    query = LICENCE_ON_DATE.replace("?model", "<https://w3id.org/ai-openness/model/falcon-40b>").replace(
        "STR(?day)", '"2023-05-28"')
    [row] = list(store.query(query, use_default_graph_as_union=True))
    assert row["from"].value == "2023-05-25" and not row["licence"].value.startswith("http://spdx.org")
    later = query.replace('"2023-05-28"', '"2024-01-01"')
    [row] = list(store.query(later, use_default_graph_as_union=True))
    assert row["licence"].value == "http://spdx.org/licenses/Apache-2.0"
