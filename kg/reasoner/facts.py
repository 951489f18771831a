"""Per-model facts read from record triples or plain records, and the choice of the deciding claim per
artifact.

Which facts there are is the record field table's (``kg.records.fields``): each row with a ``fact`` names the
attribute of ``ModelFacts`` or ``Claim`` its values fill, and its codec (``kg.records.mapping``) says what a
plain value becomes. Records may carry several claims about one artifact (imported from several sources).
Both stay in the graph with their sources; the classifier decides on one per artifact, by the rule in
``deciding_claim``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, fields
from typing import Any

import pyoxigraph as ox

from kg.perf import gc_paused
from kg.records import terms as P
from kg.records.fields import CLAIM_FIELDS, RECORD_FIELDS, STATE_FIELDS, Field
from kg.records.mapping import CODECS
from kg.records.terms import term_key
from kg.vocab import AIO, ARTIFACTS, MODEL

KNOWN_AVAILABILITY = {str(AIO.Public), str(AIO.Gated), str(AIO.NotReleased)}
#: Artifact slug -> its kind's IRI.
_ARTIFACT_IRIS = {slug: str(iri) for slug, iri in ARTIFACTS.items()}


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


#: A codec's ``keys``: (plain value, licence labels to note) -> the values the facts keep.
Keys = Callable[[Any, dict[str, str]], list[str]]


@dataclass(frozen=True, slots=True)
class FactField:
    """A row of the field table that fills a fact: where its values come from and where they go."""

    key: str
    predicate: str
    attr: str
    #: True for a list attribute (every value), False for a single one (the first value).
    many: bool
    keys: Keys


def fact_fields(table: Iterable[Field], target: type) -> tuple[FactField, ...]:
    """The rows of ``table`` that fill attributes of ``target`` (``ModelFacts`` or ``Claim``)."""
    lists = {f.name for f in fields(target) if f.default_factory is list}
    names = {f.name for f in fields(target)}
    out = []
    for f in table:
        if f.fact is None:
            continue
        if f.fact not in names or f.term is None or f.predicate is None or f.fact in {o.attr for o in out}:
            raise ValueError(f"field {f.key!r}: fact {f.fact!r} needs an attribute of {target.__name__} no other "
                             "field fills, a codec and a predicate")
        out.append(FactField(f.key, f.predicate, f.fact, f.fact in lists, CODECS[f.term].keys))
    return tuple(out)


MODEL_FACTS = fact_fields(RECORD_FIELDS, ModelFacts)
CLAIM_FACTS = fact_fields(CLAIM_FIELDS, Claim)
#: Plain key -> (attribute, many, codec keys): what ``_fill_plain`` unpacks per value.
_Fill = tuple[str, bool, Keys]
_MODEL_FILLS: dict[str, _Fill] = {f.key: (f.attr, f.many, f.keys) for f in MODEL_FACTS}
_CLAIM_FILLS: dict[str, _Fill] = {f.key: (f.attr, f.many, f.keys) for f in CLAIM_FACTS}
#: The state fields whose free-text licences' labels the facts note (the graph labels them wherever they are).
_STATE_LICENCES = tuple(f for f in STATE_FIELDS if f.term == "license")
_WANTED = {
    P.RDF_TYPE.value, P.P_RELEASE.value, P.P_ARTIFACT.value, P.RDFS_LABEL.value,
    *(f.predicate for f in MODEL_FACTS), *(f.predicate for f in CLAIM_FACTS),
}


def deciding_claim(claims: list[Claim]) -> Claim:
    """The claim the classifier uses, by the merge rule of ``kg.merge`` (one rule for import and reasoning)."""
    from kg.merge import choose_deciding_claim

    return choose_deciding_claim(claims)


def _release_of(claim: Claim) -> str:
    return claim.release


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
    """Per-model facts from statements grouped by subject (predicate IRI -> values): the common tail of
    ``collect_facts`` and of the plain collector when records merge."""
    artifact = P.P_ARTIFACT.value
    for release, model in model_of_release.items():
        rp = props.get(release, {})
        kinds = rp.get(artifact)
        if not kinds:
            continue
        claim = Claim(release=release, kind=kinds[0])
        _fill_grouped(claim, rp, CLAIM_FACTS)
        _add_claim(models[model].claims, kinds[0], claim)
    for iri, facts in models.items():
        _fill_grouped(facts, props.get(iri, {}), MODEL_FACTS)
        facts.labels = labels
        _settle(facts)
    return models


def _fill_grouped(target: ModelFacts | Claim, props: Mapping[str, list[str]], facts: tuple[FactField, ...]) -> None:
    """Set ``target``'s facts from a subject's grouped statements."""
    for f in facts:
        values = props.get(f.predicate)
        if values:
            setattr(target, f.attr, values if f.many else values[0])


def _fill_plain(target: ModelFacts | Claim, mapping: Mapping[str, Any], facts: Mapping[str, _Fill],
                labels: dict[str, str]) -> None:
    """Set ``target``'s facts from a plain record or claim, each value as its field's codec keeps it. Walks
    the mapping's keys, not the table's: a claim states a few of its fields."""
    fill_of = facts.get
    for key, value in mapping.items():
        fill = fill_of(key)
        if fill is not None and value is not None:
            attr, many, codec_keys = fill
            if keys := codec_keys(value, labels):
                setattr(target, attr, keys if many else keys[0])


def _settle(facts: ModelFacts) -> None:
    """What holds for every model's facts however they were collected: a model without a name is called by
    its id, modalities are a sorted set, and each artifact kind has its deciding claim."""
    if not facts.name:
        facts.name = facts.id
    if facts.modalities:
        facts.modalities = sorted(set(facts.modalities))
    deciding = facts.deciding
    for kind, claims in facts.claims.items():
        if len(claims) == 1:
            deciding[kind] = claims[0]
        else:
            claims.sort(key=_release_of)
            deciding[kind] = deciding_claim(claims)


def _note_history_labels(claim: Mapping[str, Any], labels: dict[str, str]) -> None:
    """Note the labels of the free-text licences a claim's history names, as ``collect_facts`` does."""
    history = claim.get("history")
    for state in history if isinstance(history, list) else []:
        if isinstance(state, Mapping):
            for f in _STATE_LICENCES:
                if (value := state.get(f.key)) is not None:
                    CODECS[f.term or ""].keys(value, labels)


