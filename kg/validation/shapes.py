"""Load SHACL shapes and compile the SHACL Core subset our shapes use into plain Python objects.

The compiled form is what the fast engine (``kg.validation.engine``) walks. A shape that uses anything
outside the subset (SPARQL constraints, qualified value shapes, ``sh:closed``...) is marked unsupported,
and its whole shapes graph is then validated by pySHACL instead, so the subset never changes a result.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import rdflib
from rdflib.collection import Collection
from rdflib.namespace import OWL, RDF, RDFS, SH

from kg.errors import UnreadableInputError
from kg.parsing import refuse_xml_declarations
from kg.records.model import from_rdflib
from kg.resources import shape_files

SHP = rdflib.Namespace("https://w3id.org/ai-openness/shapes#")

#: A property path: a predicate, ("^", path), ("/", (paths...)) or ("|", (paths...)).
Path_ = Any

#: Constraint parameters the engine evaluates, and the component each belongs to.
COMPONENTS: dict[rdflib.URIRef, rdflib.URIRef] = {
    SH.minCount: SH.MinCountConstraintComponent,
    SH.maxCount: SH.MaxCountConstraintComponent,
    SH.pattern: SH.PatternConstraintComponent,
    SH["in"]: SH.InConstraintComponent,
    SH.datatype: SH.DatatypeConstraintComponent,
    SH.nodeKind: SH.NodeKindConstraintComponent,
    SH["class"]: SH.ClassConstraintComponent,
    SH.hasValue: SH.HasValueConstraintComponent,
    SH["or"]: SH.OrConstraintComponent,
    SH["and"]: SH.AndConstraintComponent,
    SH["not"]: SH.NotConstraintComponent,
    SH.node: SH.NodeConstraintComponent,
    SH.minLength: SH.MinLengthConstraintComponent,
    SH.maxLength: SH.MaxLengthConstraintComponent,
}
#: Parameters that only qualify another one, or carry no constraint.
_PASSIVE = {
    SH.flags, SH.path, SH.property, SH.severity, SH.message, SH.name, SH.description, SH.deactivated,
    SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf, SH.order, SH.group,
    SH.defaultValue, RDF.type, RDFS.label, RDFS.comment, SHP.reportPath, RDFS.isDefinedBy, SH.declare,
    SH.prefixes,
}
_SHACL_PREFIX = str(SH)


@dataclass(eq=False)
class Shape:
    """One node or property shape, compiled."""

    node: ox.NamedNode | ox.BlankNode
    source: rdflib.term.Node
    path: Path_ | None = None
    severity: str = "Violation"
    messages: list[str] = field(default_factory=list)
    name: str | None = None
    description: str | None = None
    report_path: ox.NamedNode | None = None
    deactivated: bool = False
    target_classes: list[ox.NamedNode] = field(default_factory=list)
    target_nodes: list[Any] = field(default_factory=list)
    target_subjects_of: list[ox.NamedNode] = field(default_factory=list)
    target_objects_of: list[ox.NamedNode] = field(default_factory=list)
    #: (component IRI, parameter value): value is compiled (a regex, a set, a list of shapes...).
    constraints: list[tuple[ox.NamedNode, Any]] = field(default_factory=list)
    properties: list[Shape] = field(default_factory=list)
    unsupported: list[str] = field(default_factory=list)
    #: Filled by the engine on first use: the constraints ready to run, and a one-test shortcut.
    compiled: list[tuple[str, Any, Any, Any]] | None = None
    simple_test: tuple[Any, Any] | None = None
    nt_path: Any = None

    @property
    def has_targets(self) -> bool:
        return bool(self.target_classes or self.target_nodes or self.target_subjects_of
                    or self.target_objects_of)


@dataclass
class ShapeSet:
    """The shapes of one shapes graph, compiled, with the graph itself (for pySHACL and reports)."""

    graph: rdflib.Graph
    shapes: list[Shape]
    all_shapes: dict[ox.NamedNode | ox.BlankNode, Shape]

    @property
    def unsupported(self) -> list[str]:
        """Why the fast engine cannot evaluate this graph (empty when it can)."""
        return [reason for shape in self.all_shapes.values() for reason in shape.unsupported]


def parse_shapes(paths: list[Path]) -> rdflib.Graph:
    """The union of the Turtle shape files; a file that does not parse is unreadable input."""
    graph = rdflib.Graph()
    for path in paths:
        try:
            text = Path(path).read_text(encoding="utf-8")
        except FileNotFoundError:
            raise UnreadableInputError(str(path), "no such shapes file") from None
        except (OSError, UnicodeDecodeError) as exc:
            raise UnreadableInputError(str(path), f"cannot read the shapes file: {exc}") from None
        if not text.strip():
            raise UnreadableInputError(str(path), "the shapes file is empty")
        fmt = rdflib.util.guess_format(str(path)) or "turtle"
        if fmt in ("xml", "trix"):  # decided on the XML prolog, as for every other input (kg.parsing)
            refuse_xml_declarations(text.encode("utf-8"), str(path))
        try:
            graph.parse(data=text, format=fmt, publicID=Path(path).resolve().as_uri())
        except Exception as exc:  # rdflib raises many parser-specific types
            line = getattr(exc, "lines", None) or _line_of(str(exc))
            raise UnreadableInputError(str(path), f"not valid {fmt}: {_first_line(exc)}", line=line) from None
    return graph


def _first_line(exc: Exception) -> str:
    text = str(exc).strip().splitlines()
    return text[0] if text else type(exc).__name__


def _line_of(message: str) -> int | None:
    found = re.search(r"line (\d+)", message)
    return int(found.group(1)) if found else None


def our_shapes_graph() -> rdflib.Graph:
    """The project's own shapes (``shapes/*.ttl``)."""
    return parse_shapes(shape_files())


