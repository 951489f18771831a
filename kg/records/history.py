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

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import pyoxigraph as ox

from kg.records.fields import STATE_FIELDS as STATE_FIELD_TABLE
from kg.records.fields import STATE_KEYS
from kg.records.mapping import emit_fields, plain_fields, write_plan
from kg.records.terms import as_list, text
from kg.vocab import AIO

_N = ox.NamedNode
P_HAS_STATE = _N(str(AIO.hasState))
C_STATE = _N(str(AIO.ClaimState))
RDF_TYPE = _N("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
STATE_FIELDS = STATE_KEYS
_STATE_PLAN = write_plan(STATE_FIELD_TABLE)


def state_node(release: ox.NamedNode | ox.BlankNode, n: int) -> ox.NamedNode | ox.BlankNode:
    """The node of the ``n``-th state of ``release``."""
    if isinstance(release, ox.NamedNode):
        return _N(f"{release.value}-state-{n}")
    return ox.BlankNode(f"{release.value}_state_{n}")


def history_triples(release: ox.NamedNode | ox.BlankNode, claim: Mapping[str, Any],
                    add: Callable[[ox.Triple], None]) -> None:
    """Add the triples of a claim's ``history`` (each state with its date, values and sources)."""
    history = claim.get("history")
    if not history or not isinstance(history, list):
        return
    for n, entry in enumerate((e for e in history if isinstance(e, Mapping)), start=1):
        node = state_node(release, n)
        add(ox.Triple(release, P_HAS_STATE, node))
        add(ox.Triple(node, RDF_TYPE, C_STATE))
        emit_fields(node, entry, _STATE_PLAN, add)


def _number(node: Any) -> int:
    tail = node.value.rsplit("-", 1)[-1].rsplit("_", 1)[-1]
    return int(tail) if tail.isdigit() else 0


def history_of(rprops: Mapping[Any, list[Any]], by_subject: Mapping[Any, Mapping[Any, list[Any]]],
               labels: Mapping[Any, str]) -> list[dict[str, Any]]:
    """A release's states as the plain form writes them (in the order of their nodes); ``labels`` are the
    free-text licences' names."""
    return [plain_fields(by_subject.get(node, {}), STATE_FIELD_TABLE, labels)
            for node in sorted(rprops.get(P_HAS_STATE, []), key=_number)]


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
