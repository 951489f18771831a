"""The one safe way to parse input: RDF in any syntax, JSON and YAML, from files and request bodies.

Every input path (record readers, ``openness load``/``validate``/``classify``, importers, the server's Graph
Store writes) parses through here, so one decision covers them all:

- RDF/XML with a document type declaration (and so with entity declarations) is refused before the RDF
  parser sees it. The decision is taken on the XML prolog as the stdlib expat parser reports it (its
  DOCTYPE and entity-declaration events), not on a text pattern.
- The parsed size is bounded by the input: the characters of all parsed terms may reach at most
  ``EXPANSION_FACTOR`` times the input (at least ``MIN_PARSED_CHARS``). Prefixes, ``@base`` and JSON-LD
  contexts can make a small input name long IRIs many times over; past the bound the parse stops.
- JSON deeper than ``MAX_DEPTH`` levels is refused (Python's decoder stops far deeper, at its recursion
  limit, without using memory).
- YAML aliases may not expand a document beyond ``ALIAS_EXPANSION_FACTOR`` times its own nodes plus
  ``ALIAS_ALLOWANCE`` nodes, and may not be recursive: "billion laughs" documents are refused after
  composing (aliases are shared nodes there, so composing costs only the text's size).

Every refusal raises ``UnreadableInputError`` (``InputTooLargeError`` for size) naming the source and, where
known, the line; the CLI turns it into one line and exit 2, the server into a 4xx.
"""

from __future__ import annotations

import json
import xml.parsers.expat
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import yaml

from kg.errors import UnreadableInputError

#: The largest input read at once (files; the server has its own, smaller body limit).
MAX_INPUT_BYTES = 512 * 1024 * 1024
#: Parsed term characters allowed per input byte.
EXPANSION_FACTOR = 32
#: Parsed term characters always allowed, however small the input.
MIN_PARSED_CHARS = 1 << 20
#: Deepest nesting of JSON arrays and objects accepted (records need about 7).
MAX_DEPTH = 100
#: YAML: nodes aliases may add, as a multiple of the document's own nodes, plus a fixed allowance.
ALIAS_EXPANSION_FACTOR = 1
ALIAS_ALLOWANCE = 10_000

#: Format names of the project -> pyoxigraph formats.
RDF_FORMATS: dict[str, ox.RdfFormat] = {
    "turtle": ox.RdfFormat.TURTLE,
    "nt": ox.RdfFormat.N_TRIPLES,
    "nq": ox.RdfFormat.N_QUADS,
    "trig": ox.RdfFormat.TRIG,
    "n3": ox.RdfFormat.N3,
    "xml": ox.RdfFormat.RDF_XML,
    "jsonld": ox.RdfFormat.JSON_LD,
}


class InputTooLargeError(UnreadableInputError):
    """The input, or what it expands to, is larger than allowed (HTTP 413 on the server)."""


def read_text(path: str | Path) -> str:
    """The file as UTF-8 text, or a clear error for a missing, empty, binary or mis-encoded file."""
    path = Path(path)
    name = str(path)
    try:
        if path.is_dir():
            raise UnreadableInputError(name, "is a directory, not a record file")
        size = path.stat().st_size
        if size > MAX_INPUT_BYTES:
            raise UnreadableInputError(name, f"file is larger than {MAX_INPUT_BYTES // 2**20} MiB")
        data = path.read_bytes()
    except FileNotFoundError:
        raise UnreadableInputError(name, "no such file") from None
    except PermissionError:
        raise UnreadableInputError(name, "permission denied") from None
    except OSError as exc:
        raise UnreadableInputError(name, f"cannot read: {exc.strerror or exc}") from None
    if not data.strip():
        raise UnreadableInputError(name, "the file is empty")
    if b"\x00" in data[:8192]:
        raise UnreadableInputError(name, "binary data (NUL bytes), not a text record file")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise UnreadableInputError(
            name, f"not UTF-8 text (byte 0x{data[exc.start]:02x} at offset {exc.start})", line=line
        ) from None
    return text


# --- RDF ------------------------------------------------------------------------------------------


