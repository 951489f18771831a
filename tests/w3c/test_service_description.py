"""The SPARQL 1.1 Service Description tests: GET on the endpoint without a query returns a description.

The manifest gives only the three names; the checks follow the Service Description recommendation
(section 3: the endpoint's own URL as ``sd:endpoint``; the vocabulary's domains and ranges).
"""

from __future__ import annotations

import pytest
from rdflib import RDF, BNode, Graph, Literal, Namespace, URIRef

from . import manifest
from ._params import params
from .endpoint import Endpoint
from .results import GRAPH_FORMATS, parse_graph

SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
ACCEPT = "text/turtle, application/rdf+xml;q=0.9, application/n-triples;q=0.8"
LANGUAGES = {SD.SPARQL10Query, SD.SPARQL11Query, SD.SPARQL11Update}
CASES = params(manifest.service_description_tests, lambda t: t[0].split("/", 1)[1])


def description(endpoint: Endpoint) -> Graph:
    """The service description the query URL returns, parsed with that URL as base."""
    resp = endpoint.request("GET", endpoint.query_url, headers=[("Accept", ACCEPT)])
    assert resp.status == 200, f"GET {endpoint.query_url} -> {resp.status}: {resp.body[:300]!r}"
    assert resp.media_type in GRAPH_FORMATS, f"not RDF: {resp.media_type}"
    return parse_graph(resp.body, resp.media_type, base=endpoint.query_url)


def conformance_problems(graph: Graph) -> list[str]:
    """What in the description breaks the SD vocabulary's rules (empty when it conforms)."""
    problems: list[str] = []
    services = set(graph.subjects(RDF.type, SD.Service)) | set(graph.subjects(SD.endpoint, None))
    if not services:
        problems.append("no sd:Service")
    for service in services:
        endpoints = list(graph.objects(service, SD.endpoint))
        if not endpoints or not all(isinstance(e, URIRef) for e in endpoints):
            problems.append(f"{service}: sd:endpoint must be one or more IRIs")
        languages = set(graph.objects(service, SD.supportedLanguage))
        if not languages or not languages <= LANGUAGES:
            problems.append(f"{service}: sd:supportedLanguage {sorted(languages)} not in {sorted(LANGUAGES)}")
        for prop in (
            SD.feature,
            SD.resultFormat,
            SD.inputFormat,
            SD.extensionFunction,
            SD.extensionAggregate,
            SD.languageExtension,
            SD.propertyFeature,
            SD.defaultEntailmentRegime,
        ):
            for value in graph.objects(service, prop):
                if not isinstance(value, URIRef):
                    problems.append(f"{service}: {prop} must be an IRI, got {value!r}")
        for dataset in graph.objects(service, SD.defaultDataset):
            if isinstance(dataset, Literal):
                problems.append(f"{service}: sd:defaultDataset must be a node")
            for default in graph.objects(dataset, SD.defaultGraph):
                if not isinstance(default, URIRef | BNode):
                    problems.append(f"{dataset}: sd:defaultGraph must be a node")
            for named in graph.objects(dataset, SD.namedGraph):
                names = list(graph.objects(named, SD.name))
                if len(names) != 1 or not isinstance(names[0], URIRef):
                    problems.append(f"{named}: an sd:NamedGraph needs exactly one sd:name IRI")
    return problems


@pytest.mark.parametrize("case", CASES)
def test_service_description(case: tuple[str, str], endpoint: Endpoint, expect) -> None:
    test_id = case[0]
    expect(test_id)
    graph = description(endpoint)
    if test_id.endswith("returns-rdf"):
        assert len(graph) > 0, "the description is empty"
    elif test_id.endswith("has-endpoint-triple"):
        found = set(graph.objects(None, SD.endpoint))
        assert URIRef(endpoint.query_url) in found, f"no sd:endpoint <{endpoint.query_url}>; found {found}"
    else:
        assert not conformance_problems(graph), conformance_problems(graph)
