"""Pages for the things beside models (docs/design.md section 7): organisations at /org/<slug>, families at
/family/<slug>, their indexes at /org/ and /family/ (openness by country and by kind of developer), and the
model page's family, organisations, lineage and dated claims (``model_entities``).

Every organisation and family IRI resolves here: HTML for browsers, RDF by content negotiation. The pages
read the store through SPARQL, so they work on every backend.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

import pyoxigraph as ox
from flask import Blueprint, Response, current_app, render_template
from werkzeug.exceptions import NotFound

from kg.meaning import meaning
from kg.vocab import (
    AIO,
    AVAILABILITY_VALUES,
    CATEGORIES,
    DERIVATION_KIND_SLUGS,
    FAMILY,
    MODALITY_SLUGS,
    MODEL,
    MOF_CLASSES,
    ORG,
    ORGANISATION_KIND_SLUGS,
    local_name,
)
from server.context import engine_of
from server.describe import constructed, wants_html
from server.slugs import SLUG

bp = Blueprint("entities", __name__)

PREFIXES = (f"PREFIX aio: <{AIO}> PREFIX schema: <https://schema.org/> "
            "PREFIX dcterms: <http://purl.org/dc/terms/> PREFIX prov: <http://www.w3.org/ns/prov#> "
            "PREFIX skos: <http://www.w3.org/2004/02/skos/core#> PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> ")
CATEGORY_ORDER = ("open-source", "open-weight", "closed-source", "unclassified")
_CATEGORY = {str(k): v for k, v in CATEGORIES.items()}
_MOF = {str(k): v for k, v in MOF_CLASSES.items()}
_KIND = {str(k): v for k, v in ORGANISATION_KIND_SLUGS.items()}
_DERIVATION = {str(k): v for k, v in DERIVATION_KIND_SLUGS.items()}
_MODALITY = {str(k): v for k, v in MODALITY_SLUGS.items()}
_AVAILABILITY = {str(k): v for k, v in AVAILABILITY_VALUES.items()}


def _select(sparql: str) -> list[dict[str, ox.NamedNode | ox.BlankNode | ox.Literal]]:
    return engine_of(current_app).select(PREFIXES + sparql)


def _value(row: dict, key: str) -> str | None:
    term = row.get(key)
    return None if term is None else term.value


def _slug(iri: str, namespace: object) -> str:
    ns = str(namespace)
    return iri[len(ns):] if iri.startswith(ns) else iri


def _models(where: str) -> list[dict[str, object]]:
    """The models matched by a graph pattern on ?m, with name, date, category, MOF class, family, sizes."""
    rows = _select(f"""SELECT ?m ?name ?date ?type ?family ?total ?active WHERE {{ {where}
        ?m a aio:AIModel . OPTIONAL {{ ?m schema:name ?name }} OPTIONAL {{ ?m dcterms:issued ?date }}
        OPTIONAL {{ ?m a ?type FILTER(STRSTARTS(STR(?type), "{AIO}")) }} OPTIONAL {{ ?m aio:inFamily ?family }}
        OPTIONAL {{ ?m aio:totalParameters ?total }} OPTIONAL {{ ?m aio:activeParameters ?active }} }}""")
    found: dict[str, dict[str, object]] = {}
    for row in rows:
        iri = str(_value(row, "m"))
        entry = found.setdefault(iri, {"slug": _slug(iri, MODEL), "name": _value(row, "name") or _slug(iri, MODEL),
                                       "date": _value(row, "date") or "", "category": "unclassified", "mof": None,
                                       "family": None, "parameters": _parameters(row)})
        kind = _value(row, "type")
        if kind in _CATEGORY:
            entry["category"] = _CATEGORY[kind]
        if kind in _MOF and (entry["mof"] is None or meaning().mof(_MOF[kind]).rank > meaning().mof(
                str(entry["mof"])).rank):
            entry["mof"] = _MOF[kind]  # the highest class (a Class I model is also of Classes II and III)
        if _value(row, "family"):
            entry["family"] = _slug(str(_value(row, "family")), FAMILY)
    return sorted(found.values(), key=lambda e: (str(e["date"]), str(e["name"])), reverse=True)


def _parameters(row: dict) -> str | None:
    total, active = _value(row, "total"), _value(row, "active")
    if total is None or not total.isdigit():
        return None
    text = _count(int(total))
    return f"{text} ({_count(int(active))} active)" if active and active.isdigit() else text


def _count(n: int) -> str:
    for size, suffix in ((10**12, "T"), (10**9, "B"), (10**6, "M"), (10**3, "K")):
        if n >= size:
            return f"{n / size:.3g}{suffix}"
    return str(n)


def category_counts(models: Iterable[dict[str, object]]) -> list[tuple[str, int]]:
    """(category, number of models) in the usual order, categories with no model left out."""
    counts = Counter(str(m["category"]) for m in models)
    return [(c, counts[c]) for c in CATEGORY_ORDER if counts[c]]


def _describe(iri: str) -> Response:
    return constructed(f"CONSTRUCT {{ <{iri}> ?p ?o }} WHERE {{ <{iri}> ?p ?o }}",
                       f"no resource <{iri}> in this knowledge graph")


def _member_categories(rows: list[dict], group: str) -> dict[str, dict[str, str]]:
    """Per IRI in column ``group``: each of its models (``?m``) with its category (``?type``), "unclassified"
    when the model has none."""
    per_group: dict[str, dict[str, str]] = {}
    for row in rows:
        model = _value(row, "m")
        if model is None:
            continue
        members = per_group.setdefault(str(_value(row, group)), {})
        kind = _value(row, "type")
        if kind in _CATEGORY:
            members[model] = _CATEGORY[str(kind)]
        else:
            members.setdefault(model, "unclassified")
    return per_group


def _html(template: str, **context: object) -> Response:
    response = Response(render_template(template, **context), mimetype="text/html")
    response.headers["Vary"] = "Accept"
    return response


# --- organisations ------------------------------------------------------------------------------


def organisations() -> list[dict[str, object]]:
    """Every organisation with its kind, country and its models' categories."""
    rows = _select("""SELECT ?o ?name ?kind ?country ?m ?type WHERE { ?o a aio:Organisation ; schema:name ?name .
        OPTIONAL { ?o aio:organisationKind ?kind } OPTIONAL { ?o aio:country ?country }
        OPTIONAL { ?m aio:developedBy ?o OPTIONAL { ?m a ?type FILTER(STRSTARTS(STR(?type), STR(aio:))) } } }""")
    orgs: dict[str, dict[str, object]] = {}
    for row in rows:
        iri = str(_value(row, "o"))
        orgs.setdefault(iri, {"slug": _slug(iri, ORG), "name": _value(row, "name"),
                              "kind": _KIND.get(str(_value(row, "kind")), "unknown"),
                              "country": _value(row, "country") or "—"})
    categories = _member_categories(rows, "o")
    for iri, org in orgs.items():
        per = categories.get(iri, {})
        org["models"] = len(per)
        org["counts"] = Counter(per.values())
        org["category_models"] = per
    return sorted(orgs.values(), key=lambda o: str(o["name"]).casefold())


