"""Per-model facts read from record triples, and the choice of the deciding claim per artifact.

Records may carry several claims about one artifact (imported from several sources). Both stay in the
graph with their sources; the classifier decides on one per artifact, by the rule in ``deciding_claim``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache, lru_cache
from typing import Any

import pyoxigraph as ox

from kg.perf import gc_paused
from kg.records import terms as P
from kg.records.entity_fields import P_FAMILY, P_MODALITY, family_key, modality_keys
from kg.records.terms import term_key
from kg.vocab import AIO, ARTIFACTS, AVAILABILITY, MODEL

KNOWN_AVAILABILITY = {str(AIO.Public), str(AIO.Gated), str(AIO.NotReleased)}
_WANTED = {
    P.RDF_TYPE.value, P.P_ID.value, P.P_NAME.value, P.P_DEVELOPER.value, P.P_SOURCE.value, P.P_AS_OF.value,
    P.P_CHECKED.value, P.P_RELEASE.value, P.P_ARTIFACT.value, P.P_AVAILABILITY.value, P.P_LICENSE.value,
    P.P_URL.value, P.RDFS_LABEL.value, P.P_ISSUED.value, P_FAMILY.value, P_MODALITY.value,
}


@dataclass(slots=True)  # slots: 100,000 models make about a million of these
class Claim:
    """One release statement: an artifact's availability and licence, with its evidence."""

    release: str
    kind: str
    availability: str | None = None
    licences: list[str] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)
    urls: list[str] = field(default_factory=list)
    as_of: str | None = None
    checked: str | None = None

    @property
    def known(self) -> bool:
        """Whether the claim states a definite availability (public, gated or not-released)."""
        return self.availability in KNOWN_AVAILABILITY


@dataclass(slots=True)
class ModelFacts:
    """What the records say about one model, with the deciding claim per artifact kind."""

    iri: str
    id: str = ""
    name: str = ""
    developer: str = ""
    sources: list[str] = field(default_factory=list)
    as_of: str | None = None
    checked: str | None = None
    family: str | None = None
    #: the model's modalities (IRIs of aio:Modality, or the text a record gave)
    modalities: list[str] = field(default_factory=list)
    claims: dict[str, list[Claim]] = field(default_factory=dict)
    deciding: dict[str, Claim] = field(default_factory=dict)
    labels: dict[str, str] = field(default_factory=dict)

    def conflicts(self) -> dict[str, list[Claim]]:
        """Artifact kinds whose claims state different definite availabilities."""
        out = {}
        for kind, claims in self.claims.items():
            if len(claims) > 1 and len({c.availability for c in claims if c.known}) > 1:
                out[kind] = claims
        return out


def deciding_claim(claims: list[Claim]) -> Claim:
    """The claim the classifier uses, by the merge rule of ``kg.merge`` (one rule for import and reasoning)."""
    from kg.merge import choose_deciding_claim

    return choose_deciding_claim(claims)


@cache
def _artifact_iris() -> dict[str, str]:
    """Artifact slug -> kind IRI."""
    return {slug: str(iri) for slug, iri in ARTIFACTS.items()}


@cache
def _availability_iris() -> dict[str, str]:
    """Availability value -> its IRI."""
    return {value: str(iri) for value, iri in AVAILABILITY.items()}


def _release_of(claim: Claim) -> str:
    return claim.release


def _licences_of_value(value: Any) -> tuple[tuple[str, ...], tuple[tuple[str, str], ...]]:
    """The licence keys of a claim's licence value, and the labels of its free-text licences."""
    keys: list[str] = []
    labels: list[tuple[str, str]] = []
    for node, extra in P.license_nodes(value):
        key = term_key(node)
        keys.append(key)
        if extra:
            labels.append((key, extra[-1].object.value))
    return tuple(keys), tuple(labels)


def _key(term: Any) -> str:
    return term.value if not isinstance(term, ox.BlankNode) else f"_:{term.value}"


