"""Load SHACL shapes graphs and compile every shape into plain Python objects.

The compiled form is what the fast engine (``kg.validation.engine``) walks. Compiling never guesses:
what the fast engine cannot evaluate exactly (a zero-or-more path, a SPARQL constraint, a parameter
outside its subset) is written into ``Shape.unsupported``, and ``engine.supports`` then sends the whole
shape to pySHACL. A shapes graph that is not well-formed SHACL (a literal as ``sh:path``, a broken RDF
list, ``sh:minCount "two"``, a ``sh:pattern`` that is no SPARQL regular expression) raises
``MalformedShapesError``, which ``load_shapes`` names with its file: the command exits 2 with one line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import rdflib
from rdflib.namespace import OWL, RDF, RDFS, SH, XSD

from kg.errors import OpennessError, UnreadableInputError
from kg.logs import quiet_literals
from kg.parsing import refuse_xml_declarations
from kg.records.model import from_rdflib
from kg.resources import shape_files

SHP = rdflib.Namespace("https://w3id.org/ai-openness/shapes#")
_SHACL_SEVERITIES = {str(SH.Violation), str(SH.Warning), str(SH.Info)}


def severity_name(iri: Any) -> str:
    """``Violation``, ``Warning`` or ``Info`` for SHACL's own severities; any other IRI kept whole.

    SHACL lets a shape use its own severity IRI; keeping it whole lets reports name it exactly, and
    :attr:`kg.validation.report.Report.conforms` counts it as a failure (as pySHACL's ``allow_warnings`` does).
    """
    text = str(iri)
    return text.rsplit("#", 1)[-1] if text in _SHACL_SEVERITIES else text

#: A property path: a predicate, or (operator, argument) with operator one of ``^`` (inverse),
#: ``/`` (sequence) and ``|`` (alternatives) over a tuple of paths, or ``*``, ``+``, ``?`` over a path.
Path_ = Any

#: Parameter -> component, for the components the fast engine evaluates.
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
    SH.xone: SH.XoneConstraintComponent,
    SH.node: SH.NodeConstraintComponent,
    SH.minLength: SH.MinLengthConstraintComponent,
    SH.maxLength: SH.MaxLengthConstraintComponent,
    SH.uniqueLang: SH.UniqueLangConstraintComponent,
    SH.languageIn: SH.LanguageInConstraintComponent,
    SH.closed: SH.ClosedConstraintComponent,
    SH.equals: SH.EqualsConstraintComponent,
    SH.disjoint: SH.DisjointConstraintComponent,
}
#: Parameters that only qualify another one, or carry no constraint.
_PASSIVE = {
    SH.flags, SH.path, SH.property, SH.severity, SH.message, SH.name, SH.description, SH.deactivated,
    SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf, SH.order, SH.group,
    SH.defaultValue, RDF.type, RDFS.label, RDFS.comment, SHP.reportPath, RDFS.isDefinedBy, SH.declare,
    SH.prefixes, SH.ignoredProperties,
}
#: Components that only a property shape may have (SHACL 4.2, 4.4.3, 4.5.3, 4.5.4).
_PROPERTY_ONLY = {SH.minCount, SH.maxCount, SH.uniqueLang, SH.lessThan, SH.lessThanOrEquals,
                  SH.qualifiedValueShape}
_NODE_KINDS = {"IRI", "BlankNode", "Literal", "BlankNodeOrIRI", "BlankNodeOrLiteral", "IRIOrLiteral"}
_PATH_OPERATORS = {SH.inversePath: "^", SH.alternativePath: "|", SH.zeroOrMorePath: "*",
                   SH.oneOrMorePath: "+", SH.zeroOrOnePath: "?"}
_TARGETS = (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf)
_SHACL_PREFIX = str(SH)


class MalformedShapesError(OpennessError):
    """The shapes graph is not well-formed SHACL; ``node`` and ``predicate`` say where."""

    def __init__(self, node: Any, predicate: Any, message: str):
        self.node, self.predicate, self.message = node, predicate, message
        super().__init__(message)


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
    #: Why the fast engine cannot evaluate this shape itself (nested shapes are checked by the engine).
    unsupported: list[str] = field(default_factory=list)
    #: Filled by the engine on first use: the constraints ready to run, and a one-test shortcut.
    compiled: list[tuple[str, Any, Any, Any]] | None = None
    simple_test: tuple[Any, Any] | None = None
    nt_path: Any = None

    @property
    def has_targets(self) -> bool:
        return bool(self.target_classes or self.target_nodes or self.target_subjects_of
                    or self.target_objects_of)

    def parameter(self, component: ox.NamedNode) -> Any:
        """The (first) compiled parameter of ``component``, or None."""
        return next((param for c, param in self.constraints if c == component), None)


@dataclass
class ShapeSet:
    """The shapes of one shapes graph, compiled, with the graph itself (for pySHACL and reports)."""

    graph: rdflib.Graph
    #: The shapes with targets: what validation starts from.
    shapes: list[Shape]
    all_shapes: dict[ox.NamedNode | ox.BlankNode, Shape]
    #: The files the graph was read from (for error messages).
    files: list[str] = field(default_factory=list)


@dataclass
class Pattern:
    """A compiled ``sh:pattern`` with its ``sh:flags``, as SPARQL's REGEX reads them (XPath syntax)."""

    source: str
    flags: str
    regex: re.Pattern[str]

    def search(self, text: str) -> bool:
        return self.regex.search(text) is not None


def compile_pattern(pattern: str, flags: str) -> re.Pattern[str]:
    """SPARQL REGEX(text, pattern, flags) as a Python regex: XPath regex syntax and flags (s, m, i, x, q).

    Raises ValueError for an invalid pattern or flag (the shapes graph is then malformed).
    """
    from elementpath.regex import RegexError, translate_pattern

    re_flags = 0
    for char in flags:
        if char in "smix":
            re_flags |= getattr(re, char.upper())
        elif char == "q":
            pattern = re.escape(pattern)
        else:
            raise ValueError(f"'{char}' is not a regular expression flag (s, m, i, x or q)")
    try:
        return re.compile(translate_pattern(pattern, re_flags), re_flags)
    except (RegexError, re.error) as exc:
        raise ValueError(f"not a valid regular expression: {exc}") from None


def parse_shapes(paths: list[Path]) -> rdflib.Graph:
    """The union of the shape files; a file that does not parse is unreadable input."""
    graph = rdflib.Graph()
    for path in paths:
        graph += _parse_file(Path(path))
    return graph


def _parse_file(path: Path) -> rdflib.Graph:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise UnreadableInputError(str(path), "no such shapes file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise UnreadableInputError(str(path), f"cannot read the shapes file: {exc}") from None
    if not text.strip():
        raise UnreadableInputError(str(path), "the shapes file is empty")
    fmt = rdflib.util.guess_format(str(path)) or "turtle"
    if fmt in ("xml", "trix"):  # decided on the XML prolog, as for every other input (kg.parsing)
        refuse_xml_declarations(text.encode("utf-8"), str(path))
    return parse_shapes_text(text, fmt, path.resolve().as_uri(), str(path))


def parse_shapes_text(text: str, fmt: str = "turtle", base: str | None = None, name: str = "shapes") -> rdflib.Graph:
    """A shapes graph from text, its literals as written; text that does not parse is unreadable input."""
    graph = rdflib.Graph()
    normalize = rdflib.NORMALIZE_LITERALS
    rdflib.NORMALIZE_LITERALS = False  # keep literals as written: "1"^^xsd:boolean is not the literal true
    try:
        with quiet_literals():
            graph.parse(data=text, format=fmt, publicID=base)
    except Exception as exc:  # rdflib raises many parser-specific types
        line = getattr(exc, "lines", None) or _line_of(str(exc))
        raise UnreadableInputError(name, f"not valid {fmt}: {_first_line(exc)}", line=line) from None
    finally:
        rdflib.NORMALIZE_LITERALS = normalize
    return graph


def load_shapes(paths: list[Path]) -> ShapeSet:
    """The shape files parsed and compiled as one shapes graph; malformed SHACL names its file."""
    files = [(Path(p), _parse_file(Path(p))) for p in paths]
    graph = rdflib.Graph()
    for _path, part in files:
        graph += part
    try:
        shape_set = compile_shapes(graph)
    except MalformedShapesError as exc:
        where = next((str(p) for p, part in files if (exc.node, exc.predicate, None) in part),
                     ", ".join(str(p) for p, _ in files))
        raise UnreadableInputError(where, f"not well-formed SHACL: {exc.message}") from None
    shape_set.files = [str(p) for p, _ in files]
    return shape_set


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


def describe(graph: rdflib.Graph, node: Any) -> str:
    """A shape or term as people can find it in their file: a prefixed name, or what a blank node holds."""
    if isinstance(node, rdflib.BNode):
        path = graph.value(node, SH.path)
        if isinstance(path, rdflib.URIRef):
            return f"the property shape on {path.n3(graph.namespace_manager)}"
        parent = next(iter(graph.subjects(None, node)), None)
        if parent is not None and not isinstance(parent, rdflib.BNode):
            return f"a blank node of {parent.n3(graph.namespace_manager)}"
        return "a blank node"
    return node.n3(graph.namespace_manager)


def rdf_list(graph: rdflib.Graph, head: Any, owner: Any, predicate: Any) -> list[Any]:
    """The members of a well-formed RDF list (one rdf:first and one rdf:rest per cell, no cycle)."""
    items: list[Any] = []
    seen: set[Any] = set()
    node = head
    while node != RDF.nil:
        firsts = list(graph.objects(node, RDF.first))
        rests = list(graph.objects(node, RDF.rest))
        if isinstance(node, rdflib.Literal) or node in seen or len(firsts) != 1 or len(rests) != 1:
            raise MalformedShapesError(owner, predicate, f"{describe(graph, owner)}: the value of "
                                       f"{predicate.n3(graph.namespace_manager)} is not a well-formed RDF list")
        seen.add(node)
        items.append(firsts[0])
        node = rests[0]
    return items


def compile_path(graph: rdflib.Graph, node: Any, owner: Any = None, _seen: frozenset = frozenset()) -> Path_:
    """A SHACL property path (SHACL 2.3.1) as nested tuples; raises MalformedShapesError when ill-formed."""
    owner = node if owner is None else owner

    def bad(why: str) -> MalformedShapesError:
        return MalformedShapesError(owner, SH.path, f"{describe(graph, owner)}: sh:path {why}")

    if isinstance(node, rdflib.URIRef):
        return ox.NamedNode(str(node))
    if isinstance(node, rdflib.Literal):
        raise bad(f"is the literal {node.n3(graph.namespace_manager)}; a path is an IRI or a path node")
    if node in _seen:
        raise bad("refers to itself")
    seen = _seen | {node}
    forms = [p for p in (*_PATH_OPERATORS, RDF.first) if (node, p, None) in graph]
    if len(forms) != 1:
        raise bad("is a blank node that is not exactly one of: a list, sh:inversePath, sh:alternativePath, "
                  "sh:zeroOrMorePath, sh:oneOrMorePath, sh:zeroOrOnePath")
    if forms[0] == RDF.first:
        members = rdf_list(graph, node, owner, SH.path)
        if len(members) < 2:
            raise bad("is a sequence of fewer than two paths")
        return ("/", tuple(compile_path(graph, m, owner, seen) for m in members))
    values = list(graph.objects(node, forms[0]))
    if len(values) != 1:
        raise bad(f"has {len(values)} values of {forms[0].n3(graph.namespace_manager)}")
    op = _PATH_OPERATORS[forms[0]]
    if op == "|":
        members = rdf_list(graph, values[0], owner, SH.path)
        if len(members) < 2:
            raise bad("is an alternative of fewer than two paths")
        return ("|", tuple(compile_path(graph, m, owner, seen) for m in members))
    return (op, compile_path(graph, values[0], owner, seen))


def is_true(value: Any) -> bool:
    """Whether a boolean parameter is activated: only the literal ``true`` (``"true"^^xsd:boolean``)."""
    return isinstance(value, rdflib.Literal) and value.datatype == XSD.boolean and str(value) == "true"


class _Compiler:
    """Compiles the shapes of one graph, each once, checking well-formedness on the way."""

    def __init__(self, graph: rdflib.Graph):
        self.graph = graph
        self.cache: dict[Any, Shape] = {}
        #: Parameters of SPARQL-based constraint components declared in the graph: pySHACL's business.
        self.custom = {p for c in graph.subjects(RDF.type, SH.ConstraintComponent)
                       for param in graph.objects(c, SH.parameter) for p in graph.objects(param, SH.path)}

    def bad(self, node: Any, predicate: Any, why: str) -> MalformedShapesError:
        g = self.graph
        return MalformedShapesError(node, predicate,
                                    f"{describe(g, node)}: {predicate.n3(g.namespace_manager)} {why}")

    def shape(self, node: Any, owner: Any = None, via: Any = None) -> Shape:
        if isinstance(node, rdflib.Literal):
            raise self.bad(owner, via, f"is the literal {node.n3(self.graph.namespace_manager)}, not a shape")
        found = self.cache.get(node)
        if found is not None:
            return found
        s = Shape(node=from_rdflib(node), source=node)
        self.cache[node] = s
        self._fill(s, node)
        return s

    def _fill(self, s: Shape, node: Any) -> None:
        g = self.graph
        paths = list(g.objects(node, SH.path))
        if len(paths) > 1:
            raise self.bad(node, SH.path, "has more than one value")
        if paths and (node, RDF.type, SH.NodeShape) in g:
            raise self.bad(node, SH.path, "is not allowed on a sh:NodeShape")
        if paths:
            s.path = compile_path(g, paths[0], node)
        severities = list(g.objects(node, SH.severity))
        if len(severities) > 1 or any(not isinstance(v, rdflib.URIRef) for v in severities):
            raise self.bad(node, SH.severity, "must be one IRI (sh:Violation, sh:Warning, sh:Info or your own)")
        if severities:
            s.severity = severity_name(severities[0])
        s.messages = _literal_text(g, node, SH.message)
        s.name = next(iter(_literal_text(g, node, SH.name)), None)
        s.description = next(iter(_literal_text(g, node, SH.description)), None)
        report_path = g.value(node, SHP.reportPath)
        s.report_path = ox.NamedNode(str(report_path)) if isinstance(report_path, rdflib.URIRef) else None
        for value in g.objects(node, SH.deactivated):
            if not isinstance(value, rdflib.Literal) or value.datatype != XSD.boolean:
                raise self.bad(node, SH.deactivated, "is not a boolean literal")
            s.deactivated = s.deactivated or is_true(value)
        s.target_classes = [self.iri(node, SH.targetClass, c) for c in g.objects(node, SH.targetClass)]
        if self.is_class(node):
            s.target_classes.append(ox.NamedNode(str(node)))
        s.target_nodes = [from_rdflib(n) for n in g.objects(node, SH.targetNode)]
        s.target_subjects_of = [self.iri(node, SH.targetSubjectsOf, p) for p in g.objects(node, SH.targetSubjectsOf)]
        s.target_objects_of = [self.iri(node, SH.targetObjectsOf, p) for p in g.objects(node, SH.targetObjectsOf)]
        for prop in g.objects(node, SH.property):
            nested = self.shape(prop, node, SH.property)
            if nested.path is None:
                raise self.bad(node, SH.property, "names a shape without sh:path")
            s.properties.append(nested)
        flags = list(g.objects(node, SH.flags))
        if len(flags) > 1 or any(not isinstance(f, rdflib.Literal) for f in flags):
            raise self.bad(node, SH.flags, "must be one literal")
        for predicate, value in g.predicate_objects(node):
            self._constraint(s, node, predicate, value, str(flags[0]) if flags else "")

    def _constraint(self, s: Shape, node: Any, predicate: Any, value: Any, flags: str) -> None:
        if predicate in _PASSIVE:
            return
        if predicate in self.custom:
            s.unsupported.append(f"{predicate} belongs to a constraint component declared in the shapes graph")
            return
        if predicate in _PROPERTY_ONLY and s.path is None:
            raise self.bad(node, predicate, "is only allowed on a property shape (one with sh:path)")
        component = COMPONENTS.get(predicate)
        if component is None:
            if str(predicate).startswith(_SHACL_PREFIX):
                s.unsupported.append(f"{predicate.n3(self.graph.namespace_manager)} is not in the fast subset")
            return
        if predicate == SH.closed and s.path is not None:
            s.unsupported.append("sh:closed on a property shape is not in the fast subset")
        s.constraints.append((ox.NamedNode(str(component)), self.parameter(node, predicate, value, flags)))

    def parameter(self, node: Any, predicate: Any, value: Any, flags: str) -> Any:
        """The compiled value of one constraint parameter, checked against SHACL's syntax rules."""
        if predicate == SH.pattern:
            return self._pattern(node, value, flags)
        for group, read in self._readers:
            if predicate in group:
                return read(self, node, predicate, value)
        return from_rdflib(value)  # sh:hasValue: any term

    def _count(self, node: Any, predicate: Any, value: Any) -> int:
        number = value.toPython() if isinstance(value, rdflib.Literal) else None
        if not isinstance(number, int) or isinstance(number, bool) or number < 0:
            raise self.bad(node, predicate, f"is {value.n3(self.graph.namespace_manager)}; expected a "
                           "non-negative xsd:integer")
        return number

    def _pattern(self, node: Any, value: Any, flags: str) -> Pattern:
        if not isinstance(value, rdflib.Literal):
            raise self.bad(node, SH.pattern, "is not a literal")
        try:
            return Pattern(str(value), flags, compile_pattern(str(value), flags))
        except ValueError as exc:
            raise self.bad(node, SH.pattern, f"'{value}' (flags '{flags}'): {exc}") from None

    def _in(self, node: Any, predicate: Any, value: Any) -> tuple:
        return tuple(from_rdflib(v) for v in rdf_list(self.graph, value, node, predicate))

    def _shapes(self, node: Any, predicate: Any, value: Any) -> list[Shape]:
        return [self.shape(m, node, predicate) for m in rdf_list(self.graph, value, node, predicate)]

    def _node(self, node: Any, predicate: Any, value: Any) -> Shape:
        member = self.shape(value, node, predicate)
        if predicate == SH.node and member.path is not None:
            raise self.bad(node, predicate, "names a property shape; its value must be a node shape")
        return member

    def _node_kind(self, node: Any, predicate: Any, value: Any) -> ox.NamedNode:
        if not (isinstance(value, rdflib.URIRef) and str(value).startswith(_SHACL_PREFIX)
                and str(value)[len(_SHACL_PREFIX):] in _NODE_KINDS):
            raise self.bad(node, predicate, f"is {value.n3(self.graph.namespace_manager)}; expected one of sh:IRI, "
                           "sh:BlankNode, sh:Literal, sh:BlankNodeOrIRI, sh:BlankNodeOrLiteral, sh:IRIOrLiteral")
        return ox.NamedNode(str(value))

    def _boolean(self, node: Any, predicate: Any, value: Any) -> Any:
        g = self.graph
        if not isinstance(value, rdflib.Literal) or value.datatype != XSD.boolean:
            raise self.bad(node, predicate, f"is {value.n3(g.namespace_manager)}; expected true or false")
        if predicate == SH.closed:
            ignored = [self.iri(node, SH.ignoredProperties, p) for v in g.objects(node, SH.ignoredProperties)
                       for p in rdf_list(g, v, node, SH.ignoredProperties)]
            return (is_true(value), frozenset(ignored))
        return is_true(value)

    def _languages(self, node: Any, predicate: Any, value: Any) -> tuple[str, ...]:
        ranges = rdf_list(self.graph, value, node, predicate)
        if any(not isinstance(r, rdflib.Literal) or r.language or r.datatype not in (None, XSD.string)
               for r in ranges):
            raise self.bad(node, predicate, "must list strings (language ranges)")
        return tuple(str(r).lower() for r in ranges)

    _readers: list[tuple[tuple[Any, ...], Any]] = [
        ((SH.minCount, SH.maxCount, SH.minLength, SH.maxLength), _count),
        ((SH["in"],), _in),
        ((SH["or"], SH["and"], SH.xone), _shapes),
        ((SH.node, SH["not"]), _node),
        ((SH["class"], SH.datatype, SH.equals, SH.disjoint), lambda self, node, p, v: self.iri(node, p, v)),
        ((SH.nodeKind,), _node_kind),
        ((SH.uniqueLang, SH.closed), _boolean),
        ((SH.languageIn,), _languages),
    ]

    def iri(self, node: Any, predicate: Any, value: Any) -> ox.NamedNode:
        if not isinstance(value, rdflib.URIRef):
            raise self.bad(node, predicate, f"is {value.n3(self.graph.namespace_manager)}; expected an IRI")
        return ox.NamedNode(str(value))

    def is_class(self, node: Any) -> bool:
        """Whether ``node`` is a SHACL instance of rdfs:Class in the shapes graph (owl:Class counts, as in
        pySHACL): then, being a shape, it targets its own instances (SHACL 2.1.3.1)."""
        g = self.graph
        classes = {RDFS.Class, OWL.Class}
        todo = [RDFS.Class, OWL.Class]
        while todo:
            for sub in g.subjects(RDFS.subClassOf, todo.pop()):
                if sub not in classes:
                    classes.add(sub)
                    todo.append(sub)
        return any(t in classes for t in g.objects(node, RDF.type))


def _is_shape_subject(graph: rdflib.Graph, node: Any) -> bool:
    """A node that SHACL 2.1 calls a shape by what it says (a type, a target, a constraint parameter)."""
    if any((node, RDF.type, t) in graph for t in (SH.NodeShape, SH.PropertyShape)):
        return True
    return any(p in COMPONENTS or p in (SH.property, SH.path, *_TARGETS) for p in graph.predicates(node, None))


def compile_shapes(graph: rdflib.Graph) -> ShapeSet:
    """Every shape of ``graph`` compiled; ``shapes`` are those with targets (explicit or implicit)."""
    compiler = _Compiler(graph)
    roots: list[Any] = []
    for predicate in _TARGETS:
        roots.extend(graph.subjects(predicate, None))
    for kind in (SH.NodeShape, SH.PropertyShape):
        roots.extend(graph.subjects(RDF.type, kind))
    for node in set(graph.subjects(RDF.type, None)):
        if not isinstance(node, rdflib.Literal) and compiler.is_class(node) and _is_shape_subject(graph, node):
            roots.append(node)
    top: list[Shape] = []
    seen: set[Any] = set()
    for node in roots:
        if node not in seen and not isinstance(node, rdflib.Literal):
            seen.add(node)
            top.append(compiler.shape(node))
    return ShapeSet(graph=graph, shapes=[s for s in top if s.has_targets],
                    all_shapes={s.node: s for s in compiler.cache.values()})
