"""What an export holds beyond the records: the facts a consumer without our code needs.

An export must be readable and checkable by plain tools (rdflib, pyld, Jena, pySHACL) with nothing of
ours at run time, so it carries the statements ``openness`` otherwise adds when it loads data: the
licence typing the shapes check with ``sh:class`` and the superclass types of each model
(``fair4ml:MLModel``, ``schema:CreativeWork``) for clients that do no reasoning. Every statement
appears once.
"""

from __future__ import annotations

from collections.abc import Iterable

import pyoxigraph as ox

from kg.exports.fair4ml import fair4ml_triples

__all__ = ["export_triples", "unique", "derived_facts"]


def unique(triples: Iterable[ox.Triple]) -> list[ox.Triple]:
    """The triples without repeats, in first-seen order."""
    return list(dict.fromkeys(triples))


def derived_facts(triples: list[ox.Triple]) -> list[ox.Triple]:
    """Statements that follow from the records and the KG: licence typing and the FAIR4ML mapping."""
    from kg.validation import licence_typing

    return [*licence_typing(triples), *fair4ml_triples(triples)]


def export_triples(triples: Iterable[ox.Triple], *, inferred: bool = False) -> list[ox.Triple]:
    """The records' triples plus the derived facts (and, with ``inferred``, the reasoner's), each once."""
    records = unique(triples)
    out = [*records, *derived_facts(records)]
    if inferred:
        from kg.reasoner import classify_triples, inferred_quads

        out.extend(ox.Triple(q.subject, q.predicate, q.object) for q in inferred_quads(classify_triples(records)))
    return unique(out)
