"""Licence pages: ``/license/<id>`` for every licence (its terms, each rule with the clause it comes from,
and the models that use it), the ``/license/`` index, and the model page's licence section (each
artifact's licence terms, the OSAID verdict and the level of each dimension, with the deciding facts).

A licence's terms come from ``kg.license_terms`` (the ODRL data of ``ontology/license-terms.ttl``); the
models using it and the model facts are read from the store with SPARQL, so the pages work on every backend.
"""

from __future__ import annotations

import re
from functools import lru_cache

from flask import Blueprint, Response, current_app, render_template
from rdflib import SKOS, URIRef
from werkzeug.exceptions import NotFound

from kg import license_terms as lt
from kg.licenses import kg_license_iris, known_license, license_label, license_text_url
from kg.ontology import ontology_graph
from kg.reasoner import RulePath
from kg.reasoner.explain import kind_label
from kg.reasoner.facts import collect_facts
from kg.vocab import AIO, LICENSE, MODEL, SPDX, local_name
from server.context import engine_of
from server.describe import constructed, wants_html

bp = Blueprint("licences", __name__)

#: An SPDX id (``Apache-2.0``) or one of the KG's ids (``llama3.1``, ``openrail++``).
LICENCE_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9.+_-]*$")
_KIND_WORDS = {"permission": "may", "prohibition": "may not", "reservation": "the licensor may"}


def licence_iri(lid: str) -> str | None:
    """The IRI the page id names: the KG's licence, else the SPDX one; None when neither is known."""
    for iri in (str(LICENSE[lid]), str(SPDX[lid])):
        if known_license(ox_to_uri(iri)):
            return iri
    return None


def ox_to_uri(iri: str) -> URIRef:
    """The rdflib IRI ``kg.licenses`` takes."""
    return URIRef(iri)


def page_id(iri: str) -> str:
    """The ``/license/<id>`` id of a licence IRI."""
    return lt.licence_id(iri)


def rule_rows(terms: lt.LicenceTerms) -> list[dict[str, object]]:
    """The rules a page lists: what may or may not be done, on which conditions, from which clause."""
    rows = []
    order = {"permission": 0, "prohibition": 1, "reservation": 2}
    for rule in sorted(terms.rules, key=lambda r: (order.get(r.kind, 9), r.action, r.clause)):
        rows.append({
            "kind": rule.kind, "words": _KIND_WORDS.get(rule.kind, rule.kind), "action": _short(rule.action),
            "constraints": [f"{_short(c.left)} {_short(c.operator)} {', '.join(_short(v) for v in c.right)}"
                            for c in rule.constraints],
            "duties": [{"action": _short(d.action), "clause": d.clause, "source": d.source,
                        "constraints": [f"{_short(c.left)} {_short(c.operator)} {', '.join(_short(v) for v in c.right)}"
                                        for c in d.constraints]} for d in rule.duties],
            "behavioural": rule.behavioural, "clause": rule.clause, "source": rule.source, "comment": rule.comment,
        })
    return rows


def _short(iri: str) -> str:
    for prefix, ns in (("odrl:", lt.ODRL), ("aio:", str(AIO))):
        if iri.startswith(ns):
            return prefix + iri[len(ns):]
    return iri


def models_using(iri: str) -> list[dict[str, str]]:
    """The models with an artifact under the licence, and which artifacts."""
    rows = engine_of(current_app).select(f"""
        SELECT ?m ?name ?kind WHERE {{
          ?r <http://purl.org/dc/terms/license> <{iri}> ; <{AIO.artifact}> ?kind .
          ?m <{AIO.hasRelease}> ?r . OPTIONAL {{ ?m <https://schema.org/name> ?name }} }}""")
    found: dict[str, dict[str, object]] = {}
    for row in rows:
        m = row["m"].value
        entry = found.setdefault(m, {"slug": local_name(m) if m.startswith(str(MODEL)) else m,
                                     "name": row["name"].value if "name" in row else local_name(m), "kinds": set()})
        entry["kinds"].add(local_name(row["kind"].value))  # type: ignore[union-attr]
    return [{"slug": e["slug"], "name": e["name"], "kinds": ", ".join(sorted(e["kinds"]))}  # type: ignore[arg-type]
            for e in sorted(found.values(), key=lambda e: str(e["name"]).lower())]


def _describe(iri: str) -> Response:
    """The licence and its rules (blank nodes to three levels) as RDF, in the negotiated format."""
    sparql = f"""CONSTRUCT {{ <{iri}> ?p ?o . ?o ?p2 ?o2 . ?o2 ?p3 ?o3 . ?o3 ?p4 ?o4 }} WHERE {{
        <{iri}> ?p ?o .
        OPTIONAL {{ ?o ?p2 ?o2 FILTER(isBlank(?o))
          OPTIONAL {{ ?o2 ?p3 ?o3 FILTER(isBlank(?o2)) OPTIONAL {{ ?o3 ?p4 ?o4 FILTER(isBlank(?o3)) }} }} }} }}"""
    return constructed(sparql, f"no licence <{iri}> in this knowledge graph")


