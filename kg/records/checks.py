"""Check plain records (JSON, YAML) against the record schema before they are mapped to RDF.

What only the structure shows is reported here: keys no field has (with the closest one: "did you mean"),
values of the wrong type (with the path, ``artifacts.weights.availability``, and what was expected), and
bad values of fields no shape checks. Values the shapes check (``shaped`` in ``kg.records.fields``) are left
to them, so that each mistake gives one message.
"""

from __future__ import annotations

import difflib
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from kg.records.fields import NESTED, RECORD_FIELDS, Field
from kg.records.schema import TYPES, expected, inlined, record_schema

#: Where each nested mapping sits, for "this key belongs there" hints.
_PLACES = {"record": "the top level of a record", "claim": "an artifact claim (artifacts.<slug>)",
           "state": "a history state (artifacts.<slug>.history)", "derivation": "a based_on entry",
           "parameters": "parameters"}


@dataclass(frozen=True)
class FieldProblem:
    """One structural mistake in a plain record."""

    file: str
    #: The record's position in its file (0-based) and how people know it (its id, or "record 3").
    index: int
    record: str
    #: The dotted path of the field (``artifacts.weights.availability``; list items as ``[1]``).
    path: str
    #: What is wrong and what was expected, starting with the path.
    message: str
    line: int | None = None
    column: str | None = None
    value: str | None = None
    #: The record's model node (the RDF subject its statements get), set by ``RecordSet.check_fields``.
    subject: Any = None


@lru_cache(maxsize=1)
def _validator() -> Any:
    from jsonschema import Draft202012Validator

    schema = record_schema()
    return Draft202012Validator(inlined({"$defs": schema["$defs"], "$ref": "#/$defs/record"}))


@lru_cache(maxsize=1)
def _fast_validator() -> Any:
    """The same schema in jsonschema-rs: it answers "valid or not" some fifty times sooner, so only the records
    it rejects go through ``jsonschema``, whose errors carry what the messages need (schema, instance, path)."""
    import jsonschema_rs

    schema = record_schema()
    return jsonschema_rs.Draft202012Validator({"$defs": schema["$defs"], "$ref": "#/$defs/record"})


def surely_valid(record: Any) -> bool:
    """True when the record fits the schema; False when it may not (``check_record`` then says why).

    A value JSON has no type for (a YAML ``!!set`` or ``!!binary``) makes jsonschema-rs raise: such a record
    goes the slow way.
    """
    try:
        return bool(_fast_validator().is_valid(record))
    except (ValueError, TypeError, OverflowError):
        return False


def record_label(record: Any, index: int) -> str:
    """How a person knows a record: its id, else its position ("record 3")."""
    rid = record.get("id") if isinstance(record, Mapping) else None
    return rid if isinstance(rid, str) and rid.strip() else f"record {index + 1}"


def dotted(path: Iterable[Any]) -> str:
    """``artifacts.training_code[1].availability`` from the path's parts."""
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def field_at(path: Sequence[Any]) -> tuple[Field | None, str | None]:
    """The field a path leads to and the type name that applies there (None, None when none does)."""
    fields: tuple[Field, ...] = RECORD_FIELDS
    found: Field | None = None
    type_name: str | None = None
    parts = [p for p in path if not isinstance(p, int)]
    i = 0
    while i < len(parts):
        found = next((f for f in fields if f.key == parts[i]), None)
        if found is None:
            return None, None
        type_name = found.type
        i += 1
        if found.type == "artifacts" and i < len(parts):  # a slug, then a claim's keys
            type_name = "claims"
            i += 1
            fields = NESTED["claim"]
        elif found.type in ("history", "derivations", "parameters"):
            fields = NESTED[{"history": "state", "derivations": "derivation", "parameters": "parameters"}[found.type]]
    return found, type_name


def shown(value: Any) -> str:
    if value is None:
        return "nothing (null)"
    if isinstance(value, bool):
        return f"the boolean {str(value).lower()}"
    if isinstance(value, (int, float)):
        return f"the number {value}"
    if isinstance(value, str):
        return f"the text {_short(value)}"
    if isinstance(value, Mapping):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    return f"a {type(value).__name__}"


def _short(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False, default=str) if not isinstance(value, str) else repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _closest(word: str, choices: Iterable[str]) -> str | None:
    found = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return found[0] if found else None


