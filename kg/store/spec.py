"""What users type after ``--store``, parsed into a :class:`StoreSpec`."""

from __future__ import annotations

import urllib.parse
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from kg.errors import ConfigurationError

Kind = Literal["bundled", "memory", "path", "remote"]


@dataclass(frozen=True)
class StoreSpec:
    """A parsed ``--store`` value."""

    kind: Kind
    path: Path | None = None
    query_url: str | None = None
    update_url: str | None = None

    def __str__(self) -> str:
        if self.kind == "path":
            return str(self.path)
        if self.kind == "remote":
            return f"{self.query_url},{self.update_url}"
        return self.kind


def parse_store_spec(spec: str | None) -> StoreSpec:
    """Parse a ``--store`` value; raises ConfigurationError for an unusable one.

    >>> parse_store_spec(None).kind
    'bundled'
    >>> parse_store_spec("http://127.0.0.1:7878/query").update_url
    'http://127.0.0.1:7878/update'
    >>> parse_store_spec("memory").kind
    'memory'
    """
    if spec is None or spec.strip() in ("", "bundled"):
        return StoreSpec("bundled")
    spec = spec.strip()
    if spec == "memory":
        return StoreSpec("memory")
    if spec.startswith(("http://", "https://")):
        query_url, _, update_url = spec.partition(",")
        for url in (query_url, update_url):
            if url and not urllib.parse.urlsplit(url).netloc:
                raise ConfigurationError(f"--store {spec}: {url!r} is no absolute http(s) URL")
        if not update_url:
            update_url = query_url[: -len("/query")] + "/update" if query_url.endswith("/query") else query_url
        return StoreSpec("remote", query_url=query_url, update_url=update_url)
    if "://" in spec:
        raise ConfigurationError(f"--store {spec}: expected a directory, 'memory', 'bundled' or an http(s) URL")
    path = Path(spec).expanduser()
    if path.exists() and not path.is_dir():
        raise ConfigurationError(f"--store {spec}: is a file; expected a directory for an on-disk store")
    return StoreSpec("path", path=path)
