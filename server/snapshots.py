"""Read-only snapshots of the store for the query workers.

pyoxigraph documents opening ``Store.read_only`` on a directory another process writes as undefined
behaviour, so readers never open the live store. After each committed write the server takes a snapshot:
of an on-disk store a RocksDB checkpoint (``Store.backup``: hard links to the immutable table files, a
copy of the rest), of an in-memory store a new on-disk store written from its quads. Readers open the
newest snapshot read-only; an older one is removed once no worker uses it.
"""

from __future__ import annotations

import shutil
import tempfile
import threading
from pathlib import Path

import pyoxigraph as ox

from kg.store import LocalBackend


class Snapshots:
    """The snapshot directories of one store, newest last."""

    def __init__(self, backend: LocalBackend):
        self.backend = backend
        path = backend.spec.path if backend.spec.kind == "path" else None
        # beside an on-disk store, so a checkpoint can hard-link its files (same file system)
        self._root = Path(tempfile.mkdtemp(prefix=f"{path.name}.snapshots-", dir=path.parent) if path
                          else tempfile.mkdtemp(prefix="openness-snapshot-"))
        self._count = 0
        self._lock = threading.Lock()
        self.current: Path | None = None

    def take(self) -> Path:
        """A new snapshot of the store as it is now (call under the write lock)."""
        with self._lock:
            self._count += 1
            path = self._root / f"s{self._count}"
        store = self.backend.store
        if self.backend.spec.kind == "path":
            store.flush()
            store.backup(str(path))
        else:
            copy = ox.Store(str(path))
            copy.bulk_extend(store)
            copy.flush()
            del copy
        self.current = path
        return path

    def prune(self, in_use: set[str]) -> list[Path]:
        """Remove every snapshot but the newest and those in ``in_use``; returns the removed ones."""
        removed = []
        with self._lock:
            for path in sorted(self._root.iterdir()):
                if path != self.current and str(path) not in in_use:
                    shutil.rmtree(path, ignore_errors=True)
                    removed.append(path)
        return removed

    def close(self) -> None:
        shutil.rmtree(self._root, ignore_errors=True)
