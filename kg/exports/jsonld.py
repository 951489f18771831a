"""JSON-LD that any processor reads offline: the project's context embedded, or named by its IRI.

``inline`` (the default) embeds the context, so rdflib, pyld or Jena need nothing else. ``remote``
names ``https://w3id.org/ai-openness/context.jsonld`` instead, for documents meant to be read where that
IRI resolves (``openness serve`` answers it at ``/context.jsonld``).
"""

from __future__ import annotations

import json
from collections.abc import Iterable

import pyoxigraph as ox

CONTEXT_MODES = ("inline", "remote")


def to_jsonld(triples: Iterable[ox.Triple], context: str = "inline") -> str:
    """Triples as a compacted JSON-LD document with the project's context, inline or by IRI."""
    import rdflib

    from kg.records.model import to_rdflib
    from kg.records.readers import CONTEXT_IRI, local_context

    if context not in CONTEXT_MODES:
        raise ValueError(f"context must be one of {CONTEXT_MODES}")
    g = rdflib.Graph()
    for t in triples:
        g.add((to_rdflib(t.subject), to_rdflib(t.predicate), to_rdflib(t.object)))
    # rdflib drops a blank node that is the value of a term coerced to @id: compact with those terms as
    # plain IRIs and write the values as explicit {"@id": ...} objects, which mean the same under the
    # published context.
    published = local_context()
    compacting = dict(published)
    for term in ("license", "releases"):
        compacting[term] = {"@id": published[term]["@id"]}
    doc = json.loads(g.serialize(format="json-ld", context=compacting, auto_compact=True))
    doc["@context"] = published if context == "inline" else CONTEXT_IRI
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"
