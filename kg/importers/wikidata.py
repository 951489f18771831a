"""Import model records from Wikidata over SPARQL (the Wikidata Query Service, or ``--endpoint``).

Read per item: English label, developer (P178), licence (P275, with the licence's SPDX id P2479),
official website (P856), source-code repository (P1324), publication date (P577, at its precision) and
instance of (P31). The record links to the item with ``skos:exactMatch`` (its ``wikidata`` field).

Wikidata says what a model *is*, not what was released, so the mapping claims little (docs/registries.md):
the licence is recorded on the weights with availability ``unknown``; a source repository means some
code is public (recorded as the inference code); everything else stays ``unknown``.

The queries use only standard SPARQL 1.1 and the RDF the service exports (no ``wikibase:label`` or
``mwapi`` services), so they run unchanged against any endpoint loaded with Wikidata's RDF.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from kg import __version__
from kg.errors import UnreadableInputError
from kg.importers.common import slugify, today
from kg.importers.registry import ImportOptions, ImportResult
from kg.parsing import load_json

PUBLIC_ENDPOINT = "https://query.wikidata.org/sparql"
#: Wikimedia's User-Agent policy asks for a name, a version and a way to reach the maintainers.
USER_AGENT = f"ai-openness-kg/{__version__} (https://w3id.org/ai-openness; openness import wikidata) SPARQLWrapper"
ENTITY = "http://www.wikidata.org/entity/"
PAGE = "https://www.wikidata.org/wiki/"
DATASET = "https://www.wikidata.org/"
BATCH = 50
#: The largest answer read from an endpoint (a batch of items is a few hundred KiB).
MAX_ANSWER_BYTES = 64 * 2**20

_QID = re.compile(r"Q[1-9]\d*")
_PREFIXES = """PREFIX wd: <http://www.wikidata.org/entity/>
PREFIX wdt: <http://www.wikidata.org/prop/direct/>
PREFIX p: <http://www.wikidata.org/prop/>
PREFIX psv: <http://www.wikidata.org/prop/statement/value/>
PREFIX wikibase: <http://wikiba.se/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
"""

#: Words in an English P31 label that say the item is some kind of model.
_MODEL_TYPES = ("model", "neural network", "chatbot", "transformer", "machine learning")


def parse_qid(text: str) -> str | None:
    """The QID in ``text`` (``Q42``, ``q42``, an entity IRI or a wiki page URL), or None.

    >>> parse_qid("https://www.wikidata.org/wiki/Q115305900"), parse_qid("42")
    ('Q115305900', None)
    """
    text = text.strip().rstrip("/")
    for prefix in (ENTITY, PAGE, "https://www.wikidata.org/entity/", "wd:"):
        if text.startswith(prefix):
            text = text[len(prefix) :]
            break
    text = text[:1].upper() + text[1:]
    return text if _QID.fullmatch(text) else None


def item_query(qids: Sequence[str]) -> str:
    """The SPARQL query for the facts of the items ``qids``: one row per (item, facet, value)."""
    values = " ".join(f"wd:{q}" for q in qids)
    return _PREFIXES + f"""SELECT ?item ?itemLabel ?facet ?value ?valueLabel ?spdx ?precision WHERE {{
  VALUES ?item {{ {values} }}
  OPTIONAL {{ ?item rdfs:label ?itemLabel . FILTER(LANG(?itemLabel) = "en") }}
  OPTIONAL {{
    {{ ?item wdt:P178 ?value . BIND("developer" AS ?facet) }}
    UNION {{ ?item wdt:P275 ?value . BIND("license" AS ?facet) OPTIONAL {{ ?value wdt:P2479 ?spdx }} }}
    UNION {{ ?item wdt:P856 ?value . BIND("website" AS ?facet) }}
    UNION {{ ?item wdt:P1324 ?value . BIND("repository" AS ?facet) }}
    UNION {{ ?item wdt:P31 ?value . BIND("type" AS ?facet) }}
    UNION {{ ?item p:P577 ?statement . ?statement psv:P577 ?time .
             ?time wikibase:timeValue ?value ; wikibase:timePrecision ?precision .
             FILTER NOT EXISTS {{ ?statement wikibase:rank wikibase:DeprecatedRank }}
             BIND("date" AS ?facet) }}
    OPTIONAL {{ ?value rdfs:label ?valueLabel . FILTER(LANG(?valueLabel) = "en") }}
  }}
}}"""


def search_query(text: str, limit: int = 20) -> str:
    """The SPARQL query for items whose English label or alias is exactly ``text``."""
    literal = '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ") + '"@en'
    return _PREFIXES + f"""SELECT DISTINCT ?item WHERE {{
  VALUES ?text {{ {literal} }}
  {{ ?item rdfs:label ?text }} UNION {{ ?item skos:altLabel ?text }}
  ?item wdt:P31 ?type .
}} LIMIT {int(limit)}"""


class QueryFailed(Exception):
    """A query could not be answered; the message is one line for the user."""


def run_query(query: str, endpoint: str, timeout: float) -> list[dict[str, Any]]:
    """The bindings of a SELECT query, sent with the project's User-Agent; raises QueryFailed."""
    import urllib.error

    from SPARQLWrapper import GET, JSON, SPARQLWrapper
    from SPARQLWrapper.SPARQLExceptions import SPARQLWrapperException

    client = SPARQLWrapper(endpoint, agent=USER_AGENT)
    client.setQuery(query)
    client.setMethod(GET)
    client.setReturnFormat(JSON)
    client.setTimeout(int(max(1, timeout)))
    try:
        # the raw answer, parsed here: SPARQLWrapper would follow the answer's Content-Type (XML through
        # minidom, with its entities) and read any size
        response = client.query().response
        content_type = (response.headers.get("Content-Type") or "").split(";")[0].strip()
        body = response.read(MAX_ANSWER_BYTES + 1)
    except urllib.error.HTTPError as exc:
        if exc.code == 429:
            wait = (exc.headers.get("Retry-After") or "").strip() if exc.headers else ""
            when = f"retry in {wait} s" if wait.isdigit() else "retry later"
            raise QueryFailed(f"rate limited by {endpoint} (HTTP 429): {when}") from None
        raise QueryFailed(f"{endpoint} answered HTTP {exc.code} {exc.reason}") from None
    except SPARQLWrapperException as exc:
        first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise QueryFailed(f"{endpoint} refused the query ({first[:200]})") from None
    except (urllib.error.URLError, TimeoutError, ConnectionError) as exc:
        reason = getattr(exc, "reason", exc)
        raise QueryFailed(f"cannot reach {endpoint} (network failure: {reason})") from None
    if len(body) > MAX_ANSWER_BYTES:
        raise QueryFailed(f"{endpoint} sent more than {MAX_ANSWER_BYTES // 2**20} MiB of results")
    if "json" not in content_type:
        raise QueryFailed(f"{endpoint} answered {content_type or 'without a Content-Type'}, not SPARQL JSON results")
    try:
        result = load_json(body.decode("utf-8", errors="replace"), endpoint)  # bounded nesting
    except UnreadableInputError as exc:
        raise QueryFailed(f"{endpoint} sent unreadable results ({exc.message})") from None
    if not isinstance(result, dict) or not isinstance(result.get("results"), dict):
        raise QueryFailed(f"{endpoint} sent no SPARQL JSON results")
    return list(result["results"].get("bindings", []))


