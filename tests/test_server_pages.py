"""Pages for people: the query page, model pages (HTML and RDF by conneg), the ontology."""

from __future__ import annotations

import json
import re

import rdflib

from server.pages import yasgui_available

BROWSER = {"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}
MODEL = "https://w3id.org/ai-openness/model/"


def test_index_has_the_example_queries_and_no_remote_assets(client):
    response = client.get("/query")
    assert response.status_code == 200 and response.mimetype == "text/html"
    page = response.data.decode()
    examples = json.loads(re.search(r'<script id="examples-data" type="application/json">(.*?)</script>',
                                    page, re.S).group(1))
    names = [name for name, _ in examples]
    assert names == ["Models by category", "Count by category", "Open weights, OSI licence",
                     "Ten dimensions of a model", "Training data not released", "Commercial use, no user cap",
                     "Territory excluded", "Behavioural-use terms", "Fine-tunes carry the name"]
    # every script and stylesheet comes from this server (air-gapped: no CDN)
    for src in re.findall(r'(?:src|href)="([^"]+)"', page):
        assert not src.startswith(("http:", "https:", "//")), src
    if yasgui_available():
        assert "/static/vendor/yasgui.min.js" in page


def test_every_example_query_answers_with_rows(client):
    page = client.get("/query").data.decode()
    examples = json.loads(re.search(r'<script id="examples-data" type="application/json">(.*?)</script>',
                                    page, re.S).group(1))
    for name, query in examples:
        response = client.post("/sparql", data={"query": query})
        assert response.status_code == 200, (name, response.data)
        bindings = json.loads(response.data)["results"]["bindings"]
        assert bindings, f"example {name!r} returned no rows"
        if name == "Ten dimensions of a model":
            assert len(bindings) == 10


def test_static_assets_are_served(client):
    assert client.get("/static/app.css").status_code == 200
    assert client.get("/static/query.js").status_code == 200
    if yasgui_available():
        assert client.get("/static/vendor/yasgui.min.js").status_code == 200


def _a_model(client, category: str) -> str:
    query = (f"SELECT ?m WHERE {{ ?m a <https://w3id.org/ai-openness/ontology#{category}> }} ORDER BY ?m LIMIT 1")
    response = client.get("/sparql", query_string={"query": query})
    return json.loads(response.data)["results"]["bindings"][0]["m"]["value"][len(MODEL):]


def test_model_page_html(client):
    slug = _a_model(client, "OpenSourceModel")
    response = client.get(f"/model/{slug}", headers=BROWSER)
    assert response.status_code == 200 and response.mimetype == "text/html"
    page = response.data.decode()
    assert 'id="category">open-source<' in page
    dimensions = re.search(r'<table class="dimensions" id="dimensions">(.*?)</table>', page, re.S).group(1)
    assert dimensions.count("<tr>") == 11  # header + ten dimensions
    assert "— (category unknown)" not in dimensions
    artifacts = re.search(r'<table class="artifacts" id="artifacts">(.*?)</table>', page, re.S).group(1)
    assert "Model parameters" in artifacts or "weights" in artifacts.lower()
    assert "public" in artifacts
    assert "MOF class" in page


def test_model_page_links_out_to_registries(client):
    query = ("SELECT ?m WHERE { ?m <http://www.w3.org/2004/02/skos/core#exactMatch> ?x . "
             "FILTER(STRSTARTS(STR(?x), 'https://huggingface.co/')) } ORDER BY ?m LIMIT 1")
    slug = json.loads(client.get("/sparql", query_string={"query": query}).data)["results"]["bindings"][0]
    page = client.get(f"/model/{slug['m']['value'][len(MODEL):]}", headers=BROWSER).data.decode()
    assert 'href="https://huggingface.co/' in page and "Hugging Face" in page


def test_model_rdf_by_conneg(client):
    slug = _a_model(client, "OpenWeightModel")
    for accept, fmt in (("text/turtle", "turtle"), ("application/ld+json", "json-ld"),
                        ("application/rdf+xml", "xml"), ("application/n-triples", "nt")):
        response = client.get(f"/model/{slug}", headers={"Accept": accept})
        assert response.status_code == 200 and response.mimetype == accept
        graph = rdflib.Graph().parse(data=response.data, format=fmt)
        model = rdflib.URIRef(MODEL + slug)
        assert (model, rdflib.RDF.type, rdflib.URIRef("https://w3id.org/ai-openness/ontology#OpenWeightModel")) \
            in graph
        assert any(graph.objects(model, rdflib.URIRef("https://w3id.org/ai-openness/ontology#hasRelease")))
    as_param = client.get(f"/model/{slug}", query_string={"format": "ttl"}, headers=BROWSER)
    assert as_param.mimetype == "text/turtle"


def test_release_iris_are_rows_of_the_model_page(client):
    """Release IRIs are ``model:<id>#<slug>``: the page has a row with that anchor."""
    slug = _a_model(client, "OpenWeightModel")
    page = client.get(f"/model/{slug}", headers=BROWSER).data.decode()
    assert '<tr id="weights">' in page
    assert client.get(f"/model/{slug}/weights", headers=BROWSER).status_code == 303


def test_unknown_model_is_404(client):
    assert client.get("/model/no-such-model", headers=BROWSER).status_code == 404
    assert client.get("/model/no-such-model", headers={"Accept": "text/turtle"}).status_code == 404
    response = client.get("/model/..%2Fetc%2Fpasswd", headers=BROWSER)
    assert response.status_code == 404 and b"root:" not in response.data


def test_ontology_turtle_and_html(client):
    turtle = client.get("/ontology", headers={"Accept": "text/turtle"})
    assert turtle.status_code == 200 and turtle.mimetype == "text/turtle"
    graph = rdflib.Graph().parse(data=turtle.data, format="turtle")
    aio = rdflib.Namespace("https://w3id.org/ai-openness/ontology#")
    assert (aio.OpenWeightModel, rdflib.RDF.type, rdflib.OWL.Class) in graph
    html = client.get("/ontology", headers=BROWSER)
    assert html.mimetype == "text/html"
    page = html.data.decode()
    assert 'id="OpenWeightModel"' in page and 'id="artifactAccess"' in page
    assert client.get("/ontology.ttl").mimetype == "text/turtle"
    assert client.get("/ontology", query_string={"format": "jsonld"}).mimetype == "application/ld+json"


FREE_TEXT_LICENCES = """id: two-free-text
name: Two Free Text
developer: Example Lab
date: 2025-01-02
source: [https://example.org/two-free-text]
artifacts:
  weights: {availability: public, license: Acme Weights Terms}
  training_code: {availability: public, license: Acme Code Terms}
"""


def test_each_free_text_licence_shows_its_own_label(make_app, tmp_path):
    """Two free-text licences on one model: each artifact shows its own licence, not the last one read."""
    import pyoxigraph as ox

    from kg.records import read_file
    from tests.conftest import TOKEN

    path = tmp_path / "two-free-text.yaml"
    path.write_text(FREE_TEXT_LICENCES)
    data = ox.serialize(read_file(path).triples, format=ox.RdfFormat.N_TRIPLES).decode()
    client = make_app().test_client()
    response = client.post("/update", data=f"INSERT DATA {{ {data} }}".encode(),
                           content_type="application/sparql-update", headers={"Authorization": f"Bearer {TOKEN}"})
    assert response.status_code == 200, response.data
    page = client.get("/model/two-free-text", headers=BROWSER).data.decode()
    weights = page[page.index('id="weights"'):] if 'id="weights"' in page else page
    assert "Acme Weights Terms" in page and "Acme Code Terms" in page
    assert weights.index("Acme Weights Terms") < weights.index("Acme Code Terms")
