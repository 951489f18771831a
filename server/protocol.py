"""Protocol details every client relies on: the JSON-LD context and versioned ontology at their IRIs'
paths, validators (``ETag``, ``Last-Modified``) with conditional GETs, and ``Link: rel=alternate`` to the
other representations of pages and RDF documents.
"""

from __future__ import annotations

import time
from email.utils import formatdate
from urllib.parse import urlencode

from flask import Blueprint, Flask, Response, current_app, request
from werkzeug.exceptions import NotFound

from kg.resources import resource_dir
from server.context import engine_of
from server.pages import ontology, ontology_version_info

bp = Blueprint("protocol", __name__)

#: Representations a page or RDF document has, offered in ``Link: rel=alternate`` (format parameter, type).
ALTERNATES = (("ttl", "text/turtle"), ("nt", "application/n-triples"), ("jsonld", "application/ld+json"),
              ("rdfxml", "application/rdf+xml"))
#: Paths whose documents have those representations (a page for browsers, RDF for programs).
DOCUMENT_PREFIXES = ("/model/", "/org/", "/family/", "/license/", "/ontology")
#: Read routes whose answers get validators (not /sparql: a query answer is computed per request).
VALIDATED_PREFIXES = (*DOCUMENT_PREFIXES, "/context.jsonld", "/.well-known/void", "/store", "/download/")


@bp.route("/context.jsonld")
def context() -> Response:
    """The project's JSON-LD context, at the local path of ``https://w3id.org/ai-openness/context.jsonld``."""

    body = (resource_dir("data") / "context.jsonld").read_bytes()
    return Response(body, mimetype="application/ld+json")


@bp.route("/ontology/<version>")
def ontology_version(version: str) -> Response:
    """The ontology at its version IRI (``owl:versionIRI``); other versions are not kept by this server."""

    current = ontology_version_info()
    if version != current:
        raise NotFound(f"this server has ontology version {current} only (/ontology/{current})")
    return ontology()


def _last_modified(app: Flask) -> float:
    """When the store last changed: the first time this process saw its current generation."""
    engine = engine_of(app)
    seen: dict[int, float] = app.extensions.setdefault("openness_generation_times", {})
    return seen.setdefault(engine.generation, time.time())


def install(app: Flask) -> None:
    """Add validators and alternate links to the read answers that are documents."""

    @app.after_request
    def _validators(response: Response) -> Response:
        if request.method not in ("GET", "HEAD") or response.status_code != 200 or response.direct_passthrough:
            return response
        path = request.path
        if path.startswith(DOCUMENT_PREFIXES) and path != "/model/":
            base = request.base_url
            links = [f'<{base}?{urlencode({"format": name})}>; rel="alternate"; type="{media}"'
                     for name, media in ALTERNATES if media != response.mimetype]
            if response.mimetype != "text/html":
                links.append(f'<{base}>; rel="alternate"; type="text/html"')
            response.headers["Link"] = ", ".join(links)
        if path.startswith(VALIDATED_PREFIXES) or path == "/":
            response.add_etag()
            response.headers["Last-Modified"] = formatdate(_last_modified(current_app._get_current_object()),
                                                           usegmt=True)
            response.make_conditional(request)
        return response