def records_from_bindings(qids: Sequence[str], bindings: list[dict[str, Any]]) -> dict[str, dict]:
    """One plain record per QID that exists (has a label or a fact), from the query's rows."""
    facts: dict[str, dict[str, Any]] = {}
    for row in bindings:
        qid = row["item"]["value"].rsplit("/", 1)[-1]
        entry = facts.setdefault(qid, {"label": None, "developer": {}, "license": {}, "website": [],
                                       "repository": [], "type": {}, "date": []})
        if "itemLabel" in row:
            entry["label"] = row["itemLabel"]["value"]
        facet = row.get("facet", {}).get("value")
        if facet is None or "value" not in row:
            continue
        value = row["value"]["value"]
        label = row.get("valueLabel", {}).get("value")
        if facet in ("developer", "type"):
            entry[facet][value] = label or value.rsplit("/", 1)[-1]
        elif facet == "license":
            entry["license"][value] = _license_id(row.get("spdx", {}).get("value"), label, value)
        elif facet in ("website", "repository"):
            if value not in entry[facet]:
                entry[facet].append(value)
        elif facet == "date":
            entry["date"].append(_date_at_precision(value, row.get("precision", {}).get("value")))
    records: dict[str, dict] = {}
    for qid in qids:
        entry = facts.get(qid)
        if entry is None or (entry["label"] is None and not any(entry[k] for k in entry if k != "label")):
            continue
        records[qid] = _record(qid, entry)
    return records


