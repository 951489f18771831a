"""``/compare?models=a,b,c``: two to five models side by side.

Rows: category and MOF class with the reasoner's reasons, the weights' licence terms, every artifact's
availability and licence, and the ten dimensions. The selection comes from ``models`` (comma-separated) or
from repeated ``m`` parameters (the checkboxes of /models), so it works without JavaScript.
"""

from __future__ import annotations

from flask import Blueprint, Response, current_app, render_template, request
from werkzeug.exceptions import BadRequest, NotFound

from kg.vocab import ARTIFACTS
from server.catalogue import catalogue_of
from server.context import engine_of
from server.pages import SLUG, model_facts
from server.verdicts import shown, verdicts

bp = Blueprint("compare", __name__)

FEWEST, MOST = 2, 5


def requested_slugs() -> list[str]:
    """The models asked for, in order, without repeats; raises BadRequest for a bad selection."""
    asked = [part.strip() for value in request.args.getlist("models") for part in value.split(",")]
    asked += [value.strip() for value in request.args.getlist("m")]
    slugs = list(dict.fromkeys(s for s in asked if s))
    if not FEWEST <= len(slugs) <= MOST:
        raise BadRequest(f"compare takes {FEWEST} to {MOST} models (parameter 'models', comma-separated ids); "
                         f"got {len(slugs)}")
    bad = [s for s in slugs if not SLUG.match(s)]
    if bad:
        raise BadRequest(f"{bad[0]!r} is not a model id (lowercase letters, digits, '.', '_', '-')")
    return slugs


def artifact_rows(models: list[dict]) -> list[tuple[str, list[dict | None]]]:
    """One row per artifact kind any of the models states, with each model's claim (or None)."""
    kinds: dict[str, str] = {}
    for m in models:
        for a in m["artifacts"]:
            kinds.setdefault(a["slug"], a["kind"])
    order = {slug: i for i, slug in enumerate(ARTIFACTS)}
    rows = []
    for slug, label in sorted(kinds.items(), key=lambda item: (order.get(item[0], len(order)), item[0])):
        cells = [next((a for a in m["artifacts"] if a["slug"] == slug), None) for m in models]
        rows.append((label, cells))
    return rows


def weights_terms(models: list[dict]) -> list[dict | None]:
    """Each model's weights licence terms (kg.license_terms), or None when the KG does not know the licence."""

    cat = catalogue_of(engine_of(current_app))
    out: list[dict | None] = []
    for m in models:
        row = cat.by_id.get(str(m["slug"]))
        terms = row.licence_terms if row is not None else None
        out.append(None if terms is None or not terms.known else {
            "licence": row.licence if row else "", **terms.as_json(), "note": terms.note})
    return out


@bp.route("/compare")
def compare() -> Response:
    """The side-by-side page."""
    slugs = requested_slugs()
    models = []
    for slug in slugs:
        facts = model_facts(slug)
        if facts is None:
            raise NotFound(f"no model '{slug}' in this knowledge graph")
        models.append(facts)

    engine = engine_of(current_app)
    judged = [shown(verdicts(engine, str(m["iri"])), m["dimensions"]) for m in models]  # type: ignore[arg-type]
    dimensions = [(label, [j["dimensions"][i][1:] for j in judged]) for i, (label, _) in
                  enumerate(models[0]["dimensions"])]
    html = render_template("compare.html", models=models, artifacts=artifact_rows(models), dimensions=dimensions,
                           terms=weights_terms(models), osaid=[j["osaid"] for j in judged])
    return Response(html, mimetype="text/html")