def _claim(release: str, kind: str, entry: Mapping[str, Any], labels: dict[str, str]) -> Claim:
    """One claim of a plain record (any shape ``claims_of`` gives)."""
    claim = Claim(release, kind)
    _fill_plain(claim, entry, _CLAIM_FILLS, labels)
    if entry.get("history"):
        _note_history_labels(entry, labels)
    return claim


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


def _collect_direct(records: list[tuple[int, Mapping[str, Any]]]) -> dict[str, ModelFacts] | None:
    """Facts built record by record, without grouping statements by subject first (the common case).

    Returns None when two records name the same model or two claims of a record the same release node:
    their statements then merge as in RDF, which ``_collect_grouped`` does.
    """
    labels: dict[str, str] = {}
    models: dict[str, ModelFacts] = {}
    try:
        for index, record in records:
            facts, named = _direct_model(index, record, labels)
            if facts.iri in models:
                return None
            models[facts.iri] = facts
            artifacts = record.get("artifacts") or {}
            if isinstance(artifacts, Mapping) and artifacts:
                _direct_claims(facts, named, artifacts)
            _settle(facts)
    except _Merges:
        return None
    return models


def _direct_model(index: int, record: Mapping[str, Any], labels: dict[str, str]) -> tuple[ModelFacts, bool]:
    """A record's model-level facts, and whether its id names the model (else a blank node does)."""
    rid = record.get("id")
    s = P.text(rid) if rid is not None else ""
    named = bool(s and P.ID_SAFE.match(s))
    m = ox.NamedNode(str(MODEL) + s).value if named else f"_:record{index}"  # validates as ``model_node``
    facts = ModelFacts(iri=m, labels=labels)
    _fill_plain(facts, record, _MODEL_FILLS, labels)
    return facts, named