def openness_by(orgs: list[dict[str, object]], key: str) -> list[tuple[str, int, Counter]]:
    """Models by the organisations' ``key`` (country or kind): (value, models, count per category).
    A joint release counts once per value."""
    per_value: dict[str, dict[str, str]] = {}
    for org in orgs:
        per_value.setdefault(str(org[key]), {}).update(org["category_models"])  # type: ignore[arg-type]
    table = [(value, len(models), Counter(models.values())) for value, models in per_value.items()]
    return sorted(table, key=lambda t: (-t[1], t[0]))


@bp.route("/org/")
def org_index() -> Response:
    """All organisations, and openness by country and by kind of developer."""
    orgs = organisations()
    return _html("orgs.html", orgs=orgs, by_country=openness_by(orgs, "country"), by_kind=openness_by(orgs, "kind"),
                 categories=CATEGORY_ORDER)


@bp.route("/org/<slug>")
def org(slug: str) -> Response:
    """An organisation: its page for browsers, its RDF for programs."""
    if not SLUG.match(slug):
        raise NotFound("organisation ids are lowercase slugs")
    iri = str(ORG[slug])
    if not wants_html():
        return _describe(iri)
    rows = _select(f"""SELECT ?name ?kind ?country ?match ?url ?alias WHERE {{ <{iri}> a aio:Organisation ;
        schema:name ?name . OPTIONAL {{ <{iri}> aio:organisationKind ?kind }}
        OPTIONAL {{ <{iri}> aio:country ?country }}
        OPTIONAL {{ <{iri}> skos:exactMatch ?match }} OPTIONAL {{ <{iri}> schema:url ?url }}
        OPTIONAL {{ <{iri}> skos:altLabel ?alias }} }}""")
    if not rows:
        raise NotFound(f"no organisation '{slug}' in this knowledge graph")
    models = _models(f"?m aio:developedBy <{iri}> .")
    families = _select(f"""SELECT DISTINCT ?f ?name WHERE {{ ?f a aio:ModelFamily ; schema:name ?name .
        {{ ?f aio:developedBy <{iri}> }} UNION {{ ?m aio:inFamily ?f ; aio:developedBy <{iri}> }} }} ORDER BY ?name""")
    info = {"iri": iri, "slug": slug, "name": _value(rows[0], "name"),
            "kind": _KIND.get(str(_value(rows[0], "kind")), "unknown"), "country": _value(rows[0], "country"),
            "links": sorted({str(_value(r, k)) for r in rows for k in ("match", "url") if _value(r, k)}),
            "aliases": sorted({str(_value(r, "alias")) for r in rows if _value(r, "alias")})}
    return _html("org.html", o=info, models=models, counts=category_counts(models),
                 families=[(_slug(str(_value(f, "f")), FAMILY), _value(f, "name")) for f in families])