def collect_facts(triples: Iterable[Any]) -> dict[str, ModelFacts]:
    """Group triples (anything with subject/predicate/object pyoxigraph terms) into per-model facts."""
    models: dict[str, ModelFacts] = {}
    model_of_release: dict[str, str] = {}
    props: dict[str, dict[str, list[str]]] = {}
    labels: dict[str, str] = {}
    wanted = _WANTED
    rdf_type, has_release, rdfs_label = P.RDF_TYPE.value, P.P_RELEASE.value, P.RDFS_LABEL.value
    ai_model = P.C_MODEL.value
    blank = ox.BlankNode
    with gc_paused():
        for t in triples:
            p = t.predicate.value
            if p not in wanted:
                continue
            subject = t.subject
            s = subject.value if type(subject) is not blank else "_:" + subject.value
            o = t.object
            if p == rdf_type:
                if o.value == ai_model and s not in models:
                    models[s] = ModelFacts(iri=s)
                continue
            ov = o.value if type(o) is not blank else "_:" + o.value
            if p == has_release:
                model_of_release[ov] = s
                if s not in models:
                    models[s] = ModelFacts(iri=s)
                continue
            if p == rdfs_label:
                labels[s] = ov
                continue
            sp = props.get(s)
            if sp is None:
                sp = props[s] = {}
            values = sp.get(p)
            if values is None:
                sp[p] = [ov]
            else:
                values.append(ov)
        return _assemble(models, model_of_release, props, labels)


def _assemble(models: dict[str, ModelFacts], model_of_release: dict[str, str],
              props: dict[str, dict[str, list[str]]], labels: dict[str, str]) -> dict[str, ModelFacts]:
    """Per-model facts from statements grouped by subject (the common tail of both fact collectors)."""
    releases: dict[str, Claim] = {}
    for release, model in model_of_release.items():
        rp = props.get(release, {})
        kinds = rp.get(P.P_ARTIFACT.value)
        if not kinds:
            continue
        avail = rp.get(P.P_AVAILABILITY.value)
        releases[release] = Claim(
            release=release, kind=kinds[0], availability=avail[0] if avail else None,
            licences=rp.get(P.P_LICENSE.value, []), sources=rp.get(P.P_SOURCE.value, []),
            urls=rp.get(P.P_URL.value, []), as_of=(rp.get(P.P_AS_OF.value) or [None])[0],
            checked=(rp.get(P.P_CHECKED.value) or [None])[0],
        )
        models[model].claims.setdefault(kinds[0], []).append(releases[release])
    for iri, facts in models.items():
        mp = props.get(iri, {})
        facts.id = (mp.get(P.P_ID.value) or [""])[0]
        facts.name = (mp.get(P.P_NAME.value) or [facts.id])[0]
        facts.developer = (mp.get(P.P_DEVELOPER.value) or [""])[0]
        facts.sources = mp.get(P.P_SOURCE.value, [])
        facts.as_of = (mp.get(P.P_AS_OF.value) or [None])[0]
        facts.checked = (mp.get(P.P_CHECKED.value) or [None])[0]
        facts.family = (mp.get(P_FAMILY.value) or [None])[0]
        facts.modalities = sorted(set(mp.get(P_MODALITY.value, [])))
        facts.labels = labels
        for kind, claims in facts.claims.items():
            claims.sort(key=lambda c: c.release)
            facts.deciding[kind] = claims[0] if len(claims) == 1 else deciding_claim(claims)
    return models


def _texts(value: Any) -> list[str]:
    """``[text(v) for v in as_list(value)]``, with a short cut for the usual single string."""
    if value is None:
        return []
    if value.__class__ is str:
        if ";" not in value:
            stripped = value.strip()
            return [stripped] if stripped else []
        return [part.strip() for part in value.split(";") if part.strip()]
    return [P.text(v) for v in P.as_list(value)]


@lru_cache(maxsize=4096)
def _licences_of_text(value: str) -> tuple[tuple[str, ...], tuple[tuple[str, str], ...]]:
    """``_licences_of_value`` of a licence cell, cached per text (a file uses a few licences many times)."""
    return _licences_of_value(value)


