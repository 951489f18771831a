"""Shared set-up of the atheris harnesses: import path, instrumentation, the one rule they all check.

Each harness feeds coverage-guided random bytes to one parser and fails (atheris reports a crash and keeps
the input) on any exception other than the clean user error the parser is meant to raise. Run one with
``python fuzz/fuzz_<parser>.py -max_total_time=300 [corpus_dir]`` (docs/reliability.md).
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import atheris  # noqa: E402


def run(test_one: Callable[[bytes], None], *modules: str) -> None:
    """Instrument ``modules`` (our code; pyoxigraph is native and not instrumented) and fuzz ``test_one``."""
    with atheris.instrument_imports(include=list(modules) or ["kg", "server"]):
        for name in modules:
            __import__(name)
    atheris.Setup(sys.argv, test_one)
    atheris.Fuzz()
