"""Importers that read record files: walk the files and folders given, read each, report the bad ones.

A folder contributes its files with the importer's suffixes, in name order, skipping the files the
dataset marks as no record (parameter lists, submission templates). A file that cannot be read gives
one problem line and the import goes on with the others.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from kg.errors import OpennessError
from kg.importers.common import slugify
from kg.importers.registry import ImportOptions, ImportResult


def expand_paths(
    args: Sequence[str], suffixes: tuple[str, ...], skip: Callable[[Path], bool] = lambda p: False
) -> tuple[list[Path], list[str]]:
    """The record files named by ``args`` (files, or folders searched one level deep), and problems."""
    files: list[Path] = []
    problems: list[str] = []
    for arg in args:
        path = Path(arg)
        if path.is_dir():
            found = sorted(p for p in path.iterdir() if p.is_file() and p.suffix in suffixes and not skip(p))
            if not found:
                problems.append(f"{path}: no {' or '.join(suffixes)} record files in this folder")
            files.extend(found)
        elif path.is_file():
            files.append(path)
        else:
            problems.append(f"{path}: no such file or folder")
    return files, problems


def import_files(
    files: Sequence[Path], read_one: Callable[[Path], dict], options: ImportOptions
) -> ImportResult:
    """``read_one`` applied to each file; unreadable files become problem lines, ids are made unique."""
    result = ImportResult()
    taken: set[str] = set()
    for done, path in enumerate(files, start=1):
        try:
            record = read_one(path)
        except OpennessError as exc:
            result.problems.append(str(exc))
        else:
            if record.get("id") in taken:
                new = slugify(path.stem)
                n = 2
                while new in taken:
                    new = f"{record['id']}-{n}"
                    n += 1
                result.notes.append(f"{path}: id {record['id']!r} is taken; imported as {new!r}")
                record["id"] = new
            taken.add(record.get("id"))
            result.records.append(record)
        if options.progress:
            options.progress(done, len(files), path.name)
    return result


def import_mot(args: Sequence[str], options: ImportOptions) -> ImportResult:
    """Model Openness Tool YAML files or folders, through ``kg.importers.mot``."""
    from kg.importers.mot import read_mot_file

    files, problems = expand_paths(args, (".yml", ".yaml"))
    result = import_files(files, read_mot_file, options)
    result.problems[:0] = problems
    return result
