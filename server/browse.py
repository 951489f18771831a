"""``/models``: every model in one server-side table with filters, search, sorting and paging.

Each filter state is a URL (a GET form), so a view can be bookmarked and shared, and works without
JavaScript; ``format=csv`` or ``format=json`` downloads the whole filtered view (not only the page).
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from urllib.parse import urlencode

from flask import Blueprint, Response, current_app, render_template, request
from werkzeug.exceptions import BadRequest

from server.catalogue import CATEGORY_ORDER, TERMS, Catalogue, ModelRow, catalogue_of, mof_order
from server.context import engine_of
from server.verdicts import osaid_all

bp = Blueprint("browse", __name__)

PER_PAGE = 50
MAX_PER_PAGE = 500
#: sort key -> how rows compare (ties broken by name); "-key" sorts descending.
SORTS = {
    "name": lambda r: (r.name.casefold(), r.id),
    "developer": lambda r: (r.developer.casefold(), r.name.casefold()),
    "date": lambda r: (r.issued, r.name.casefold()),
    "category": lambda r: (CATEGORY_ORDER.index(r.category), r.name.casefold()),
    "mof": lambda r: (mof_order().index(r.mof) if r.mof else len(mof_order()), r.name.casefold()),
    "available": lambda r: (r.available, r.name.casefold()),
}
CSV_COLUMNS = ("id", "name", "developer", "date", "category", "mof_class", "weights", "weights_license",
               "commercial_use", "user_cap", "available_artifacts", "iri")
WEIGHTS_VALUES = ("public", "gated", "not-released", "unknown")
#: The filters (URL parameter -> label), in the order the form shows them.
FILTERS = {"q": "Search", "category": "Category", "org": "Developer", "family": "Family", "modality": "Modality",
           "year": "Year", "mof": "MOF class", "weights": "Weights", "licence": "Weights licence",
           "terms": "Weights licence terms", "osaid": "OSAID 1.0",
           "developer": "Developer (as the record writes it)"}
#: Filters the form shows as menus (the rest are kept from the URL as hidden fields).
MENUS = ("category", "org", "family", "modality", "year", "mof", "osaid", "weights", "licence", "terms")
OSAID_VALUES = {"conforms": True, "does-not-conform": False, "unknown": None}


@dataclass
class Filters:
    """One view of the table: what the URL asks for, checked."""

    values: dict[str, str] = field(default_factory=dict)
    sort: str = "name"
    page: int = 1
    per: int = PER_PAGE

    @classmethod
    def from_args(cls, args: Mapping[str, str]) -> Filters:
        """Read the URL parameters; raises BadRequest naming the parameter and what it accepts."""
        values = {k: args.get(k, "").strip() for k in FILTERS if args.get(k, "").strip()}
        _check_choice(values, "category", CATEGORY_ORDER)
        _check_choice(values, "mof", (*mof_order(), "none"))
        _check_choice(values, "weights", WEIGHTS_VALUES)
        _check_choice(values, "terms", TERMS)
        _check_choice(values, "osaid", OSAID_VALUES)
        if "year" in values and not (values["year"].isdigit() and len(values["year"]) == 4):
            raise BadRequest(f"parameter 'year' is {values['year']!r}; expected a four-digit year such as 2024")
        sort = args.get("sort", "name") or "name"
        if sort.lstrip("-") not in SORTS:
            raise BadRequest(f"parameter 'sort' is {sort!r}; expected one of {', '.join(SORTS)} "
                             "(a leading '-' sorts descending)")
        return cls(values, sort, _positive(args, "page", 1, 10**6), _positive(args, "per", PER_PAGE, MAX_PER_PAGE))

    def matching(self, cat: Catalogue) -> set[int] | None:
        """Row numbers passing the menu filters (None: no menu filter, every row)."""
        chosen = [cat.index.get(name, {}).get(value, set()) for name, value in self.values.items() if name != "q"]
        if not chosen:
            return None
        chosen.sort(key=len)
        return set(chosen[0]).intersection(*chosen[1:])

    def apply(self, cat: Catalogue) -> list[int]:
        """Row numbers of this view, in its order."""
        name = self.sort.lstrip("-")
        order = cat.order(name, SORTS[name])
        matched = self.matching(cat)
        words = self.values.get("q", "").casefold().split()
        if words:
            rows = cat.rows
            pool = range(len(rows)) if matched is None else matched
            matched = {i for i in pool if all(word in rows[i].search_text for word in words)}
        if matched is None:
            numbers = list(order)
        elif len(matched) * 8 < len(order):
            rank = cat.rank(name, SORTS[name])
            numbers = sorted(matched, key=rank.__getitem__)
        else:
            numbers = [i for i in order if i in matched]
        if self.sort.startswith("-"):
            numbers.reverse()
        return numbers

    def url(self, **changes: object) -> str:
        """This view's URL with some parameters changed (None removes one); page 1 unless given."""
        params: dict[str, object] = dict(self.values)
        params.update({"sort": self.sort, "per": self.per})
        params.update(changes)
        defaults = {"sort": "name", "per": PER_PAGE, "page": 1}
        query = {k: v for k, v in params.items() if v not in (None, "") and defaults.get(k) != v}
        return "/models" + ("?" + urlencode(query) if query else "")


