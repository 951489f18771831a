"""Turn manifest entries into pytest parameters, or one skipped placeholder when the suite is absent."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import pytest

from . import manifest


def params(load: Callable[[], Sequence[Any]], ident: Callable[[Any], str]) -> list[Any]:
    """``pytest.param`` per case, with its W3C id; a skip naming the missing folder without the suite."""
    if not manifest.available():
        reason = f"W3C SPARQL 1.1 suite not found at {manifest.SUITE}"
        return [pytest.param(None, id="suite-absent", marks=pytest.mark.skip(reason=reason))]
    return [pytest.param(case, id=ident(case)) for case in load()]
