"""The ontology as loaded data: the Turtle modules in ``ontology/`` plus the licence typing.

Which licences are open is computed from the SPDX list (``kg.licenses``), not typed by hand, so the
typing triples are added here, at load time, for the KG's own licences and any licence the data uses.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from functools import lru_cache

import rdflib
from rdflib import RDF, RDFS, URIRef
from rdflib import Literal as RDFLiteral
from rdflib.term import Node

from kg.resources import ontology_files
from kg.vocab import AIO

#: The module of licence terms: ODRL data for kg.license_terms, SPARQL and the pages, no class axioms.
TERMS_MODULE = "license-terms.ttl"
#: The module of the per-model assessment's level classes.
ASSESSMENT_MODULE = "assessment.ttl"


@lru_cache(maxsize=4)
def _modules(with_terms: bool = True, with_assessment: bool = True) -> rdflib.Graph:
    skip = {name for name, keep in ((TERMS_MODULE, with_terms), (ASSESSMENT_MODULE, with_assessment)) if not keep}
    g = rdflib.Graph()
    for path in ontology_files():
        if path.name not in skip:
            g.parse(path, format="turtle")
    return g


def ontology_graph(licences: Iterable[Node] = (), with_terms: bool = True,
                   with_assessment: bool = True) -> rdflib.Graph:
    """A fresh graph of the ontology modules, with licence typing for the KG's own and the given licences.

    ``with_terms=False`` leaves out the licence terms (ontology/license-terms.ttl): the reasoners need only
    the licences' classes, which the typing states, and HermiT would otherwise load every rule.
    ``with_assessment=False`` leaves out the assessment's level classes, for a HermiT run that checks only
    the categories and MOF classes (HermiT's time grows with every defined class it realises)."""
    from kg.licenses import kg_license_iris

    g = rdflib.Graph()
    modules = _modules(with_terms, with_assessment)
    for prefix, ns in modules.namespaces():
        g.bind(prefix, ns, override=True)
    for t in modules:
        g.add(t)
    for t in license_typing_triples([*kg_license_iris(), *licences]):
        g.add(t)
    return g


def class_modules() -> rdflib.Graph:
    """The ontology modules without the licence terms: the classes, properties and individuals the reasoner
    and kg.meaning read (shared, read-only: do not modify)."""
    return _modules(False, True)  # the cache key ontology_graph(with_terms=False) uses


def license_typing_triples(iris: Iterable[Node]) -> Iterator[tuple[Node, Node, Node]]:
    """Triples typing each licence in ``iris`` and each of the KG's own licences.

    Every IRI gets ``a aio:License`` and an ``rdfs:label``; it also gets ``aio:OpenCodeLicense``,
    ``aio:OpenDataLicense`` and ``aio:OpenDocumentLicense`` where ``kg.licenses.open_for`` says it is open for
    that content type, which is what the MOF class axioms of ``ontology/mof.ttl`` test; an SPDX licence is
    also an ``odrl:Offer`` inheriting its family's terms (``kg.license_terms.typing_triples``). Blank nodes
    (free-text licences) are typed ``aio:License`` only. Each IRI is yielded once.
    """
    from kg.license_terms import typing_triples
    from kg.licenses import kg_license_iris, license_label, open_classes

    seen: set[Node] = set()
    for iri in [*iris, *kg_license_iris()]:
        if iri is None or iri in seen:
            continue
        seen.add(iri)
        yield iri, RDF.type, AIO.License
        if not isinstance(iri, URIRef):
            continue
        yield iri, RDFS.label, RDFLiteral(license_label(iri))
        for cls in open_classes(iri):
            yield iri, RDF.type, cls
        yield from typing_triples(iri)
