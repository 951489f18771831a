"""A validation report as text (for people), JSON (docs/design.md section 4) or Turtle (the SHACL report graph)."""

from __future__ import annotations

import json
from itertools import groupby
from typing import TextIO

import pyoxigraph as ox
import rdflib
from rdflib.namespace import SH

from kg.records.model import to_rdflib
from kg.validation.report import PREFIXES, SEVERITIES, Report, Result, compact, node_text, path_text


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def _record_title(result: Result) -> str:
    where = result.file or "(input)"
    if result.row is not None:
        where += f" row {result.row}"
    if result.record is None:
        return where
    return f"{where}: {result.record_label}"


def write_text(report: Report, out: TextIO) -> None:
    """Results grouped by record, each with its CSV column where known; then a one-line summary."""
    def group_key(r: Result) -> tuple:
        return (r.record is None, node_text(r.record) if r.record is not None else "", r.file or "")

    for _key, group in groupby(report.results, key=group_key):
        items = list(group)
        rows = sorted({r.row for r in items if r.row is not None})
        head = items[0]
        title = _record_title(head)
        if head.record is not None and len(rows) > 1:
            title = title.replace(f" row {head.row}", " rows " + ", ".join(map(str, rows)))
        out.write(f"{title}\n")
        for r in items:
            cell = f" [column {r.column}]" if r.column else ""
            if r.row is not None and len(rows) > 1:
                cell = f" [row {r.row}, column {r.column}]" if r.column else f" [row {r.row}]"
            out.write(f"  {severity_label(r.severity):9} {r.message}{cell}\n")
    records_with = len({node_text(r.record) for r in report.results if r.record is not None})
    verdict = "conforms" if report.conforms else "does not conform"
    out.write(
        f"{_plural(report.records, 'record')} in {_plural(len(report.files), 'file')}: "
        f"{_plural(report.violations, 'violation')}, {_plural(report.warnings, 'warning')}"
        f" in {_plural(records_with, 'record')}; {verdict}\n"
    )


def write_json(report: Report, out: TextIO) -> None:
    """``{"conforms", "violations", "warnings", "results": [...]}`` exactly as docs/design.md section 4 says."""
    json.dump(
        {
            "conforms": report.conforms,
            "violations": report.violations,
            "warnings": report.warnings,
            "results": [r.as_json() for r in report.results],
        },
        out,
        indent=2,
        ensure_ascii=False,
    )
    out.write("\n")


_PATH_PREDICATES = {"^": SH.inversePath, "*": SH.zeroOrMorePath, "+": SH.oneOrMorePath, "?": SH.zeroOrOnePath}


def _path_node(graph: rdflib.Graph, path: object) -> rdflib.term.Node:
    if isinstance(path, ox.NamedNode):
        return rdflib.URIRef(path.value)
    op, arg = path  # type: ignore[misc]
    node = rdflib.BNode()
    if op in _PATH_PREDICATES:
        graph.add((node, _PATH_PREDICATES[op], _path_node(graph, arg)))
        return node
    items = [_path_node(graph, p) for p in arg]
    head = rdflib.BNode()
    rdflib.collection.Collection(graph, head, items)
    if op == "/":
        return head
    graph.add((node, SH.alternativePath, head))
    return node


def severity_label(severity: str) -> str:
    """``violation``, ``warning``, ``info``, or a custom severity IRI's last segment, for text reports."""
    return severity.rstrip("/#").rsplit("#", 1)[-1].rsplit("/", 1)[-1].lower()


def report_graph(report: Report) -> rdflib.Graph:
    """The SHACL validation report graph.

    ``sh:conforms`` is true only when the report has no result of any severity, as the SHACL spec
    (section 3.6.1) defines it; the command's exit code still passes warnings (``fail_on``).
    """
    graph = rdflib.Graph()
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace)
    root = rdflib.BNode()
    graph.add((root, rdflib.RDF.type, SH.ValidationReport))
    shacl_results = [r for r in report.results if r.focus is not None]  # not an unknown CSV column
    graph.add((root, SH.conforms, rdflib.Literal(not shacl_results)))
    for r in shacl_results:
        node = rdflib.BNode()
        graph.add((root, SH.result, node))
        graph.add((node, rdflib.RDF.type, SH.ValidationResult))
        graph.add((node, SH.focusNode, to_rdflib(r.focus)))
        graph.add((node, SH.resultSeverity, SH[r.severity] if r.severity in SEVERITIES else rdflib.URIRef(r.severity)))
        graph.add((node, SH.resultMessage, rdflib.Literal(r.message)))
        if r.path is not None:
            graph.add((node, SH.resultPath, _path_node(graph, r.path)))
        if r.value is not None:
            graph.add((node, SH.value, to_rdflib(r.value)))
        if r.shape is not None:
            graph.add((node, SH.sourceShape, to_rdflib(r.shape)))
        if r.component is not None:
            graph.add((node, SH.sourceConstraintComponent, to_rdflib(r.component)))
    return graph


def write_turtle(report: Report, out: TextIO) -> None:
    out.write(report_graph(report).serialize(format="turtle"))


WRITERS = {"text": write_text, "json": write_json, "turtle": write_turtle}
__all__ = ["WRITERS", "compact", "path_text", "report_graph", "write_json", "write_text", "write_turtle"]
