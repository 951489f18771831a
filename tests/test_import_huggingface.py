"""The Hub importer: the real huggingface_hub client against a stand-in Hub on 127.0.0.1."""

from __future__ import annotations

import socket

import pytest
from fake_hub import TOKEN, FakeHub

from kg.cli import main
from kg.importers.huggingface import EXPAND, is_weight_file, parse_repo_id
from kg.importers.registry import ImportOptions, get


@pytest.fixture()
def hub():
    with FakeHub() as server:
        yield server


def _import(hub: FakeHub, *repos: str, **kw):
    return get("huggingface")(list(repos), ImportOptions(endpoint=hub.url, **kw))


def test_gated_llama_maps_weights_licence_architecture_and_paper(hub):
    result = _import(hub, "meta-llama/Llama-3.1-8B")
    assert result.problems == []
    (rec,) = result.records
    assert rec["huggingface"] == "meta-llama/Llama-3.1-8B" and rec["developer"] == "meta-llama"
    assert rec["date"] == "2024-07-14"
    art = rec["artifacts"]
    assert art["weights"]["availability"] == "gated" and art["weights"]["license"] == "llama3.1"
    assert art["architecture"]["availability"] == "gated"
    assert art["research_paper"]["url"] == ["https://arxiv.org/abs/2204.05149"]
    # the Hub cannot tell: stays unknown (absent)
    assert "training_code" not in art and "training_data" not in art


def test_only_the_needed_fields_are_requested(hub):
    _import(hub, "meta-llama/Llama-3.1-8B")
    assert sorted(hub.requests[0]["query"]["expand"]) == sorted(EXPAND)


def test_public_repo_declared_datasets_and_base_model(hub):
    (rec,) = _import(hub, "allenai/OLMo-2-1124-7B-Instruct").records
    art = rec["artifacts"]
    assert art["weights"] == {
        "availability": "public", "license": "Apache-2.0",
        "url": "https://huggingface.co/allenai/OLMo-2-1124-7B-Instruct",
        "source": ["https://huggingface.co/allenai/OLMo-2-1124-7B-Instruct"],
    }
    # declared datasets are not proof that the data can be downloaded
    assert art["training_data"]["availability"] == "unknown"
    assert art["training_data"]["url"] == ["https://huggingface.co/datasets/allenai/RLVR-GSM"]
    assert rec["based_on"] == [{"model": "https://huggingface.co/allenai/OLMo-2-1124-7B-DPO", "kind": "fine-tune",
                                "source": ["https://huggingface.co/allenai/OLMo-2-1124-7B-Instruct"]}]
    assert rec["modality"] == "text"


def test_repo_without_weight_files_proves_nothing_and_other_licence_uses_its_name(hub):
    (rec,) = _import(hub, "acme/paper-only").records
    assert "weights" not in rec["artifacts"]
    assert rec["artifacts"]["model_card"]["license"] == "acme-research-license"


def test_gemma_licence_and_auto_gating(hub):
    (rec,) = _import(hub, "google/gemma-2-9b").records
    assert rec["artifacts"]["weights"]["availability"] == "gated"
    assert rec["artifacts"]["weights"]["license"] == "gemma"


def test_token_is_honoured(hub, monkeypatch):
    assert _import(hub, "acme/private-model").problems
    monkeypatch.setenv("HF_TOKEN", TOKEN)
    result = _import(hub, "acme/private-model")
    assert result.problems == []
    assert hub.requests[-1]["authorization"] == f"Bearer {TOKEN}"
    assert result.records[0]["artifacts"]["weights"]["availability"] == "not-released"


def test_hf_endpoint_environment_variable(hub, monkeypatch):
    monkeypatch.setenv("HF_ENDPOINT", hub.url)
    result = get("huggingface")(["google/gemma-2-9b"], ImportOptions())
    assert result.problems == [] and len(hub.requests) == 1


def test_errors_one_line_each_and_good_repos_still_imported(hub):
    result = _import(hub, "nobody/nothing", "limited/model", "bad id", "google/gemma-2-9b")
    assert [r["huggingface"] for r in result.records] == ["google/gemma-2-9b"]
    missing, limited, bad = result.problems
    assert "no such model repository" in missing
    assert "HTTP 429" in limited and "retry in 55 s" in limited
    assert "is no Hub repo id" in bad
    assert all("\n" not in p for p in result.problems)


def test_network_failure_is_one_line():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    result = get("huggingface")(["a/b"], ImportOptions(endpoint=f"http://127.0.0.1:{port}", timeout=5))
    assert result.records == [] and "network failure" in result.problems[0]


