"""RDF terms of the record form: how one plain value (a cell, a YAML scalar) becomes a pyoxigraph term.

A leaf module: the record mapping (``kg.records.mapping``), the entity and history mappings and the
reasoner's fact collectors all build their terms here, so none of them imports another for a helper.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Mapping
from functools import lru_cache
from typing import Any

import pyoxigraph as ox

from kg.vocab import AIO, ARTIFACTS, AVAILABILITY, MODEL, SCHEMA

XSD = "http://www.w3.org/2001/XMLSchema#"
XSD_INTEGER = ox.NamedNode(XSD + "integer")
RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
RDFS_LABEL = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
P_ID = ox.NamedNode("http://purl.org/dc/terms/identifier")
P_NAME = ox.NamedNode(str(SCHEMA.name))
P_DEVELOPER = ox.NamedNode(str(AIO.developer))
P_ISSUED = ox.NamedNode("http://purl.org/dc/terms/issued")
P_MATCH = ox.NamedNode("http://www.w3.org/2004/02/skos/core#exactMatch")
P_SOURCE = ox.NamedNode("http://www.w3.org/ns/prov#wasDerivedFrom")
P_AS_OF = ox.NamedNode(str(AIO.asOf))
P_CHECKED = ox.NamedNode(str(AIO.handChecked))
P_DATASET = ox.NamedNode(str(AIO.fromDataset))
P_BASED_ON = ox.NamedNode(str(SCHEMA.isBasedOn))
P_RELEASE = ox.NamedNode(str(AIO.hasRelease))
P_ARTIFACT = ox.NamedNode(str(AIO.artifact))
P_AVAILABILITY = ox.NamedNode(str(AIO.availability))
P_LICENSE = ox.NamedNode("http://purl.org/dc/terms/license")
P_URL = ox.NamedNode(str(SCHEMA.url))
C_MODEL = ox.NamedNode(str(AIO.AIModel))
C_RELEASE = ox.NamedNode(str(AIO.ArtifactRelease))
C_LICENSE_DOC = ox.NamedNode("http://purl.org/dc/terms/LicenseDocument")

#: Artifact slug -> its kind's node; availability value -> its node.
ARTIFACT_NODES = {slug: ox.NamedNode(str(iri)) for slug, iri in ARTIFACTS.items()}
AVAILABILITY_NODES = {value: ox.NamedNode(str(iri)) for value, iri in AVAILABILITY.items()}

IRI_SAFE = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:[^\s<>\"{}|\\^`]*$")
#: A record id (or artifact slug) that can be part of an IRI.
ID_SAFE = re.compile(r"^[^\s<>\"{}|\\^`/#?]+$")


def as_list(value: Any) -> list[Any]:
    """A scalar, a list or a ``;``-separated string as a list of non-empty values."""
    if value is None:
        return []
    if isinstance(value, str):
        if ";" not in value:  # the common case, on the hot path of reading 100,000 records
            stripped = value.strip()
            return [stripped] if stripped else []
        return [part.strip() for part in value.split(";") if part.strip()]
    if isinstance(value, (list, tuple)):
        return [v for v in value if v is not None and str(v).strip() != ""]
    return [value]


def text(value: Any) -> str:
    """A cell or YAML value as text (YAML turns dates into ``date`` and years into ``int``)."""
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()[:10]
    return str(value).strip()


def texts(value: Any) -> list[str]:
    """``[text(v) for v in as_list(value)]``, with a short cut for the usual single string."""
    if value is None:
        return []
    if value.__class__ is str:
        if ";" not in value:
            stripped = value.strip()
            return [stripped] if stripped else []
        return [part.strip() for part in value.split(";") if part.strip()]
    return [text(v) for v in as_list(value)]


def iri_or_literal(value: Any) -> ox.NamedNode | ox.Literal:
    """An absolute IRI when the value is one, else a plain literal validation can report."""
    s = text(value)
    return ox.NamedNode(s) if IRI_SAFE.match(s) else ox.Literal(s)


def date_literal(value: Any) -> ox.Literal:
    """``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD`` as a typed literal; anything else as a plain one."""
    s = text(value)
    if re.fullmatch(r"\d{4}", s):
        return ox.Literal(s, datatype=ox.NamedNode(XSD + "gYear"))
    if re.fullmatch(r"\d{4}-(0[1-9]|1[0-2])", s):
        return ox.Literal(s, datatype=ox.NamedNode(XSD + "gYearMonth"))
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", s):
        try:
            dt.date.fromisoformat(s)
        except ValueError:
            return ox.Literal(s)
        return ox.Literal(s, datatype=ox.NamedNode(XSD + "date"))
    return ox.Literal(s)


def entity_ref(namespace: Any, value: str) -> ox.NamedNode | ox.Literal:
    """An organisation, family or model named by slug (in ``namespace``) or by IRI; else a literal."""
    if ":" in value:
        return iri_or_literal(value)
    return ox.NamedNode(str(namespace[value])) if ID_SAFE.match(value) else ox.Literal(value)


def model_node(record_id: Any, fallback: str) -> ox.NamedNode | ox.BlankNode:
    """The model's IRI from its id; a blank node when the id is missing or cannot be part of an IRI."""
    s = text(record_id) if record_id is not None else ""
    if s and ID_SAFE.match(s):
        return ox.NamedNode(str(MODEL[s]))
    return ox.BlankNode(fallback)


