"""Links from the analysts' pages to the pages of organisations, families and licences, when they exist.

Those pages come from other modules; a link is only drawn when the app has a route for it, so no page
links to a 404.
"""

from __future__ import annotations

from functools import lru_cache

from flask import Flask, current_app
from werkzeug.exceptions import HTTPException
from werkzeug.routing import RequestRedirect

from server.charts import categories_by_year

KINDS = ("org", "family", "license")


@lru_cache(maxsize=64)
def _routed(_app_id: int, kind: str) -> bool:  # _app_id: the cache key, one answer per app
    adapter = current_app.url_map.bind("localhost")
    try:
        adapter.match(f"/{kind}/x", method="GET")
    except RequestRedirect:
        return True
    except HTTPException:
        return False
    return True


def entity_page(kind: str, slug: str) -> str | None:
    """The local page of ``/<kind>/<slug>`` if the app serves such pages, else None."""
    if kind not in KINDS or not slug:
        return None
    return f"/{kind}/{slug}" if _routed(id(current_app._get_current_object()), kind) else None  # type: ignore[attr-defined]


def entity_chart(kind: str, slug: str, name: str):  # type: ignore[no-untyped-def]
    """The categories-by-year chart of an organisation's, family's or licence's models (licence: its IRI)."""

    scope = {"org": "org", "family": "family", "license": "licence"}[kind]
    who = {"org": f" by {name}", "family": f" of {name}", "license": f" with weights under {name}"}[kind]
    return categories_by_year({scope: slug}, who)


def install(app: Flask) -> None:
    """Make ``entity_page`` and ``entity_chart`` available to templates."""
    app.jinja_env.globals["entity_page"] = entity_page
    app.jinja_env.globals["entity_chart"] = entity_chart
