"""Charts as SVG, drawn on the server by matplotlib from the rows of a SPARQL query.

Each chart is made from the answer to its query, which the page links to (/query?query=...), so a reader can
check or adapt it. Bars are hatched by category as well as coloured, so they read in greyscale and for
colour-blind readers. Rendered SVGs are cached per store generation and drawn ahead of time in a thread
after start and after each write (server.site).
"""

from __future__ import annotations

import io
import re
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pyoxigraph as ox
from flask import Blueprint, Response, current_app, request
from werkzeug.exceptions import BadRequest, NotFound

from kg.vocab import FAMILY, ORG
from server.catalogue import CATEGORY_OF, CATEGORY_ORDER, PREFIXES
from server.context import engine_of
from server.pagecache import page_cache

bp = Blueprint("charts", __name__)

#: Fill colour and hatch of each category (the hatch alone tells them apart).
STYLE = {
    "closed-source": ("#e8837c", "xx"),
    "open-weight": ("#f2c84b", "//"),
    "open-source": ("#6cbf84", ".."),
    "unclassified": ("#c4c9d2", ""),
}
CATEGORY_CLASSES = "VALUES ?class { aio:ClosedSourceModel aio:OpenWeightModel aio:OpenSourceModel }"
TOP_DEVELOPERS = 12


@dataclass
class Chart:
    """A chart a page shows: its name and parameters, its query, and text for readers of the image."""

    name: str
    title: str
    query: str
    alt: str
    params: dict[str, str] = field(default_factory=dict)
    width: int = 640
    height: int = 320


#: What a chart can be narrowed to: parameter -> (how its value names an entity, the pattern on ?m).
SCOPES = {
    "developer": "?m aio:developer {value} .",
    "org": "?m aio:developedBy {value} .",
    "family": "?m aio:inFamily {value} .",
    "licence": "?m aio:decidingRelease ?weights . ?weights aio:artifact aio:Weights ; dct:license {value} .",
}
ENTITY_BASES = {"org": str(ORG), "family": str(FAMILY)}
SLUG = re.compile(r"^[a-z0-9][a-z0-9._-]*$")


def scope_clause(scope: dict[str, str]) -> str:
    """Patterns restricting ?m to the models of a developer text, organisation, family or weights licence;
    raises BadRequest for a malformed value."""
    patterns = []
    for name, value in sorted(scope.items()):
        if name == "developer":
            term = str(ox.Literal(value))
        elif name in ENTITY_BASES:
            if not SLUG.match(value):
                raise BadRequest(f"parameter {name!r} is {value!r}; expected a slug such as 'meta'")
            term = str(ox.NamedNode(ENTITY_BASES[name] + value))
        else:
            try:
                term = str(ox.NamedNode(value))
            except ValueError:
                raise BadRequest(f"parameter {name!r} is not an IRI: {value!r}") from None
        patterns.append(SCOPES[name].format(value=term))
    return "".join(p + "\n  " for p in patterns)


def categories_by_year_query(scope: dict[str, str] | None = None) -> str:
    """Models per release year and category (year "unknown" when the record gives no date)."""
    return PREFIXES + f"""SELECT ?year ?class (COUNT(DISTINCT ?m) AS ?models) WHERE {{
  ?m a aio:AIModel .
  {scope_clause(scope or {})}OPTIONAL {{ ?m dct:issued ?issued }}
  OPTIONAL {{ ?m a ?class . {CATEGORY_CLASSES} }}
  BIND(IF(BOUND(?issued), SUBSTR(STR(?issued), 1, 4), "unknown") AS ?year)
}} GROUP BY ?year ?class ORDER BY ?year"""


def developers_query() -> str:
    """Models per developer and category: each developing organisation, or the record's developer text when it
    names no organisation."""
    return PREFIXES + f"""SELECT ?developer ?class (COUNT(DISTINCT ?m) AS ?models) WHERE {{
  ?m a aio:AIModel .
  {{ ?m aio:developedBy ?org . ?org schema:name ?developer }}
  UNION {{ ?m aio:developer ?developer FILTER NOT EXISTS {{ ?m aio:developedBy ?any }} }}
  OPTIONAL {{ ?m a ?class . {CATEGORY_CLASSES} }}
}} GROUP BY ?developer ?class ORDER BY ?developer"""


def _category(row: dict[str, Any]) -> str:
    return CATEGORY_OF.get(row["class"].value, "unclassified") if "class" in row else "unclassified"


def counts_by(rows: list[dict[str, Any]], key: str) -> dict[str, Counter[str]]:
    """{key value: Counter(category -> models)} from a chart query's rows."""
    out: dict[str, Counter[str]] = defaultdict(Counter)
    for row in rows:
        out[row[key].value][_category(row)] += int(row["models"].value)
    return out


def _figure(width: int, height: int):  # type: ignore[no-untyped-def]
    from matplotlib.figure import Figure

    return Figure(figsize=(width / 100, height / 100), dpi=100, layout="constrained")