def _unknown_key(error: Any, key: Any) -> tuple[str, str]:
    parent = list(error.absolute_path)
    path = dotted([*parent, str(key)])
    allowed = list(error.schema.get("properties", {}))
    if parent == ["artifacts"]:
        guess = _closest(str(key), allowed)
        hint = f"; did you mean '{guess}'?" if guess else "; artifact slugs are " + ", ".join(allowed)
        return path, f"{path}: unknown artifact '{key}'{hint}"
    guess = _closest(str(key), allowed)
    if guess:
        return path, f"{path}: unknown field '{key}'; did you mean '{guess}'?"
    for name, fields in NESTED.items():
        keys = [f.key for f in fields if not f.csv_only]
        elsewhere = _closest(str(key), keys)
        if elsewhere and keys != allowed:
            return path, f"{path}: unknown field '{key}' here; '{elsewhere}' is a field of {_PLACES[name]}"
    where = dotted(parent) or "a record"
    return path, f"{path}: unknown field '{key}'; the fields of {where} are " + ", ".join(allowed)


def _problem_text(error: Any, shaped_values: bool) -> list[tuple[str, str, Any]] | None:
    """(path, message, value) for one schema error, or None when the error is left to the shapes."""
    kind = error.validator
    path = dotted(error.absolute_path)
    if kind == "additionalProperties":
        extras = [k for k in error.instance if k not in error.schema.get("properties", {})]
        return [(*_unknown_key(error, key), key) for key in extras]
    field, type_name = field_at(list(error.absolute_path))
    wanted = expected(type_name) if type_name in TYPES else "a different value"
    if kind == "type":
        return [(path, f"{path}: expected {wanted}, found {shown(error.instance)}", error.instance)]
    if shaped_values:
        return None
    if kind == "enum":
        choices = [str(c) for c in error.validator_value if c is not None]
        guess = _closest(str(error.instance), choices)
        hint = f"; did you mean '{guess}'?" if guess else ""
        return [(path, f"{path}: {_short(error.instance)} is not {wanted}; use one of {', '.join(choices)}{hint}",
                 error.instance)]
    return [(path, f"{path}: {_short(error.instance)} is not {wanted}", error.instance)]


def check_record(record: Any, index: int, file: str) -> list[FieldProblem]:
    """The structural problems of one plain record (empty when it has none)."""
    if surely_valid(record):
        return []
    label = record_label(record, index)
    out: list[FieldProblem] = []
    seen: set[str] = set()
    for error in sorted(_validator().iter_errors(record), key=lambda e: [str(p) for p in e.absolute_path]):
        field, _ = field_at(list(error.absolute_path))
        found = _problem_text(error, shaped_values=field is not None and field.shaped)
        for path, message, value in found or []:
            if path in seen:
                continue
            seen.add(path)
            out.append(FieldProblem(file, index, label, path, message, value=None if value is None else str(value)))
    return out


def with_yaml_lines(problems: list[FieldProblem], file: str) -> list[FieldProblem]:
    """The problems with the line of each field in the YAML file (read again: only when there are problems)."""
    import dataclasses

    from kg.parsing import compose_yaml, read_text

    try:
        root = compose_yaml(read_text(file), file)
    except Exception:  # noqa: BLE001 - the file was read once already; lines are a courtesy
        return problems
    return [dataclasses.replace(p, line=_line_of(root, p)) for p in problems]


def _line_of(root: Any, problem: FieldProblem) -> int | None:
    import yaml

    node = root
    if isinstance(node, yaml.MappingNode) and any(k.value == "models" for k, _ in node.value):
        node = next(v for k, v in node.value if k.value == "models")
    if isinstance(node, yaml.SequenceNode):
        if problem.index >= len(node.value):
            return None
        node = node.value[problem.index]
    line = node.start_mark.line + 1
    for part in _parts(problem.path):
        if isinstance(node, yaml.MappingNode):
            match = next(((k, v) for k, v in node.value if str(k.value) == part), None)
            if match is None:
                break
            line, node = match[0].start_mark.line + 1, match[1]
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value):
            node = node.value[part]
            line = node.start_mark.line + 1
        else:
            break
    return line


def _parts(path: str) -> list[Any]:
    out: list[Any] = []
    for chunk in path.split("."):
        name, _, rest = chunk.partition("[")
        if name:
            out.append(name)
        for index in filter(None, rest.replace("]", "").split("[")):
            out.append(int(index))
    return out