def _literal_text(graph: rdflib.Graph, node: Any, predicate: rdflib.URIRef) -> list[str]:
    values = list(graph.objects(node, predicate))
    english = [str(v) for v in values if isinstance(v, rdflib.Literal) and v.language in (None, "en")]
    return english or [str(v) for v in values]


def compile_path(graph: rdflib.Graph, node: Any) -> Path_:
    """A SHACL property path as the engine's nested tuples; raises ValueError when unsupported."""
    if isinstance(node, rdflib.URIRef):
        return ox.NamedNode(str(node))
    inverse = graph.value(node, SH.inversePath)
    if inverse is not None:
        return ("^", compile_path(graph, inverse))
    alternative = graph.value(node, SH.alternativePath)
    if alternative is not None:
        return ("|", tuple(compile_path(graph, p) for p in Collection(graph, alternative)))
    if graph.value(node, RDF.first) is not None:
        return ("/", tuple(compile_path(graph, p) for p in Collection(graph, node)))
    raise ValueError(f"property path form {node} (zero-or-more and the like) is not in the fast subset")


def compile_shapes(graph: rdflib.Graph) -> ShapeSet:
    """Every shape of ``graph`` with a target, compiled (nested shapes are compiled on the way)."""
    cache: dict[Any, Shape] = {}

    def shape(node: Any) -> Shape:
        if node in cache:
            return cache[node]
        s = Shape(node=from_rdflib(node), source=node)
        cache[node] = s
        path = graph.value(node, SH.path)
        if path is not None:
            try:
                s.path = compile_path(graph, path)
            except ValueError as exc:
                s.unsupported.append(str(exc))
        severity = graph.value(node, SH.severity)
        if severity is not None:
            s.severity = str(severity).rsplit("#", 1)[-1]
        s.messages = _literal_text(graph, node, SH.message)
        s.name = next(iter(_literal_text(graph, node, SH.name)), None)
        s.description = next(iter(_literal_text(graph, node, SH.description)), None)
        report_path = graph.value(node, SHP.reportPath)
        s.report_path = ox.NamedNode(str(report_path)) if isinstance(report_path, rdflib.URIRef) else None
        s.deactivated = str(graph.value(node, SH.deactivated)).lower() == "true"
        s.target_classes = [ox.NamedNode(str(c)) for c in graph.objects(node, SH.targetClass)]
        if (node, RDF.type, RDFS.Class) in graph or (node, RDF.type, OWL.Class) in graph:
            s.target_classes.append(ox.NamedNode(str(node)))
        s.target_nodes = [from_rdflib(n) for n in graph.objects(node, SH.targetNode)]
        s.target_subjects_of = [ox.NamedNode(str(p)) for p in graph.objects(node, SH.targetSubjectsOf)]
        s.target_objects_of = [ox.NamedNode(str(p)) for p in graph.objects(node, SH.targetObjectsOf)]
        for prop in graph.objects(node, SH.property):
            s.properties.append(shape(prop))
        flags = str(graph.value(node, SH.flags) or "").lower()
        for predicate, value in graph.predicate_objects(node):
            if predicate in _PASSIVE:
                continue
            component = COMPONENTS.get(predicate)
            if component is None:
                if str(predicate).startswith(_SHACL_PREFIX):
                    s.unsupported.append(f"{node}: {predicate.n3(graph.namespace_manager)} is not in the fast subset")
                continue
            s.constraints.append((ox.NamedNode(str(component)), _parameter(predicate, value, flags)))
        return s

    def _parameter(predicate: rdflib.URIRef, value: Any, flags: str) -> Any:
        if predicate == SH.pattern:
            re_flags = (re.I if "i" in flags else 0) | (re.M if "m" in flags else 0)
            return re.compile(str(value), re_flags)
        if predicate == SH["in"]:
            return frozenset(from_rdflib(v) for v in Collection(graph, value))
        if predicate in (SH["or"], SH["and"]):
            return [shape(member) for member in Collection(graph, value)]
        if predicate in (SH["not"], SH.node):
            return shape(value)
        if predicate in (SH.minCount, SH.maxCount, SH.minLength, SH.maxLength):
            return int(value)
        if predicate in (SH["class"], SH.datatype, SH.nodeKind):
            return ox.NamedNode(str(value))
        return from_rdflib(value)

    roots: list[Any] = []
    for predicate in (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf):
        roots.extend(graph.subjects(predicate, None))
    for cls in (RDFS.Class, OWL.Class):
        roots.extend(n for n in graph.subjects(RDF.type, cls)
                     if (n, RDF.type, SH.NodeShape) in graph or (n, RDF.type, SH.PropertyShape) in graph)
    for kind in (SH.NodeShape, SH.PropertyShape):
        roots.extend(graph.subjects(RDF.type, kind))
    top: list[Shape] = []
    seen: set[Any] = set()
    for node in roots:
        if node not in seen:
            seen.add(node)
            top.append(shape(node))
    return ShapeSet(graph=graph, shapes=[s for s in top if s.has_targets],
                    all_shapes={s.node: s for s in cache.values()})