def _add_claim(by_kind: dict[str, list[Claim]], kind: str, claim: Claim) -> None:
    same = by_kind.get(kind)
    if same is None:
        by_kind[kind] = [claim]
    else:
        same.append(claim)


def _direct_claims(facts: ModelFacts, named: bool, artifacts: Mapping[str, Any]) -> None:
    """Every claim of a record's artifacts into ``facts.claims``; raises ``_Merges`` when nodes collide."""
    m, by_kind, labels = facts.iri, facts.claims, facts.labels
    releases: set[str] | None = None
    for slug, entry in artifacts.items():
        slug = slug.strip() if slug.__class__ is str else P.text(slug)
        kind = _ARTIFACT_IRIS.get(slug)
        if kind in by_kind:  # two keys for one artifact (" weights" and "weights"): their claims merge
            raise _Merges
        if named and kind is not None and entry.__class__ is dict:
            # the usual entry: one claim about a known artifact, as every CSV cell gives
            _add_claim(by_kind, kind, _claim(f"{m}#{slug}", kind, entry, labels))
        else:
            releases = _general_claims(facts, named, slug, kind, entry, releases)


def _general_claims(facts: ModelFacts, named: bool, slug: str, kind: str | None, entry: Any,
                    releases: set[str] | None) -> set[str] | None:
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
        if named and n == 1 and slug in _ARTIFACT_IRIS:
            release = f"{m}#{slug}"
        else:
            model = ox.NamedNode(m) if named else ox.BlankNode(m[2:])
            release = term_key(P.release_node(model, slug, n))
        if releases is not None:
            if release in releases:
                raise _Merges
            releases.add(release)
        _add_claim(by_kind, kind, _claim(release, kind, claim, facts.labels))
    return releases


def _collect_grouped(records: Iterable[tuple[int, Mapping[str, Any]]]) -> dict[str, ModelFacts]:
    """Plain records' statements grouped by subject, then assembled: the general case, where records merge."""
    models: dict[str, ModelFacts] = {}
    model_of_release: dict[str, str] = {}
    props: dict[str, dict[str, list[str]]] = {}
    labels: dict[str, str] = {}
    artifact = P.P_ARTIFACT.value
    for index, record in records:
        model = P.model_node(record.get("id"), f"record{index}")
        m = term_key(model)
        if m not in models:
            models[m] = ModelFacts(iri=m)
        _group_plain(props.setdefault(m, {}), record, MODEL_FACTS, labels)
        artifacts = record.get("artifacts") or {}
        if not isinstance(artifacts, Mapping):
            continue
        for slug, entry in artifacts.items():
            slug = P.text(slug)
            for n, claim in enumerate(P.claims_of(entry), start=1):
                r = term_key(P.release_node(model, slug, n))
                model_of_release[r] = m
                rp = props.setdefault(r, {})
                rp.setdefault(artifact, []).append(_ARTIFACT_IRIS.get(slug, slug))
                _group_plain(rp, claim, CLAIM_FACTS, labels)
                if claim.get("history"):
                    _note_history_labels(claim, labels)
    return _assemble(models, model_of_release, props, labels)


def _group_plain(props: dict[str, list[str]], mapping: Mapping[str, Any], facts: tuple[FactField, ...],
                 labels: dict[str, str]) -> None:
    """Add a plain mapping's fact values to a subject's grouped statements, as its triples would."""
    for f in facts:
        value = mapping.get(f.key)
        if value is not None and (keys := f.keys(value, labels)):
            props.setdefault(f.predicate, []).extend(keys)
