"""The record readers' harness, shared by the one-per-format entry points (fuzz_records_<format>.py)."""

from __future__ import annotations

import os
import tempfile

from common import run


def fuzz_format(suffix: str) -> None:
    """Fuzz kg.records.read_file on files with ``suffix``: only UnreadableInputError may come out."""
    directory = tempfile.mkdtemp(prefix="openness-fuzz-")
    path = os.path.join(directory, "input" + suffix)

    def test_one(data: bytes) -> None:
        from kg.errors import OpennessError
        from kg.records import read_file

        with open(path, "wb") as out:
            out.write(data)
        try:
            records = read_file(path)
            records.graph()  # the rdflib view too: validation and writers use it
        except OpennessError:
            pass

    run(test_one, "kg.records", "kg.errors")
