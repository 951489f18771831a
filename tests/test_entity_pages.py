"""Organisation and family pages, the indexes that answer openness by country and kind, and the model page's
family, organisations and lineage (server/entity_pages.py)."""

from __future__ import annotations

import re

import rdflib

BROWSER = {"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}


def _page(client, path: str) -> str:
    response = client.get(path, headers=BROWSER)
    assert response.status_code == 200, (path, response.status_code)
    assert response.mimetype == "text/html"
    return response.data.decode()


def _row(page: str, table_id: str, first_cell: str) -> list[str]:
    table = re.search(rf'<table[^>]*id="{table_id}".*?</table>', page, re.S).group(0)
    for row in re.findall(r"<tr>(.*?)</tr>", table, re.S):
        cells = [re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]
        if cells and cells[0] == first_cell:
            return cells
    raise AssertionError(f"no row {first_cell!r} in #{table_id}")


def test_organisation_page_lists_its_models_with_categories(client):
    page = _page(client, "/org/mistral-ai")
    assert "<h1>Mistral AI</h1>" in page
    assert re.search(r'id="org-country">FR<', page) and re.search(r'id="org-kind">company<', page)
    assert 'href="/model/mistral-7b"' in page and 'href="/family/mixtral"' in page
    assert re.search(r'id="org-counts">\d+: \d+ open-weight', page)


def test_joint_release_appears_on_each_organisation(client):
    for org in ("apple", "datacomp"):
        assert 'href="/model/dclm-7b"' in _page(client, f"/org/{org}")


def test_openness_by_country_and_kind(client):
    page = _page(client, "/org/")
    us = _row(page, "by-country", "US")
    assert int(us[1]) > 100 and int(us[2]) > 0, "US models, some open-source"
    academic = _row(page, "by-kind", "academic")
    assert int(academic[1]) >= 3
    assert _row(page, "orgs", "OpenAI")[1:3] == ["company", "US"]


def test_family_page_says_when_members_differ(client):
    qwen = _page(client, "/family/qwen2.5")
    assert 'id="family-mixed"' in qwen, "Qwen2.5-Max is API-only while the others are open-weight"
    assert 'href="/model/qwen2.5-max"' in qwen and 'href="/model/qwen2.5-7b"' in qwen
    olmo = _page(client, "/family/olmo-2")
    assert 'id="family-same"' in olmo and "Every member of this family is\nopen-source" in olmo
    index = _page(client, "/family/")
    assert _row(index, "families", "Qwen2.5")[-1] == "mixed"


def test_model_page_shows_family_orgs_and_lineage(client):
    page = _page(client, "/model/deepseek-r1-distill-qwen-32b")
    assert 'id="model-family"><a href="/family/deepseek-r1">DeepSeek-R1</a>' in page
    bases = re.search(r'id="model-bases">(.*?)</td>', page, re.S).group(1)
    assert 'href="/model/qwen2.5-32b"' in bases and "(fine-tune)" in bases and "(distillation)" in bases
    assert 'href="/org/deepseek"' in page
    derived = _page(client, "/model/llama-3.1-8b")
    assert re.search(r'id="model-derived">.*href="/model/tulu-3-8b"', derived, re.S)


def test_entity_rdf_by_content_negotiation(client):
    response = client.get("/org/mistral-ai", headers={"Accept": "text/turtle"})
    assert response.status_code == 200 and response.mimetype == "text/turtle"
    g = rdflib.Graph().parse(data=response.data, format="turtle")
    org = rdflib.URIRef("https://w3id.org/ai-openness/org/mistral-ai")
    aio = rdflib.Namespace("https://w3id.org/ai-openness/ontology#")
    assert (org, aio.country, rdflib.Literal("FR")) in g
    assert (org, aio.organisationKind, aio.Company) in g
    family = client.get("/family/qwen3", headers={"Accept": "application/n-triples"})
    assert family.status_code == 200 and b"ModelFamily" in family.data


def test_unknown_entities_are_404(client):
    for path in ("/org/nobody", "/family/nothing", "/org/Bad%20Slug", "/family/..%2f"):
        assert client.get(path, headers=BROWSER).status_code == 404, path
