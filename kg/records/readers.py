"""Read record files of every supported format into a ``RecordSet``, refusing unsafe or broken input.

Every failure a user can cause (a missing file, binary bytes, a wrong encoding, a syntax error, a ragged
CSV row, an XML DOCTYPE) raises ``UnreadableInputError`` naming the file and, where known, the line.
Nothing is fetched from the network: JSON-LD contexts other than the project's own are refused.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from kg.errors import UnreadableInputError
from kg.parsing import load_json, load_yaml, parse_rdf, read_text
from kg.perf import gc_paused
from kg.records.fields import CSV_CLAIM_SUFFIXES, CSV_MODEL_COLUMNS, RECORD_KEYS
from kg.records.model import Location, RecordSet
from kg.resources import resource_dir
from kg.vocab import ARTIFACTS

CONTEXT_IRI = "https://w3id.org/ai-openness/context.jsonld"

#: File extension -> format name.
EXTENSIONS = {
    ".ttl": "turtle", ".turtle": "turtle", ".nt": "nt", ".ntriples": "nt", ".jsonld": "jsonld",
    ".json-ld": "jsonld", ".rdf": "xml", ".owl": "xml", ".xml": "xml", ".json": "json",
    ".yaml": "yaml", ".yml": "yaml", ".csv": "csv",
}
FORMATS = ("turtle", "nt", "jsonld", "xml", "json", "yaml", "csv")

_CSV_FIXED = set(CSV_MODEL_COLUMNS)
_CSV_SUFFIXES = tuple(suffix for suffix in CSV_CLAIM_SUFFIXES if suffix)


def guess_format(path: Path) -> str:
    """The format of ``path`` from its extension."""
    fmt = EXTENSIONS.get(path.suffix.lower())
    if fmt is None:
        raise UnreadableInputError(
            str(path), f"unknown file extension {path.suffix or '(none)'!r}; expected one of "
            + ", ".join(sorted(EXTENSIONS))
        )
    return fmt


def read_file(path: str | Path, format: str | None = None) -> RecordSet:
    """Read one record file; ``format`` is guessed from the extension when not given."""
    path = Path(path)
    fmt = format or guess_format(path)
    if fmt not in FORMATS:
        raise UnreadableInputError(str(path), f"unknown format {fmt!r}; expected one of {', '.join(FORMATS)}")
    text = read_text(path)
    if fmt == "csv":
        return read_csv_text(text, str(path))
    if fmt in ("json", "yaml"):
        data = load_json_or_yaml(text, str(path), fmt)
        if fmt == "json" and isinstance(data, Mapping) and "@context" in data:
            return read_rdf_text(text, str(path), "jsonld")
        return read_plain(data, str(path))
    return read_rdf_text(text, str(path), fmt)


def read_files(paths: Iterable[str | Path], format: str | None = None) -> RecordSet:
    """Read several record files into one set (for example a dataset split over files); a directory stands
    for the record files inside it (``record_files``)."""
    result = RecordSet()
    for path in record_files(paths):
        result.extend(read_file(path, format))
    return result


def record_files(paths: Iterable[str | Path]) -> list[Path]:
    """The files ``paths`` name, each directory replaced by the record files in it and its subdirectories
    (by extension, in name order; hidden files and directories are skipped)."""
    out: list[Path] = []
    for path in map(Path, paths):
        if not path.is_dir():
            out.append(path)
            continue
        found = sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in EXTENSIONS
                       and not any(part.startswith(".") for part in p.relative_to(path).parts))
        if not found:
            raise UnreadableInputError(str(path), "a directory with no record files (" + ", ".join(
                sorted(EXTENSIONS)) + ")")
        out.extend(found)
    return out


# --- RDF ---------------------------------------------------------------------------------------

def local_context() -> dict[str, Any]:
    """The project's JSON-LD context (shipped with the package; never fetched)."""
    return json.loads((resource_dir("data") / "context.jsonld").read_text(encoding="utf-8"))["@context"]


def _inline_contexts(node: Any, file: str) -> Any:
    """Replace references to the project's context by its content; refuse any other remote context."""
    if isinstance(node, list):
        return [_inline_contexts(n, file) for n in node]
    if not isinstance(node, dict):
        return node
    out = {}
    for key, value in node.items():
        if key == "@context":
            out[key] = _resolve_context(value, file)
        else:
            out[key] = _inline_contexts(value, file)
    return out


