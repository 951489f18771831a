"""The line of each validation result about a YAML record, as the schema's results already carry.

A result of the shapes names an RDF node (the model, ``<model>#weights``, ``#weights-state-1``,
``#based-on``) and a property. The YAML file is read again (only a file with results), each record's nodes
are named the way the mapping names them (``kg.records.terms`` and friends, not by parsing IRIs), and the
property leads to the key through the field table; the line is that key's, or that of the list item holding
the offending value.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

import pyoxigraph as ox

from kg.records.fields import NESTED, RECORD_FIELDS
from kg.validation.report import Result, display, first_predicate

#: The field table of each kind of node: which keys a property can be written under.
_TABLES = {"record": tuple(f for f in RECORD_FIELDS if not f.csv_only), "claim": NESTED["claim"],
           "state": NESTED["state"], "derivation": NESTED["derivation"]}
_ARTIFACT = "https://w3id.org/ai-openness/ontology#artifact"

Step = str | int  # a mapping key, or the position in a list


def yaml_file(name: str | None) -> bool:
    return bool(name) and name.lower().endswith((".yaml", ".yml"))


def with_yaml_lines(results: list[Result]) -> list[Result]:
    """``results`` with `` (line N)`` after the message of each shapes' result about a YAML record."""
    by_file: dict[str, list[Result]] = {}
    for r in results:
        if r.origin != "schema" and r.row is None and r.focus is not None and yaml_file(r.file):
            by_file.setdefault(r.file, []).append(r)
    for file, found in by_file.items():
        located = _file_nodes(file)
        if located is None:
            continue
        nodes, roots = located
        for r in found:
            place = nodes.get(r.focus)
            if place is None:
                continue
            index, steps, kind = place
            line = line_of(roots[index], steps, _keys(kind, r), r.value)
            if line is not None:
                r.message += f" (line {line})"
    return results


def _keys(kind: str, result: Result) -> list[str]:
    """The keys the result's property is written under at a node of ``kind`` (none: the node's own line)."""
    predicate = first_predicate(result.path)
    if predicate is None or predicate.value == _ARTIFACT:
        return []
    return [f.key for f in _TABLES[kind] if f.predicate == predicate.value]


def _file_nodes(file: str) -> tuple[dict[Any, tuple[int, list[Step], str]], list[Any]] | None:
    """Each RDF node of the file's records -> (record position, the steps to its YAML node, its kind), and the
    YAML node of each record; None when the file no longer reads (it was read once: lines are a courtesy)."""
    from kg.parsing import compose_yaml, load_yaml, read_text
    from kg.records.readers import plain_records

    try:
        text = read_text(file)
        records = plain_records(load_yaml(text, file), file)
        root = compose_yaml(text, file)
    except Exception:  # noqa: BLE001
        return None
    roots = _record_roots(root)
    if len(roots) != len(records):
        return None
    nodes: dict[Any, tuple[int, list[Step], str]] = {}
    seen: set[Any] = set()
    for index, record in enumerate(records):
        for node, steps, kind in record_nodes(record, index):
            if node in seen:  # the same id twice: which record a result is about is not known
                nodes.pop(node, None)
                continue
            seen.add(node)
            nodes[node] = (index, steps, kind)
    return nodes, roots


def record_nodes(record: Mapping[str, Any], index: int) -> Iterator[tuple[Any, list[Step], str]]:
    """Every node the mapping makes of ``record`` with the steps to where it is written."""
    from kg.records.entity_fields import derivation_node, derivations_of
    from kg.records.history import state_node
    from kg.records.terms import as_list, claims_of, model_node, release_node, text

    model = model_node(record.get("id"), f"record{index}")
    yield model, [], "record"
    artifacts = record.get("artifacts")
    if isinstance(artifacts, Mapping):
        for slug, entry in artifacts.items():
            for n, claim in enumerate(claims_of(entry), start=1):
                steps: list[Step] = ["artifacts", slug] + ([n - 1] if isinstance(entry, list) else [])
                release = release_node(model, text(slug), n)
                yield release, steps, "claim"
                history = claim.get("history")
                states = [p for p, s in enumerate(history) if isinstance(s, Mapping)] if isinstance(history, list) \
                    else []
                for k, position in enumerate(states, start=1):  # history_triples numbers the mappings only
                    yield state_node(release, k), [*steps, "history", position], "state"
    n = 0
    for position, entry in enumerate(derivations_of(record, as_list)):
        if entry.get("model") in (None, "") or (entry.get("kind") in (None, "") and not as_list(entry.get("source"))):
            continue
        n += 1
        yield derivation_node(model, n), ["based_on", position], "derivation"


def _record_roots(root: Any) -> list[Any]:
    """The YAML node of each record: the document, its list, or the list under ``models``."""
    import yaml

    if isinstance(root, yaml.MappingNode):
        models = next((v for k, v in root.value if k.value == "models"), None)
        if models is not None:
            root = models
    return list(root.value) if isinstance(root, yaml.SequenceNode) else [root]


def line_of(node: Any, steps: list[Step], keys: list[str], value: Any) -> int | None:
    """The line (1-based) of the first of ``keys`` under the node ``steps`` lead to; of the list item equal to
    ``value`` there, if one is; of the node itself when no key is written."""
    import yaml

    line = node.start_mark.line + 1
    for step in steps:
        if isinstance(node, yaml.MappingNode):
            match = next(((k, v) for k, v in node.value if k.value == step), None)
            if match is None:
                return line
            line, node = match[0].start_mark.line + 1, match[1]
        elif isinstance(node, yaml.SequenceNode) and isinstance(step, int) and step < len(node.value):
            node = node.value[step]
            line = node.start_mark.line + 1
        else:
            return line
    if not isinstance(node, yaml.MappingNode):
        return line
    for key in keys:
        match = next(((k, v) for k, v in node.value if k.value == key), None)
        if match is not None:
            return _value_line(match[1], value) or match[0].start_mark.line + 1
    return line


def _value_line(node: Any, value: Any) -> int | None:
    """The line of the item of a list (one per line) that holds ``value``."""
    import yaml

    if not isinstance(node, yaml.SequenceNode) or value is None:
        return None
    shown = display(value) if isinstance(value, (ox.NamedNode, ox.Literal)) else None
    for item in node.value:
        if isinstance(item, yaml.ScalarNode) and shown is not None and item.value in (shown, value.value):
            return item.start_mark.line + 1
    return None
