"""The analysts' pages over the bundled KG: home, /models, /compare, charts, downloads, the query table.

Counts on the pages are checked against SPARQL answers of the same endpoint, so a page that showed made-up
or stale numbers would fail.
"""

from __future__ import annotations

import csv
import gzip
import io
import json
import re
import xml.etree.ElementTree as ET
from urllib.parse import parse_qs, urlsplit

import rdflib

AIO = "https://w3id.org/ai-openness/ontology#"
MODEL = "https://w3id.org/ai-openness/model/"


def sparql(client, query: str) -> list[dict]:  # type: ignore[no-untyped-def]
    response = client.post("/sparql", data={"query": query}, headers={"Accept": "application/sparql-results+json"})
    assert response.status_code == 200, response.data
    return json.loads(response.data)["results"]["bindings"]


def count(client, pattern: str) -> int:  # type: ignore[no-untyped-def]
    rows = sparql(client, f"PREFIX aio: <{AIO}> SELECT (COUNT(DISTINCT ?m) AS ?n) WHERE {{ {pattern} }}")
    return int(rows[0]["n"]["value"])


def test_home_counts_models_by_category_as_sparql_does(client):
    page = client.get("/").data.decode()
    table = re.search(r'<table class="counts" id="by-category">(.*?)</table>', page, re.S).group(1)
    shown = {c: int(n) for c, n in re.findall(r'class="category ([a-z-]+)">[a-z-]+</span></a></td>'
                                              r'<td class="number">(\d+)</td>', table)}
    assert shown["open-weight"] == count(client, "?m a aio:OpenWeightModel")
    assert shown["open-source"] == count(client, "?m a aio:OpenSourceModel")
    assert shown["closed-source"] == count(client, "?m a aio:ClosedSourceModel")
    assert sum(shown.values()) == count(client, "?m a aio:AIModel")


def test_home_has_search_newest_developers_charts_and_downloads(client):
    page = client.get("/").data.decode()
    assert 'action="/models"' in page and 'name="q"' in page
    assert len(re.findall(r"<li><a href=\"/model/", page.split('id="newest"')[1].split("</ul>")[0])) == 10
    assert page.count('<figure class="chart"') == 2
    for ext in ("ttl", "nt", "jsonld", "csv"):
        assert f'href="/download/openness-kg.{ext}.gz"' in page
    developers = re.search(r'id="developers">(.*?)</table>', page, re.S).group(1)
    first = re.search(r'href="/models\?org=([^"]+)">[^<]+</a>\)?</td><td class="number">(\d+)</td>', developers)
    org = "https://w3id.org/ai-openness/org/" + first.group(1)
    assert int(first.group(2)) == count(client, f"?m a aio:AIModel ; aio:developedBy <{org}>")


def test_old_query_links_are_redirected_to_the_query_page(client):
    response = client.get("/?query=ASK%20%7B%7D")
    assert response.status_code == 301
    target = urlsplit(response.headers["Location"])
    assert target.path == "/query" and parse_qs(target.query)["query"] == ["ASK {}"]


def test_models_filter_by_category_matches_sparql(client):
    page = client.get("/models?category=open-source&per=500").data.decode()
    total = count(client, "?m a aio:OpenSourceModel")
    assert re.search(r'id="summary">(\d+) of', page).group(1) == str(total)
    rows = re.findall(r'<td><a href="/model/([^"]+)">', page)
    assert len(rows) == total
    assert set(re.findall(r'<td><span class="category ([a-z-]+)">', page)) == {"open-source"}


def test_models_filter_by_organisation_family_and_modality_match_sparql(client):
    for param, value, pattern in (
        ("org", "meta", "?m a aio:AIModel ; aio:developedBy <https://w3id.org/ai-openness/org/meta>"),
        ("family", "llama-3.1", "?m aio:inFamily <https://w3id.org/ai-openness/family/llama-3.1>"),
        ("modality", "code", "?m aio:modality aio:CodeModality"),
    ):
        data = json.loads(client.get(f"/models?{param}={value}&format=json").data)
        assert len(data) == count(client, pattern) > 0, param
    page = client.get("/models?family=llama-3.1").data.decode()
    assert '<option value="llama-3.1" selected>' in page


def test_models_filter_by_licence_terms_agrees_with_the_terms(client):
    from kg.license_terms import licence_terms

    data = json.loads(client.get("/models?terms=commercial-no-cap&format=json").data)
    assert data and all(m["commercial_use"] == "allowed" and m["user_cap"] is None for m in data)
    ids = {m["id"] for m in data}
    assert "llama-3.1-8b" not in ids  # the Llama 3.1 licence caps users at 700 million
    assert licence_terms("https://w3id.org/ai-openness/license/llama3.1").user_cap == 700_000_000
    everything = json.loads(client.get("/models?format=json").data)
    expected = {m["id"] for m in everything if m["commercial_use"] == "allowed" and m["user_cap"] is None
                and m["weights_license"]}
    assert ids == expected


