"""Run pySHACL itself: for shapes outside the fast subset, and as the reference the tests compare with."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import rdflib
from rdflib.namespace import RDF, SH

from kg.records.model import from_rdflib
from kg.validation.shapes import Path_, compile_path


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


def run_pyshacl(data: rdflib.Graph, shapes: rdflib.Graph) -> tuple[list[PyshaclResult], rdflib.Graph]:
    """pySHACL's results for ``data`` (not modified) under ``shapes``, and its report graph."""
    from pyshacl import validate

    _conforms, report, _text = validate(data, shacl_graph=shapes, inference="none", advanced=False,
                                        allow_warnings=False, abort_on_first=False)
    return read_report(report), report


def read_report(report: rdflib.Graph) -> list[PyshaclResult]:
    """The results of a SHACL validation report graph."""
    out = []
    for node in report.subjects(RDF.type, SH.ValidationResult):
        path = report.value(node, SH.resultPath)
        value = report.value(node, SH.value)
        out.append(PyshaclResult(
            shape=from_rdflib(report.value(node, SH.sourceShape)),
            focus=from_rdflib(report.value(node, SH.focusNode)),
            path=compile_path(report, path) if path is not None else None,
            value=from_rdflib(value) if value is not None else None,
            severity=str(report.value(node, SH.resultSeverity)).rsplit("#", 1)[-1],
            component=from_rdflib(report.value(node, SH.sourceConstraintComponent)),
            messages=tuple(str(m) for m in report.objects(node, SH.resultMessage)),
        ))
    return out
