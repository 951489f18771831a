"""One row per model, read from the store with a few SPARQL queries, kept per store generation.

The browsing pages (home, /models, charts, compare) filter, sort and count these rows in Python instead of
sending one SPARQL query per page view: filtering a table in memory is cheaper than a query, and every backend
(local or remote) gives the same rows. The rows are rebuilt after each write (server.pagecache).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pyoxigraph as ox

from kg.license_terms import LicenceTerms, claim_terms
from kg.meaning import meaning
from kg.reasoner.lineage import binding_duties
from kg.vocab import AIO, AVAILABILITY_VALUES, CATEGORIES, MOF_CLASSES, local_name
from server.pagecache import page_cache

NS = str(AIO)
#: Category local names in the order pages show them (most open last).
CATEGORY_ORDER = ("closed-source", "open-weight", "open-source", "unclassified")
CATEGORY_OF = {str(cls): name for cls, name in CATEGORIES.items()}
_MOF_OF = {str(cls): name for cls, name in MOF_CLASSES.items()}
_AVAILABILITY = {str(k): v for k, v in AVAILABILITY_VALUES.items()}


def mof_order() -> tuple[str, ...]:
    """The MOF class names in the order pages show them, highest first (the ontology's order, kg.meaning)."""
    return tuple(c.name for c in reversed(meaning().mof_classes))

PREFIXES = """PREFIX aio: <https://w3id.org/ai-openness/ontology#>
PREFIX dct: <http://purl.org/dc/terms/>
PREFIX schema: <https://schema.org/>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
"""

#: The base facts of every model (developer may be a literal or an organisation IRI with a name).
BASE_QUERY = PREFIXES + """SELECT ?m ?id ?name ?dev ?devName ?issued ?asOf WHERE {
  ?m a aio:AIModel ; dct:identifier ?id .
  OPTIONAL { ?m schema:name ?name }
  OPTIONAL { ?m aio:developer ?dev OPTIONAL { ?dev schema:name|rdfs:label ?devName } }
  OPTIONAL { ?m dct:issued ?issued }
  OPTIONAL { ?m aio:asOf ?asOf }
}"""

TYPES_QUERY = PREFIXES + """SELECT ?m ?t WHERE {
  ?m a aio:AIModel ; a ?t .
  VALUES ?t { aio:ClosedSourceModel aio:OpenWeightModel aio:OpenSourceModel
              aio:MOFClassIII aio:MOFClassII aio:MOFClassI }
}"""

#: The weights release the reasoner decided on (one per model), its availability and licence.
WEIGHTS_QUERY = PREFIXES + """SELECT ?m ?avail ?lic ?licName WHERE {
  ?m aio:decidingRelease ?r . ?r aio:artifact aio:Weights .
  OPTIONAL { ?r aio:availability ?avail }
  OPTIONAL { ?r dct:license ?lic OPTIONAL { ?lic rdfs:label ?licName } }
}"""

#: Each derived model's bases (their licences may bind it: kg.reasoner.lineage).
BASES_QUERY = PREFIXES + "SELECT ?m ?b WHERE { ?m schema:isBasedOn ?b }"

#: Organisations (aio:developedBy), family and modalities: entities with a slug and a name.
ORGS_QUERY = PREFIXES + """SELECT ?m ?e ?slug ?label WHERE {
  ?m aio:developedBy ?e . OPTIONAL { ?e dct:identifier ?slug } OPTIONAL { ?e schema:name ?label }
}"""
FAMILY_QUERY = PREFIXES + """SELECT ?m ?e ?slug ?label WHERE {
  ?m aio:inFamily ?e . OPTIONAL { ?e dct:identifier ?slug } OPTIONAL { ?e schema:name ?label }
}"""
MODALITY_QUERY = PREFIXES + """SELECT ?m ?e ?slug ?label WHERE {
  ?m aio:modality ?e . OPTIONAL { ?e aio:slug ?slug }
  OPTIONAL { ?e rdfs:label ?label FILTER(LANG(?label) IN ("", "en")) }
}"""

AVAILABLE_QUERY = PREFIXES + """SELECT ?m (COUNT(DISTINCT ?kind) AS ?n) WHERE {
  ?m aio:decidingRelease ?r . ?r aio:artifact ?kind ; aio:availability ?a .
  FILTER(?a IN (aio:Public, aio:Gated))
} GROUP BY ?m"""


#: Licence-term filters of /models: tag -> what it means (read from the weights' licence terms).
TERMS = {
    "commercial-no-cap": "commercial use allowed without a user cap",
    "commercial": "commercial use allowed (possibly on conditions)",
    "derivatives": "derivatives allowed (possibly on conditions)",
    "redistribution": "redistribution allowed (possibly on conditions)",
    "no-use-restrictions": "no use restrictions (no acceptable-use policy)",
    "no-territory-exclusions": "no excluded territories",
}


def term_tags(t: LicenceTerms | None) -> tuple[tuple[str, ...], str, int | None]:
    """(TERMS tags, commercial_use, user_cap) of the weights' licence terms; none for terms the KG does not know."""

    if t is None or not t.known:
        return (), "unknown", None
    granted = ("allowed", "conditional")
    tags = [
        ("commercial-no-cap", t.commercial_use == "allowed" and t.user_cap is None),
        ("commercial", t.commercial_use in granted),
        ("derivatives", t.derivatives in granted),
        ("redistribution", t.redistribution in granted),
        ("no-use-restrictions", not t.use_restrictions),
        ("no-territory-exclusions", not t.excluded_territories and not t.multimodal_territories),
    ]
    return tuple(tag for tag, holds in tags if holds), t.commercial_use, t.user_cap


@dataclass
class ModelRow:
    """What the browsing pages know about one model."""

    id: str
    iri: str
    name: str
    developer: str = ""
    issued: str = ""
    as_of: str = ""
    category: str = "unclassified"
    mof: str | None = None
    weights: str = "unknown"
    #: the weights' licences as (IRI, or ``_:`` and a blank node's id for a free-text name, label), sorted
    #: by label; all of them apply
    licences: tuple[tuple[str, str], ...] = ()
    #: the licences of its bases that bind derivatives (kg.reasoner.lineage), as (IRI, label)
    inherited: tuple[tuple[str, str], ...] = ()
    #: the terms of all those licences together (kg.license_terms.claim_terms), None when there are none
    licence_terms: LicenceTerms | None = field(default=None, repr=False)
    available: int = 0
    #: organisations that developed it, its family and modalities, as (slug, name)
    orgs: tuple[tuple[str, str], ...] = ()
    family: tuple[str, str] | None = None
    modalities: tuple[tuple[str, str], ...] = ()
    #: what the weights' licence allows (kg.license_terms), as TERMS tags; None when unknown
    terms: tuple[str, ...] = ()
    commercial_use: str = "unknown"
    user_cap: int | None = None
    search_text: str = field(default="", repr=False)

    @property
    def licence(self) -> str:
        """The weights' licences as one label (``MIT + Llama 3.3 Community License``)."""
        return " + ".join(label for _, label in self.licences)

    @property
    def year(self) -> str:
        """The release year, or "" when the record gives no date."""
        return self.issued[:4]

    def as_json(self) -> dict[str, Any]:
        """The row as /models?format=json gives it."""
        return {
            "id": self.id, "iri": self.iri, "name": self.name, "developer": self.developer,
            "date": self.issued or None, "category": self.category, "mof_class": self.mof,
            "weights": self.weights, "weights_license": self.licence or None,
            "available_artifacts": self.available,
            "organisations": [slug for slug, _ in self.orgs], "family": self.family[0] if self.family else None,
            "modalities": [slug for slug, _ in self.modalities],
            "inherited_licences": [label for _, label in self.inherited],
            "commercial_use": self.commercial_use, "user_cap": self.user_cap, "licence_terms": list(self.terms),
        }


Select = Callable[[str], list[dict[str, Any]]]


def _text(term: Any) -> str:
    return term.value if term is not None else ""


def _licence_label(iri: str, label: str) -> str:
    if label:
        return label
    return local_name(iri) if iri.startswith("http") else "licence (free text)"


def build_rows(select: Select) -> list[ModelRow]:
    """Every model of the store, sorted by name (case-insensitive)."""
    rows = _base_rows(select(BASE_QUERY))
    _add_classes(rows, select(TYPES_QUERY))
    _add_weights(rows, select(WEIGHTS_QUERY))
    bases: dict[str, list[str]] = {}
    for r in select(BASES_QUERY):
        bases.setdefault(r["m"].value, []).append(r["b"].value)
    for r in select(AVAILABLE_QUERY):
        row = rows.get(r["m"].value)
        if row is not None:
            row.available = int(r["n"].value)
    for row in rows.values():
        _add_inherited(row, [rows[b] for b in bases.get(row.iri, ()) if b in rows])
        every = (*row.licences, *row.inherited)
        row.licence_terms = claim_terms([key for key, _ in every], dict(every)) if every else None
        row.terms, row.commercial_use, row.user_cap = term_tags(row.licence_terms)
    for attribute, query in (("orgs", ORGS_QUERY), ("family", FAMILY_QUERY), ("modalities", MODALITY_QUERY)):
        _add_entities(rows, select(query), attribute)
    for row in rows.values():
        words = (row.id, row.name, row.developer, row.licence, row.family[1] if row.family else "",
                 *(name for _, name in row.orgs))
        row.search_text = " ".join(words).casefold()
    return sorted(rows.values(), key=lambda row: (row.name.casefold(), row.id))


def _base_rows(found: list[dict[str, Any]]) -> dict[str, ModelRow]:
    """A row per model IRI from BASE_QUERY (the developer's name, else its IRI's local name or its text)."""
    rows: dict[str, ModelRow] = {}
    for r in found:
        iri = r["m"].value
        if iri in rows or not isinstance(r["m"], ox.NamedNode):
            continue
        dev = r.get("dev")
        rows[iri] = ModelRow(
            id=r["id"].value, iri=iri, name=_text(r.get("name")) or r["id"].value,
            developer=_text(r.get("devName")) or (local_name(dev.value) if isinstance(dev, ox.NamedNode)
                                                  else _text(dev)),
            issued=_text(r.get("issued")), as_of=_text(r.get("asOf")),
        )
    return rows


def _add_classes(rows: dict[str, ModelRow], found: list[dict[str, Any]]) -> None:
    """Each row's category and highest MOF class from TYPES_QUERY."""
    order = mof_order()
    for r in found:
        row = rows.get(r["m"].value)
        if row is None:
            continue
        t = r["t"].value
        if t in CATEGORY_OF:
            row.category = CATEGORY_OF[t]
        elif t in _MOF_OF and (row.mof is None or order.index(_MOF_OF[t]) < order.index(row.mof)):
            row.mof = _MOF_OF[t]  # a Class I model is also of Classes II and III: keep the highest


def _add_weights(rows: dict[str, ModelRow], found: list[dict[str, Any]]) -> None:
    """Each row's weights availability and licences from WEIGHTS_QUERY."""
    licences: dict[str, dict[str, str]] = {}
    for r in found:
        row = rows.get(r["m"].value)
        if row is None:
            continue
        if "avail" in r:
            row.weights = _AVAILABILITY.get(r["avail"].value, local_name(r["avail"].value))
        if "lic" in r:
            iri = r["lic"].value if isinstance(r["lic"], ox.NamedNode) else None
            label = _licence_label(iri or "", _text(r.get("licName")))
            licences.setdefault(row.iri, {})[iri or f"_:{r['lic'].value}"] = label
    for iri, found_licences in licences.items():
        rows[iri].licences = tuple(sorted(found_licences.items(), key=lambda pair: pair[1].casefold()))


def _add_inherited(row: ModelRow, bases: list[ModelRow]) -> None:
    """The bases' weights licences that bind derivatives (the Llama and Gemma licences do) apply to the row too."""
    own = {key for key, _ in row.licences}
    row.inherited = tuple(dict.fromkeys(
        (key, label) for base in bases for key, label in base.licences
        if key not in own and not key.startswith("_:") and binding_duties(key)))


def _add_entities(rows: dict[str, ModelRow], found: list[dict[str, Any]], attribute: str) -> None:
    """Set each row's organisations, family or modalities from a query's (model, entity, slug, label) rows."""
    collected: dict[str, dict[str, str]] = {}
    for r in found:
        if r["m"].value not in rows:
            continue
        slug = _text(r.get("slug")) or local_name(r["e"].value).rsplit("/", 1)[-1]
        collected.setdefault(r["m"].value, {}).setdefault(slug, _text(r.get("label")) or slug)
    for iri, entities in collected.items():
        pairs = tuple(sorted(entities.items(), key=lambda pair: pair[1].casefold()))
        if attribute == "family":
            rows[iri].family = pairs[0]
        else:
            setattr(rows[iri], attribute, pairs)


def facets(row: ModelRow) -> dict[str, tuple[str, ...]]:
    """The values of each /models filter a row has (a model may have several organisations or modalities)."""
    return {
        "category": (row.category,), "developer": (row.developer,), "year": (row.year,),
        "mof": (row.mof or "none",), "weights": (row.weights,),
        "licence": tuple(label for _, label in row.licences) or ("",),
        "org": tuple(slug for slug, _ in row.orgs), "family": (row.family[0],) if row.family else (),
        "modality": tuple(slug for slug, _ in row.modalities), "terms": row.terms,
    }


class Catalogue:
    """The rows and the look-ups pages need, for one store generation.

    Filtering and sorting 10,000 rows in Python on every request costs more than the pages' budget, so the
    catalogue indexes each filter's values (value -> row numbers) and keeps each sort order once computed;
    a request intersects sets and walks one order. Values derived once per generation (menus, the home
    page's summary) are kept in ``derived``."""

    def __init__(self, rows: list[ModelRow]):
        self.rows = rows
        self.by_id = {row.id: row for row in rows}
        self.index: dict[str, dict[str, set[int]]] = {}
        for number, row in enumerate(rows):
            for name, values in facets(row).items():
                for value in values:
                    if value:
                        self.index.setdefault(name, {}).setdefault(value, set()).add(number)
        self._orders: dict[str, list[int]] = {}
        self._ranks: dict[str, list[int]] = {}
        self.derived: dict[str, Any] = {}

    def order(self, name: str, key: Callable[[ModelRow], Any]) -> list[int]:
        """Row numbers sorted by ``key`` (computed once per sort name)."""
        if name not in self._orders:
            self._orders[name] = sorted(range(len(self.rows)), key=lambda i: key(self.rows[i]))
        return self._orders[name]

    def rank(self, name: str, key: Callable[[ModelRow], Any]) -> list[int]:
        """Each row's position in ``order(name)``."""
        if name not in self._ranks:
            ranks = [0] * len(self.rows)
            for position, number in enumerate(self.order(name, key)):
                ranks[number] = position
            self._ranks[name] = ranks
        return self._ranks[name]

    def derive(self, name: str, compute: Callable[[], Any]) -> Any:
        """A value computed from the rows once per generation."""
        if name not in self.derived:
            self.derived[name] = compute()
        return self.derived[name]

    def entities(self, attribute: str) -> list[tuple[str, str]]:
        """Distinct (slug, name) of the rows' organisations, families or modalities, sorted by name."""
        found: dict[str, str] = {}
        for row in self.rows:
            value = getattr(row, attribute)
            for slug, name in ([value] if attribute == "family" and value else value or ()):
                found.setdefault(slug, name)
        return sorted(found.items(), key=lambda pair: pair[1].casefold())

    def values(self, attribute: str) -> list[str]:
        """Distinct non-empty values of a row attribute, sorted (for filter menus)."""
        found = {getattr(row, attribute) for row in self.rows}
        return sorted((v for v in found if v), key=lambda v: str(v).casefold())


def catalogue_of(engine: Any) -> Catalogue:
    """The engine's catalogue, built once per store generation."""

    return page_cache(engine).get("catalogue", lambda: Catalogue(build_rows(engine.select)))
