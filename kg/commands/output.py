"""Writing command output safely: to standard output, or to a file replaced atomically."""

from __future__ import annotations

import os
import sys
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TextIO

from kg.errors import OpennessError


@contextmanager
def output(path: str | None) -> Iterator[TextIO]:
    """Standard output, or a temporary file renamed onto ``path`` only when writing succeeded."""
    if not path or path == "-":
        yield sys.stdout
        return
    target = Path(path)
    directory = target.parent if str(target.parent) else Path(".")
    if not directory.is_dir():
        raise OpennessError(f"{path}: the directory {directory} does not exist")
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", dir=directory)
    os.fchmod(fd, 0o666 & ~_umask())  # mkstemp makes 0600; the file gets the mode any new file would
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            yield handle
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _umask() -> int:
    """The process's umask (read by setting it and putting it back: there is no other portable way)."""
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def write_to(path: str | None, writer: Callable[[TextIO], None]) -> None:
    """Run ``writer`` on the output chosen by ``path``."""
    with output(path) as handle:
        writer(handle)