def _svg(figure: Any) -> bytes:
    import matplotlib

    buffer = io.BytesIO()
    with matplotlib.rc_context({"svg.fonttype": "none", "svg.hashsalt": "openness", "hatch.linewidth": 0.8,
                                "font.size": 10}):
        figure.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None})
    return buffer.getvalue()


def stacked_bars(groups: dict[str, Counter[str]], order: list[str], width: int, height: int, *,
                 horizontal: bool = False, axis_label: str = "models") -> bytes:
    """Bars of ``order``'s groups, stacked by category, hatched and coloured, with a legend."""
    fig = _figure(width, height)
    ax = fig.add_subplot()
    positions = list(range(len(order)))
    base = [0] * len(order)
    for category in CATEGORY_ORDER:
        values = [groups[g][category] for g in order]
        if not any(values):
            continue
        colour, hatch = STYLE[category]
        draw = ax.barh if horizontal else ax.bar
        offset = {"left": base} if horizontal else {"bottom": base}
        draw(positions, values, 0.7, **offset, color=colour, hatch=hatch, edgecolor="#1d2330", linewidth=0.6,
             label=category)
        base = [b + v for b, v in zip(base, values, strict=True)]
    if horizontal:
        ax.set_yticks(positions, order)
        ax.invert_yaxis()
        ax.set_xlabel(axis_label)
    else:
        ax.set_xticks(positions, order, rotation=45 if len(order) > 8 else 0)
        ax.set_ylabel(axis_label)
    ax.spines[["top", "right"]].set_visible(False)
    if order:
        ax.legend(frameon=False, loc="best")
    else:
        ax.text(0.5, 0.5, "no models", ha="center", va="center", transform=ax.transAxes)
    return _svg(fig)


def _year_key(year: str) -> tuple[int, str]:
    return (1, year) if year == "unknown" else (0, year)


def draw_categories_by_year(chart: Chart, select: Callable[[str], list[dict[str, Any]]]) -> bytes:
    groups = counts_by(select(chart.query), "year")
    return stacked_bars(groups, sorted(groups, key=_year_key), chart.width, chart.height)


def draw_top_developers(chart: Chart, select: Callable[[str], list[dict[str, Any]]]) -> bytes:
    groups = counts_by(select(chart.query), "developer")
    top = sorted(groups, key=lambda d: (-sum(groups[d].values()), d.casefold()))[:TOP_DEVELOPERS]
    return stacked_bars(groups, top, chart.width, chart.height, horizontal=True)


DRAWERS: dict[str, Callable[[Chart, Callable[[str], list[dict[str, Any]]]], bytes]] = {
    "categories-by-year": draw_categories_by_year,
    "top-developers": draw_top_developers,
}


def categories_by_year(scope: dict[str, str], who: str = "") -> Chart:
    """The categories-by-year chart of some models (``who`` names them in the title, e.g. " by Meta")."""
    return Chart("categories-by-year", f"Models{who} by year of release and openness category",
                 categories_by_year_query(scope),
                 f"Stacked bar chart: models{who} released each year, split into closed-source, open-weight, "
                 "open-source and unclassified", dict(scope))


def chart_spec(name: str, params: dict[str, str]) -> Chart:
    """The chart ``name`` with its parameters; raises NotFound/BadRequest for unknown ones."""
    if name == "categories-by-year":
        extra = set(params) - set(SCOPES)
        if extra:
            raise BadRequest(f"chart {name!r} takes the parameters {', '.join(SCOPES)}; got {sorted(extra)}")
        scope = {k: v for k, v in params.items() if v}
        who = "".join(f" ({k} {v})" for k, v in sorted(scope.items()))
        return categories_by_year(scope, who)
    if name == "top-developers":
        if params:
            raise BadRequest(f"chart {name!r} takes no parameters; got {sorted(params)}")
        return Chart(name, f"The {TOP_DEVELOPERS} developers with most models, by openness category",
                     developers_query(),
                     f"Horizontal stacked bar chart: the {TOP_DEVELOPERS} developers with most models and how "
                     "many of each are closed-source, open-weight, open-source or unclassified", height=380)
    raise NotFound(f"no chart {name!r}; charts: {', '.join(DRAWERS)}")


def render(engine: Any, chart: Chart) -> bytes:
    """The chart's SVG, drawn once per store generation."""

    key = "chart:" + chart.name + ":" + repr(sorted(chart.params.items()))
    return page_cache(engine).get(key, lambda: DRAWERS[chart.name](chart, engine.select))


@bp.route("/chart/<name>.svg")
def chart(name: str) -> Response:
    """One chart as SVG."""
    spec = chart_spec(name, {k: v for k, v in request.args.items()})
    response = Response(render(engine_of(current_app), spec), mimetype="image/svg+xml")
    response.headers["Cache-Control"] = "no-cache"
    return response


#: Charts the home page shows, drawn ahead of time (server.site).
HOME_CHARTS = (("categories-by-year", {}), ("top-developers", {}))