def test_models_carry_the_licences_their_bases_bind_them_to(client):
    """A Llama or Gemma derivative is under its base's licence too (kg.reasoner.lineage), whatever its own weights
    licence says: /models lists it, and its term filters read both (DeepSeek-R1-Distill-Llama-70B: MIT and
    Llama 3.3, so no "commercial use without a user cap")."""
    from kg.kgdata import bundled_records
    from kg.reasoner import classify_recordset

    everything = {m["id"]: m for m in json.loads(client.get("/models?format=json").data)}
    distill = everything["deepseek-r1-distill-llama-70b"]
    assert distill["weights_license"] == "MIT License"
    assert distill["inherited_licences"] == ["Llama 3.3 Community License Agreement"]
    assert distill["commercial_use"] == "conditional" and distill["user_cap"] == 700_000_000
    free = {m["id"] for m in json.loads(client.get("/models?terms=commercial-no-cap&format=json").data)}
    assert "deepseek-r1-distill-llama-70b" not in free
    carried = {c.id for c in classify_recordset(bundled_records())
               if any(t["license"] != (c.license_terms.license if c.license_terms else None)
                      for t in c.inherited_terms)}
    assert {i for i, m in everything.items() if m["inherited_licences"]} == carried


def test_models_filter_by_osaid_agrees_with_classify(client):
    from kg.kgdata import bundled_records
    from kg.reasoner import classify_recordset

    expected = {c.id for c in classify_recordset(bundled_records()) if c.osaid["conformant"] is True}
    shown = {m["id"] for m in json.loads(client.get("/models?osaid=conforms&format=json").data)}
    assert shown == expected and shown
    refused = {m["id"] for m in json.loads(client.get("/models?osaid=does-not-conform&format=json").data)}
    assert "llama-3.1-8b" in refused and not refused & shown
    assert client.get("/models?osaid=maybe").status_code == 400


def test_models_search_sort_page_and_downloads_agree(client):
    data = json.loads(client.get("/models?q=llama&sort=-date&format=json").data)
    assert data and all("llama" in (m["id"] + m["name"] + m["developer"] + (m["weights_license"] or "")).lower()
                        for m in data)
    dates = [m["date"] or "" for m in data]
    assert dates == sorted(dates, reverse=True)
    rows = list(csv.DictReader(io.StringIO(client.get("/models?q=llama&sort=-date&format=csv").data.decode())))
    assert [r["id"] for r in rows] == [m["id"] for m in data]
    first = client.get("/models?q=llama&sort=-date&per=2").data.decode()
    second = client.get("/models?q=llama&sort=-date&per=2&page=2").data.decode()
    ids = re.findall(r'name="m" value="([^"]+)"', first) + re.findall(r'name="m" value="([^"]+)"', second)
    assert ids == [m["id"] for m in data[:4]]
    assert 'rel="next"' in first and 'href="/models?q=llama&amp;sort=-date&amp;per=2&amp;page=2"' in first


def test_models_bad_parameters_name_the_parameter(client):
    for query, word in (("category=open", "'category'"), ("year=24", "'year'"), ("sort=size", "'sort'"),
                        ("page=0", "'page'"), ("per=100000", "'per'"), ("format=xml", "'format'")):
        response = client.get(f"/models?{query}")
        assert response.status_code == 400, query
        assert word in response.data.decode(), (query, response.data)


def test_models_selection_posts_to_compare_without_javascript(client):
    page = client.get("/models").data.decode()
    form = re.search(r'<form method="get" action="/compare" id="compare-form">', page)
    assert form and page.count('type="checkbox" name="m"') == 50


def test_compare_shows_two_models_side_by_side(client):
    open_source = sparql(client, f"SELECT ?id WHERE {{ ?m a <{AIO}OpenSourceModel> ; "
                                 "<http://purl.org/dc/terms/identifier> ?id } ORDER BY ?id LIMIT 1")[0]["id"]["value"]
    page = client.get(f"/compare?m=llama-3.1-8b&m={open_source}").data.decode()
    header = re.search(r"<thead>(.*?)</thead>", page, re.S).group(1)
    assert 'href="/model/llama-3.1-8b"' in header and f'href="/model/{open_source}"' in header
    category = re.search(r'<tr id="row-category">(.*?)</tr>', page, re.S).group(1)
    assert "open-weight" in category and "open-source" in category
    assert 'rel="external">source</a>' in category  # the reasoner's reasons with their sources
    assert page.count('<tr class="section">') == 3 and "final trained parameters" in page
    osaid = re.search(r'<tr id="row-osaid">(.*?)</tr>', page, re.S).group(1)
    assert "does not conform" in osaid and ">conforms" in osaid  # Llama 3.1 8B, then the open-source model
    terms = re.search(r'<tr id="row-terms">(.*?)</tr>', page, re.S).group(1)
    assert "conditional" in terms and "Llama 3.1 Community License" in terms
    same = client.get(f"/compare?models=llama-3.1-8b,{open_source}").data.decode()
    assert same == page