def _resolve_context(value: Any, file: str) -> Any:
    if isinstance(value, list):
        return [_resolve_context(v, file) for v in value]
    if isinstance(value, str):
        if value.rstrip("#") in (CONTEXT_IRI, "context.jsonld"):
            return local_context()
        raise UnreadableInputError(
            file, f"remote JSON-LD context {value!r} is not fetched; inline it or use {CONTEXT_IRI}"
        )
    return value


def read_rdf_text(text: str, file: str, fmt: str) -> RecordSet:
    """Parse Turtle, N-Triples, RDF/XML or JSON-LD through ``kg.parsing`` (no network, no entities)."""
    if fmt == "jsonld":
        text = json.dumps(_inline_contexts(load_json(text, file), file))
    quads = parse_rdf(text, fmt, source=file, base_iri=Path(file).resolve().as_uri())
    result = RecordSet(files=[file])
    result.triples = [q.triple for q in quads]
    where = Location(file)
    for subject in result.models():
        result.add_record(subject, where)
    return result


# --- JSON and YAML ------------------------------------------------------------------------------


def load_json_or_yaml(text: str, file: str, fmt: str) -> Any:
    """Parse JSON or YAML through ``kg.parsing`` (bounded nesting and aliases), with the line of an error.

    The collector is paused: a file of 100,000 records is millions of containers, all kept, and its full
    passes over them while they are built took longer than the parse itself.
    """
    with gc_paused():
        return load_json(text, file) if fmt == "json" else load_yaml(text, file)


def plain_records(data: Any, file: str) -> list[Mapping[str, Any]]:
    """The list of record objects in a parsed JSON/YAML document."""
    if isinstance(data, Mapping) and "models" in data:
        if not isinstance(data["models"], list):
            raise UnreadableInputError(file, f"models: expected a list of records, found {_kind(data['models'])}")
        extra = sorted(str(k) for k in data if k != "models")
        if extra:
            raise UnreadableInputError(file, f"{extra[0]}: a file of {{'models': [...]}} has no other top-level key")
        data = data["models"]
    if isinstance(data, Mapping):
        data = [data]
    if not isinstance(data, list):
        raise UnreadableInputError(
            file, f"expected a record (a mapping), a list of records or {{'models': [...]}}, found {_kind(data)}")
    for n, item in enumerate(data, start=1):
        if not isinstance(item, Mapping):
            raise UnreadableInputError(file, f"record {n}: expected a record (a mapping), found {_kind(item)}")
    return data


def _kind(value: Any) -> str:
    from kg.records.checks import shown

    return shown(value)


def read_plain(data: Any, file: str) -> RecordSet:
    """JSON/YAML records as a ``RecordSet``."""
    result = RecordSet(files=[file])
    where = Location(file)
    with gc_paused():
        for index, record in enumerate(plain_records(data, file)):
            result.add_plain(index, record, where)
    return result


# --- CSV -----------------------------------------------------------------------------------------


_NTH_CLAIM = re.compile(r"^(?P<slug>[a-z_]+)-(?P<n>[2-9]|[1-9][0-9]+)$")


def _artifact_column(name: str) -> bool:
    """``weights``, or ``weights-2`` for the second claim about the weights (``...#weights-2`` in RDF)."""
    if name in ARTIFACTS:
        return True
    match = _NTH_CLAIM.match(name)
    return match is not None and match["slug"] in ARTIFACTS


def csv_field(column: str) -> tuple[str, str | None] | None:
    """The field a CSV column fills: ``("name", None)``, ``("weights", "license")``; None if unknown."""
    if column in _CSV_FIXED:
        return column, None
    if _artifact_column(column):
        return column, "availability"
    for suffix in _CSV_SUFFIXES:
        if column.endswith(suffix) and _artifact_column(column[: -len(suffix)]):
            return column[: -len(suffix)], suffix[1:]
    return None


