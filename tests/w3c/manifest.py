"""Read the W3C SPARQL 1.1 test manifests into plain test-case records.

The manifests (``w3c-sparql11/`` in the external datasets folder, see ``tests/conftest.py``) describe
each test in RDF; this module turns them into
dataclasses that the pytest modules parametrise over, the way rdflib's ``test/test_w3c_spec`` does.
Every file is named by the IRI it has in the published suite, so relative IRIs in queries (``FROM
<data.ttl>``, ``GRAPH <ng-01.ttl>``) resolve to the names the data is loaded under.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from rdflib import RDF, RDFS, Graph, Namespace, URIRef
from rdflib.collection import Collection
from rdflib.term import Node

from tests.conftest import EXTERNAL

#: Where the suite is (https://github.com/w3c/rdf-tests, ``sparql/sparql11``).
SUITE = EXTERNAL / "w3c-sparql11"
#: The IRI the suite is published under; files are named by IRIs below it.
BASE = "http://www.w3.org/2009/sparql/docs/tests/data-sparql11/"

MF = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
QT = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-query#")
UT = Namespace("http://www.w3.org/2009/sparql/tests/test-update#")
DAWGT = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-dawg#")
HT = Namespace("http://www.w3.org/2011/http#")
CNT = Namespace("http://www.w3.org/2011/content#")
HTS = Namespace("http://www.w3.org/2011/http-statusCodes#")

#: The query-evaluation folders of ``manifest-sparql11-query.ttl`` and the result-format folders.
QUERY_DIRS = (
    "aggregates",
    "bind",
    "bindings",
    "cast",
    "construct",
    "exists",
    "functions",
    "grouping",
    "negation",
    "project-expression",
    "property-path",
    "subquery",
)
RESULT_FORMAT_DIRS = ("json-res", "csv-tsv-res")
#: Folders holding syntax tests (query and update).
SYNTAX_DIRS = (*QUERY_DIRS, "syntax-query", "syntax-update-1", "syntax-update-2")


def available() -> bool:
    """Whether the suite is present beside the repository."""
    return (SUITE / "protocol" / "manifest.ttl").is_file()


def iri_to_path(iri: str) -> Path:
    """The local file for an IRI below :data:`BASE`."""
    if not iri.startswith(BASE):
        raise ValueError(f"{iri} is not in the W3C suite")
    return SUITE / iri[len(BASE) :]


@dataclass(frozen=True)
class EvalTest:
    """A query-evaluation test: data to load, a query to send, an expected result file."""

    id: str
    name: str
    folder: str
    query: str  # IRI of the .rq file
    result: str  # IRI of the expected result (.srx .srj .tsv .csv .ttl)
    data: tuple[str, ...] = ()  # IRIs of files loaded into the default graph
    graph_data: tuple[str, ...] = ()  # IRIs of files loaded as named graphs (named by their IRI)
    csv: bool = False  # a CSVResultFormatTest: compare the text/csv serialisation


@dataclass(frozen=True)
class SyntaxTest:
    """A positive or negative syntax test for a query or an update."""

    id: str
    name: str
    folder: str
    file: str  # IRI of the .rq / .ru file
    positive: bool
    update: bool


@dataclass(frozen=True)
class ProtocolRequest:
    """One HTTP request of a protocol test, with what its response must show."""

    method: str
    path_and_query: str  # as in the manifest, starting with /sparql/
    headers: tuple[tuple[str, str], ...]
    body: bytes | None
    statuses: tuple[str, ...]  # "2xx", "3xx", "4xx"
    boolean: bool | None  # expected ASK answer
    format: str | None  # "boolean", "tabular" or "RDF"


@dataclass(frozen=True)
class ProtocolTest:
    """A protocol test: named graphs to load first, then requests run in order."""

    id: str
    name: str
    requests: tuple[ProtocolRequest, ...]
    graph_data: tuple[tuple[str, str], ...] = field(default=())  # (file IRI, graph name)


@cache
def _graph(folder: str) -> Graph:
    return Graph().parse(SUITE / folder / "manifest.ttl", format="turtle", publicID=f"{BASE}{folder}/manifest.ttl")


def _entries(graph: Graph) -> list[URIRef]:
    manifest = next(graph.subjects(RDF.type, MF.Manifest))
    head = graph.value(manifest, MF.entries)
    return [] if head is None else [e for e in Collection(graph, head) if isinstance(e, URIRef)]


def _approved(graph: Graph, test: Node) -> bool:
    return graph.value(test, DAWGT.approval) != DAWGT.Withdrawn


def _short(folder: str, test: URIRef) -> str:
    return f"{folder}/{str(test).rsplit('#', 1)[-1]}"


def eval_tests(folders: tuple[str, ...] = QUERY_DIRS + RESULT_FORMAT_DIRS) -> list[EvalTest]:
    """Every approved query-evaluation test of the given folders, in manifest order."""
    tests: list[EvalTest] = []
    for folder in folders:
        g = _graph(folder)
        for t in _entries(g):
            kind = g.value(t, RDF.type)
            if kind not in (MF.QueryEvaluationTest, MF.CSVResultFormatTest) or not _approved(g, t):
                continue
            action = g.value(t, MF.action)
            tests.append(
                EvalTest(
                    id=_short(folder, t),
                    name=str(g.value(t, MF.name)),
                    folder=folder,
                    query=str(g.value(action, QT.query)),
                    result=str(g.value(t, MF.result)),
                    data=tuple(sorted(str(d) for d in g.objects(action, QT.data))),
                    graph_data=tuple(sorted(str(d) for d in g.objects(action, QT.graphData))),
                    csv=kind == MF.CSVResultFormatTest,
                )
            )
    return tests


def syntax_tests(folders: tuple[str, ...] = SYNTAX_DIRS) -> list[SyntaxTest]:
    """Every approved syntax test (SPARQL 1.1 query and update) of the given folders."""
    kinds = {
        MF.PositiveSyntaxTest11: (True, False),
        MF.NegativeSyntaxTest11: (False, False),
        MF.PositiveUpdateSyntaxTest11: (True, True),
        MF.NegativeUpdateSyntaxTest11: (False, True),
    }
    tests: list[SyntaxTest] = []
    for folder in folders:
        g = _graph(folder)
        for t in _entries(g):
            kind = g.value(t, RDF.type)
            if kind not in kinds or not _approved(g, t):
                continue
            positive, update = kinds[kind]
            tests.append(
                SyntaxTest(
                    id=_short(folder, t),
                    name=str(g.value(t, MF.name)),
                    folder=folder,
                    file=str(g.value(t, MF.action)),
                    positive=positive,
                    update=update,
                )
            )
    return tests


def _request(g: Graph, req: Node) -> ProtocolRequest:
    headers: list[tuple[str, str]] = []
    head = g.value(req, HT.headers)
    if head is not None:
        for h in Collection(g, head):
            headers.append((str(g.value(h, HT.fieldName)), str(g.value(h, HT.fieldValue))))
    body_node = g.value(req, HT.body)
    body = None
    if body_node is not None:
        encoding = str(g.value(body_node, CNT.characterEncoding) or "UTF-8")
        body = str(g.value(body_node, CNT.chars)).encode(encoding)
    resp = g.value(req, HT.resp)
    statuses = tuple(sorted(str(s).rsplit("#StatusCode", 1)[-1].lower() for s in g.objects(resp, MF.expectedStatus)))
    boolean = g.value(resp, MF.expectedBoolean)
    fmt = g.value(resp, MF.expectedFormat)
    return ProtocolRequest(
        method=str(g.value(req, HT.methodName)),
        path_and_query=str(g.value(req, HT.absolutePath)),
        headers=tuple(headers),
        body=body,
        statuses=statuses,
        boolean=None if boolean is None else bool(boolean.toPython()),
        format=None if fmt is None else str(fmt),
    )


def protocol_tests() -> list[ProtocolTest]:
    """The protocol tests of ``protocol/manifest.ttl``, in manifest order."""
    g = _graph("protocol")
    tests: list[ProtocolTest] = []
    for t in _entries(g):
        action = g.value(t, MF.action)
        requests = tuple(_request(g, r) for r in Collection(g, g.value(action, HT.requests)))
        graph_data = tuple(
            sorted((str(g.value(gd, UT.graph)), str(g.value(gd, RDFS.label))) for gd in g.objects(t, UT.graphData))
        )
        tests.append(
            ProtocolTest(
                id=_short("protocol", t), name=str(g.value(t, MF.name)), requests=requests, graph_data=graph_data
            )
        )
    return tests


def service_description_tests() -> list[tuple[str, str]]:
    """(id, name) of the service-description tests."""
    g = _graph("service-description")
    return [(_short("service-description", t), str(g.value(t, MF.name))) for t in _entries(g)]