def test_cli_writes_good_records_reports_rest_and_exits_2(hub, tmp_path, capsys):
    out = tmp_path / "hub.ttl"
    code = main(["import", "huggingface", "meta-llama/Llama-3.1-8B", "nobody/nothing",
                 "--endpoint", hub.url, "-o", str(out)])
    err = capsys.readouterr().err
    assert code == 2
    assert "nobody/nothing" in err and "Traceback" not in err
    text = out.read_text()
    assert "https://huggingface.co/meta-llama/Llama-3.1-8B" in text and "Gated" in text


def test_cli_csv_output(hub, capsys):
    assert main(["import", "huggingface", "google/gemma-2-9b", "--endpoint", hub.url, "--format", "csv"]) == 0
    header, row = capsys.readouterr().out.splitlines()[:2]
    assert "weights" in header.split(",") and "gated" in row.split(",")


@pytest.mark.parametrize(("name", "weights"), [
    ("model-00001-of-00004.safetensors", True), ("model.safetensors.index.json", False),
    ("pytorch_model.bin", True), ("training_args.bin", False), ("q4_k_m.gguf", True),
    ("optimizer.pt", False), ("original/consolidated.00.pth", True), ("README.md", False),
])
def test_weight_files(name, weights):
    assert is_weight_file(name) is weights


def test_repo_ids():
    assert parse_repo_id("meta-llama/Llama-3.1-8B") == "meta-llama/Llama-3.1-8B"
    assert parse_repo_id("https://huggingface.co/google/gemma-2-9b") == "google/gemma-2-9b"
    for bad in ("gpt2", "a/b/c", "a b/c", "../etc", "a/.."):
        assert parse_repo_id(bad) is None


def test_adapter_only_repo_is_an_adapter_of_its_base_not_released_weights(hub):
    (rec,) = _import(hub, "acme/llama-3.1-8b-medical-lora").records
    assert "weights" not in rec["artifacts"]  # adapter_model.safetensors is not the model's weights
    assert rec["based_on"] == [{"model": "https://huggingface.co/meta-llama/Llama-3.1-8B", "kind": "adapter",
                                "source": ["https://huggingface.co/acme/llama-3.1-8b-medical-lora"]}]


def test_quantised_repo_keeps_its_kind_and_the_licence_text(hub):
    (rec,) = _import(hub, "acme/Llama-3.1-8B-GGUF").records
    assert [(b["model"], b["kind"]) for b in rec["based_on"]] == [
        ("https://huggingface.co/meta-llama/Llama-3.1-8B", "quantisation")]
    weights = rec["artifacts"]["weights"]
    assert weights["availability"] == "public" and weights["license"] == "llama3.1"
    assert "https://huggingface.co/acme/Llama-3.1-8B-GGUF/blob/main/LICENSE" in weights["source"]


def test_merge_keeps_every_base_and_model_index_gives_evaluation_results(hub):
    (rec,) = _import(hub, "acme/merged-7b").records
    assert [(b["model"], b["kind"]) for b in rec["based_on"]] == [
        ("https://huggingface.co/allenai/OLMo-2-1124-7B-Instruct", "merge"),
        ("https://huggingface.co/allenai/OLMo-2-1124-7B-DPO", "merge")]
    evaluation = rec["artifacts"]["evaluation_results"]
    assert evaluation["availability"] == "public"
    assert evaluation["source"][0] == "https://huggingface.co/spaces/open-llm-leaderboard/open_llm_leaderboard"


def test_pipeline_tag_gives_the_modality_and_finetune_its_kind(hub):
    (rec,) = _import(hub, "acme/whisper-small-de").records
    assert rec["modality"] == "audio"
    assert rec["based_on"][0]["kind"] == "fine-tune"


def test_imported_lineage_is_valid_rdf_with_its_kind(hub, capsys):
    assert main(["import", "huggingface", "acme/llama-3.1-8b-medical-lora", "acme/merged-7b", "--endpoint",
                 hub.url, "--format", "nt"]) == 0
    out = capsys.readouterr().out
    assert "<https://w3id.org/ai-openness/ontology#derivationKind> " \
           "<https://w3id.org/ai-openness/ontology#Adapter>" in out
    assert "<https://w3id.org/ai-openness/ontology#Merge>" in out
    assert "<https://w3id.org/fair4ml#fineTunedFrom>" not in out  # derived in exports, not in imports
