"""Small performance helpers shared by the readers and the reasoner."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while building many small objects that all live on.

    Reading and classifying 100,000 records creates millions of such objects; the collector's full
    passes over them cost more than the work itself and find nothing to free.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
