"""The Model Openness Tool importer (kg/importers/mot.py) over the MOT's 273 model records."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from kg.errors import UnreadableInputError
from kg.importers import ImportOptions, get
from kg.importers.mot import (
    DATASET,
    MOT_COMPONENTS,
    read_mot,
    read_mot_file,
    record_from_mot,
    slugify,
)
from kg.licenses import resolve_license
from kg.vocab import ARTIFACTS, AVAILABILITY
from tests.conftest import EXTERNAL

MODELS = EXTERNAL / "mot" / "models"
needs_mot = pytest.mark.skipif(not MODELS.is_dir(), reason=f"{EXTERNAL / 'mot'} is absent")
ID = re.compile(r"^[a-z0-9._-]+$")


@pytest.fixture(scope="module")
def records() -> dict[str, dict]:
    if not MODELS.is_dir():
        pytest.skip(f"{EXTERNAL / 'mot'} is absent")
    return {r["id"]: r for r in read_mot(MODELS)}


@needs_mot
def test_all_records_import(records: dict[str, dict]) -> None:
    assert len(records) == len(list(MODELS.glob("*.yml"))) == 273
    for record in records.values():
        assert ID.match(record["id"]), record["id"]
        assert record["name"]
        assert record["dataset"] == DATASET
        assert record["source"][0].startswith("https://github.com/lfai/model_openness_tool/blob/main/models/")
        assert set(record["artifacts"]) == set(MOT_COMPONENTS.values())
        for slug, claim in record["artifacts"].items():
            assert slug in ARTIFACTS
            availability = claim if isinstance(claim, str) else claim["availability"]
            assert availability in AVAILABILITY
            if isinstance(claim, dict) and "license" in claim:
                assert claim["license"].strip() == claim["license"] != ""


@needs_mot
def test_records_load_through_the_record_reader(records: dict[str, dict]) -> None:
    from kg.records import plain

    recordset = plain.records_to_recordset(list(records.values()), file=str(MODELS))
    assert len(list(recordset.models())) == 273


@needs_mot
def test_amber(records: dict[str, dict]) -> None:
    amber = records["amber"]
    assert amber["name"] == "Amber"
    assert amber["developer"] == "LLM360"
    assert amber["huggingface"] == "LLM360/Amber"
    assert amber["date"] == "2025-05-22"
    # no licence of its own: the distribution licence applies
    assert amber["artifacts"]["weights"] == {"availability": "public", "license": "Apache-2.0"}
    # its own licence wins
    assert amber["artifacts"]["training_data"] == {"availability": "public", "license": "MIT"}


@needs_mot
def test_aquila_component_licences(records: dict[str, dict]) -> None:
    aquila = records["aquila-7b"]
    assert aquila["developer"] == "BAAI"
    assert "huggingface" not in aquila
    assert aquila["artifacts"]["architecture"] == {"availability": "public", "license": "Apache-2.0"}
    # a free-text licence name stays as written; the record reader makes it a labelled blank node
    assert aquila["artifacts"]["weights"]["license"] == "BAAI Aquila Model License"
    assert resolve_license(aquila["artifacts"]["weights"]["license"]) is None
    # "unlicensed": included, no licence
    assert aquila["artifacts"]["research_paper"] == {"availability": "public"}
    # not listed: not released
    assert aquila["artifacts"]["training_code"] == "not-released"


@needs_mot
def test_licence_names_become_known_ids(records: dict[str, dict]) -> None:
    licences = {
        claim.get("license")
        for record in records.values()
        for claim in record["artifacts"].values()
        if isinstance(claim, dict)
    }
    assert {"gemma", "llama2", "llama3", "llama3.1", "llama3.2", "Apache-2.0", "bigscience-bloom-rail-1.0"} <= licences
    assert "Gemma Terms of Use" not in licences
    assert "Apache 2.0" not in licences
    assert "unlicensed" not in licences


@needs_mot
def test_duplicate_names_get_distinct_ids(records: dict[str, dict]) -> None:
    # Qwen2.5-72B-Instruct.yml carries the release name of the 32B model; Command-R+ is not Command-R
    assert records["qwen2.5-72b-instruct"]["huggingface"] == "Qwen/Qwen2.5-72B-Instruct"
    assert records["qwen2.5-32b-instruct"]["huggingface"] == "Qwen/Qwen2.5-32B-Instruct"
    assert {"command-r", "command-r-plus"} <= set(records)


def test_component_not_included_is_not_released() -> None:
    record = record_from_mot(
        {
            "release": {
                "name": "X",
                "producer": "Y",
                "license": {"distribution": {"name": "MIT"}},
                "components": [
                    {"name": "Model architecture", "license": "Component not included"},
                    {"name": "Training code", "license": "Component Component not included"},
                    {"name": "Model parameters (Final)", "license": "Undisclosed"},
                    {"name": "Inference code", "component_path": "https://github.com/x/y"},
                    {"name": "Model card", "license": ""},
                ],
            }
        }
    )
    assert record["artifacts"]["architecture"] == "not-released"
    assert record["artifacts"]["training_code"] == "not-released"
    assert record["artifacts"]["weights"] == {"availability": "public"}
    assert record["artifacts"]["inference_code"] == {
        "availability": "public",
        "license": "MIT",
        "url": "https://github.com/x/y",
    }
    # an explicitly empty licence does not fall back to the global one (as in the MOT)
    assert record["artifacts"]["model_card"] == {"availability": "public"}


def test_global_licence_by_content_type() -> None:
    record = record_from_mot(
        {
            "release": {
                "name": "X",
                "producer": "Y",
                "license": {
                    "distribution": {"name": "Apache-2.0"},
                    "data": {"name": "CC-BY-4.0"},
                    "document": {"name": None},
                },
                "components": [
                    {"name": "Datasets"},
                    {"name": "Model card"},
                    {"name": "Training code", "license": None},
                ],
            }
        }
    )
    assert record["artifacts"]["training_data"]["license"] == "CC-BY-4.0"
    assert record["artifacts"]["model_card"]["license"] == "Apache-2.0"
    assert record["artifacts"]["training_code"]["license"] == "Apache-2.0"


def test_unlisted_can_be_unknown() -> None:
    record = record_from_mot({"release": {"name": "X", "components": []}}, unlisted="unknown")
    assert set(record["artifacts"].values()) == {"unknown"}


def test_slugify() -> None:
    assert slugify("Llama 3.1 (405B)") == "llama-3.1-405b"
    assert slugify("Command-R+") == "command-r-plus"
    assert slugify("%%%") == "model"


def test_missing_file_names_the_file(tmp_path: Path) -> None:
    missing = tmp_path / "nope.yml"
    with pytest.raises(UnreadableInputError, match="nope.yml"):
        read_mot(missing)


def test_bad_yaml_names_the_file_and_line(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yml"
    bad.write_text("release:\n  name: [unclosed\n  producer: x\n", encoding="utf-8")
    with pytest.raises(UnreadableInputError, match=r"bad\.yml:\d+: not valid YAML"):
        read_mot_file(bad)


def test_not_a_mot_record_names_the_file(tmp_path: Path) -> None:
    odd = tmp_path / "odd.yml"
    odd.write_text("- just\n- a list\n", encoding="utf-8")
    with pytest.raises(UnreadableInputError, match="odd.yml: not a MOT record"):
        read_mot_file(odd)


def test_registry_loads_the_mot_importer(tmp_path: Path) -> None:
    path = tmp_path / "m.yaml"
    path.write_text("release:\n  name: M\n  producer: P\n  components: []\n", encoding="utf-8")
    result = get("mot")([str(path)], ImportOptions())
    assert result.problems == []
    (record,) = result.records
    assert record["id"] == "m"
    assert record["source"] == ["https://github.com/lfai/model_openness_tool/blob/main/models/m.yaml"]
