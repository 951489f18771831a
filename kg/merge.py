"""Merging records of one model from several sources, keeping every claim with its provenance.

Records are the same model when they share an id, a Hub repo, a Wikidata item or another exact-match
link. The merged record keeps, per artifact, each distinct claim with its own ``source``, ``as_of`` and
``checked``; where sources disagree all claims stay, and ``choose_deciding_claim`` says which decides:

1. the most specific availability evidence: ``public``, ``gated`` or ``not-released`` over ``unknown``;
2. then the most recent ``as_of`` (a claim without one counts as oldest);
3. then hand-checked (``checked``) over imported;
4. then, the evidence being equally good, the claim that promises less (``not-released`` over ``gated``
   over ``public``), so a tie never makes a model look more open than some source says it is.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

DEFINITE = ("public", "gated", "not-released")
#: Tie-break (rule 4): the claim that promises less ranks higher.
_RESTRAINT = {"public": 0, "gated": 1, "not-released": 2}


def _get(claim: Any, *names: str) -> Any:
    for name in names:
        value = claim.get(name) if isinstance(claim, Mapping) else getattr(claim, name, None)
        if value not in (None, ""):
            return value
    return None


def availability_of(claim: Any) -> str:
    """A claim's availability as a slug (``public``...), whether given as a slug or an ``aio:`` IRI."""
    value = str(_get(claim, "availability") or "unknown")
    local = value.rsplit("#", 1)[-1]
    return {"Public": "public", "Gated": "gated", "NotReleased": "not-released", "Unknown": "unknown"}.get(
        local, value
    )


def claim_rank(claim: Any) -> tuple[int, str, int, int]:
    """The sort key of the deciding rule: greater decides."""
    availability = availability_of(claim)
    return (
        1 if availability in DEFINITE else 0,
        str(_get(claim, "as_of") or ""),
        1 if _get(claim, "checked", "hand_checked") else 0,
        _RESTRAINT.get(availability, -1),
    )


def choose_deciding_claim(claims: Sequence[Any]) -> Any:
    """The claim that decides an artifact's availability, by the rule in this module's docstring.

    Claims are mappings (plain-record claims) or objects with ``availability``, ``as_of`` and
    ``checked`` attributes; availability may be a slug or an ``aio:`` IRI.

    >>> choose_deciding_claim([{"availability": "unknown", "as_of": "2026-01-01"},
    ...                        {"availability": "gated", "as_of": "2024-05-01"},
    ...                        {"availability": "public", "as_of": "2025-03-01"}])["availability"]
    'public'
    """
    if not claims:
        raise ValueError("no claims to choose from")
    return max(claims, key=claim_rank)


@dataclass
class Conflict:
    """Sources that disagree about one artifact of one model, and the claim that decides."""

    model: str
    artifact: str
    claims: list[dict]
    deciding: dict

    def describe(self) -> str:
        """One line for a person: who says what, and which claim decides."""
        said = "; ".join(
            f"{availability_of(c)} per {', '.join(c.get('source') or ['an unnamed source'])}" for c in self.claims
        )
        return f"{self.model} {self.artifact}: {said} -> {availability_of(self.deciding)} decides"


@dataclass
class MergeResult:
    records: list[dict] = field(default_factory=list)
    conflicts: list[Conflict] = field(default_factory=list)


def identity_keys(record: Mapping[str, Any]) -> set[str]:
    """The keys that make two records the same model."""
    keys = {f"id:{record['id']}"} if record.get("id") else set()
    keys.update(f"hf:{str(v).lower()}" for v in _list(record.get("huggingface")))
    keys.update(f"wd:{str(v).upper()}" for v in _list(record.get("wikidata")))
    keys.update(f"link:{v}" for v in _list(record.get("links")))
    return keys


def _list(value: Any) -> list:
    if value is None:
        return []
    if isinstance(value, (list, tuple)):
        return [v for v in value if v not in (None, "")]
    return [value] if value != "" else []


