"""AI-BOM exports pass their formats' own validators and import back to the same classification."""

from __future__ import annotations

import json

import pytest

from kg.cli import main


def _classification(path, capsys, *args) -> dict:
    assert main(["classify", *args, "--format", "json"] + ([str(path)] if path else [])) == 0
    return {r["id"]: (r["category"], r["mof_class"], tuple(sorted(r["dimensions"].items())))
            for r in json.loads(capsys.readouterr().out)}


@pytest.fixture(scope="module")
def boms(tmp_path_factory):
    out = tmp_path_factory.mktemp("bom")
    for fmt in ("spdx3", "cyclonedx"):
        assert main(["export", "--format", fmt, "-o", str(out / f"kg.{fmt}.json")]) == 0
    return out


def test_spdx3_export_passes_spdx_python_model(boms):
    import io

    import spdx_python_model
    from spdx_python_model import v3_0_1 as spdx

    data = json.loads((boms / "kg.spdx3.json").read_text())
    model, objects = spdx_python_model.load_data(data)  # types, enumerations, datatypes, references
    buf = io.BytesIO()
    model.JSONLDSerializer().write(objects, buf)  # cardinalities (sh:minCount/maxCount of the SPDX model)
    packages = list(objects.foreach_type(spdx.ai_AIPackage))
    assert len(packages) > 300
    ids = [e["spdxId"] for e in data["@graph"] if "spdxId" in e]
    assert len(ids) == len(set(ids))
    llama = next(p for p in packages if p._id.endswith("/model/llama-3.1-8b"))
    assert llama.software_downloadLocation == "https://huggingface.co/meta-llama/Llama-3.1-8B"
    licence = [r.to[0].simplelicensing_licenseExpression for r in objects.foreach_type(spdx.Relationship)
               if r.from_ is llama and r.relationshipType == spdx.RelationshipType.hasDeclaredLicense]
    assert licence == ["LicenseRef-llama3.1"]
    trained_on = [r.to[0] for r in objects.foreach_type(spdx.Relationship)
                  if r.from_ is llama and r.relationshipType == spdx.RelationshipType.trainedOn]
    assert trained_on and trained_on[0].comment == "not released"
    (openness,) = [a.statement for a in objects.foreach_type(spdx.Annotation)
                   if a.subject is llama and a.statement.startswith("ai-openness:openness ")]
    terms = json.loads(openness.split(" ", 1)[1])["license_terms"]
    assert terms["commercial_use"] == "conditional" and terms["user_cap"] == 700000000


def test_cyclonedx_export_passes_the_1_6_schema(boms):
    from cyclonedx.schema import SchemaVersion
    from cyclonedx.validation.json import JsonStrictValidator

    text = (boms / "kg.cyclonedx.json").read_text()
    validator = JsonStrictValidator(SchemaVersion.V1_6)
    assert validator.validate_str(text) is None
    doc = json.loads(text)
    doc["components"][0]["type"] = "not-a-component-type"
    assert validator.validate_str(json.dumps(doc)) is not None  # the validator does reject a bad BOM
    models = [c for c in json.loads(text)["components"] if c["type"] == "machine-learning-model"]
    llama = next(c for c in models if c["bom-ref"].endswith("/model/llama-3.1-8b"))
    props = {p["name"]: p["value"] for p in llama["properties"]}
    assert props["ai-openness:category"] == "open-weight"
    assert props["ai-openness:artifact:weights:availability"] == "gated"
    assert props["ai-openness:license-terms:commercial_use"] == "conditional"
    assert props["ai-openness:license-terms:user_cap"] == "700000000"
    assert props["ai-openness:license-terms:use_restrictions"] == "true"
    assert llama["licenses"] == [{"expression": "LicenseRef-llama3.1"}]


@pytest.mark.parametrize("fmt", ["spdx3", "cyclonedx"])
def test_bom_imports_back_to_the_same_classification(boms, tmp_path, capsys, fmt):
    back = tmp_path / "back.yaml"
    assert main(["import", fmt, str(boms / f"kg.{fmt}.json"), "--format", "yaml", "-o", str(back)]) == 0
    assert _classification(back, capsys) == _classification(None, capsys)


def test_cyclonedx_from_another_tool_is_read_from_its_own_fields(boms, tmp_path, capsys):
    doc = json.loads((boms / "kg.cyclonedx.json").read_text())
    for c in doc["components"]:  # what another tool would write: no ai-openness:record
        c["properties"] = [p for p in c.get("properties", []) if p["name"] != "ai-openness:record"]
    path = tmp_path / "other.cdx.json"
    path.write_text(json.dumps(doc))
    back = tmp_path / "back.yaml"
    assert main(["import", "cyclonedx", str(path), "--format", "yaml", "-o", str(back)]) == 0
    ours = {k: v[0] for k, v in _classification(None, capsys).items()}
    theirs = {k: v[0] for k, v in _classification(back, capsys).items()}
    assert theirs == ours  # the category needs only the availabilities the BOM carries


def test_spdx3_from_another_tool_is_read_from_its_own_fields(tmp_path, capsys):
    assert main(["export", "--format", "spdx3", "--model", "bloomz", "--model", "llama-3.1-8b"]) == 0
    doc = json.loads(capsys.readouterr().out)
    doc["@graph"] = [e for e in doc["@graph"] if e.get("type") != "Annotation"]
    (document,) = [e for e in doc["@graph"] if e.get("type") == "SpdxDocument"]
    document["element"] = [i for i in document["element"] if "#spdx-record" not in i and "#spdx-openness" not in i]
    path = tmp_path / "other.spdx.json"
    path.write_text(json.dumps(doc))
    assert main(["import", "spdx3", str(path), "--format", "json"]) == 0
    records = {r["id"]: r for r in json.loads(capsys.readouterr().out)}
    assert records["llama-3.1-8b"]["artifacts"]["weights"] == {
        "availability": "public", "url": "https://huggingface.co/meta-llama/Llama-3.1-8B", "license": "llama3.1"}
    assert records["llama-3.1-8b"]["artifacts"]["training_data"] == {"availability": "unknown"}
    assert records["llama-3.1-8b"]["developer"] == "Meta"


@pytest.mark.parametrize("fmt", ["spdx3", "cyclonedx"])
def test_a_file_that_is_not_a_bom_is_refused_naming_it(tmp_path, capsys, fmt):
    path = tmp_path / "not-a-bom.json"
    path.write_text('{"hello": "world"}')
    assert main(["import", fmt, str(path)]) == 2
    err = capsys.readouterr().err
    assert str(path) in err and "0 imported, 1 failed" in err


def test_unknown_model_is_a_user_error(capsys):
    assert main(["export", "--format", "spdx3", "--model", "no-such-model"]) == 2
    assert "no model https://w3id.org/ai-openness/model/no-such-model" in capsys.readouterr().err
