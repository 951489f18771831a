"""The per-model assessment of the ten dimensions and the OSAID verdict (docs/design.md section 6)."""

from __future__ import annotations

from kg.reasoner import classify_records

BASE = {"developer": "Test", "artifacts": {}}


def model(mid: str, **artifacts: object) -> dict[str, object]:
    return {**BASE, "id": mid, "name": mid, "artifacts": artifacts}


def by_id(*records: dict[str, object]) -> dict[str, object]:
    return {r.id: r for r in classify_records(records)}


OPEN_WEIGHT = {"architecture": {"availability": "public", "license": "Apache-2.0"},
               "training_code": "not-released", "training_data": "not-released"}


def test_licence_terms_decide_deployment_control_among_open_weight_models() -> None:
    results = by_id(
        model("apache", weights={"availability": "public", "license": "Apache-2.0"}, **OPEN_WEIGHT),
        model("llama", weights={"availability": "gated", "license": "llama3.1"}, **OPEN_WEIGHT),
        model("noncommercial", weights={"availability": "public", "license": "CC-BY-NC-4.0"}, **OPEN_WEIGHT),
        model("closed", weights="not-released", architecture="not-released", training_code="not-released",
              training_data="not-released", api={"availability": "public"}),
    )
    levels = {mid: r.assessment["deployment_control"]["level"] for mid, r in results.items()}
    assert levels == {"apache": "full", "llama": "partial", "noncommercial": "limited", "closed": "none"}
    assert {r.category for mid, r in results.items() if mid != "closed"} == {"open-weight"}
    because = results["llama"].assessment["deployment_control"]["because"]
    assert any("700,000,000" in line for line in because)
    assert set(results["apache"].assessment) == {
        "artifact_access", "auditability", "reproducibility", "fine_tuning", "deployment_control", "risk_surface",
        "innovation", "lock_in", "governance", "knowledge_diffusion"}


def test_osaid_verdicts() -> None:
    full = {k: {"availability": "public", "license": "Apache-2.0"}
            for k in ("weights", "architecture", "training_code", "inference_code")}
    results = by_id(
        model("open", training_data={"availability": "public", "license": "CC-BY-4.0"}, **full),
        model("restricted", **{**full, "weights": {"availability": "public", "license": "bigcode-openrail-m"}},
              training_data={"availability": "public", "license": "CC-BY-4.0"}),
        model("unknown-data", **full),
        model("no-code", weights={"availability": "public", "license": "Apache-2.0"}, training_code="not-released"),
    )
    assert results["open"].osaid["conformant"] is True
    assert results["restricted"].osaid["conformant"] is False
    assert results["unknown-data"].osaid["conformant"] is None
    assert results["no-code"].osaid["conformant"] is False
    assert any("not released" in why for why in results["no-code"].osaid["because"])


def test_modality_decides_the_llama_3_2_eu_exclusion() -> None:
    weights = {"availability": "gated", "license": "llama3.2"}
    results = by_id(model("vision", weights=weights, **OPEN_WEIGHT) | {"modality": "vision-language"},
                    model("text", weights=weights, **OPEN_WEIGHT) | {"modality": "text"},
                    model("unstated", weights=weights, **OPEN_WEIGHT))
    territories = {mid: r.as_json()["license_terms"]["excluded_territories"] for mid, r in results.items()}
    assert territories == {"vision": ["EU"], "text": [], "unstated": ["EU"]}
