"""Which cited pages are primary sources, and which records still lean on secondary ones.

The list of primary hosts is data (``kg/data/primary-sources.yaml``), so a contributor who finds a
developer's own page adds one line; every other page a record cites (news, blogs, wikis, resellers, hub
mirrors) is secondary, and ``openness coverage`` lists the records that cite one.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from functools import lru_cache
from typing import Any
from urllib.parse import urlsplit

from kg.records.plain import as_list, claims_of
from kg.resources import resource_dir


@lru_cache(maxsize=1)
def primary_prefixes() -> frozenset[str]:
    """Hosts, or host + path prefixes, of the pages that count as primary sources."""
    import yaml

    groups = yaml.safe_load((resource_dir("data") / "primary-sources.yaml").read_text(encoding="utf-8"))
    return frozenset(str(entry).lower().rstrip("/") for entries in groups.values() for entry in entries)


def is_primary(url: str) -> bool:
    """True for a page on a primary host (or under a primary host + path prefix).

    >>> is_primary("https://huggingface.co/meta-llama/Llama-3.1-8B"), is_primary("https://example.com/news")
    (True, False)
    >>> is_primary("https://replicate.com/bytedance/seedream"), is_primary("https://replicate.com/someone/x")
    (True, False)
    """
    parts = urlsplit(url.strip())
    host = (parts.hostname or "").lower()
    segments = [s for s in parts.path.split("/") if s]
    prefixes = primary_prefixes()
    return any("/".join([host, *segments[:depth]]).lower() in prefixes for depth in range(len(segments) + 1))


def _urls(claim: Mapping[str, Any]) -> list[str]:
    urls = [str(u) for u in as_list(claim.get("source"))]
    if claim.get("url"):
        urls.append(str(claim["url"]))
    for state in as_list(claim.get("history")):
        if isinstance(state, Mapping):
            urls.extend(_urls(state))
    return [u for u in urls if u.startswith(("http://", "https://"))]


def cited_pages(record: Mapping[str, Any]) -> Iterator[str]:
    """The pages a record cites for itself (``source``) and for its artifacts' claims (``source``, ``url``,
    dated history)."""
    yield from (str(url) for url in as_list(record.get("source")))
    for entry in (record.get("artifacts") or {}).values():
        for claim in claims_of(entry):
            yield from _urls(claim)


def secondary_hosts(record: Mapping[str, Any]) -> list[str]:
    """The hosts of the secondary pages a record cites, sorted."""
    return sorted({(urlsplit(url).hostname or url) for url in cited_pages(record) if not is_primary(url)})


def artifacts_on_secondary_pages(record: Mapping[str, Any]) -> list[str]:
    """Artifacts with at least one claim that cites pages and only secondary ones."""
    found = []
    for slug, entry in (record.get("artifacts") or {}).items():
        for claim in claims_of(entry):
            urls = _urls(claim)
            if urls and not any(is_primary(u) for u in urls):
                found.append(str(slug))
                break
    return found
