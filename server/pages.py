"""Pages for people: the query UI at /query, a page per model at /model/<slug>, the ontology at /ontology.

Every model IRI ``https://w3id.org/ai-openness/model/<slug>`` resolves here: HTML for browsers, RDF by
content negotiation for programs. The pages read the store through SPARQL, so they work on every backend.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import rdflib
from flask import Blueprint, Response, current_app, redirect, render_template, request, url_for
from rdflib import OWL, RDF, RDFS, Literal, URIRef
from rdflib.namespace import DCTERMS, SKOS
from werkzeug.exceptions import NotFound

from kg.meaning import meaning
from kg.ontology import ontology_graph
from kg.vocab import (
    AIO,
    ARTIFACT_SLUGS,
    ARTIFACTS,
    AVAILABILITY_VALUES,
    BASE,
    CATEGORIES,
    DIMENSIONS,
    MODEL,
    ONTOLOGY_IRI,
    local_name,
)
from server import query_results
from server.context import engine_of
from server.describe import constructed, wants_html
from server.entity_pages import model_entities
from server.examples import examples
from server.model_jsonld import model_jsonld, script_text
from server.reasons import EXPLANATION, grouped
from server.results import negotiate, serialize_graph
from server.slugs import SLUG

bp = Blueprint("pages", __name__)

#: rdflib URIRefs do not hash like strings: plain-string keys for look-ups by IRI text.
_AVAILABILITY = {str(k): v for k, v in AVAILABILITY_VALUES.items()}
_SLUGS = {str(k): v for k, v in ARTIFACT_SLUGS.items()}
VENDOR = Path(__file__).parent / "static" / "vendor"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
P = {
    "name": "https://schema.org/name",
    "developer": str(AIO.developer),
    "issued": "http://purl.org/dc/terms/issued",
    "identifier": "http://purl.org/dc/terms/identifier",
    "match": "http://www.w3.org/2004/02/skos/core#exactMatch",
    "same": "http://www.w3.org/2002/07/owl#sameAs",
    "source": "http://www.w3.org/ns/prov#wasDerivedFrom",
    "as_of": str(AIO.asOf),
    "checked": str(AIO.handChecked),
    "dataset": str(AIO.fromDataset),
}


def yasgui_available() -> bool:
    """Whether the YASGUI assets were built into static/vendor (``npm ci`` and ``python -m server.vendor``)."""
    return (VENDOR / "yasgui.min.js").is_file() and (VENDOR / "yasgui.min.css").is_file()


@bp.route("/query")
def index() -> Response:
    """The query page: YASGUI with the example queries, or a plain form whose results are an HTML table
    (server.query_results) when the assets are not built or ``view=table`` asks for it."""

    engine = engine_of(current_app)

    def sample() -> str | None:
        rows = engine.select("SELECT ?id WHERE { ?m a <https://w3id.org/ai-openness/ontology#OpenWeightModel> ; "
                             "<http://purl.org/dc/terms/identifier> ?id } ORDER BY ?id LIMIT 1")
        return rows[0]["id"].value if rows else None

    queries = engine.cached("examples", lambda: examples(engine.select, sample()))
    given = request.args.get("query")
    yasgui = yasgui_available() and request.args.get("view") != "table"
    table = None if given is None or yasgui else query_results.run(given)
    html = render_template("index.html", examples=queries, yasgui=yasgui, endpoint=url_for("sparql.sparql"),
                           writable=engine.writable, given=given, table=table,
                           vocabulary=query_results.vocabulary(engine) if yasgui else None)
    return Response(html, status=table.status if table else 200, mimetype="text/html")


def _labels(iris: set[str]) -> dict[str, str]:
    """English (or any) rdfs:label of each IRI."""
    if not iris:
        return {}
    values = " ".join(f"<{i}>" for i in sorted(iris))
    rows = engine_of(current_app).select(
        f"SELECT ?x ?l WHERE {{ VALUES ?x {{ {values} }} ?x <http://www.w3.org/2000/01/rdf-schema#label> ?l }}"
    )
    labels: dict[str, str] = {}
    for row in rows:
        lang = row["l"].language if isinstance(row["l"], ox.Literal) else None
        if row["x"].value not in labels or lang in (None, "en"):
            labels[row["x"].value] = row["l"].value
    return labels


def _registry(iri: str) -> str:
    """A short name for an external link."""
    if iri.startswith("https://huggingface.co/"):
        return "Hugging Face"
    if iri.startswith("http://www.wikidata.org/entity/"):
        return "Wikidata"
    if "isitopen.ai" in iri:
        return "Model Openness Tool"
    if "osai-index" in iri or "opening-up-chatgpt" in iri:
        return "OSAI index"
    return re.sub(r"^https?://(www\.)?", "", iri).split("/")[0]


def model_facts(slug: str) -> dict[str, object] | None:
    """What the model page shows, read with SPARQL; None when the store has no such model."""
    engine = engine_of(current_app)
    iri = str(MODEL[slug])
    rows = engine.select(f"SELECT ?p ?o WHERE {{ <{iri}> ?p ?o }}")
    if not rows:
        return None
    values: dict[str, list] = {}
    for row in rows:
        values.setdefault(row["p"].value, []).append(row["o"])
    types = {t.value for t in values.get(RDF_TYPE, [])}
    by_release, blank_labels = _releases(engine, iri)
    dims = [(str(d), values.get(str(d), [None])[0]) for d in DIMENSIONS]
    labels = _labels(_terms_to_label(dims, by_release))

    def first(key: str) -> str | None:
        found = values.get(P[key])
        return found[0].value if found else None

    links = sorted({o.value for k in ("match", "same") for o in values.get(P[k], []) if isinstance(o, ox.NamedNode)})
    category = next((name for cls, name in CATEGORIES.items() if str(cls) in types), "unclassified")
    return {
        "iri": iri,
        "slug": slug,
        "name": first("name") or slug,
        "developer": first("developer"),
        "issued": first("issued"),
        "as_of": first("as_of"),
        "checked": first("checked"),
        "dataset": first("dataset"),
        "category": category,
        "mof": meaning().mof_highest(types),
        "dimensions": [(labels.get(d, local_name(d)), labels.get(v.value, local_name(v.value)) if v else None)
                       for d, v in dims],
        "artifacts": _artifact_rows(by_release, blank_labels, labels),
        "links": [(_registry(link), link) for link in links],
        "sources": sorted(o.value for o in values.get(P["source"], [])),
        "reasons": grouped([o.value for o in values.get(EXPLANATION, [])]),
    }


def _releases(engine: Any, iri: str) -> tuple[dict[str, dict[str, Any]], dict[str, str]]:
    """The model's release statements by IRI (kind, availability, licence terms, URLs, sources), and the
    label of each free-text (blank-node) licence, read in the same row as its licence."""
    releases = engine.select(f"""
        SELECT ?r ?kind ?avail ?lic ?lic_label ?url ?src WHERE {{
          <{iri}> <https://w3id.org/ai-openness/ontology#hasRelease> ?r .
          OPTIONAL {{ ?r <https://w3id.org/ai-openness/ontology#artifact> ?kind }}
          OPTIONAL {{ ?r <https://w3id.org/ai-openness/ontology#availability> ?avail }}
          OPTIONAL {{ ?r <http://purl.org/dc/terms/license> ?lic
            OPTIONAL {{ ?lic <http://www.w3.org/2000/01/rdf-schema#label> ?lic_label FILTER(isBlank(?lic)) }} }}
          OPTIONAL {{ ?r <https://schema.org/url> ?url }}
          OPTIONAL {{ ?r <http://www.w3.org/ns/prov#wasDerivedFrom> ?src }}
        }}""")
    by_release: dict[str, dict[str, Any]] = {}
    blank_labels: dict[str, str] = {}
    for row in releases:
        entry = by_release.setdefault(row["r"].value, {"iri": row["r"].value, "urls": set(), "sources": set(),
                                                        "licences": set()})
        if "kind" in row:
            entry["kind"] = row["kind"].value
        if "avail" in row:
            entry["availability"] = _AVAILABILITY.get(row["avail"].value, local_name(row["avail"].value))
        if "lic" in row:
            entry["licences"].add(row["lic"])
            if "lic_label" in row:
                blank_labels[row["lic"].value] = row["lic_label"].value
        if "url" in row:
            entry["urls"].add(row["url"].value)
        if "src" in row:
            entry["sources"].add(row["src"].value)
    return by_release, blank_labels


def _terms_to_label(dims: list[tuple[str, Any]], by_release: dict[str, dict[str, Any]]) -> set[str]:
    """The IRIs the page names by label: dimensions and their values, artifact kinds, named licences."""
    lookup = {d for d, _ in dims} | {v.value for _, v in dims if v is not None}
    lookup |= {r["kind"] for r in by_release.values() if "kind" in r}
    lookup |= {lic.value for r in by_release.values() for lic in r["licences"] if isinstance(lic, ox.NamedNode)}
    return lookup


def _artifact_rows(by_release: dict[str, dict[str, Any]], blank_labels: dict[str, str],
                   labels: dict[str, str]) -> list[dict[str, object]]:
    """One row per release statement, in the order of the artifact kinds, for the page's table."""
    order = {str(k): i for i, k in enumerate(ARTIFACTS.values())}
    artifacts = []
    for entry in sorted(by_release.values(), key=lambda e: (order.get(str(e.get("kind")), 99), str(e["iri"]))):
        kind = str(entry.get("kind", ""))
        licences = []
        for lic in sorted(entry["licences"], key=lambda t: t.value):
            if isinstance(lic, ox.NamedNode):
                licences.append((labels.get(lic.value, local_name(lic.value)), lic.value))
            else:
                licences.append((blank_labels.get(lic.value, "licence (free text)"), None))
        artifacts.append({
            "anchor": local_name(str(entry["iri"])),
            "kind": labels.get(kind, local_name(kind)),
            "slug": _SLUGS.get(kind, local_name(kind)),
            "availability": entry.get("availability", "unknown"),
            "licences": licences,
            "urls": sorted(entry["urls"]),
            "sources": sorted(entry["sources"]),
        })
    return artifacts


def _describe(iri: str, with_releases: bool) -> Response:
    """RDF about ``iri`` (and its releases), in the negotiated format."""
    releases = (
        f" UNION {{ <{iri}> <https://w3id.org/ai-openness/ontology#hasRelease> ?r . ?r ?rp ?ro }}"
        if with_releases else ""
    )
    sparql = (f"CONSTRUCT {{ <{iri}> ?p ?o . ?r ?rp ?ro }} WHERE {{ {{ <{iri}> ?p ?o }}{releases} }}")
    return constructed(sparql, f"no resource <{iri}> in this knowledge graph")


@bp.route("/model/<slug>")
def model(slug: str) -> Response:
    """A model: an HTML page for browsers, RDF (Turtle, N-Triples, JSON-LD, RDF/XML) for programs."""
    if not SLUG.match(slug):
        raise NotFound("model ids are lowercase slugs: letters, digits, '.', '_', '-'")
    if not wants_html():
        return _describe(str(MODEL[slug]), with_releases=True)
    facts = model_facts(slug)
    if facts is None:
        raise NotFound(f"no model '{slug}' in this knowledge graph")

    described = model_jsonld(engine_of(current_app), str(MODEL[slug]), facts.get("category"))
    html = render_template("model.html", m=facts, e=model_entities(slug), endpoint=url_for("sparql.sparql"),
                           jsonld=script_text(described) if described else None)
    response = Response(html, mimetype="text/html")
    response.headers["Vary"] = "Accept"
    return response


@bp.route("/model/<slug>/<part>")
def release(slug: str, part: str) -> Response:
    """An artifact release IRI: the model page at its row for browsers, its RDF for programs."""
    if not SLUG.match(slug) or not re.match(r"^[a-z0-9_-]+$", part):
        raise NotFound("no such release")
    if wants_html():
        return redirect(url_for("pages.model", slug=slug, _anchor=part), code=303)  # type: ignore[return-value]
    return _describe(f"{MODEL[slug]}/{part}", with_releases=False)


#: The groups of the ontology's documentation page: (title, the OWL type of its terms).
_TERM_GROUPS = (("Classes", OWL.Class), ("Object properties", OWL.ObjectProperty),
                ("Datatype properties", OWL.DatatypeProperty), ("Annotation properties", OWL.AnnotationProperty),
                ("Individuals", OWL.NamedIndividual))


@lru_cache(maxsize=1)
def _ontology() -> tuple[bytes, list[tuple[str, str, list[dict[str, object]]]], dict[str, str]]:
    """The ontology as Turtle, and its terms grouped for the HTML documentation."""
    g = ontology_graph()
    turtle = g.serialize(format="turtle").encode()
    onto = URIRef(ONTOLOGY_IRI)
    header = {
        "title": _text(g, onto, DCTERMS.title) or "AI Openness ontology",
        "version": _text(g, onto, OWL.versionInfo) or "",
        "description": _text(g, onto, DCTERMS.description) or _text(g, onto, RDFS.comment) or "",
    }
    groups = []
    for title, kind in _TERM_GROUPS:
        nodes = sorted({s for s in g.subjects(RDF.type, kind) if isinstance(s, URIRef) and str(s).startswith(BASE)})
        groups.append((title, kind.split("#")[-1], [_term(g, node) for node in nodes]))
    return turtle, groups, header


def _text(g: rdflib.Graph, node: URIRef, prop: URIRef) -> str | None:
    """A literal value of ``prop``, English or untagged first."""
    found = [o for o in g.objects(node, prop) if isinstance(o, Literal)]
    english = [o for o in found if o.language in (None, "en")]
    return str((english or found)[0]) if found else None


def _name(g: rdflib.Graph, node: object) -> str:
    return _text(g, node, RDFS.label) or local_name(str(node)) if isinstance(node, URIRef) else "(expression)"


def _term(g: rdflib.Graph, node: URIRef) -> dict[str, object]:
    """One term of the documentation: its anchor, label, definition, parents, types, domain and range."""

    def named(prop: URIRef, ours_only: bool = False) -> list[tuple[str, str]]:
        return sorted((_name(g, o), str(o)) for o in g.objects(node, prop)
                      if isinstance(o, URIRef) and (not ours_only or str(o).startswith(BASE)))

    return {
        "iri": str(node),
        "anchor": local_name(str(node)) if "#" in str(node) else str(node)[len(BASE):].replace("/", "-"),
        "label": _name(g, node),
        "definition": _text(g, node, SKOS.definition) or _text(g, node, RDFS.comment),
        "parents": named(RDFS.subClassOf),
        "types": named(RDF.type, ours_only=True),
        "domain": named(RDFS.domain),
        "range": named(RDFS.range),
    }


def ontology_version_info() -> str:
    """The ontology's ``owl:versionInfo`` (the last segment of its version IRI)."""
    return _ontology()[2]["version"]


@bp.route("/ontology")
def ontology() -> Response:
    """The ontology: Turtle (or another RDF format) for programs, generated documentation for browsers."""
    turtle, groups, header = _ontology()
    if wants_html():
        return Response(render_template("ontology.html", groups=groups, header=header), mimetype="text/html")
    media = negotiate(request.headers.get("Accept"), tuple(request.args.getlist("format")), "graph")
    if media == "text/turtle":
        body = turtle
    else:
        body = serialize_graph([q.triple for q in ox.parse(turtle, format=ox.RdfFormat.TURTLE)], media)
    response = Response(body, mimetype=media)
    response.headers["Vary"] = "Accept"
    return response


@bp.route("/ontology.ttl")
def ontology_turtle() -> Response:
    """The ontology as a Turtle file."""
    return Response(_ontology()[0], mimetype="text/turtle")