def _claims(entry: Any, record: Mapping[str, Any]) -> list[dict]:
    """An artifact entry's claims as dicts carrying their provenance (defaults from the record)."""
    items = entry if isinstance(entry, list) else [entry]
    out = []
    for item in items:
        if item is None:
            continue
        claim = dict(item) if isinstance(item, Mapping) else {"availability": item}
        claim.setdefault("availability", "unknown")
        if not claim.get("source") and record.get("source"):
            claim["source"] = _list(record.get("source"))
        for key in ("as_of", "checked"):
            if not claim.get(key) and record.get(key):
                claim[key] = record[key]
        out.append({k: v for k, v in claim.items() if v not in (None, "", [])})
    return out


def _same_claim(a: Mapping[str, Any], b: Mapping[str, Any]) -> bool:
    return all(_list(a.get(k)) == _list(b.get(k)) for k in ("availability", "license", "url"))


def merge_group(records: Sequence[Mapping[str, Any]]) -> tuple[dict, list[Conflict]]:
    """One record from records of the same model; hand-checked records give the name and id first."""
    merged = _merged_fields(records)
    artifacts = _merged_artifacts(records)
    conflicts = [Conflict(str(merged["id"]), slug, claims, choose_deciding_claim(claims))
                 for slug, claims in artifacts.items()
                 if len({availability_of(c) for c in claims if availability_of(c) in DEFINITE}) > 1]
    if artifacts:
        merged["artifacts"] = {s: (c[0] if len(c) == 1 else c) for s, c in artifacts.items()}
    return {k: v for k, v in merged.items() if v is not None}, conflicts


def _merged_fields(records: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """The record-level fields of the merged record: the first given (hand-checked records first) of the
    single-valued ones, the union of the links and sources, the latest ``as_of`` and ``checked``."""
    ordered = sorted(records, key=lambda r: 0 if r.get("checked") else 1)
    merged: dict[str, Any] = {}
    for key in ("id", "name", "developer", "date"):
        merged[key] = next((r[key] for r in ordered if r.get(key) not in (None, "")), None)
    for key in ("huggingface", "wikidata", "links", "source", "dataset"):
        values = list(dict.fromkeys(str(v) for r in ordered for v in _list(r.get(key))))
        if values:
            merged[key] = values if len(values) > 1 or key in ("links", "source") else values[0]
    for key in ("as_of", "checked"):
        dates = sorted(str(r[key]) for r in records if r.get(key))
        if dates:
            merged[key] = dates[-1]
    return merged


def _merged_artifacts(records: Sequence[Mapping[str, Any]]) -> dict[str, list[dict]]:
    """Each artifact's distinct claims over all records; a claim made by several sources is kept once."""
    artifacts: dict[str, list[dict]] = {}
    for record in records:
        for slug, entry in (record.get("artifacts") or {}).items():
            for claim in _claims(entry, record):
                kept = artifacts.setdefault(slug, [])
                twin = next((c for c in kept if _same_claim(c, claim)), None)
                if twin is None:
                    kept.append(claim)
                else:
                    _absorb(twin, claim)
    return artifacts


def _absorb(twin: dict, claim: Mapping[str, Any]) -> None:
    """The same claim from another source: one claim with both sources and the later dates."""
    twin["source"] = list(dict.fromkeys(_list(twin.get("source")) + _list(claim.get("source"))))
    for key in ("as_of", "checked"):
        twin_date, new = twin.get(key), claim.get(key)
        if new and (not twin_date or str(new) > str(twin_date)):
            twin[key] = new


def merge_records(records: Iterable[Mapping[str, Any]]) -> MergeResult:
    """Records merged per model (in the order each model first appears), with the conflicts found."""
    records = list(records)
    parent = list(range(len(records)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    owner: dict[str, int] = {}
    for i, record in enumerate(records):
        for key in identity_keys(record):
            if key in owner:
                parent[find(i)] = find(owner[key])
            else:
                owner[key] = i
    groups: dict[int, list[Mapping[str, Any]]] = {}
    for i, record in enumerate(records):
        groups.setdefault(find(i), []).append(record)
    result = MergeResult()
    for group in groups.values():
        record, conflicts = merge_group(group)
        result.records.append(record)
        result.conflicts.extend(conflicts)
    return result