# --- families -----------------------------------------------------------------------------------


@bp.route("/family/")
def family_index() -> Response:
    """All families with their members' categories."""
    rows = _select("""SELECT ?f ?name ?m ?type WHERE { ?f a aio:ModelFamily ; schema:name ?name .
        OPTIONAL { ?m aio:inFamily ?f OPTIONAL { ?m a ?type FILTER(STRSTARTS(STR(?type), STR(aio:))) } } }""")
    names: dict[str, str | None] = {}
    for row in rows:
        names.setdefault(str(_value(row, "f")), _value(row, "name"))
    members = _member_categories(rows, "f")
    table = []
    for iri, name in names.items():
        counts = Counter(members.get(iri, {}).values())
        table.append({"slug": _slug(iri, FAMILY), "name": name, "members": members.get(iri, {}),
                      "size": len(members.get(iri, {})), "counts": counts, "mixed": len(counts) > 1})
    table.sort(key=lambda f: str(f["name"]).casefold())
    return _html("families.html", families=table, categories=CATEGORY_ORDER)


@bp.route("/family/<slug>")
def family(slug: str) -> Response:
    """A model family: its members with their categories; says so when the members differ."""
    if not SLUG.match(slug):
        raise NotFound("family ids are lowercase slugs")
    iri = str(FAMILY[slug])
    if not wants_html():
        return _describe(iri)
    rows = _select(f"""SELECT ?name ?org ?orgname WHERE {{ <{iri}> a aio:ModelFamily ; schema:name ?name .
        OPTIONAL {{ <{iri}> aio:developedBy ?org . ?org schema:name ?orgname }} }}""")
    if not rows:
        raise NotFound(f"no family '{slug}' in this knowledge graph")
    members = _models(f"?m aio:inFamily <{iri}> .")
    counts = category_counts(members)
    orgs = sorted({(_slug(str(_value(r, "org")), ORG), str(_value(r, "orgname"))) for r in rows if _value(r, "org")})
    info = {"iri": iri, "slug": slug, "name": _value(rows[0], "name"), "orgs": orgs}
    return _html("family.html", f=info, members=members, counts=counts, mixed=len(counts) > 1,
                 mof=sorted({str(m["mof"] or "none") for m in members}))


# --- the model page's part ----------------------------------------------------------------------


def model_entities(slug: str) -> dict[str, object]:
    """A model's family, organisations, modality, parameters, lineage (both ways) and dated claims."""
    iri = str(MODEL[slug])
    facts = _select(f"""SELECT ?family ?fname ?org ?oname ?modality ?total ?active ?wdate WHERE {{
        OPTIONAL {{ <{iri}> aio:inFamily ?family OPTIONAL {{ ?family schema:name ?fname }} }}
        OPTIONAL {{ <{iri}> aio:developedBy ?org OPTIONAL {{ ?org schema:name ?oname }} }}
        OPTIONAL {{ <{iri}> aio:modality ?modality }} OPTIONAL {{ <{iri}> aio:totalParameters ?total }}
        OPTIONAL {{ <{iri}> aio:activeParameters ?active }} OPTIONAL {{ <{iri}> aio:weightsReleased ?wdate }} }}""")
    family = next(((_slug(str(_value(r, "family")), FAMILY), _value(r, "fname") or _slug(str(_value(r, "family")),
                    FAMILY)) for r in facts if _value(r, "family")), None)
    orgs = sorted({(_slug(str(_value(r, "org")), ORG), str(_value(r, "oname") or _value(r, "org")))
                   for r in facts if _value(r, "org")})
    modality = sorted({_MODALITY.get(str(_value(r, "modality")), str(_value(r, "modality")))
                       for r in facts if _value(r, "modality")})
    parameters = next((p for r in facts if (p := _parameters(r))), None)
    weights_date = next((_value(r, "wdate") for r in facts if _value(r, "wdate")), None)
    return {"family": family, "orgs": orgs, "modality": modality, "parameters": parameters,
            "weights_date": weights_date, "bases": _bases(iri), "derived": _derived(iri), "history": _history(iri)}