def _availability(value: Any) -> str | None:
    """A claim's availability as the collectors store it: the IRI of a known value, else the text; None if empty."""
    if value in (None, ""):
        return None
    value = P.text(value)
    return _availability_iris().get(value, value)


def _licence_keys(value: Any, labels: dict[str, str], cache: dict[str, tuple[str, ...]]) -> list[str]:
    """The licence keys of a claim's licence value, noting free-text licences' labels in ``labels``."""
    if value.__class__ is str:
        keys, named = _licences_of_text(value)
        cache[value] = keys
    else:
        keys, named = _licences_of_value(value)
    for key, label in named:
        labels[key] = label
    return list(keys)


def _claim(release: str, kind: str, claim: Mapping[str, Any], labels: dict[str, str],
           licence_cache: dict[str, tuple[str, ...]]) -> Claim:
    """One claim of a plain record (any shape ``claims_of`` gives)."""
    licence = claim.get("license")
    first_as_of = _texts(claim.get("as_of"))
    first_checked = _texts(claim.get("checked"))
    return Claim(
        release, kind, _availability(claim.get("availability")),
        [] if licence is None else _licence_keys(licence, labels, licence_cache),
        _texts(claim.get("source")), _texts(claim.get("url")),
        first_as_of[0] if first_as_of else None, first_checked[0] if first_checked else None,
    )


def _note_history_labels(claim: Mapping[str, Any], labels: dict[str, str],
                         licence_cache: dict[str, tuple[str, ...]]) -> None:
    """Note the labels of the free-text licences a claim's history names, as ``collect_facts`` does."""
    history = claim.get("history")
    for state in history if isinstance(history, list) else []:
        if isinstance(state, Mapping) and state.get("license") is not None:
            _licence_keys(state["license"], labels, licence_cache)


def collect_facts_from_plain(records: Iterable[tuple[int, Mapping[str, Any]]]) -> dict[str, ModelFacts]:
    """The same facts as ``collect_facts(record_to_triples(...))``, straight from plain records.

    Classifying a CSV or JSON file does not need its RDF; skipping it is what makes ``openness classify`` fast
    (docs/benchmarks.md). ``tests/test_reasoner_facts.py`` proves both collectors give equal facts. ``records``
    are ``(index, record)`` pairs, the index naming a record without a usable id as ``record_to_triples``
    does.
    """
    pairs = records if isinstance(records, list) else list(records)
    with gc_paused():
        direct = _collect_direct(pairs)
        return direct if direct is not None else _collect_grouped(pairs)


class _Merges(Exception):
    """Two records name one model, or two claims one release node: their statements merge as in RDF."""


@dataclass(slots=True)
class _Lookups:
    """What the direct collector looks up for every claim, built once per call."""

    artifact_iris: dict[str, str]
    availability_iris: dict[str, str]
    labels: dict[str, str] = field(default_factory=dict)
    #: licence cell -> its licence keys (the labels of free-text ones are in ``labels`` once seen)
    licence_cache: dict[str, tuple[str, ...]] = field(default_factory=dict)


def _collect_direct(records: list[tuple[int, Mapping[str, Any]]]) -> dict[str, ModelFacts] | None:
    """Facts built record by record, without grouping statements by subject first (the common case).

    Returns None when two records name the same model or two claims of a record the same release node:
    their statements then merge as in RDF, which ``_collect_grouped`` does.
    """
    lookups = _Lookups(_artifact_iris(), _availability_iris())
    models: dict[str, ModelFacts] = {}
    try:
        for index, record in records:
            facts, named = _direct_model(index, record, lookups.labels)
            if facts.iri in models:
                return None
            models[facts.iri] = facts
            artifacts = record.get("artifacts") or {}
            if isinstance(artifacts, Mapping) and artifacts:
                _direct_claims(facts, named, artifacts, lookups)
                _decide(facts)
    except _Merges:
        return None
    return models


def _first(values: list[str] | None) -> str | None:
    return values[0] if values else None


