"""``/download/openness-kg.{ttl,nt,jsonld,csv}.gz``: the whole dataset as one compressed file.

The RDF dumps hold the records and the reasoner's inferences (the ontology is at /ontology); the CSV is the
record format of docs/design.md section 4, one row per model (a claim's dated history is only in the RDF).
Dumps are built once per store generation
(server.pagecache) and announced in VoID as ``void:dataDump``.
"""

from __future__ import annotations

import gzip
import io
from typing import Any

import pyoxigraph as ox
from flask import Blueprint, Response, current_app, url_for
from werkzeug.exceptions import NotFound

from kg.records import records_from_triples, to_string
from kg.records.writers import write_csv
from kg.vocab import INFERRED_GRAPH, RECORDS_GRAPH
from server.context import engine_of
from server.pagecache import page_cache

bp = Blueprint("downloads", __name__)

#: File extension -> (kg.records.write format, media type of the uncompressed file, whether the reasoner's
#: statements are included).
FORMATS = {
    "ttl": ("turtle", "text/turtle", True),
    "nt": ("nt", "application/n-triples", True),
    "jsonld": ("jsonld", "application/ld+json", True),
    "csv": ("csv", "text/csv", False),
}
NAME = "openness-kg"


def dataset_triples(engine: Any, inferred: bool) -> list[ox.Triple]:
    """The records (and, if asked, the inferences) of the store as triples."""
    graphs = [f"<{RECORDS_GRAPH}>"] + ([f"<{INFERRED_GRAPH}>"] if inferred else [])
    result = engine.internal_query(
        f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ VALUES ?g {{ {' '.join(graphs)} }} GRAPH ?g {{ ?s ?p ?o }} }}")
    return list(result)


def dump(engine: Any, extension: str) -> bytes:
    """The compressed dump (deterministic: no time stamp in the gzip header).

    The CSV is the record rows of every model; what a row cannot hold (the dated history of a claim) is in
    the RDF dumps, so the CSV is written without the lossless check ``openness export`` applies."""

    fmt, _, inferred = FORMATS[extension]
    triples = dataset_triples(engine, inferred)
    if fmt == "csv":
        out = io.StringIO()
        write_csv(records_from_triples(triples), out)
        text = out.getvalue()
    else:
        text = to_string(triples, fmt)
    return gzip.compress(text.encode("utf-8"), mtime=0)


@bp.route(f"/download/{NAME}.<extension>.gz")
def download(extension: str) -> Response:
    """One dump."""

    if extension not in FORMATS:
        raise NotFound(f"no dump in format {extension!r}; formats: {', '.join(FORMATS)}")
    engine = engine_of(current_app)
    body = page_cache(engine).get("dump:" + extension, lambda: dump(engine, extension))
    response = Response(body, mimetype="application/gzip")
    response.headers["Content-Disposition"] = f'attachment; filename="{NAME}.{extension}.gz"'
    return response


def dump_urls() -> list[tuple[str, str]]:
    """(format extension, absolute URL) of every dump, for pages and VoID."""
    return [(ext, url_for("downloads.download", extension=ext, _external=True)) for ext in FORMATS]
