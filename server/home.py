"""The home page ``/``: what the knowledge graph says at a glance.

Models by category, a chart of categories by year of release, the top developers with their mix, the
newest additions, a search box (into /models) and the dataset's downloads. The query page moved to /query;
an old link to ``/?query=...`` is redirected there.
"""

from __future__ import annotations

from collections import Counter

from flask import Blueprint, Response, current_app, redirect, render_template, request, url_for

from server.catalogue import CATEGORY_ORDER, Catalogue, ModelRow, catalogue_of
from server.charts import HOME_CHARTS, chart_spec
from server.context import engine_of
from server.downloads import FORMATS

bp = Blueprint("home", __name__)

NEWEST = 10
TOP_DEVELOPERS = 10
FORMAT_NAMES = {"ttl": "Turtle", "nt": "N-Triples", "jsonld": "JSON-LD", "csv": "CSV (one row per model)"}


def newest(cat: Catalogue, n: int = NEWEST) -> list[ModelRow]:
    """The models whose facts were recorded last (then the latest released)."""
    return sorted(cat.rows, key=lambda r: (r.as_of, r.issued, r.name), reverse=True)[:n]


def developer_mix(cat: Catalogue, n: int = TOP_DEVELOPERS) -> list[tuple[str, str | None, int, list[tuple[str, int]]]]:
    """(name, organisation slug or None, models, [(category, models)]) of the developers with most models:
    each developing organisation, or the record's developer text when it names no organisation."""
    mixes: dict[tuple[str, str | None], Counter[str]] = {}
    for row in cat.rows:
        keys = [(name, slug) for slug, name in row.orgs] or ([(row.developer, None)] if row.developer else [])
        for key in keys:
            mixes.setdefault(key, Counter())[row.category] += 1
    top = sorted(mixes, key=lambda k: (-sum(mixes[k].values()), k[0].casefold()))[:n]
    return [(name, slug, sum(mixes[(name, slug)].values()),
             [(c, mixes[(name, slug)][c]) for c in CATEGORY_ORDER if mixes[(name, slug)][c]]) for name, slug in top]


@bp.route("/")
def home() -> Response:
    """The home page (or the query page, for an old link that carries a query)."""
    if "query" in request.args:
        return redirect(url_for("pages.index", **request.args), code=301)  # type: ignore[return-value]
    cat = catalogue_of(engine_of(current_app))
    html = render_template(
        "home.html", **cat.derive("home", lambda: summary(cat)),
        charts=[chart_spec(name, dict(params)) for name, params in HOME_CHARTS],
        downloads=[(ext, FORMAT_NAMES[ext]) for ext in FORMATS],
    )
    return Response(html, mimetype="text/html")


def summary(cat: Catalogue) -> dict[str, object]:
    """What the home page says about the rows (computed once per store generation)."""
    by_category = Counter(row.category for row in cat.rows)
    return {"total": len(cat.rows), "by_category": [(c, by_category[c]) for c in CATEGORY_ORDER],
            "developers": developer_mix(cat), "newest": newest(cat)}
