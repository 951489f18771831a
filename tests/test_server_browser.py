"""A person's path through the pages in headless Chromium (Debian's chromium, driven by Playwright):
open /, run an example query in YASGUI and see rows, then open a model page. Requests to any host but
the live server are blocked and recorded: the pages must work air-gapped."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from server.pages import yasgui_available

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--no-first-run"]


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
    context = browser.new_context()
    outside: list[str] = []

    def route(route):  # type: ignore[no-untyped-def]
        if route.request.url.startswith(live_server):
            return route.continue_()
        outside.append(route.request.url)
        return route.abort()

    context.route("**/*", route)
    page = context.new_page()
    yield page
    context.close()
    assert outside == [], f"the page asked for outside resources: {outside[:5]}"


@pytest.mark.skipif(not yasgui_available(), reason="YASGUI assets not built (npm ci; python -m server.vendor)")
def test_query_page_runs_an_example_and_shows_rows(page, live_server):
    page.goto(f"{live_server}/query")
    page.wait_for_selector(".yasqe .CodeMirror", timeout=20_000)
    page.click("[data-example='1']")  # Count by category
    page.wait_for_function("() => { const r = document.querySelector('.yasr table tbody');"
                           " return r && r.innerText.includes('OpenWeightModel'); }", timeout=20_000)
    rows = page.locator(".yasr table tbody tr")
    assert rows.count() == 3
    assert "ClosedSourceModel" in page.inner_text(".yasr table tbody")


def test_model_page_in_the_browser(page, live_server):
    page.goto(f"{live_server}/model/llama-3.1-8b")
    assert page.inner_text("#category") == "open-weight"
    assert page.locator("#dimensions tr").count() == 11
    assert page.locator("#artifacts tr").count() > 3


def test_organisation_and_family_pages_in_the_browser(page, live_server):
    page.goto(f"{live_server}/model/tulu-3-8b")
    page.click("#model-bases a[href='/model/llama-3.1-8b']")
    page.wait_for_url(f"{live_server}/model/llama-3.1-8b")
    page.click("#model-family a")
    page.wait_for_url(f"{live_server}/family/llama-3.1")
    assert "Llama 3.1" in page.inner_text("h1")
    assert page.locator("#family-members tr").count() >= 6
    page.click("a[href='/org/meta']")
    page.wait_for_url(f"{live_server}/org/meta")
    assert page.inner_text("#org-country") == "US" and page.inner_text("#org-kind") == "company"
    page.goto(f"{live_server}/org/")
    assert "FR" in page.inner_text("#by-country") and "non-profit" in page.inner_text("#by-kind")


def test_licence_and_model_pages_in_the_browser(page, live_server):
    """From a model's licence terms to the licence page, its clauses and back to a model using it."""
    page.goto(f"{live_server}/model/llama-3.2-11b-vision")
    assert "commercial use conditional" in page.inner_text("#licence-terms")
    assert page.locator("#assessment tr").count() == 11
    assert page.inner_text("#assess-deployment_control .level") == "partial"
    assert "does not conform" in page.inner_text("#osaid")
    page.click("#licence-terms a[href='/license/llama3.2']")
    page.wait_for_url(f"{live_server}/license/llama3.2")
    assert "conditional" in page.inner_text("#commercial-use") and "700,000,000" in page.inner_text("#commercial-use")
    assert "EU" in page.inner_text("#territories")
    assert page.locator("#rules a.clause-source").count() >= 6
    page.click("#licence-models a[href='/model/llama-3.2-1b']")
    page.wait_for_url(f"{live_server}/model/llama-3.2-1b")
    assert page.inner_text("#category") == "open-weight"
