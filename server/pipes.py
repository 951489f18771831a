"""Messages between the server and its query workers: a length prefix and a pickle, over a plain pipe.

multiprocessing's Connection reads a message in two system calls (its header, then its body) and writes it
through several layers of Python; a query answer is usually a few hundred bytes, and on a virtual machine
each system call and each wake-up of the other process costs tens of microseconds. Here a message is one
``write`` and, when it fits in :data:`CHUNK`, one ``read``. Larger answers are read straight into a buffer
of their final size.

Both ends trust each other (the workers are the server's own processes), so pickle is safe here.
"""

from __future__ import annotations

import os
import pickle
from typing import Any

#: Bytes of the length prefix (big-endian, unsigned).
PREFIX = 4
#: The first read asks for this many bytes: most answers arrive whole in it.
CHUNK = 65536
#: The largest message (the prefix's range).
MAX_MESSAGE = 2**32 - 1


def send(fd: int, obj: Any) -> None:
    """Write ``obj`` as one message (blocking until all of it is in the pipe)."""
    body = pickle.dumps(obj, protocol=pickle.HIGHEST_PROTOCOL)
    if len(body) > MAX_MESSAGE:
        raise ValueError(f"message of {len(body)} bytes is larger than {MAX_MESSAGE}")
    data = memoryview(len(body).to_bytes(PREFIX, "big") + body)
    while data:
        written = os.write(fd, data)
        data = data[written:]


def recv(fd: int) -> Any:
    """Read one message; EOFError when the other end closed the pipe (a worker that died)."""
    first = os.read(fd, CHUNK)
    while len(first) < PREFIX:
        if not first:
            raise EOFError("the pipe was closed")
        more = os.read(fd, CHUNK)
        if not more:
            raise EOFError("the pipe was closed inside a message")
        first += more
    size = int.from_bytes(first[:PREFIX], "big")
    if len(first) - PREFIX >= size:
        if len(first) - PREFIX > size:
            # one message in flight per direction: a second one means the two ends disagree on the turn
            raise OSError(f"{len(first) - PREFIX - size} unexpected bytes after a message")
        return pickle.loads(memoryview(first)[PREFIX:])
    body = bytearray(size)
    view = memoryview(body)
    got = len(first) - PREFIX
    view[:got] = memoryview(first)[PREFIX:]
    while got < size:
        n = os.readv(fd, [view[got:]])
        if n == 0:
            raise EOFError("the pipe was closed inside a message")
        got += n
    return pickle.loads(body)