def _bases(iri: str) -> list[dict[str, object]]:
    rows = _select(f"""SELECT ?base ?name ?kind ?src WHERE {{ <{iri}> schema:isBasedOn ?base .
        OPTIONAL {{ ?base schema:name ?name }}
        OPTIONAL {{ <{iri}> aio:derivation ?d . ?d aio:baseModel ?base
                   OPTIONAL {{ ?d aio:derivationKind ?kind }} OPTIONAL {{ ?d prov:wasDerivedFrom ?src }} }} }}""")
    return _links(rows, "base")


def _derived(iri: str) -> list[dict[str, object]]:
    rows = _select(f"""SELECT ?model ?name ?kind ?src WHERE {{ ?model schema:isBasedOn <{iri}> .
        OPTIONAL {{ ?model schema:name ?name }}
        OPTIONAL {{ ?model aio:derivation ?d . ?d aio:baseModel <{iri}>
                   OPTIONAL {{ ?d aio:derivationKind ?kind }} OPTIONAL {{ ?d prov:wasDerivedFrom ?src }} }} }}""")
    return _links(rows, "model")


def _links(rows: list[dict], key: str) -> list[dict[str, object]]:
    links: dict[str, dict[str, object]] = {}
    for row in rows:
        other = str(_value(row, key))
        local = other.startswith(str(MODEL))
        entry = links.setdefault(other, {"slug": _slug(other, MODEL) if local else None, "iri": other,
                                         "name": _value(row, "name") or _slug(other, MODEL), "kind": None,
                                         "sources": set()})
        if _value(row, "kind"):
            entry["kind"] = _DERIVATION.get(str(_value(row, "kind")), local_name(str(_value(row, "kind"))))
        if _value(row, "src"):
            entry["sources"].add(_value(row, "src"))  # type: ignore[union-attr]
    return [{**e, "sources": sorted(e["sources"])} for e in sorted(links.values(), key=lambda e: str(e["name"]))]  # type: ignore[arg-type]


def _history(iri: str) -> list[dict[str, object]]:
    """Per release with dated states: the artifact and its states, oldest first."""
    rows = _select(f"""SELECT ?r ?artifact ?s ?from ?avail ?lic ?label ?src WHERE {{
        <{iri}> aio:hasRelease ?r . ?r aio:artifact ?artifact ; aio:hasState ?s . ?s aio:validFrom ?from .
        OPTIONAL {{ ?s aio:stateAvailability ?avail }}
        OPTIONAL {{ ?s dcterms:license ?lic OPTIONAL {{ ?lic rdfs:label ?label }} }}
        OPTIONAL {{ ?s prov:wasDerivedFrom ?src }} }}""")
    releases: dict[str, dict[str, object]] = {}
    for row in rows:
        release = releases.setdefault(str(_value(row, "r")), {"artifact": local_name(str(_value(row, "artifact"))),
                                                                "anchor": local_name(str(_value(row, "r"))),
                                                                "states": {}})
        state = release["states"].setdefault(str(_value(row, "s")), {  # type: ignore[union-attr]
            "from": _value(row, "from"), "availability": None, "licences": set(), "sources": set()})
        if _value(row, "avail"):
            state["availability"] = _AVAILABILITY.get(str(_value(row, "avail")), local_name(str(_value(row, "avail"))))
        if _value(row, "lic"):
            lic = row["lic"]
            text = _value(row, "label") or local_name(lic.value)
            state["licences"].add((text, lic.value if isinstance(lic, ox.NamedNode) else None))
        if _value(row, "src"):
            state["sources"].add(_value(row, "src"))
    out = []
    for release in sorted(releases.values(), key=lambda r: str(r["anchor"])):
        states = sorted(release["states"].values(), key=lambda s: str(s["from"]))  # type: ignore[union-attr]
        out.append({**release, "states": [{**s, "licences": sorted(s["licences"]), "sources": sorted(s["sources"])}
                                          for s in states]})
    return out
