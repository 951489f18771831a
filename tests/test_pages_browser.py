"""Every analyst page in headless Chromium (Playwright): it renders, works, sends no request off this machine,
and has no serious or critical accessibility violation by axe-core (from npm, pinned in package-lock.json).

Screenshots of each page are kept in build/screenshots/ as test artefacts.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from urllib.parse import quote, urlsplit

import pytest

from server.pages import yasgui_available

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--no-first-run"]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = ROOT / "build" / "screenshots"
#: axe impact levels that fail a page
BLOCKING = ("serious", "critical")

PAGES = {
    "home": "/",
    "models": "/models",
    "models-filtered": "/models?category=open-weight&sort=-date&per=20",
    "compare": "/compare?models=llama-3.1-8b,olmo-1b,gpt-4o",
    "model": "/model/llama-3.1-8b",
    "org": "/org/meta",
    "family": "/family/llama-3.1",
    "licence": "/license/llama3.1",
    "query-table": "/query?view=table&query=" + quote(
        "SELECT ?m (COUNT(?r) AS ?n) WHERE { ?m <https://w3id.org/ai-openness/ontology#hasRelease> ?r } "
        "GROUP BY ?m ORDER BY DESC(?n) ?m LIMIT 5"),
}


@pytest.fixture(scope="module")
def browser():  # type: ignore[no-untyped-def]
    sync_api = pytest.importorskip("playwright.sync_api", reason="the playwright Python package is absent")
    if not Path(CHROMIUM).exists():
        pytest.skip("Chromium is absent (Debian package chromium)")
    with sync_api.sync_playwright() as pw:
        instance = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        yield instance
        instance.close()


@pytest.fixture()
def page(browser, live_server):  # type: ignore[no-untyped-def]
    """A page whose every request is recorded; the test fails if one went anywhere but the live server."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    requested: list[str] = []
    page = context.new_page()
    page.on("request", lambda request: requested.append(request.url))
    yield page
    context.close()
    host = urlsplit(live_server).netloc
    outside = [url for url in requested if urlsplit(url).scheme not in ("data", "blob")
               and urlsplit(url).netloc != host]
    assert outside == [], f"the page sent requests off this machine: {outside[:5]}"


def axe_violations(page) -> list[dict]:  # type: ignore[no-untyped-def]
    """axe-core's serious and critical violations on the page as it is."""
    if not AXE.is_file():
        pytest.skip("axe-core is not installed (npm ci)")
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [{"id": v["id"], "impact": v["impact"], "help": v["help"],
             "nodes": [n["target"] for n in v["nodes"]][:3]}
            for v in result["violations"] if v["impact"] in BLOCKING]


def shoot(page, name: str) -> Path:  # type: ignore[no-untyped-def]
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


@pytest.mark.parametrize("name", list(PAGES))
def test_page_renders_accessibly_and_offline(page, live_server, name):
    response = page.goto(live_server + PAGES[name])
    assert response is not None and response.status == 200
    page.wait_for_load_state("networkidle")
    for image in page.locator("img").all():  # every chart drew
        assert page.evaluate("(img) => img.complete && img.naturalWidth > 0", image.element_handle())
    assert shoot(page, name).stat().st_size > 0
    violations = axe_violations(page)
    assert violations == [], json.dumps(violations, indent=1)


def test_filtering_and_comparing_without_javascript(browser, live_server):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto(live_server + "/models")
        page.select_option("#f-category", "open-source")
        with page.expect_navigation():
            page.click("#filters button[type=submit]")
        assert "category=open-source" in page.url
        categories = set(page.locator("#models tbody .category").all_inner_texts())
        assert categories == {"open-source"}
        page.locator("#models tbody input[name=m]").nth(0).check()
        page.locator("#models tbody input[name=m]").nth(1).check()
        with page.expect_navigation():
            page.click("#compare-form button[type=submit]")
        assert urlsplit(page.url).path == "/compare"
        assert page.locator("#compare thead th").count() == 3
        shoot(page, "compare-from-models")
    finally:
        context.close()


def test_home_search_leads_to_the_filtered_table(page, live_server):
    page.goto(live_server + "/")
    page.fill("#home-q", "olmo")
    with page.expect_navigation():
        page.click("form.search button")
    assert urlsplit(page.url).path == "/models"
    names = page.locator("#models tbody td:nth-child(2)").all_inner_texts()
    assert names and all("olmo" in n.lower() for n in names)


def test_chart_query_link_opens_the_query_with_results(page, live_server):
    page.goto(live_server + "/")
    with page.expect_navigation():
        page.click("#chart-categories-by-year figcaption a")
    if yasgui_available():
        page.wait_for_function("() => { const r = document.querySelector('.yasr table tbody');"
                               " return r && r.querySelectorAll('tr').length > 1; }", timeout=20_000)
        cells = page.locator(".yasr table tbody td").all_inner_texts()
    else:
        cells = page.locator("#results-table td").all_inner_texts()
    assert any(c.strip().isdigit() for c in cells)  # counts shown as plain numbers
    assert not any("XMLSchema" in c or "^^" in c for c in cells)
    shoot(page, "query-from-chart")


@pytest.mark.skipif(not yasgui_available(), reason="YASGUI assets not built (npm ci before pip install)")
def test_yasgui_links_kg_iris_locally_and_completes_offline(page, live_server):
    query = ("SELECT ?model WHERE { ?model a <https://w3id.org/ai-openness/ontology#OpenSourceModel> } "
             "ORDER BY ?model LIMIT 3")
    page.goto(live_server + "/query?query=" + quote(query))
    page.wait_for_selector(".yasr table tbody a", timeout=20_000)
    hrefs = [a.get_attribute("href") for a in page.locator(".yasr table tbody a").all()]
    assert hrefs and all(h.startswith("/model/") for h in hrefs), hrefs
    page.evaluate("""() => {
        const yasqe = window.opennessYasgui.getTab().getYasqe();
        yasqe.setValue('PREFIX aio: <https://w3id.org/ai-openness/ontology#>\\nSELECT * WHERE { ?m a aio:OpenS');
        yasqe.focus();
        yasqe.getDoc().setCursor({line: 1, ch: 100});
        yasqe.autocomplete();
    }""")
    hints = page.wait_for_selector(".CodeMirror-hints", timeout=5_000).inner_text()
    assert "aio:OpenSourceModel" in hints  # from this KG's classes; nothing was fetched (see the fixture)
    shoot(page, "query-yasgui")
    violations = axe_violations(page)
    assert violations == [], json.dumps(violations, indent=1)