def term_key(term: ox.NamedNode | ox.BlankNode) -> str:
    """The string a subject is known by in ``RecordSet.locations``: the IRI, or ``_:id``."""
    return term.value if isinstance(term, ox.NamedNode) else f"_:{term.value}"


@lru_cache(maxsize=4096)
def _license_node(name: str) -> ox.NamedNode | None:
    from kg.licenses import resolve_license

    resolved = resolve_license(name)
    return None if resolved is None else ox.NamedNode(str(resolved))


def license_nodes(value: Any) -> list[tuple[ox.NamedNode | ox.BlankNode, list[ox.Triple]]]:
    """Each licence of a claim as a node, with the triples that describe a free-text licence."""
    if value is None:
        return []
    if isinstance(value, str):
        return list(_license_nodes_of_text(value))
    return _license_nodes(value)


@lru_cache(maxsize=4096)
def _license_nodes_of_text(value: str) -> tuple[tuple[ox.NamedNode | ox.BlankNode, list[ox.Triple]], ...]:
    return tuple(_license_nodes(value))


def _license_nodes(value: Any) -> list[tuple[ox.NamedNode | ox.BlankNode, list[ox.Triple]]]:
    out: list[tuple[ox.NamedNode | ox.BlankNode, list[ox.Triple]]] = []
    for item in as_list(value):
        name = text(item)
        resolved = _license_node(name)
        if resolved is not None:
            out.append((resolved, []))
        else:
            # one blank node per licence name, so that reading the same records twice adds nothing
            node = ox.BlankNode("lic" + hashlib.sha1(name.encode("utf-8")).hexdigest()[:20])
            out.append((node, [ox.Triple(node, RDF_TYPE, C_LICENSE_DOC), ox.Triple(node, RDFS_LABEL,
                                                                                    ox.Literal(name))]))
    return out


def release_node(model: ox.NamedNode | ox.BlankNode, slug: str, n: int) -> ox.NamedNode | ox.BlankNode:
    """The node of the ``n``-th claim about artifact ``slug`` of ``model``: ``<model>#weights``, ``#weights-2``."""
    suffix = slug if n == 1 else f"{slug}-{n}"
    if isinstance(model, ox.NamedNode) and ID_SAFE.match(slug):
        return ox.NamedNode(f"{model.value}#{suffix}")
    return ox.BlankNode(f"{model.value}_{suffix}".replace("-", "_").replace(".", "_"))


def claims_of(value: Any) -> list[Mapping[str, Any]]:
    """An artifact entry as a list of claims (a bare string is the availability)."""
    items = value if isinstance(value, list) else [value]
    claims: list[Mapping[str, Any]] = []
    for item in items:
        if item is None:
            continue
        claims.append(item if isinstance(item, Mapping) else {"availability": item})
    return claims