def _direct_model(index: int, record: Mapping[str, Any], labels: dict[str, str]) -> tuple[ModelFacts, bool]:
    """A record's model-level facts, and whether its id names the model (else a blank node does)."""
    get, text, texts = record.get, P.text, _texts
    rid = get("id")
    s = text(rid) if rid is not None else ""
    named = bool(s and P.ID_SAFE.match(s))
    m = ox.NamedNode(str(MODEL) + s).value if named else f"_:record{index}"  # validates as ``model_node``
    names, developers = texts(get("name")), texts(get("developer"))
    as_of = texts(value) if (value := get("as_of")) is not None else None
    checked = texts(value) if (value := get("checked")) is not None else None
    facts = ModelFacts(
        iri=m, id=text(rid) if rid not in (None, "") else "", sources=texts(get("source")),
        as_of=_first(as_of), checked=_first(checked), labels=labels,
    )
    facts.name = names[0] if names else facts.id
    facts.developer = developers[0] if developers else ""
    if (family := get("family")) is not None:
        facts.family = family_key(family)
    if (modality := get("modality")) is not None:
        facts.modalities = sorted(set(modality_keys(modality)))
    return facts, named


def _add_claim(by_kind: dict[str, list[Claim]], kind: str, claim: Claim) -> None:
    same = by_kind.get(kind)
    if same is None:
        by_kind[kind] = [claim]
    else:
        same.append(claim)


def _direct_claims(facts: ModelFacts, named: bool, artifacts: Mapping[str, Any], lookups: _Lookups) -> None:
    """Every claim of a record's artifacts into ``facts.claims``; raises ``_Merges`` when nodes collide."""
    m, by_kind, text = facts.iri, facts.claims, P.text
    releases: set[str] | None = None
    for slug, entry in artifacts.items():
        slug = slug.strip() if slug.__class__ is str else text(slug)
        kind = lookups.artifact_iris.get(slug)
        if kind in by_kind:  # two keys for one artifact (" weights" and "weights"): their claims merge
            raise _Merges
        if named and kind is not None and entry.__class__ is dict:
            # the usual entry: one claim about a known artifact, as every CSV cell gives
            _add_claim(by_kind, kind, _usual_claim(f"{m}#{slug}", kind, entry, lookups))
        else:
            releases = _general_claims(facts, named, slug, kind, entry, releases, lookups)


def _usual_claim(release: str, kind: str, entry: dict[str, Any], lookups: _Lookups) -> Claim:
    """One claim given as a mapping of strings, read with the fewest conversions (the hot path)."""
    texts, cget = _texts, entry.get
    availability = cget("availability")
    if availability.__class__ is str:
        value = lookups.availability_iris.get(availability)
        availability = value if value is not None else _availability(availability)
    elif availability is not None:
        availability = _availability(availability)
    licence = cget("license")
    if licence is None:
        licences: list[str] = []
    elif licence.__class__ is str and (known := lookups.licence_cache.get(licence)) is not None:
        licences = list(known)
    else:
        licences = _licence_keys(licence, lookups.labels, lookups.licence_cache)
    value = cget("url")
    if value.__class__ is str and ";" not in value:
        value = value.strip()
        urls = [value] if value else []
    else:
        urls = [] if value is None else texts(value)
    sources = texts(value) if (value := cget("source")) is not None else []
    claim_as_of = texts(value) if (value := cget("as_of")) is not None else None
    claim_checked = texts(value) if (value := cget("checked")) is not None else None
    if cget("history"):
        _note_history_labels(entry, lookups.labels, lookups.licence_cache)
    return Claim(release, kind, availability, licences, sources, urls, _first(claim_as_of), _first(claim_checked))