def _check_choice(values: dict[str, str], name: str, allowed: Iterable[str]) -> None:
    allowed = tuple(allowed)
    if name in values and values[name] not in allowed:
        raise BadRequest(f"parameter {name!r} is {values[name]!r}; expected one of {', '.join(allowed)}")


def _positive(args: Mapping[str, str], name: str, default: int, most: int) -> int:
    text = args.get(name, "") or str(default)
    if not text.isdigit() or not 1 <= int(text) <= most:
        raise BadRequest(f"parameter {name!r} is {text!r}; expected a whole number from 1 to {most}")
    return int(text)


def rows_csv(rows: Iterable[ModelRow]) -> str:
    """The rows as CSV with CSV_COLUMNS."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for row in rows:
        data = row.as_json()
        writer.writerow([data[c] if data.get(c) is not None else "" for c in CSV_COLUMNS[:-1]] + [row.iri])
    return out.getvalue()


def _download(rows: list[ModelRow], kind: str) -> Response:
    if kind == "csv":
        response = Response(rows_csv(rows), mimetype="text/csv")
    else:
        response = Response(json.dumps([r.as_json() for r in rows], ensure_ascii=False, indent=1),
                            mimetype="application/json")
    response.headers["Content-Disposition"] = f'attachment; filename="models.{kind}"'
    return response


def index_osaid(cat: Catalogue, engine: object) -> None:
    """Add the OSAID verdicts to the catalogue's filter index (computed once per generation: it classifies
    every model, so only when a view filters on it, or in the warm-up thread)."""

    def build() -> dict[str, set[int]]:
        verdicts = osaid_all(engine)
        index: dict[str, set[int]] = {name: set() for name in OSAID_VALUES}
        names = {value: name for name, value in OSAID_VALUES.items()}
        for number, row in enumerate(cat.rows):
            index[names[verdicts.get(row.iri)]].add(number)
        return index

    cat.index["osaid"] = cat.derive("osaid", build)


def menus(cat: Catalogue) -> dict[str, list[tuple[str, str]]]:
    """The choices of each filter's menu, as (value, label)."""

    def same(values: Iterable[str]) -> list[tuple[str, str]]:
        return [(v, v) for v in values]

    years = sorted({r.year for r in cat.rows if r.year}, reverse=True)
    return {"category": same(CATEGORY_ORDER), "org": cat.entities("orgs"), "family": cat.entities("family"),
            "modality": cat.entities("modalities"), "year": same(years), "mof": same((*mof_order(), "none")),
            "weights": same(WEIGHTS_VALUES), "licence": same(cat.values("licence")), "terms": list(TERMS.items()),
            "osaid": [("conforms", "conforms"), ("does-not-conform", "does not conform"),
                      ("unknown", "unknown (a fact it needs is not stated)")]}


@bp.route("/models")
def models() -> Response:
    """The table, or its filtered rows as CSV/JSON (``format``)."""
    kind = request.args.get("format", "html") or "html"
    if kind not in ("html", "csv", "json"):
        raise BadRequest(f"parameter 'format' is {kind!r}; expected html, csv or json")
    view = Filters.from_args(request.args)
    engine = engine_of(current_app)
    cat = catalogue_of(engine)
    if "osaid" in view.values:
        index_osaid(cat, engine)
    numbers = view.apply(cat)
    if kind != "html":
        return _download([cat.rows[i] for i in numbers], kind)
    pages = max(1, -(-len(numbers) // view.per))
    start = (view.page - 1) * view.per
    rows = [cat.rows[i] for i in numbers[start:start + view.per]]
    html = render_template("models.html", view=view, rows=rows, total=len(numbers), all_models=len(cat.rows),
                           pages=pages, menus=cat.derive("menus", lambda: menus(cat)), filters=FILTERS,
                           hidden=[k for k in FILTERS if k != "q" and k not in MENUS and k in view.values])
    return Response(html, mimetype="text/html")
