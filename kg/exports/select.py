"""Narrow a set of records to some models: their statements and those of their releases and licences."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

import pyoxigraph as ox

from kg.errors import OpennessError
from kg.vocab import MODEL


def only_models(triples: Iterable[ox.Triple], ids: Iterable[str]) -> list[ox.Triple]:
    """The statements about the models ``ids`` (or their IRIs) and everything reachable from them."""
    triples = list(triples)
    by_subject: dict[object, list[ox.Triple]] = defaultdict(list)
    for t in triples:
        by_subject[t.subject].append(t)
    wanted = [ox.NamedNode(i if ":" in i else str(MODEL[i])) for i in ids]
    missing = [w.value for w in wanted if w not in by_subject]
    if missing:
        raise OpennessError(f"no model {', '.join(missing)} in the records")
    out: list[ox.Triple] = []
    seen: set[object] = set()
    todo: list[object] = list(wanted)
    while todo:
        node = todo.pop()
        if node in seen:
            continue
        seen.add(node)
        for t in by_subject.get(node, []):
            out.append(t)
            # releases (model#slug) and free-text licences belong to the model; other models do not
            if isinstance(t.object, ox.BlankNode) or (isinstance(t.object, ox.NamedNode) and isinstance(
                    node, ox.NamedNode) and t.object.value.startswith(node.value + "#")):
                todo.append(t.object)
    return out
