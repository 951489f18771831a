"""Read-only snapshots of the store for the query workers and the fast path.

pyoxigraph documents opening ``Store.read_only`` on a directory another process writes as undefined
behaviour, so readers never open the live store. After each committed write the server takes a snapshot:
of an on-disk store a RocksDB checkpoint (``Store.backup``: hard links to the immutable table files, a
copy of the rest), of an in-memory store a new on-disk store written from its quads. Readers open the
newest snapshot read-only; an older one is removed once no worker and no fast-path reader uses it.
"""

from __future__ import annotations

import contextlib
import shutil
import tempfile
import threading
from collections.abc import Iterator
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


class Reader:
    """A read-only view of the newest snapshot in this process (the fast path), counted while in use."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._store: ox.Store | None = None
        self._path: str | None = None
        self._users: dict[str, int] = {}

    @contextlib.contextmanager
    def view(self, path: str) -> Iterator[ox.Store]:
        """The store at ``path`` (opened on first use after a write) for the block's duration."""
        with self._lock:
            if self._store is None or self._path != path:
                self._store = ox.Store.read_only(path)
                self._path = path
            store = self._store
            self._users[path] = self._users.get(path, 0) + 1
        try:
            yield store
        finally:
            with self._lock:
                self._users[path] -= 1
                if not self._users[path]:
                    del self._users[path]

    def in_use(self) -> set[str]:
        """Snapshot directories a request is reading now, or the view holds open."""
        with self._lock:
            return set(self._users) | ({self._path} if self._path else set())

    def forget(self) -> None:
        """Drop the view (the next request opens the newest snapshot)."""
        with self._lock:
            self._store = None
            self._path = None
