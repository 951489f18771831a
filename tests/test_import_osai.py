"""The OSAI-index importer on small files and, when present, on the whole index."""

from __future__ import annotations

from pathlib import Path

import pytest

from kg.cli import main
from kg.importers.osai import import_records, read_osai_file
from kg.importers.registry import ImportOptions

EXTERNAL = Path(__file__).resolve().parents[2] / "shared" / "external"
OSAI = EXTERNAL / "osai-index"

FILE = """\
system:
    name: Tiny Chat
    link: https://huggingface.co/tiny/tiny-chat
    type: text
    endmodellicense: Apache 2.0
    releasedate: 2024 NOV
org:
    name: Tiny Lab
datasources_basemodel:
    class: open
    link: https://example.org/data-a
datasources_endmodel:
    class: partial
    link: [https://example.org/data-b]
weights_basemodel:
    class: open
weights_endmodel:
    class: partial
    link: https://huggingface.co/tiny/tiny-chat
trainingcode:
    class: open
    link: https://github.com/tiny/train
preprint:
    class: partial
    link: https://arxiv.org/abs/2401.00001
paper:
    class: closed
modelcard:
    class: partial
datasheet:
    class:
code:
    class: open
licenses:
    class: partial
"""


def test_dimensions_mapped_by_the_index_criteria(tmp_path):
    path = tmp_path / "Tiny Chat.yaml"
    path.write_text(FILE)
    rec = read_osai_file(path)
    assert rec["id"] == "tiny-chat" and rec["developer"] == "Tiny Lab" and rec["date"] == "2024-11"
    assert rec["links"] == ["https://osai-index.eu/model/Tiny%20Chat"]
    assert rec["huggingface"] == "tiny/tiny-chat"
    art = rec["artifacts"]
    # some data sources shared: the complete training data is not released
    assert art["training_data"]["availability"] == "not-released"
    assert "https://example.org/data-b" in art["training_data"]["source"]
    # partial weights: "e.g. gated downloads"
    assert art["weights"]["availability"] == "gated" and art["weights"]["license"] == "Apache-2.0"
    assert art["training_code"]["availability"] == "public"
    assert art["architecture"]["availability"] == "public"
    # a partial preprint or model card is an available, less comprehensive document
    assert art["technical_report"]["availability"] == "public"
    assert art["model_card"]["availability"] == "public"
    assert art["research_paper"]["availability"] == "not-released"
    assert "data_card" not in art  # empty class: not applicable, unknown


def test_bad_grade_is_one_problem_and_others_import(tmp_path, capsys):
    (tmp_path / "Good.yaml").write_text(FILE)
    (tmp_path / "Bad.yaml").write_text(FILE.replace("class: closed", "class: maybe"))
    (tmp_path / "Broken.yaml").write_text("system: [\n")
    (tmp_path / "_parameters.yml").write_text("- name: x\n")
    result = import_records([str(tmp_path)], ImportOptions())
    assert [r["id"] for r in result.records] == ["good"]
    assert len(result.problems) == 2
    assert any("paper.class is 'maybe'" in p for p in result.problems)
    assert any("Broken.yaml:" in p and "not valid YAML" in p for p in result.problems)
    assert main(["import", "osai", str(tmp_path), "--format", "csv"]) == 2
    assert "Traceback" not in capsys.readouterr().err


@pytest.mark.skipif(not OSAI.is_dir(), reason=f"the OSAI index is not present at {OSAI}")
def test_whole_index_imports(tmp_path):
    result = import_records([str(OSAI)], ImportOptions())
    assert result.problems == []
    assert len(result.records) == len([p for p in OSAI.glob("*.yaml") if not p.name.startswith("a_")])
    assert len({r["id"] for r in result.records}) == len(result.records)
    out = tmp_path / "osai.ttl"
    assert main(["import", "osai", str(OSAI), "-o", str(out)]) == 0
    assert "osai-index.eu/model/" in out.read_text()
