"""Plain records (the JSON, YAML and CSV form) to RDF, and back.

This is the fast path for the plain formats; ``kg/context.jsonld`` says the same mapping as a
JSON-LD context, and ``tests/test_records_roundtrip.py`` proves the two give isomorphic graphs.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Iterable, Mapping
from functools import lru_cache
from typing import Any

import pyoxigraph as ox

from kg.records.entity_fields import entity_triples
from kg.records.fields import CLAIM_KEYS, RECORD_KEYS
from kg.records.history import history_triples
from kg.records.model import Location, RecordSet, term_key
from kg.vocab import AIO, ARTIFACTS, AVAILABILITY, HF, MODEL, SCHEMA, WIKIDATA

XSD = "http://www.w3.org/2001/XMLSchema#"
_N = ox.NamedNode
RDF_TYPE = _N("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
RDFS_LABEL = _N("http://www.w3.org/2000/01/rdf-schema#label")
P_ID = _N("http://purl.org/dc/terms/identifier")
P_NAME = _N(str(SCHEMA.name))
P_DEVELOPER = _N(str(AIO.developer))
P_ISSUED = _N("http://purl.org/dc/terms/issued")
P_MATCH = _N("http://www.w3.org/2004/02/skos/core#exactMatch")
P_SOURCE = _N("http://www.w3.org/ns/prov#wasDerivedFrom")
P_AS_OF = _N(str(AIO.asOf))
P_CHECKED = _N(str(AIO.handChecked))
P_DATASET = _N(str(AIO.fromDataset))
P_BASED_ON = _N(str(SCHEMA.isBasedOn))
P_RELEASE = _N(str(AIO.hasRelease))
P_ARTIFACT = _N(str(AIO.artifact))
P_AVAILABILITY = _N(str(AIO.availability))
P_LICENSE = _N("http://purl.org/dc/terms/license")
P_URL = _N(str(SCHEMA.url))
C_MODEL = _N(str(AIO.AIModel))
C_RELEASE = _N(str(AIO.ArtifactRelease))
C_LICENSE_DOC = _N("http://purl.org/dc/terms/LicenseDocument")

_ARTIFACT_NODES = {slug: _N(str(iri)) for slug, iri in ARTIFACTS.items()}
_AVAILABILITY_NODES = {value: _N(str(iri)) for value, iri in AVAILABILITY.items()}

#: The top-level keys of a plain record; anything else is kept out of the graph.
MODEL_FIELDS = RECORD_KEYS
CLAIM_FIELDS = CLAIM_KEYS

_IRI_SAFE = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:[^\s<>\"{}|\\^`]*$")
_ID_SAFE = re.compile(r"^[^\s<>\"{}|\\^`/#?]+$")


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


def iri_or_literal(value: Any) -> ox.NamedNode | ox.Literal:
    """An absolute IRI when the value is one, else a plain literal validation can report."""
    s = text(value)
    return _N(s) if _IRI_SAFE.match(s) else ox.Literal(s)


def date_literal(value: Any) -> ox.Literal:
    """``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD`` as a typed literal; anything else as a plain one."""
    s = text(value)
    if re.fullmatch(r"\d{4}", s):
        return ox.Literal(s, datatype=_N(XSD + "gYear"))
    if re.fullmatch(r"\d{4}-(0[1-9]|1[0-2])", s):
        return ox.Literal(s, datatype=_N(XSD + "gYearMonth"))
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", s):
        try:
            dt.date.fromisoformat(s)
        except ValueError:
            return ox.Literal(s)
        return ox.Literal(s, datatype=_N(XSD + "date"))
    return ox.Literal(s)


def model_node(record_id: Any, fallback: str) -> ox.NamedNode | ox.BlankNode:
    """The model's IRI from its id; a blank node when the id is missing or cannot be part of an IRI."""
    s = text(record_id) if record_id is not None else ""
    if s and _ID_SAFE.match(s):
        return _N(str(MODEL[s]))
    return ox.BlankNode(fallback)


@lru_cache(maxsize=4096)
def _license_node(name: str) -> ox.NamedNode | None:
    from kg.licenses import resolve_license

    resolved = resolve_license(name)
    return None if resolved is None else _N(str(resolved))


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
    if isinstance(model, ox.NamedNode) and _ID_SAFE.match(slug):
        return _N(f"{model.value}#{suffix}")
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