def _claims_by_artifact(columns: dict[str, dict[str, str]]) -> dict[str, Any]:
    """``{"weights": {...}, "weights-2": {...}}`` as ``{"weights": [{...}, {...}]}`` (claims in order)."""
    if all(name in ARTIFACTS for name in columns):
        return columns
    numbered: dict[str, list[tuple[int, dict[str, str]]]] = {}
    for name, claim in columns.items():
        match = _NTH_CLAIM.match(name)
        slug, n = (match["slug"], int(match["n"])) if match else (name, 1)
        numbered.setdefault(slug, []).append((n, claim))
    return {slug: [c for _, c in sorted(claims, key=lambda p: p[0])] if len(claims) > 1 else claims[0][1]
            for slug, claims in numbered.items()}


def csv_columns_known() -> list[str]:
    """Every column the CSV form has: the model columns, each artifact slug and its suffixed columns."""
    return [*CSV_MODEL_COLUMNS, *(f"{slug}{suffix}" for slug in ARTIFACTS for suffix in CSV_CLAIM_SUFFIXES)]


def unknown_column(column: str, file: str) -> Any:
    """The field problem of a CSV header cell that names no column, with the closest known column."""
    import difflib

    from kg.records.checks import FieldProblem

    close = difflib.get_close_matches(column, csv_columns_known(), n=1, cutoff=0.6)
    claim_keys = [suffix[1:] for suffix in CSV_CLAIM_SUFFIXES if suffix]
    per_artifact = difflib.get_close_matches(column, claim_keys, n=1, cutoff=0.6)
    if per_artifact and (not close or "_" not in column):
        hint = f"a {per_artifact[0]} is given per artifact: <slug>_{per_artifact[0]}, as in weights_{per_artifact[0]}"
    elif close:
        hint = f"did you mean '{close[0]}'?"
    else:
        hint = "see docs/records.md for the columns"
    return FieldProblem(file, -1, "header", column, f"column '{column}' names no field of the CSV form (its cells "
                        f"would be ignored); {hint}", line=1, column=column, value=column)


def read_csv_text(text: str, file: str) -> RecordSet:
    """The CSV of docs/design.md section 4, one row per model; row numbers count the header as line 1."""
    result = RecordSet(files=[file])
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader)
    except (StopIteration, csv.Error) as exc:
        raise UnreadableInputError(file, f"no CSV header: {exc}", line=1) from None
    header = [h.strip() for h in header]
    if "id" not in header:
        raise UnreadableInputError(file, "the CSV header has no 'id' column", line=1)
    dupes = sorted({h for h in header if header.count(h) > 1})
    if dupes:
        raise UnreadableInputError(file, f"duplicate column(s) in the header: {', '.join(dupes)}", line=1)
    fields = [csv_field(h) for h in header]
    unknown = [h for h, f in zip(header, fields, strict=True) if f is None and h]
    if unknown:
        result.unknown_columns[file] = unknown
        result.field_problems.extend(unknown_column(column, file) for column in unknown)
    result.columns[file] = {
        (name if part in (None, "availability") else f"{name}.{part}"): column
        for column, (name, part) in ((c, f) for c, f in zip(header, fields, strict=True) if f is not None)
    }
    for column, target in zip(header, fields, strict=True):  # a slug with only _license etc. columns
        if target is not None and target[1] not in (None, "availability"):
            result.columns[file].setdefault(target[0], column)
    with gc_paused():
        _read_csv_rows(reader, header, fields, file, result)
    return result


def _read_csv_rows(reader: Any, header: list[str], fields: list[Any], file: str, result: RecordSet) -> None:
    index = 0
    while True:
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            raise UnreadableInputError(file, f"CSV error: {exc}", line=reader.line_num) from None
        line = reader.line_num
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(header):
            raise UnreadableInputError(
                file, f"row has {len(row)} cells, the header has {len(header)} columns", line=line
            )
        record: dict[str, Any] = {}
        artifacts: dict[str, dict[str, str]] = {}
        for target, cell in zip(fields, row, strict=True):
            if target is None:
                continue
            value = cell.strip()
            if value == "":
                continue
            name, part = target
            if part is None:
                record[name] = value
            else:
                artifacts.setdefault(name, {})[part] = value
        if artifacts:
            record["artifacts"] = _claims_by_artifact(artifacts)
        result.add_plain(index, record, Location(file, line))
        index += 1


__all__ = ["read_file", "read_files", "guess_format", "FORMATS", "RECORD_KEYS", "CONTEXT_IRI", "record_files"]
