"""The licence pages (/license/<id>, /license/) and the model page's licence section (server/licence_pages.py)."""

from __future__ import annotations


def test_licence_page_lists_terms_with_clauses_and_models(client):
    response = client.get("/license/llama3.2", headers={"Accept": "text/html"})
    assert response.status_code == 200 and response.mimetype == "text/html"
    page = response.data.decode()
    assert "Llama 3.2 Community License Agreement" in page
    assert "700,000,000" in page and "EU" in page and "multimodal models only" in page
    assert "2. Additional Commercial Terms" in page and "https://www.llama.com/llama3_2/license/" in page
    assert "/model/llama-3.2-11b-vision" in page


def test_spdx_licence_page_shows_its_family_terms(client):
    page = client.get("/license/Apache-2.0", headers={"Accept": "text/html"}).data.decode()
    assert "PermissiveTerms" in page and "odrl:commercialize" in page and "https://opensource.org/license/mit" in page


def test_licence_without_terms_says_so(client):
    page = client.get("/license/microsoft-research-license", headers={"Accept": "text/html"}).data.decode()
    assert 'id="no-rules"' in page and "was not available to us" in page


def test_licence_rdf_by_content_negotiation(client):
    response = client.get("/license/gemma", headers={"Accept": "text/turtle"})
    assert response.status_code == 200 and "turtle" in response.mimetype
    body = response.data.decode()
    assert "odrl" in body and "3.2 Use Restrictions" in body


def test_licence_rdf_format_parameters_like_other_pages(client):
    """Repeated ``format`` values: the first usable one wins, as on model and entity pages."""
    response = client.get("/license/gemma", query_string=[("format", "no-such"), ("format", "nt")],
                          headers={"Accept": "text/html"})
    assert response.status_code == 200 and response.mimetype == "application/n-triples"
    assert response.headers["Vary"] == "Accept"


def test_unknown_licence_is_404(client):
    assert client.get("/license/no-such-licence", headers={"Accept": "text/html"}).status_code == 404
    assert client.get("/license/%3Cscript%3E", headers={"Accept": "text/html"}).status_code == 404


def test_licence_index(client):
    page = client.get("/license/").data.decode()
    assert "/license/llama3.1" in page and "/license/Apache-2.0" in page


def test_model_page_shows_terms_osaid_and_assessment(client):
    page = client.get("/model/flux.1-dev", headers={"Accept": "text/html"}).data.decode()
    assert 'id="licence-terms"' in page and "commercial use prohibited" in page
    assert 'id="osaid"' in page and "does not conform" in page
    assert 'id="assess-deployment_control"' in page
    assert "limited" in page.split('id="assess-deployment_control"')[1].split("</tr>")[0]