def _record(qid: str, entry: dict[str, Any]) -> dict:
    name = entry["label"] or qid
    page = PAGE + qid
    record: dict[str, Any] = {
        "id": slugify(name) if entry["label"] else qid.lower(),
        "name": name,
        "developer": ", ".join(sorted(entry["developer"].values())) or None,
        "wikidata": qid,
        "source": [page, *entry["website"]],
        "as_of": today(),
        "dataset": DATASET,
    }
    dates = sorted(d for d in entry["date"] if d)
    if dates:
        record["date"] = dates[0]
    artifacts: dict[str, Any] = {}
    if entry["license"]:
        artifacts["weights"] = {
            "availability": "unknown",
            "license": sorted(set(entry["license"].values())),
            "source": [page],
        }
    if entry["repository"]:
        artifacts["inference_code"] = {"availability": "public", "url": entry["repository"], "source": [page]}
    if artifacts:
        record["artifacts"] = artifacts
    record["_types"] = sorted(entry["type"].values())
    return {k: v for k, v in record.items() if v is not None}


def _license_id(spdx: str | None, label: str | None, iri: str) -> str:
    if spdx:
        return spdx
    from kg.licenses import canonical_license_id

    if label:
        return canonical_license_id(label) or label
    return iri.rsplit("/", 1)[-1]


def _date_at_precision(value: str, precision: str | None) -> str | None:
    """A Wikidata time value cut to its precision: 9 year, 10 month, 11 day."""
    m = re.match(r"\+?(\d{4})-(\d{2})-(\d{2})", value)
    if not m:
        return None
    try:
        p = int(precision) if precision is not None else 11
    except ValueError:
        p = 11
    if p <= 9:
        return m.group(1)
    if p == 10:
        return f"{m.group(1)}-{m.group(2)}"
    return "-".join(m.groups())


def import_records(args: Sequence[str], options: ImportOptions) -> ImportResult:
    """Import the items named in ``args`` (QIDs) and found by ``options.search`` (exact labels)."""
    endpoint = options.endpoint or PUBLIC_ENDPOINT
    result = ImportResult()
    qids: list[str] = []
    for arg in args:
        qid = parse_qid(arg)
        if qid is None:
            result.problems.append(f"wikidata: {arg!r} is no Wikidata item id (expected Q followed by digits)")
        elif qid not in qids:
            qids.append(qid)
    for text in options.search:
        try:
            rows = run_query(search_query(text), endpoint, options.timeout)
        except QueryFailed as exc:
            result.problems.append(f"wikidata: search {text!r}: {exc}")
            continue
        found = [r["item"]["value"].rsplit("/", 1)[-1] for r in rows]
        if not found:
            result.problems.append(f"wikidata: search {text!r}: no item has this English label or alias")
        qids.extend(q for q in found if q not in qids)
    taken: set[str] = set()
    for start in range(0, len(qids), BATCH):
        batch = qids[start : start + BATCH]
        try:
            records = records_from_bindings(batch, run_query(item_query(batch), endpoint, options.timeout))
        except QueryFailed as exc:
            result.problems.extend(f"wikidata: {q}: {exc}" for q in batch)
            continue
        for qid in batch:
            record = records.get(qid)
            if record is None:
                result.problems.append(f"wikidata: {qid}: no such item on {endpoint}")
                continue
            types = record.pop("_types")
            if record["id"] in taken:  # two items with one label: the QID tells them apart
                record["id"] = f"{record['id']}-{qid.lower()}"
            taken.add(record["id"])
            if not any(word in t.lower() for t in types for word in _MODEL_TYPES):
                kinds = ", ".join(types) or "nothing"
                result.notes.append(f"wikidata: {qid} ({record['name']}) is an instance of {kinds}, not a model")
            result.records.append(record)
        if options.progress:
            options.progress(min(start + BATCH, len(qids)), len(qids), batch[-1])
    return result
