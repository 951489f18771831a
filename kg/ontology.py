"""The ontology as loaded data: the Turtle modules in ``ontology/`` plus the licence typing.

Which licences are open is computed from the SPDX list (``kg.licenses``), not typed by hand, so the
typing triples are added here, at load time, for the KG's own licences and any licence the data uses.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache

import rdflib
from rdflib.term import Node

from kg.resources import ontology_files


@lru_cache(maxsize=1)
def _modules() -> rdflib.Graph:
    g = rdflib.Graph()
    for path in ontology_files():
        g.parse(path, format="turtle")
    return g


def ontology_graph(licences: Iterable[Node] = ()) -> rdflib.Graph:
    """A fresh graph of the ontology modules, with licence typing for the KG's own and the given licences."""
    from kg.licenses import kg_license_iris, license_typing_triples

    g = rdflib.Graph()
    for prefix, ns in _modules().namespaces():
        g.bind(prefix, ns, override=True)
    for t in _modules():
        g.add(t)
    for t in license_typing_triples([*kg_license_iris(), *licences]):
        g.add(t)
    return g


def core_graph() -> rdflib.Graph:
    """The ontology modules alone (shared, read-only: do not modify)."""
    return _modules()