def rdf_format(format: str | ox.RdfFormat) -> ox.RdfFormat:
    """The pyoxigraph format for a project format name (or a pyoxigraph format, returned as is)."""
    if isinstance(format, ox.RdfFormat):
        return format
    try:
        return RDF_FORMATS[format]
    except KeyError:
        raise ValueError(f"unknown RDF format {format!r}; expected one of {', '.join(RDF_FORMATS)}") from None


def parse_rdf(
    data: bytes | str,
    format: str | ox.RdfFormat,
    *,
    source: str = "input",
    base_iri: str | None = None,
    max_bytes: int = MAX_INPUT_BYTES,
) -> list[ox.Quad]:
    """Every quad of ``data``, parsed with pyoxigraph after the checks of this module.

    Raises ``UnreadableInputError`` for a syntax error, a DOCTYPE or entity declaration in XML, and
    ``InputTooLargeError`` when the input exceeds ``max_bytes`` or its parsed terms exceed the bound.
    """
    fmt = rdf_format(format)
    raw = data.encode("utf-8") if isinstance(data, str) else bytes(data)
    if len(raw) > max_bytes:
        raise InputTooLargeError(source, f"the input is larger than the limit of {_size(max_bytes)}")
    if fmt == ox.RdfFormat.RDF_XML:
        refuse_xml_declarations(raw, source)
    budget = max(EXPANSION_FACTOR * len(raw), MIN_PARSED_CHARS)
    quads: list[ox.Quad] = []
    used = 0
    try:
        for quad in ox.parse(raw, format=fmt, base_iri=base_iri):
            used += _term_chars(quad.subject) + len(quad.predicate.value) + _term_chars(quad.object)
            if used > budget:
                raise InputTooLargeError(
                    source, f"the parsed terms exceed {_size(budget)} ({EXPANSION_FACTOR} times the input): "
                    "prefixes, a base IRI or a JSON-LD context expand it too far"
                )
            quads.append(quad)
    except SyntaxError as exc:
        message = str(exc).splitlines()[0].replace("Parser error at ", "syntax error at ")
        raise UnreadableInputError(source, message[:300], line=getattr(exc, "lineno", None)) from None
    except (ValueError, OSError) as exc:
        raise UnreadableInputError(source, f"cannot parse as {fmt.name}: {str(exc)[:300]}") from None
    return quads


def _term_chars(term: Any) -> int:
    """Characters of a term as parsed (a quoted triple counts its parts)."""
    if isinstance(term, ox.Triple):
        return _term_chars(term.subject) + len(term.predicate.value) + _term_chars(term.object)
    return len(term.value)


class _Declaration(Exception):
    def __init__(self, kind: str, line: int):
        super().__init__(kind)
        self.kind = kind
        self.line = line


class _RootElement(Exception):
    """The prolog is over: the root element starts."""


def refuse_xml_declarations(data: bytes, source: str) -> None:
    """Refuse XML whose prolog declares a document type or entities (entity expansion, external entities).

    Expat reads only up to the root element's start tag: the declarations can only be in the prolog.
    """
    parser = xml.parsers.expat.ParserCreate()

    def doctype(name: str, *_: Any) -> None:
        raise _Declaration(f"a document type declaration (<!DOCTYPE {name}>)", parser.CurrentLineNumber)

    def entity(name: str, *_: Any) -> None:
        raise _Declaration(f"an entity declaration (<!ENTITY {name}>)", parser.CurrentLineNumber)

    def root(*_: Any) -> None:
        raise _RootElement

    parser.StartDoctypeDeclHandler = doctype
    parser.EntityDeclHandler = entity
    parser.StartElementHandler = root
    try:
        parser.Parse(data, True)
    except _RootElement:
        return
    except _Declaration as found:
        raise UnreadableInputError(
            source, f"XML with {found.kind} is refused: entity declarations can expand a small input without "
            "bound", line=found.line
        ) from None
    except xml.parsers.expat.ExpatError as exc:
        raise UnreadableInputError(
            source, f"not well-formed XML: {xml.parsers.expat.ErrorString(exc.code)}", line=exc.lineno
        ) from None
    raise UnreadableInputError(source, "no root element in the XML document")


def _size(n: int) -> str:
    return f"{n / 2**20:.1f} MiB" if n >= 2**20 else f"{n:,} bytes"


# --- JSON and YAML -----------------------------------------------------------------------------------