def test_compare_refuses_bad_selections(client):
    assert client.get("/compare?models=llama-3.1-8b").status_code == 400
    assert client.get("/compare?models=a,b,c,d,e,f").status_code == 400
    assert client.get("/compare?models=llama-3.1-8b,Bad%20Id").status_code == 400
    missing = client.get("/compare?models=llama-3.1-8b,no-such-model")
    assert missing.status_code == 404 and b"no-such-model" in missing.data


def test_model_page_gives_reasons_with_sources_and_a_compare_link(client):
    page = client.get("/model/llama-3.1-8b", headers={"Accept": "text/html"}).data.decode()
    reasons = re.search(r'id="why-category">(.*?)</ul>', page, re.S).group(1)
    assert "weights gated under llama3.1" in reasons and 'href="https://github.com/meta-llama/' in reasons
    assert re.search(r'id="why-mof">.*?no MOF class', page, re.S)
    assert 'action="/compare"' in page


def test_charts_are_svg_with_hatching_and_their_query(client):
    home = client.get("/").data.decode()
    for figure in re.findall(r'<figure class="chart".*?</figure>', home, re.S):
        src = re.search(r'<img src="([^"]+)"', figure).group(1).replace("&amp;", "&")
        svg = client.get(src)
        assert svg.status_code == 200 and svg.mimetype == "image/svg+xml"
        root = ET.fromstring(svg.data)
        assert root.tag.endswith("svg") and svg.data.count(b"<pattern") >= 2  # hatches, not colour alone
        link = re.search(r'<a href="(/query\?[^"]+)">the query behind this chart</a>', figure).group(1)
        query = parse_qs(urlsplit(link.replace("&amp;", "&")).query)["query"][0]
        assert sparql(client, query)


def test_categories_by_year_query_totals_every_model(client):
    from server.charts import categories_by_year_query

    rows = sparql(client, categories_by_year_query())
    assert sum(int(r["models"]["value"]) for r in rows) == count(client, "?m a aio:AIModel")
    meta = sparql(client, categories_by_year_query({"org": "meta"}))
    assert sum(int(r["models"]["value"]) for r in meta) == count(
        client, "?m a aio:AIModel ; aio:developedBy <https://w3id.org/ai-openness/org/meta>")
    family = sparql(client, categories_by_year_query({"family": "llama-3.1"}))
    assert sum(int(r["models"]["value"]) for r in family) == count(
        client, "?m aio:inFamily <https://w3id.org/ai-openness/family/llama-3.1>") > 0


def test_unknown_charts_and_parameters_are_refused(client):
    assert client.get("/chart/pie.svg").status_code == 404
    assert client.get("/chart/top-developers.svg?year=2024").status_code == 400
    assert client.get("/chart/categories-by-year.svg?org=Not%20A%20Slug").status_code == 400
    assert client.get("/chart/categories-by-year.svg?licence=not%20an%20iri").status_code == 400
    assert client.get("/chart/categories-by-year.svg?family=llama-3.1").status_code == 200


def test_downloads_hold_every_model(client):
    models = count(client, "?m a aio:AIModel")
    turtle = gzip.decompress(client.get("/download/openness-kg.ttl.gz").data)
    graph = rdflib.Graph().parse(data=turtle, format="turtle")
    assert len(set(graph.subjects(rdflib.RDF.type, rdflib.URIRef(AIO + "AIModel")))) == models
    assert len(set(graph.subjects(rdflib.RDF.type, rdflib.URIRef(AIO + "OpenSourceModel")))) == count(
        client, "?m a aio:OpenSourceModel")  # inferences included
    lines = gzip.decompress(client.get("/download/openness-kg.nt.gz").data).decode().splitlines()
    assert len(lines) == len(graph)
    rows = list(csv.DictReader(io.StringIO(gzip.decompress(client.get("/download/openness-kg.csv.gz").data).decode())))
    assert len(rows) == models and {"id", "name", "developer", "weights"} <= set(rows[0])
    jsonld = json.loads(gzip.decompress(client.get("/download/openness-kg.jsonld.gz").data))
    assert jsonld
    assert client.get("/download/openness-kg.xml.gz").status_code == 404


def test_void_and_service_description_announce_the_dumps(client):
    for path in ("/.well-known/void", "/sparql"):
        graph = rdflib.Graph().parse(data=client.get(path, headers={"Accept": "text/turtle"}).data, format="turtle")
        dumps = {str(o) for o in graph.objects(None, rdflib.URIRef("http://rdfs.org/ns/void#dataDump"))}
        assert {urlsplit(d).path for d in dumps} == {f"/download/openness-kg.{e}.gz" for e in
                                                     ("ttl", "nt", "jsonld", "csv")}, path