def record_to_triples(
    record: Mapping[str, Any],
    *,
    index: int = 0,
    sink: RecordSet | None = None,
    where: Location | None = None,
) -> list[ox.Triple]:
    """The RDF of one plain record (see ``docs/records.md``).

    With ``sink``, notes there that the model's record and its releases were written at ``where``.
    """
    triples: list[ox.Triple] = []
    add = triples.append
    model = model_node(record.get("id"), f"record{index}")
    mkey = term_key(model)
    if sink is not None and where is not None:
        sink.add_record(mkey, where)
    add(ox.Triple(model, RDF_TYPE, C_MODEL))
    if record.get("id") not in (None, ""):
        add(ox.Triple(model, P_ID, ox.Literal(text(record["id"]))))
    for key, predicate in (("name", P_NAME), ("developer", P_DEVELOPER)):
        value = record.get(key)
        # an explicitly empty or blank name stays an (empty) literal, so that the shapes refuse it as they do
        # the same value in Turtle; only a missing key (or an empty CSV cell, never passed here) is missing
        for item in as_list(value) or ([""] if isinstance(value, str) else []):
            add(ox.Triple(model, predicate, ox.Literal(text(item))))
    for key, predicate in (("date", P_ISSUED), ("as_of", P_AS_OF), ("checked", P_CHECKED)):
        for value in as_list(record.get(key)):
            add(ox.Triple(model, predicate, date_literal(value)))
    links: list[ox.NamedNode | ox.Literal] = []
    for repo in as_list(record.get("huggingface")):
        s = text(repo)
        links.append(iri_or_literal(s if s.startswith(HF) else HF + s))
    for qid in as_list(record.get("wikidata")):
        s = text(qid)
        links.append(iri_or_literal(s if s.startswith(WIKIDATA) else WIKIDATA + s))
    links.extend(iri_or_literal(v) for v in as_list(record.get("links")))
    for link in links:
        add(ox.Triple(model, P_MATCH, link))
    for value in as_list(record.get("source")):
        add(ox.Triple(model, P_SOURCE, iri_or_literal(value)))
    for value in as_list(record.get("dataset")):
        add(ox.Triple(model, P_DATASET, iri_or_literal(value)))
    entity_triples(model, record, add)

    artifacts = record.get("artifacts") or {}
    if not isinstance(artifacts, Mapping):
        artifacts = {}
    for slug, entry in artifacts.items():
        slug = text(slug)
        for n, claim in enumerate(claims_of(entry), start=1):
            release = release_node(model, slug, n)
            if sink is not None and where is not None:
                sink.add_record(term_key(release), where, slug)
            add(ox.Triple(model, P_RELEASE, release))
            add(ox.Triple(release, RDF_TYPE, C_RELEASE))
            add(ox.Triple(release, P_ARTIFACT, _ARTIFACT_NODES.get(slug) or ox.Literal(slug)))
            availability = claim.get("availability")
            if availability not in (None, ""):
                value = text(availability)
                add(ox.Triple(release, P_AVAILABILITY, _AVAILABILITY_NODES.get(value) or ox.Literal(value)))
            for node, extra in license_nodes(claim.get("license")):
                add(ox.Triple(release, P_LICENSE, node))
                triples.extend(extra)
            for value in as_list(claim.get("url")):
                add(ox.Triple(release, P_URL, iri_or_literal(value)))
            for value in as_list(claim.get("source")):
                add(ox.Triple(release, P_SOURCE, iri_or_literal(value)))
            for value in as_list(claim.get("as_of")):
                add(ox.Triple(release, P_AS_OF, date_literal(value)))
            for value in as_list(claim.get("checked")):
                add(ox.Triple(release, P_CHECKED, date_literal(value)))
            if claim.get("history"):
                history_triples(release, claim, add)
    return triples


def records_to_recordset(records: Iterable[Mapping[str, Any]], file: str = "") -> RecordSet:
    """Plain records (from JSON, YAML or an importer) as a ``RecordSet``."""
    result = RecordSet(files=[file] if file else [])
    where = Location(file)
    for index, record in enumerate(records):
        result.add_plain(index, record, where)
    return result
