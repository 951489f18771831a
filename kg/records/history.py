"""Dated claims: the earlier and current states of a release statement, and what held on a given date.

A claim's own ``availability`` and ``license`` are its current state (what classification uses); its
``history`` lists each state with the date it took effect and the source that shows it:

    weights:
      availability: public
      license: MIT
      history:
        - {valid_from: 2023-12-12, license: microsoft-research-license, source: [https://...]}
        - {valid_from: 2024-01-05, license: MIT, source: [https://...]}

A state holds from its ``valid_from`` until the next state's. In RDF each state is a node
``<release>-state-<n>`` (``...#weights-state-1``) of class ``aio:ClaimState``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import pyoxigraph as ox

from kg.records.terms import as_list, date_literal, iri_or_literal, license_nodes, text
from kg.vocab import AIO, AVAILABILITY, AVAILABILITY_VALUES

_N = ox.NamedNode
P_HAS_STATE = _N(str(AIO.hasState))
P_VALID_FROM = _N(str(AIO.validFrom))
P_STATE_AVAILABILITY = _N(str(AIO.stateAvailability))
C_STATE = _N(str(AIO.ClaimState))
P_LICENSE = _N("http://purl.org/dc/terms/license")
P_SOURCE = _N("http://www.w3.org/ns/prov#wasDerivedFrom")
RDF_TYPE = _N("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
_AVAILABILITY_NODES = {value: _N(str(iri)) for value, iri in AVAILABILITY.items()}
_AVAILABILITY_OF = {_N(str(iri)): value for iri, value in AVAILABILITY_VALUES.items()}
STATE_FIELDS = ("valid_from", "availability", "license", "source")


def state_node(release: ox.NamedNode | ox.BlankNode, n: int) -> ox.NamedNode | ox.BlankNode:
    """The node of the ``n``-th state of ``release``."""
    if isinstance(release, ox.NamedNode):
        return _N(f"{release.value}-state-{n}")
    return ox.BlankNode(f"{release.value}_state_{n}")


def history_triples(release: ox.NamedNode | ox.BlankNode, claim: Mapping[str, Any],
                    add: Callable[[ox.Triple], None]) -> None:
    """Add the triples of a claim's ``history`` (each state with its date, values and sources)."""
    history = claim.get("history")
    if not isinstance(history, list):
        return
    for n, entry in enumerate((e for e in history if isinstance(e, Mapping)), start=1):
        node = state_node(release, n)
        add(ox.Triple(release, P_HAS_STATE, node))
        add(ox.Triple(node, RDF_TYPE, C_STATE))
        for value in as_list(entry.get("valid_from")):
            add(ox.Triple(node, P_VALID_FROM, date_literal(value)))
        if entry.get("availability") not in (None, ""):
            value = text(entry["availability"])
            add(ox.Triple(node, P_STATE_AVAILABILITY, _AVAILABILITY_NODES.get(value) or ox.Literal(value)))
        for lic, extra in license_nodes(entry.get("license")):
            add(ox.Triple(node, P_LICENSE, lic))
            for t in extra:
                add(t)
        for value in as_list(entry.get("source")):
            add(ox.Triple(node, P_SOURCE, iri_or_literal(value)))


def _number(node: Any) -> int:
    tail = node.value.rsplit("-", 1)[-1].rsplit("_", 1)[-1]
    return int(tail) if tail.isdigit() else 0


def history_of(rprops: Mapping[Any, list[Any]], by_subject: Mapping[Any, Mapping[Any, list[Any]]],
               licence_text: Callable[[Any], str]) -> list[dict[str, Any]]:
    """A release's states as the plain form writes them (in the order of their nodes)."""
    out = []
    for node in sorted(rprops.get(P_HAS_STATE, []), key=_number):
        sp = by_subject.get(node, {})
        entry: dict[str, Any] = {}
        if sp.get(P_VALID_FROM):
            entry["valid_from"] = sp[P_VALID_FROM][0].value
        if sp.get(P_STATE_AVAILABILITY):
            a = sp[P_STATE_AVAILABILITY][0]
            entry["availability"] = _AVAILABILITY_OF.get(a, a.value)
        licences = [licence_text(v) for v in sp.get(P_LICENSE, [])]
        if licences:
            entry["license"] = licences[0] if len(licences) == 1 else sorted(licences)
        if sp.get(P_SOURCE):
            entry["source"] = sorted(v.value for v in sp[P_SOURCE])
        out.append(entry)
    return out


