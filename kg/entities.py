"""Organisations and model families as entities of the graph (docs/design.md section 7).

They live in ``kg/data/orgs/<slug>.yaml`` and ``kg/data/families/<slug>.yaml``. A model names its
organisations with ``organisations:`` or, without it, through its ``developer`` text: the whole text, or each
part of a joint release (``A / B``, ``A, B``, ``A & B``, ``A and B``), is looked up among the organisations'
names and aliases (case-insensitively). A model names its family with ``family:``; a family file may also
list ``members``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from kg.errors import UnreadableInputError
from kg.records.model import RecordSet
from kg.vocab import AIO, FAMILY, MODEL, ORG, ORGANISATION_KINDS, SCHEMA, WIKIDATA

_N = ox.NamedNode
RDF_TYPE = _N("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
P_ID = _N("http://purl.org/dc/terms/identifier")
P_NAME = _N(str(SCHEMA.name))
P_URL = _N(str(SCHEMA.url))
P_ALT = _N("http://www.w3.org/2004/02/skos/core#altLabel")
P_MATCH = _N("http://www.w3.org/2004/02/skos/core#exactMatch")
P_SOURCE = _N("http://www.w3.org/ns/prov#wasDerivedFrom")
P_KIND = _N(str(AIO.organisationKind))
P_COUNTRY = _N(str(AIO.country))
P_DEVELOPED_BY = _N(str(AIO.developedBy))
P_IN_FAMILY = _N(str(AIO.inFamily))
C_ORG = _N(str(AIO.Organisation))
C_FAMILY = _N(str(AIO.ModelFamily))

SLUG = re.compile(r"^[a-z0-9][a-z0-9._-]*$")
_COUNTRY = re.compile(r"^[A-Z]{2}$")
_QID = re.compile(r"^Q[0-9]+$")
_URL = re.compile(r"^https?://\S+$")
#: How a joint release's developer text separates its organisations: "A / B", "A, B", "A & B", "A and B".
_JOINT = re.compile(r"\s*(?:/|,|&|\band\b)\s*")
ORG_FIELDS = ("name", "kind", "country", "wikidata", "aliases", "homepage", "source")
FAMILY_FIELDS = ("name", "developer", "members", "source", "description")


@dataclass(frozen=True)
class Organisation:
    """One organisation: its slug (the IRI's last segment), name, kind, country and Wikidata item."""

    slug: str
    name: str
    kind: str
    country: str | None = None
    wikidata: str | None = None
    aliases: tuple[str, ...] = ()
    homepage: str | None = None
    source: tuple[str, ...] = ()

    @property
    def iri(self) -> str:
        return str(ORG[self.slug])


@dataclass(frozen=True)
class Family:
    """One model family: its slug, name, developing organisations and any members its file lists."""

    slug: str
    name: str
    developer: tuple[str, ...] = ()
    members: tuple[str, ...] = ()
    source: tuple[str, ...] = ()
    description: str | None = None

    @property
    def iri(self) -> str:
        return str(FAMILY[self.slug])


@dataclass
class Entities:
    """Every organisation and family, with the alias index that resolves developer texts."""

    orgs: dict[str, Organisation] = field(default_factory=dict)
    families: dict[str, Family] = field(default_factory=dict)
    aliases: dict[str, str] = field(default_factory=dict)

    def resolve(self, developer: str) -> list[str]:
        """The organisation slugs a developer text names: the whole text, else each part of a joint release."""
        key = _norm(developer)
        if key in self.aliases:
            return [self.aliases[key]]
        found: list[str] = []
        for part in _JOINT.split(developer):
            slug = self.aliases.get(_norm(part))
            if slug is not None and slug not in found:
                found.append(slug)
        return found

    def organisations_of(self, record: Mapping[str, Any]) -> list[str]:
        """A record's organisations: its ``organisations`` field, else those its ``developer`` names."""
        from kg.records.plain import as_list, text

        explicit = [text(v) for v in as_list(record.get("organisations"))]
        if explicit:
            return explicit
        return [slug for d in as_list(record.get("developer")) for slug in self.resolve(text(d))]


def _norm(text: str) -> str:
    return " ".join(str(text).split()).casefold()


def _fail(path: Path, field_name: str, expected: str, value: Any = None) -> UnreadableInputError:
    got = "" if value is None else f", got {value!r}"
    return UnreadableInputError(str(path), f"field '{field_name}': expected {expected}{got}")


def _texts(path: Path, data: Mapping[str, Any], key: str) -> tuple[str, ...]:
    value = data.get(key)
    if value is None:
        return ()
    items = value if isinstance(value, list) else [value]
    if not all(isinstance(v, str) and v.strip() for v in items):
        raise _fail(path, key, "a text or a list of texts", value)
    return tuple(v.strip() for v in items)


def _load(path: Path, fields: tuple[str, ...]) -> Mapping[str, Any]:
    from kg.parsing import load_yaml, read_text

    data = load_yaml(read_text(path), str(path))
    if not isinstance(data, Mapping):
        raise UnreadableInputError(str(path), "expected a mapping of fields (name, kind, ...)")
    unknown = sorted(str(k) for k in data if k not in fields)
    if unknown:
        raise UnreadableInputError(str(path), f"unknown field(s) {', '.join(unknown)}; expected {', '.join(fields)}")
    if not isinstance(data.get("name"), str) or not data["name"].strip():
        raise _fail(path, "name", "the organisation's or family's name", data.get("name"))
    if not SLUG.match(path.stem):
        raise UnreadableInputError(str(path), "the file name must be a lowercase slug (letters, digits, '.', '_', '-')")
    return data


def load_organisation(path: Path) -> Organisation:
    """One ``kg/data/orgs/<slug>.yaml`` file, checked field by field."""
    data = _load(path, ORG_FIELDS)
    kind = data.get("kind")
    if kind not in ORGANISATION_KINDS:
        raise _fail(path, "kind", "one of " + ", ".join(ORGANISATION_KINDS), kind)
    country = data.get("country")
    if country is not None and not (isinstance(country, str) and _COUNTRY.match(country)):
        raise _fail(path, "country", "an ISO 3166-1 alpha-2 code such as FR", country)
    qid = data.get("wikidata")
    if qid is not None and not (isinstance(qid, str) and _QID.match(qid)):
        raise _fail(path, "wikidata", "a Wikidata item id such as Q42", qid)
    homepage = data.get("homepage")
    if homepage is not None and not (isinstance(homepage, str) and _URL.match(homepage)):
        raise _fail(path, "homepage", "an absolute http(s) URL", homepage)
    sources = _texts(path, data, "source")
    if any(not _URL.match(s) for s in sources):
        raise _fail(path, "source", "absolute http(s) URLs", list(sources))
    return Organisation(path.stem, data["name"].strip(), kind, country, qid, _texts(path, data, "aliases"),
                        homepage, sources)


def load_family(path: Path, orgs: Mapping[str, Organisation]) -> Family:
    """One ``kg/data/families/<slug>.yaml`` file; its ``developer`` must name known organisations."""
    data = _load(path, FAMILY_FIELDS)
    developer = _texts(path, data, "developer")
    unknown = [d for d in developer if d not in orgs]
    if unknown:
        raise _fail(path, "developer", "organisation slugs of kg/data/orgs/", unknown)
    members = _texts(path, data, "members")
    sources = _texts(path, data, "source")
    if any(not _URL.match(s) for s in sources):
        raise _fail(path, "source", "absolute http(s) URLs", list(sources))
    description = data.get("description")
    return Family(path.stem, data["name"].strip(), developer, members, sources,
                  description.strip() if isinstance(description, str) else None)


def entity_dir(kind: str) -> Path:
    """``kg/data/orgs`` or ``kg/data/families`` of the installed package."""
    from kg.resources import resource_dir

    return resource_dir("data") / kind


def load_entities(orgs_dir: Path | None = None, families_dir: Path | None = None) -> Entities:
    """Every organisation and family file; two organisations claiming one alias is an error."""
    out = Entities()
    for path in sorted((orgs_dir or entity_dir("orgs")).glob("*.yaml")):
        org = load_organisation(path)
        out.orgs[org.slug] = org
        for alias in (org.slug, org.name, *org.aliases):
            key = _norm(alias)
            if out.aliases.get(key, org.slug) != org.slug:
                raise UnreadableInputError(str(path), f"alias {alias!r} is also an alias of {out.aliases[key]}")
            out.aliases[key] = org.slug
    for path in sorted((families_dir or entity_dir("families")).glob("*.yaml")):
        fam = load_family(path, out.orgs)
        out.families[fam.slug] = fam
    return out


@lru_cache(maxsize=1)
def bundled_entities() -> Entities:
    """The bundled organisations and families (read once)."""
    return load_entities()


# --- RDF -----------------------------------------------------------------------------------------


def organisation_triples(org: Organisation) -> Iterator[ox.Triple]:
    """The organisation as RDF."""
    node = _N(org.iri)
    yield ox.Triple(node, RDF_TYPE, C_ORG)
    yield ox.Triple(node, P_ID, ox.Literal(org.slug))
    yield ox.Triple(node, P_NAME, ox.Literal(org.name))
    yield ox.Triple(node, P_KIND, _N(str(ORGANISATION_KINDS[org.kind])))
    if org.country:
        yield ox.Triple(node, P_COUNTRY, ox.Literal(org.country))
    if org.wikidata:
        yield ox.Triple(node, P_MATCH, _N(WIKIDATA + org.wikidata))
    for alias in org.aliases:
        yield ox.Triple(node, P_ALT, ox.Literal(alias))
    if org.homepage:
        yield ox.Triple(node, P_URL, _N(org.homepage))
    for source in org.source:
        yield ox.Triple(node, P_SOURCE, _N(source))


def family_triples(fam: Family) -> Iterator[ox.Triple]:
    """The family as RDF (its listed members point to it with ``aio:inFamily``)."""
    node = _N(fam.iri)
    yield ox.Triple(node, RDF_TYPE, C_FAMILY)
    yield ox.Triple(node, P_ID, ox.Literal(fam.slug))
    yield ox.Triple(node, P_NAME, ox.Literal(fam.name))
    for org in fam.developer:
        yield ox.Triple(node, P_DEVELOPED_BY, _N(str(ORG[org])))
    for member in fam.members:
        yield ox.Triple(_N(str(MODEL[member])), P_IN_FAMILY, node)
    for source in fam.source:
        yield ox.Triple(node, P_SOURCE, _N(source))
    if fam.description:
        yield ox.Triple(node, _N("http://purl.org/dc/terms/description"), ox.Literal(fam.description))


def family_slugs(triples: Iterable[ox.Triple]) -> set[str]:
    """The family slugs ``triples`` name with ``aio:inFamily`` (a family IRI of the KG's namespace)."""
    prefix = str(FAMILY)
    return {t.object.value[len(prefix):] for t in triples
            if t.predicate == P_IN_FAMILY and isinstance(t.object, ox.NamedNode) and t.object.value.startswith(prefix)}


def entity_nodes(families: Iterable[str], entities: Entities | None = None) -> list[ox.Triple]:
    """The organisations and families of the entity files, and a family node for every slug of ``families``
    that has no file (records may name a family nobody has described yet)."""
    ents = entities or bundled_entities()
    triples: list[ox.Triple] = []
    for org in ents.orgs.values():
        triples.extend(organisation_triples(org))
    for fam in ents.families.values():
        triples.extend(family_triples(fam))
    for slug in sorted(set(families) - set(ents.families)):
        if SLUG.match(slug):
            node = _N(str(FAMILY[slug]))
            triples += [ox.Triple(node, RDF_TYPE, C_FAMILY), ox.Triple(node, P_ID, ox.Literal(slug)),
                        ox.Triple(node, P_NAME, ox.Literal(slug))]
    return triples


def developer_links(records: Iterable[tuple[int, Mapping[str, Any]]], entities: Entities | None = None,
                    ) -> list[ox.Triple]:
    """The ``aio:developedBy`` links of records that name organisations only through their ``developer``
    text."""
    from kg.records.plain import as_list, text

    ents = entities or bundled_entities()
    links: list[ox.Triple] = []
    for _, record in records:
        rid = record.get("id")
        if rid in (None, "") or not SLUG.match(text(rid)) or as_list(record.get("organisations")):
            continue
        for slug in ents.organisations_of(record):
            links.append(ox.Triple(_N(str(MODEL[text(rid)])), P_DEVELOPED_BY, _N(str(ORG[slug]))))
    return links


def recordset_links(records: RecordSet, entities: Entities | None = None) -> list[ox.Triple]:
    """:func:`developer_links` of a record set (of plain records, or of RDF ones turned back into plain form)."""
    from kg.records.rdf_to_plain import records_from_triples

    pairs = records.plain_records()
    if pairs is None:
        pairs = list(enumerate(records_from_triples(records.triples)))
    return developer_links(pairs, entities)