def test_query_page_renders_results_as_a_table_with_local_links(client):
    query = (f"SELECT ?m (COUNT(?r) AS ?n) WHERE {{ ?m a <{AIO}OpenSourceModel> ; <{AIO}hasRelease> ?r }} "
             "GROUP BY ?m ORDER BY ?m LIMIT 3")
    page = client.get("/query", query_string={"query": query, "view": "table"}).data.decode()
    table = re.search(r'<table class="results" id="results-table">(.*?)</table>', page, re.S).group(1)
    assert re.findall(r'<a href="(/model/[^"]+)">model:', table) and "w3id.org" not in table.split('title="')[0]
    numbers = re.findall(r'<td class="number">(\d+)</td>', table)
    assert len(numbers) == 3 and "^^" not in table and "XMLSchema#integer" not in table


def test_query_page_reports_a_bad_query_on_the_page(client):
    response = client.get("/query", query_string={"query": "SELECT nothing", "view": "table"})
    assert response.status_code == 400 and 'id="query-error"' in response.data.decode()
    refused = client.get("/query", query_string={"query": "SELECT * { SERVICE <http://x.example/> { ?s ?p ?o } }",
                                                 "view": "table"})
    assert refused.status_code == 400 and "SERVICE" in refused.data.decode()


def test_organisation_and_family_pages_chart_their_models_and_link_to_the_table(client):
    for path, param in (("/org/meta", "org=meta"), ("/family/llama-3.1", "family=llama-3.1")):
        page = client.get(path, headers={"Accept": "text/html"}).data.decode()
        src = re.search(r'<img src="(/chart/categories-by-year\.svg\?[^"]+)"', page).group(1)
        assert src.endswith(param) and client.get(src).status_code == 200
        assert f'href="/models?{param}"' in page
    family = client.get("/family/llama-3.1", headers={"Accept": "text/html"}).data.decode()
    compare = re.search(r'href="(/compare\?models=[^"]+)" id="family-compare"', family).group(1)
    assert client.get(compare.replace("&amp;", "&")).status_code == 200


def test_query_page_queries_pass_admission_control(make_app):
    app = make_app(STORE=None, CLIENT_RATE=0.001, CLIENT_BURST=1, USE_WORKERS=False)
    client = app.test_client()
    args = {"query": "ASK { ?s ?p ?o }", "view": "table"}
    assert client.get("/query", query_string=args).status_code == 200
    refused = client.get("/query", query_string=args)
    assert refused.status_code == 429 and "too many requests" in refused.data.decode()
    assert client.get("/models").status_code == 200  # browsing pages run no protocol query


def test_licence_page_charts_the_models_whose_weights_use_it(client):
    page = client.get("/license/llama3.1", headers={"Accept": "text/html"}).data.decode()
    src = re.search(r'<img src="(/chart/categories-by-year\.svg\?licence=[^"]+)"', page).group(1)
    assert client.get(src.replace("&amp;", "&")).status_code == 200
    link = re.search(r'<a href="(/query\?[^"]+)">the query behind this chart</a>', page).group(1)
    query = parse_qs(urlsplit(link.replace("&amp;", "&")).query)["query"][0]
    total = sum(int(r["models"]["value"]) for r in sparql(client, query))
    assert total == count(client, "?m aio:decidingRelease ?w . ?w aio:artifact aio:Weights ; "
                                  "<http://purl.org/dc/terms/license> <https://w3id.org/ai-openness/license/llama3.1>")


def test_pages_are_rebuilt_in_the_background_after_a_write(make_app, tmp_path):
    import time

    from server.catalogue import catalogue_of
    from server.context import engine_of
    from server.pagecache import page_cache
    from tests.conftest import TOKEN
    from tests.test_server_writes import ntriples

    app = make_app(WARM_PAGES=True)
    client = app.test_client()
    engine = engine_of(app)
    assert client.get("/models?format=json").get_json() == []
    update = f"INSERT DATA {{ {ntriples(tmp_path, 'warm-model')} }}"
    response = client.post("/update", data=update.encode(), content_type="application/sparql-update",
                           headers={"Authorization": f"Bearer {TOKEN}"})
    assert response.status_code == 200, response.data
    cache = page_cache(engine)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:  # the warm-up thread, not a request, builds the new generation's table
        built = cache.ready("catalogue")
        if built:
            break
        time.sleep(0.1)
    assert built, "the page caches were not rebuilt after the write"
    assert [r.id for r in catalogue_of(engine).rows] == ["warm-model"]
    assert [m["id"] for m in client.get("/models?format=json").get_json()] == ["warm-model"]