def too_deep(data: Any, limit: int = MAX_DEPTH) -> bool:
    """Whether lists and dicts in ``data`` nest deeper than ``limit`` levels (checked level by level)."""
    level = [data] if isinstance(data, (list, dict)) else []
    depth = 0
    while level:
        depth += 1
        if depth > limit:
            return True
        below: list[Any] = []
        for item in level:
            values = item.values() if isinstance(item, dict) else item
            below.extend(v for v in values if isinstance(v, (list, dict)))
        level = below
    return False


def _depth_error(source: str) -> UnreadableInputError:
    return UnreadableInputError(source, f"nested deeper than {MAX_DEPTH} levels; records need far fewer")


def load_json(text: str, source: str) -> Any:
    """JSON as Python data, refusing syntax errors (with the line) and nesting deeper than ``MAX_DEPTH``."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise UnreadableInputError(source, f"JSON syntax error: {exc.msg}", line=exc.lineno) from None
    except RecursionError:
        raise _depth_error(source) from None
    if too_deep(data):
        raise _depth_error(source)
    return data


class _Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """The safe loader (libyaml's C loader where PyYAML has it) that keeps timestamps as the text written:
    a record's ``date: 2024-07-23`` is the string ``"2024-07-23"``, as in JSON, not a ``datetime.date``."""


_Loader.add_constructor("tag:yaml.org,2002:timestamp", yaml.SafeLoader.construct_yaml_str)


def load_yaml(text: str, source: str) -> Any:
    """YAML as Python data with the safe loader; aliases may not expand the document (see the module doc)."""
    loader = _Loader(text)
    try:
        with _yaml_errors(source):
            node = _checked_node(loader, text, source)
            data = None if node is None else loader.construct_document(node)
    finally:
        loader.dispose()
    if too_deep(data):
        raise _depth_error(source)
    return data


def compose_yaml(text: str, source: str) -> Any:
    """The checked YAML node tree of ``text`` (its nodes carry line marks), or None for an empty document."""
    loader = _Loader(text)
    try:
        with _yaml_errors(source):
            return _checked_node(loader, text, source)
    finally:
        loader.dispose()


def _checked_node(loader: Any, text: str, source: str) -> Any:
    node = loader.get_single_node()
    if node is not None and "*" in text:  # an alias needs a '*'; without one there is nothing to expand
        _check_aliases(node, source)
    return node


@contextmanager
def _yaml_errors(source: str) -> Iterator[None]:
    """YAML errors as ``UnreadableInputError`` with the line."""
    try:
        yield
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        problem = exc.problem or exc.context or "invalid YAML"
        raise UnreadableInputError(source, f"not valid YAML: {problem}", line=line) from None
    except yaml.YAMLError as exc:
        raise UnreadableInputError(source, f"not valid YAML: {str(exc).splitlines()[0]}") from None
    except RecursionError:
        raise _depth_error(source) from None


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    if isinstance(node, yaml.MappingNode):
        return [part for pair in node.value for part in pair]
    return []


def _check_aliases(root: yaml.Node, source: str) -> None:
    """Refuse a composed YAML document whose aliases expand it too far, or refer to an enclosing node."""
    expanded: dict[int, int] = {}  # node id -> nodes it stands for once aliases are expanded
    on_path: set[int] = set()
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    while stack:
        node, children_done = stack.pop()
        key = id(node)
        if children_done:
            on_path.discard(key)
            expanded[key] = 1 + sum(expanded[id(c)] for c in _children(node))
            continue
        if key in expanded:
            continue
        if key in on_path:
            raise UnreadableInputError(source, "a YAML alias refers to a node that contains it (a recursive "
                                       "structure); records are trees", line=node.start_mark.line + 1)
        on_path.add(key)
        stack.append((node, True))
        stack.extend((c, False) for c in _children(node) if id(c) not in expanded)
    distinct = len(expanded)
    allowed = distinct * (1 + ALIAS_EXPANSION_FACTOR) + ALIAS_ALLOWANCE
    if expanded[id(root)] > allowed:
        raise InputTooLargeError(
            source, f"YAML aliases expand {distinct} nodes to {expanded[id(root)]:,} (at most {allowed:,} "
            "allowed): write the repeated values out, or use fewer nested aliases"
        )
