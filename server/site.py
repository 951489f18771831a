"""The pages for analysts (home, /models, /compare, charts, downloads), registered on the app in one call.

``register(app)`` adds their blueprints and keeps the model table and the home page's charts drawn ahead of
time: once after start and again after each write (``WARM_PAGES``, default on).
"""

from __future__ import annotations

import threading

from flask import Flask, Response

from server.context import engine_of


def register(app: Flask) -> None:
    """Add the analysts' pages to ``app``."""
    from server import browse, charts, compare, downloads, entity_pages, home, links

    for blueprint in (home.bp, browse.bp, compare.bp, downloads.bp, charts.bp, entity_pages.bp):
        app.register_blueprint(blueprint)
    links.install(app)
    if app.config.get("WARM_PAGES", True):
        _keep_warm(app)


def _keep_warm(app: Flask) -> None:
    """Warm now, and after any request that left the store at a new generation."""
    from server.charts import warm

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