@bp.route("/license/<lid>")
def licence(lid: str) -> Response:
    """A licence: its terms with their clauses, and the models using it (HTML), or its RDF."""
    if not LICENCE_ID.match(lid):
        raise NotFound("licence ids are SPDX ids or the knowledge graph's own ids")
    iri = licence_iri(lid)
    if iri is None:
        raise NotFound(f"no licence '{lid}' in this knowledge graph")
    if not wants_html():
        return _describe(iri)
    terms = lt.licence_terms(iri)
    graph = lt.terms_graph()
    uri = ox_to_uri(iri)
    page = {
        "iri": iri, "id": lid, "label": license_label(uri), "text": license_text_url(iri),
        "definition": str(graph.value(uri, SKOS.definition) or ""), "scancode": lt.scancode_key(iri),
        "summary": terms.as_json(), "revenue_cap": terms.revenue_cap, "note": terms.note,
        "names_derivatives": terms.names_derivatives, "multimodal_territories": list(terms.multimodal_territories),
        "families": [local_name(str(f)) for f in lt.spdx_families(lid)] if iri.startswith(str(SPDX)) else [],
        "rules": rule_rows(terms),
    }
    html = render_template("licence.html", lic=page, models=models_using(iri))
    response = Response(html, mimetype="text/html")
    response.headers["Vary"] = "Accept"
    return response


@bp.route("/license/")
def licence_index() -> Response:
    """Every licence of the KG and every SPDX licence the data uses, with the summary of its terms."""
    used = [row["l"].value for row in engine_of(current_app).select(
        "SELECT DISTINCT ?l WHERE { ?r <http://purl.org/dc/terms/license> ?l FILTER(isIRI(?l)) }")]
    iris = sorted({*(str(i) for i in kg_license_iris()), *(u for u in used if known_license(ox_to_uri(u)))},
                  key=lambda i: page_id(i).lower())
    rows = [{"id": page_id(i), "label": license_label(ox_to_uri(i)), **lt.licence_terms(i).as_json(),
             "used": i in used} for i in iris]
    return Response(render_template("licences.html", rows=rows), mimetype="text/html")


# --------------------------------------------------------------------------------------------------
# the model page's section
# --------------------------------------------------------------------------------------------------


@lru_cache(maxsize=64)
def _rule_path(licences: frozenset[str]):  # noqa: ANN202 - kg.reasoner.RulePath

    return RulePath(ontology_graph([URIRef(i) for i in licences], with_terms=False))


def model_licence_section(slug: str) -> dict[str, object] | None:
    """The model's licence terms per artifact, its OSAID verdict and its assessment, from the store."""

    iri = str(MODEL[slug])
    triples = list(engine_of(current_app).internal_query(  # type: ignore[call-overload]
        f"""CONSTRUCT {{ <{iri}> ?p ?o . ?r ?rp ?ro . ?ro <http://www.w3.org/2000/01/rdf-schema#label> ?l }} WHERE {{
          {{ <{iri}> ?p ?o }} UNION {{ <{iri}> <{AIO.hasRelease}> ?r . ?r ?rp ?ro
            OPTIONAL {{ ?ro <http://www.w3.org/2000/01/rdf-schema#label> ?l FILTER(isBlank(?ro)) }} }} }}"""))
    models = collect_facts(triples)
    facts = models.get(iri)
    if facts is None:
        return None
    licences = frozenset(lic for c in facts.deciding.values() for lic in c.licences if not lic.startswith("_:"))
    result = _rule_path(licences).classify(facts)
    artifacts = []
    for kind, claim in facts.deciding.items():
        terms = lt.claim_terms(tuple(claim.licences), facts.labels) if claim.licences else None
        if terms is None:
            continue
        ids = [page_id(lic) for lic in claim.licences if not lic.startswith("_:") and known_license(ox_to_uri(lic))]
        artifacts.append({"kind": kind_label(kind), "summary": lt.describe(terms, result.multimodal),
                          "licences": ids, "sources": list(terms.sources)})
    artifacts.sort(key=lambda a: (a["kind"] != "weights", a["kind"]))
    return {"artifacts": artifacts, "osaid": result.osaid, "assessment": result.assessment}


def register_model_section(app) -> None:  # noqa: ANN001 - flask.Flask
    """Make ``licence_section(slug)`` callable from the model page's template."""
    app.jinja_env.globals["licence_section"] = model_licence_section
