"""Run pySHACL itself: for shapes outside the fast subset, and as the reference the tests compare with."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import rdflib
from rdflib.namespace import RDF, SH

from kg.errors import UnreadableInputError
from kg.logs import quiet_literals
from kg.records.model import from_rdflib
from kg.validation.shapes import _TARGETS, Path_, Shape, ShapeSet, compile_path, severity_name


@dataclass(frozen=True)
class PyshaclResult:
    """One result of pySHACL's report graph, with terms as pyoxigraph terms."""

    shape: Any
    focus: Any
    path: Path_ | None
    value: Any
    severity: str
    component: Any
    messages: tuple[str, ...]


def pyshacl_shapes_graph(shape_set: ShapeSet, keep: list[Shape]) -> rdflib.Graph:
    """The shapes graph with targets only on the shapes of ``keep``: pySHACL then validates those alone,
    while every shape they refer to stays as it is."""
    if len(keep) == len(shape_set.shapes):
        return shape_set.graph
    kept = {s.source for s in keep}
    graph = rdflib.Graph()
    graph += shape_set.graph
    for shape in shape_set.shapes:
        if shape.source in kept:
            continue
        for predicate in _TARGETS:
            graph.remove((shape.source, predicate, None))
        if any(c.value == str(shape.source) for c in shape.target_classes):  # an implicit class target
            graph.remove((shape.source, RDF.type, None))
            graph.add((shape.source, RDF.type, SH.NodeShape if shape.path is None else SH.PropertyShape))
    return graph


def run_pyshacl(data: rdflib.Graph, shapes: rdflib.Graph,
                files: list[str] | None = None) -> tuple[list[PyshaclResult], rdflib.Graph]:
    """pySHACL's results for ``data`` (not modified) under ``shapes``, and its report graph.

    Shapes pySHACL refuses to load are unreadable input, named by ``files``.
    """
    from pyshacl import validate
    from pyshacl.errors import ReportableRuntimeError

    try:
        with quiet_literals():
            _conforms, report, _text = validate(data, shacl_graph=shapes, inference="none", advanced=False,
                                                allow_warnings=False, abort_on_first=False)
    except ReportableRuntimeError as exc:
        message = " ".join(str(getattr(exc, "message", exc)).split())
        raise UnreadableInputError(", ".join(files or ["the shapes graph"]),
                                   f"not usable SHACL: {message}") from None
    except Exception as exc:  # noqa: BLE001 - pySHACL lets parser and assertion errors of bad shapes through
        lines = str(exc).strip().splitlines()
        message = f"{type(exc).__name__}: {lines[0]}" if lines else type(exc).__name__
        raise UnreadableInputError(", ".join(files or ["the shapes graph"]),
                                   f"pySHACL cannot validate with these shapes ({message})") from None
    return read_report(report, shapes), report


def read_report(report: rdflib.Graph, shapes: rdflib.Graph | None = None) -> list[PyshaclResult]:
    """The results of a SHACL validation report graph.

    A complex result path is read from the source shape's ``sh:path`` in ``shapes`` where given:
    pySHACL copies only the top node of a path into its report.
    """
    out = []
    # the report's own results; pySHACL also types the nested results of sh:node (sh:detail) as results
    top = [r for root in report.subjects(RDF.type, SH.ValidationReport) for r in report.objects(root, SH.result)]
    for node in top:
        path = report.value(node, SH.resultPath)
        value = report.value(node, SH.value)
        shape = report.value(node, SH.sourceShape)
        if isinstance(path, rdflib.BNode) and shapes is not None and shapes.value(shape, SH.path) is not None:
            path = compile_path(shapes, shapes.value(shape, SH.path))
        elif path is not None:
            path = compile_path(report, path)
        out.append(PyshaclResult(
            shape=from_rdflib(shape),
            focus=from_rdflib(report.value(node, SH.focusNode)),
            path=path,
            value=from_rdflib(value) if value is not None else None,
            severity=severity_name(report.value(node, SH.resultSeverity)),
            component=from_rdflib(report.value(node, SH.sourceConstraintComponent)),
            messages=tuple(str(m) for m in report.objects(node, SH.resultMessage)),
        ))
    return out
