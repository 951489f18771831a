"""An empty, blank or invisible name or developer is refused the same way from Turtle, YAML, JSON and CSV:
the same shape, the same message, whatever the format (issue: `aio:developer ""` passed from Turtle only)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from kg.errors import UnreadableInputError
from kg.records import read_file
from kg.validation import validate

BAD = {
    "empty": "",
    "blank": "   ",
    "zero-width space": "\u200b",
    "joiners only": "\u200c\u200d",
    "bell": "Lab\u0007",
    "NUL": "Lab\u0000",
    "right-to-left override": "\u202eLab",
    "newline": "Lab\nTwo",
}
GOOD = ["Lab", "Mé Lab", "\u0645\u06cc\u200c\u0634\u0648\u062f", "实验室", "Lab\u00a0One"]


def turtle_escape(value: str) -> str:
    return "".join(c if c.isalnum() or c == " " else f"\\u{ord(c):04X}" for c in value)


def write(tmp_path: Path, fmt: str, field: str, value: str, record_id: str = "m") -> Path:
    name = value if field == "name" else "M"
    developer = value if field == "developer" else "Lab"
    record = {"id": record_id, "name": name, "developer": developer, "source": "https://example.org/m"}
    path = tmp_path / f"m.{fmt}"
    if fmt == "ttl":
        path.write_text(
            "@prefix aio: <https://w3id.org/ai-openness/ontology#> .\n"
            "@prefix schema: <https://schema.org/> .\n@prefix dcterms: <http://purl.org/dc/terms/> .\n"
            "@prefix prov: <http://www.w3.org/ns/prov#> .\n"
            f'<https://w3id.org/ai-openness/model/{record_id}> a aio:AIModel ; dcterms:identifier "{record_id}" ;\n'
            f'  schema:name "{turtle_escape(name)}" ; aio:developer "{turtle_escape(developer)}" ;\n'
            "  prov:wasDerivedFrom <https://example.org/m> .\n", encoding="utf-8")
    elif fmt == "json":
        path.write_text(json.dumps(record), encoding="utf-8")
    elif fmt == "yaml":  # a JSON string is a YAML double-quoted scalar with the same escapes
        path.write_text("".join(f"{k}: {json.dumps(v)}\n" for k, v in record.items()), encoding="utf-8")
    else:
        cells = [v if not any(c in v for c in ',"\n') else '"' + v.replace('"', '""') + '"' for v in record.values()]
        path.write_text(",".join(record) + "\n" + ",".join(cells) + "\n", encoding="utf-8", newline="")
    return path


def violations(path: Path) -> list[tuple[str, str]]:
    report = validate(read_file(path))
    return sorted((r.shape.value.rsplit("#")[-1], r.message) for r in report.results if r.severity == "Violation")


@pytest.mark.parametrize("field", ["name", "developer"])
@pytest.mark.parametrize("label", list(BAD))
def test_bad_names_are_refused_alike_in_every_format(tmp_path: Path, field: str, label: str) -> None:
    value = BAD[label]
    expected = [(f"Model{field.capitalize()}Form", f"{field}: the {field} is empty or blank, or holds a control or "
                 "invisible character (such as NUL, a zero-width space or a bidi control); write it in visible "
                 "characters")]
    for fmt in ("ttl", "json", "yaml", "csv"):
        path = write(tmp_path, fmt, field, value)
        if fmt == "csv" and label == "NUL":
            with pytest.raises(UnreadableInputError, match="NUL"):  # a CSV with NUL is no text file at all
                read_file(path)
            continue
        if fmt == "csv" and not value.strip(" "):  # an empty CSV cell is a missing value (docs/design.md section 4)
            assert [shape for shape, _ in violations(path)] == [f"Model{field.capitalize()}"]
            continue
        found = violations(path)
        if fmt == "yaml":  # a YAML record's results also name the line of the field
            assert all(re.search(r" \(line \d+\)$", message) for _, message in found), found
            found = [(shape, re.sub(r" \(line \d+\)$", "", message)) for shape, message in found]
        assert found == expected, fmt


@pytest.mark.parametrize("value", GOOD)
def test_real_names_pass_in_every_format(tmp_path: Path, value: str) -> None:
    for fmt in ("ttl", "json", "yaml", "csv"):
        assert violations(write(tmp_path, fmt, "developer", value)) == [], fmt


def test_server_writes_refuse_them_too(make_app, tmp_path: Path) -> None:
    """The checked-write pipeline validates with the same shapes: a NUL in a name never reaches a page."""
    from tests.conftest import TOKEN

    client = make_app().test_client()
    body = write(tmp_path, "ttl", "name", "M\u0000").read_text(encoding="utf-8")
    response = client.put("/store?graph=urn:upload", data=body, content_type="text/turtle",
                          headers={"Authorization": f"Bearer {TOKEN}"})
    assert response.status_code == 400 and b"name: the name is empty or blank" in response.data
    assert client.get("/model/m").status_code == 404
