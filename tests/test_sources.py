"""Primary and secondary sources: the host list is well formed and the coverage report names every record
that leans on a secondary page, with the artifacts that rest on such pages alone."""

from __future__ import annotations

import re

import yaml

from kg.coverage import secondary_rows
from kg.resources import resource_dir
from kg.sources import artifacts_on_secondary_pages, is_primary, secondary_hosts

ENTRY = re.compile(r"^[a-z0-9.-]+\.[a-z]{2,}(/[A-Za-z0-9._-]+)*$")


def test_every_primary_entry_is_a_host_or_a_host_and_path_and_appears_once():
    groups = yaml.safe_load((resource_dir("data") / "primary-sources.yaml").read_text(encoding="utf-8"))
    entries = [entry for values in groups.values() for entry in values]
    assert entries and all(ENTRY.match(e) for e in entries), [e for e in entries if not ENTRY.match(e)]
    assert len(entries) == len(set(entries)), sorted(e for e in entries if entries.count(e) > 1)


def test_a_hub_mirror_or_a_news_page_is_secondary_and_a_path_prefix_stops_at_a_segment():
    assert is_primary("https://huggingface.co/upstage/Solar-Open-100B")
    assert not is_primary("https://hf-2025.pages.dev/upstage/Solar-Open-100B/raw/main/README.md")
    assert not is_primary("https://huggingface.co.evil.example/upstage/Solar-Open-100B")
    assert is_primary("https://replicate.com/ibm-granite/granite-speech-4.1-2b")
    assert not is_primary("https://replicate.com/ibm-granite-fan/granite-speech")
    assert is_primary("HTTPS://ArXiv.org/abs/2509.24945")


RECORD = {
    "id": "example-7b",
    "source": ["https://huggingface.co/example/example-7b", "https://news.example/example-7b-launch"],
    "artifacts": {
        "weights": {"availability": "public", "url": "https://huggingface.co/example/example-7b"},
        "training_data": {"availability": "not-released", "source": ["https://news.example/example-7b-launch"]},
        "training_code": [{"availability": "not-released", "source": ["https://blog.example/a"]},
                          {"availability": "public", "url": "https://github.com/example/train"}],
        "api": {"availability": "public", "history": [{"valid_from": "2026-01", "availability": "gated",
                                                       "source": ["https://blog.example/preview"]}],
                "source": ["https://blog.example/ga"]},
    },
}


def test_the_report_names_the_secondary_hosts_and_the_artifacts_resting_on_them_alone():
    assert secondary_hosts(RECORD) == ["blog.example", "news.example"]
    # training_code has one claim on a blog alone; the API's claim and its dated history cite blogs only
    assert artifacts_on_secondary_pages(RECORD) == ["training_data", "training_code", "api"]
    clean = {"id": "clean", "source": ["https://arxiv.org/abs/1"],
             "artifacts": {"weights": RECORD["artifacts"]["weights"]}}
    assert secondary_rows([clean, RECORD]) == [
        ["`example-7b`", "blog.example, news.example", "training_data, training_code, api"]]
