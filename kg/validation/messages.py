"""Default result messages: what failed and on which value, for shapes without ``sh:message``.

Worded after pySHACL's generic messages, but always naming the value (SHACL 3.6.2.3 leaves the wording
to the engine). The same wording is used whichever engine found the result.
"""

from __future__ import annotations

from typing import Any

import pyoxigraph as ox

from kg.validation.report import compact, path_text
from kg.validation.shapes import Shape

_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


def term(node: Any) -> str:
    """An RDF term as in Turtle: ``<iri>`` or a prefixed name, ``"text"@en``, ``"aldi"^^xsd:integer``."""
    if isinstance(node, ox.NamedNode):
        return compact(node.value)
    if isinstance(node, ox.BlankNode):
        return f"_:{node.value}"
    if isinstance(node, ox.Literal):
        text = '"' + node.value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'
        if node.language:
            return f"{text}@{node.language}"
        if node.datatype.value != _XSD_STRING:
            return f"{text}^^{compact(node.datatype.value)}"
        return text
    if isinstance(node, Shape):
        return term(node.node)
    return str(node)


def _shapes(members: Any) -> str:
    return "(" + ", ".join(term(m) for m in members) + ")"


def default_message(component: Any, param: Any, focus: Any, path: Any, value: Any) -> str | None:
    """The message of a result of ``component`` (None for a component this module does not word)."""
    name = component.value.rsplit("#", 1)[-1] if isinstance(component, ox.NamedNode) else ""
    where = f"{term(focus)}->{path_text(path)}" if path is not None else term(focus)
    v = term(value) if value is not None else ""
    words = {
        "MinCountConstraintComponent": lambda: f"Less than {param} values on {where}",
        "MaxCountConstraintComponent": lambda: f"More than {param} values on {where}",
        "PatternConstraintComponent": lambda: f"Value {v} does not match pattern '{param.source}'"
        + (f" with flags '{param.flags}'" if param.flags else ""),
        "InConstraintComponent": lambda: f"Value {v} not in list {_shapes(param)}",
        "DatatypeConstraintComponent": lambda: f"Value {v} is not a literal with datatype {term(param)}",
        "NodeKindConstraintComponent": lambda: f"Value {v} is not of node kind {term(param)}",
        "ClassConstraintComponent": lambda: f"Value {v} does not have class {term(param)}",
        "HasValueConstraintComponent": lambda: f"{where} does not have the value {term(param)}",
        "OrConstraintComponent": lambda: f"Value {v} must conform to one or more shapes in {_shapes(param)}",
        "AndConstraintComponent": lambda: f"Value {v} must conform to all shapes in {_shapes(param)}",
        "XoneConstraintComponent": lambda: f"Value {v} must conform to exactly one shape in {_shapes(param)}",
        "NotConstraintComponent": lambda: f"Value {v} must not conform to shape {term(param)}",
        "NodeConstraintComponent": lambda: f"Value {v} does not conform to shape {term(param)}",
        "MinLengthConstraintComponent": lambda: f"Value {v} is shorter than {param} characters",
        "MaxLengthConstraintComponent": lambda: f"Value {v} is longer than {param} characters",
        "UniqueLangConstraintComponent": lambda: f"More than one value of {where} shares a language tag",
        "LanguageInConstraintComponent": lambda: f"Value {v} has no language tag in {_shapes(param)}",
        "ClosedConstraintComponent": lambda: f"Node {term(focus)} is closed; it cannot have {where} {v}",
        "EqualsConstraintComponent": lambda: f"Value {v} of {where} is not also a value of {term(param)}"
        if path is not None else f"Value {v} of {term(param)} on {term(focus)} is not the node itself",
        "DisjointConstraintComponent": lambda: f"Value {v} of {where} is also a value of {term(param)}",
    }
    word = words.get(name)
    if word is None or (param is None and name not in ("ClosedConstraintComponent",)):
        return None
    return word()