# --- what held on a date ------------------------------------------------------------------------


@dataclass
class State:
    """One dated state: from ``valid_from`` on, the artifact had this availability and/or licence."""

    valid_from: str
    availability: str | None = None
    license: list[str] = field(default_factory=list)
    source: list[str] = field(default_factory=list)


def sort_key(date: str) -> tuple[int, int, int]:
    """A ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD`` text as a comparable key (a bare year counts from January 1)."""
    parts = [int(p) for p in str(date)[:10].split("-")]
    parts += [1] * (3 - len(parts))
    return parts[0], parts[1], parts[2]


def parse_date(value: str) -> dt.date:
    """``YYYY-MM-DD`` (or ``YYYY-MM``, ``YYYY``) as a date; ValueError otherwise."""
    year, month, day = sort_key(value)
    return dt.date(year, month, day)


def states_of(claim: Mapping[str, Any]) -> list[State]:
    """A plain claim's states, oldest first."""
    states = []
    for entry in claim.get("history") or []:
        if not isinstance(entry, Mapping) or entry.get("valid_from") in (None, ""):
            continue
        avail = entry.get("availability")
        states.append(State(text(entry["valid_from"]), text(avail) if avail not in (None, "") else None,
                            [text(v) for v in as_list(entry.get("license"))],
                            [text(v) for v in as_list(entry.get("source"))]))
    states.sort(key=lambda s: sort_key(s.valid_from))
    return states


def on_date(states: Iterable[State], date: str, what: str) -> State | None:
    """The state that gave ``what`` (``license`` or ``availability``) on ``date``: the latest one stating
    it whose ``valid_from`` is not after ``date``; None when the history does not reach back that far."""
    day = sort_key(date)
    found = None
    for state in sorted(states, key=lambda s: sort_key(s.valid_from)):
        if sort_key(state.valid_from) > day:
            break
        if (what == "license" and state.license) or (what == "availability" and state.availability):
            found = state
    return found


def current_disagreements(claim: Mapping[str, Any]) -> list[str]:
    """Where the latest state of a claim's history differs from the claim's own (current) values."""
    states = states_of(claim)
    problems = []
    if not states:
        return problems
    latest_licence = on_date(states, "9999-12-31", "license")
    current_licence = sorted(text(v) for v in as_list(claim.get("license")))
    if latest_licence is not None and sorted(latest_licence.license) != current_licence:
        now = ", ".join(current_licence) or "none"
        problems.append(f"the latest licence in the history ({', '.join(latest_licence.license)}, from "
                        f"{latest_licence.valid_from}) is not the claim's licence ({now})")
    latest_avail = on_date(states, "9999-12-31", "availability")
    current_avail = claim.get("availability")
    if (latest_avail is not None and current_avail not in (None, "")
            and latest_avail.availability != text(current_avail)):
        problems.append(f"the latest availability in the history ({latest_avail.availability}, from "
                        f"{latest_avail.valid_from}) is not the claim's availability ({text(current_avail)})")
    return problems


#: The SPARQL that answers "what was this model's weights licence on a date" over the KG (docs/data.md).
LICENCE_ON_DATE = """\
PREFIX aio: <https://w3id.org/ai-openness/ontology#>
PREFIX dcterms: <http://purl.org/dc/terms/>
SELECT ?licence ?from ?source WHERE {
  ?model aio:hasRelease ?r . ?r aio:artifact aio:Weights ; aio:hasState ?s .
  ?s aio:validFrom ?from ; dcterms:license ?licence .
  OPTIONAL { ?s <http://www.w3.org/ns/prov#wasDerivedFrom> ?source }
  FILTER(STR(?from) <= STR(?day))
}
ORDER BY DESC(STR(?from)) LIMIT 1
"""
