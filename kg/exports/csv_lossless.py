"""Whether the CSV can hold a set of records: the CSV is written, read back, and the two graphs compared.

The CSV has one cell per field, so a second name, a statement in a term outside the record form, or
anything about a node that is not a record, would be dropped silently. Deciding on the round trip
itself (not on a list of known gaps) catches every such loss, including ones added to the forms later.
"""

from __future__ import annotations

import io
from collections.abc import Iterable

import pyoxigraph as ox

from kg.errors import OpennessError

_LABEL = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
#: Statements the KG derives on load (licence typing, FAIR4ML types): not record content.
_DERIVED_TYPES = {ox.NamedNode("https://w3id.org/ai-openness/ontology#License"),
                  ox.NamedNode("https://w3id.org/fair4ml#MLModel"), ox.NamedNode("https://schema.org/CreativeWork")}
_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
_SHOWN = 5


def _canonical(triples: Iterable[ox.Triple]) -> set[tuple[object, object, object]]:
    """Triples with each free-text licence's blank node replaced by its name (blank node ids are arbitrary)."""
    triples = list(triples)
    labels = {t.subject: ("licence", t.object.value) for t in triples
              if t.predicate == _LABEL and isinstance(t.subject, ox.BlankNode)}

    def term(node: object) -> object:
        return labels.get(node, node) if isinstance(node, ox.BlankNode) else node

    return {(term(t.subject), t.predicate, term(t.object)) for t in triples
            if not (t.predicate == _TYPE and t.object in _DERIVED_TYPES)}


def csv_losses(triples: list[ox.Triple]) -> list[tuple[object, object, object]]:
    """The statements of ``triples`` that the CSV written from them would not give back."""
    from kg.records.csv_writer import write_csv
    from kg.records.rdf_to_plain import records_from_triples
    from kg.records.readers import read_csv_text

    buf = io.StringIO()
    write_csv(records_from_triples(triples), buf)
    back = read_csv_text(buf.getvalue(), "<csv>").triples
    lost = _canonical(triples) - _canonical(back)
    return sorted(lost, key=lambda t: (str(t[0]), str(t[1]), str(t[2])))


def _show(term: object) -> str:
    if isinstance(term, tuple):
        return f"licence '{term[1]}'"
    return str(term)


def refuse_lossy_csv(triples: list[ox.Triple]) -> None:
    """Raise naming what the CSV cannot hold, when writing ``triples`` as CSV would lose statements."""
    lost = csv_losses(triples)
    if not lost:
        return
    shown = "; ".join(f"{_show(s)} {_show(p)} {_show(o)}" for s, p, o in lost[:_SHOWN])
    more = f" (and {len(lost) - _SHOWN} more)" if len(lost) > _SHOWN else ""
    raise OpennessError(
        f"the CSV cannot hold {len(lost)} statement(s) of these records: {shown}{more}; "
        "export to turtle, nt, jsonld, json or yaml instead")
