"""The pages for analysts (home, /models, /compare, charts, downloads), registered on the app in one call.

``register(app)`` adds their blueprints and keeps the model table and the home page's charts drawn ahead of
time: once after start and again after each write (``WARM_PAGES``; default on, off under ``TESTING``).
"""

from __future__ import annotations

import threading

from flask import Flask, Response

from server import browse, charts, compare, downloads, entity_pages, home, licence_pages, links
from server.browse import SORTS, index_osaid, menus
from server.catalogue import catalogue_of
from server.charts import HOME_CHARTS, chart_spec, render
from server.context import engine_of
from server.home import summary
from server.verdicts import rule_path


def register(app: Flask) -> None:
    """Add the analysts' pages to ``app``."""

    for blueprint in (home.bp, browse.bp, compare.bp, downloads.bp, charts.bp, entity_pages.bp, licence_pages.bp):
        app.register_blueprint(blueprint)
    licence_pages.register_model_section(app)
    links.install(app)
    # on by default; off by default under TESTING, where apps come and go by the hundred
    if app.config.get("WARM_PAGES", not app.testing):
        _keep_warm(app)


def warm(app: Flask) -> threading.Thread:
    """Build the model table, what the home and /models pages derive from it, and the home page's charts, in
    a daemon thread (a failure is logged: the first visitor then builds what is missing)."""

    def run() -> None:
        engine = engine_of(app)
        try:
            cat = catalogue_of(engine)
            if not cat.rows:
                return  # an empty store: nothing to draw or classify
            cat.derive("home", lambda: summary(cat))
            cat.derive("menus", lambda: menus(cat))
            cat.order("name", SORTS["name"])
            for name, params in HOME_CHARTS:
                render(engine, chart_spec(name, dict(params)))
            rule_path(engine)
            index_osaid(cat, engine)  # the slowest: every model classified
        except Exception:  # noqa: BLE001 - a failed warm-up only means the first visitor waits
            app.logger.warning("warming the page caches failed", exc_info=True)

    thread = threading.Thread(target=run, name="openness-warm-pages", daemon=True)
    thread.start()
    return thread


def _keep_warm(app: Flask) -> None:
    """Warm now, and after any request that left the store at a new generation."""
    warmed = {"generation": engine_of(app).generation}
    lock = threading.Lock()
    warm(app)

    @app.after_request
    def _after(response: Response) -> Response:
        generation = engine_of(app).generation
        with lock:
            if generation == warmed["generation"]:
                return response
            warmed["generation"] = generation
        warm(app)
        return response