def _general_claims(facts: ModelFacts, named: bool, slug: str, kind: str | None, entry: Any,
                    releases: set[str] | None, lookups: _Lookups) -> set[str] | None:
    """Claims of an unusual entry (several claims, an unknown artifact, a blank-node model); returns the
    release nodes seen so far once they may collide."""
    m, by_kind = facts.iri, facts.claims
    entries = P.claims_of(entry)
    if kind is None or len(entries) > 1 or not named:
        releases = set() if releases is None else releases  # release nodes may collide: check
        if kind is None:
            kind = slug
            if kind in by_kind:
                raise _Merges
    for n, claim in enumerate(entries, start=1):
        if named and n == 1 and slug in lookups.artifact_iris:
            release = f"{m}#{slug}"
        else:
            model = ox.NamedNode(m) if named else ox.BlankNode(m[2:])
            release = term_key(P.release_node(model, slug, n))
        if releases is not None:
            if release in releases:
                raise _Merges
            releases.add(release)
        _add_claim(by_kind, kind, _claim(release, kind, claim, lookups.labels, lookups.licence_cache))
        if claim.get("history"):
            _note_history_labels(claim, lookups.labels, lookups.licence_cache)
    return releases


def _decide(facts: ModelFacts) -> None:
    """The deciding claim per artifact kind, by ``deciding_claim`` where a kind has several."""
    deciding = facts.deciding
    for kind, claims in facts.claims.items():
        if len(claims) == 1:
            deciding[kind] = claims[0]
        else:
            claims.sort(key=_release_of)
            deciding[kind] = deciding_claim(claims)


def _collect_grouped(records: Iterable[tuple[int, Mapping[str, Any]]]) -> dict[str, ModelFacts]:
    """Plain records' statements grouped by subject, then assembled: the general case, where records merge."""
    artifact_iris, availability_iris = _artifact_iris(), _availability_iris()
    models: dict[str, ModelFacts] = {}
    model_of_release: dict[str, str] = {}
    props: dict[str, dict[str, list[str]]] = {}
    labels: dict[str, str] = {}
    as_list, text = P.as_list, P.text
    for index, record in records:
        model = P.model_node(record.get("id"), f"record{index}")
        m = term_key(model)
        if m not in models:
            models[m] = ModelFacts(iri=m)
        mp = props.setdefault(m, {})
        if record.get("id") not in (None, ""):
            mp.setdefault(P.P_ID.value, []).append(text(record["id"]))
        for key, predicate in (("name", P.P_NAME), ("developer", P.P_DEVELOPER), ("source", P.P_SOURCE),
                               ("as_of", P.P_AS_OF), ("checked", P.P_CHECKED)):
            values = as_list(record.get(key))
            if values:
                mp.setdefault(predicate.value, []).extend(text(v) for v in values)
        if (family := family_key(record.get("family"))) is not None:
            mp.setdefault(P_FAMILY.value, []).append(family)
        mp.setdefault(P_MODALITY.value, []).extend(modality_keys(record.get("modality")))
        artifacts = record.get("artifacts") or {}
        if not isinstance(artifacts, Mapping):
            continue
        for slug, entry in artifacts.items():
            slug = text(slug)
            for n, claim in enumerate(P.claims_of(entry), start=1):
                r = term_key(P.release_node(model, slug, n))
                model_of_release[r] = m
                rp = props.setdefault(r, {})
                rp.setdefault(P.P_ARTIFACT.value, []).append(artifact_iris.get(slug, slug))
                availability = claim.get("availability")
                if availability not in (None, ""):
                    value = text(availability)
                    rp.setdefault(P.P_AVAILABILITY.value, []).append(availability_iris.get(value, value))
                for node, extra in P.license_nodes(claim.get("license")):
                    key = term_key(node)
                    rp.setdefault(P.P_LICENSE.value, []).append(key)
                    if extra:
                        labels[key] = extra[-1].object.value
                if claim.get("history"):
                    _note_history_labels(claim, labels, {})
                for key, predicate in (("url", P.P_URL), ("source", P.P_SOURCE), ("as_of", P.P_AS_OF),
                                       ("checked", P.P_CHECKED)):
                    values = as_list(claim.get(key))
                    if values:
                        rp.setdefault(predicate.value, []).extend(text(v) for v in values)
    return _assemble(models, model_of_release, props, labels)
