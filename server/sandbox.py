"""Walls around a worker process: no network, and a memory ceiling.

- **No network.** The worker moves itself into a new, empty network namespace (``unshare(CLONE_NEWNET)``;
  as a user other than root, inside a new user namespace, ``CLONE_NEWUSER`` first, which unprivileged
  users may create on most Linux systems). Only a loopback interface that is down exists there, so no
  socket can reach anything, whatever the engine was asked. ``OPENNESS_SANDBOX=off`` turns it off.
  Where namespaces are unavailable (another OS, a container without them), the worker says so and the
  guard (server.guard) is the wall; docs/reliability.md says what else protects such a deployment.
- **A memory ceiling.** ``RLIMIT_AS`` caps the worker's address space: an allocation past it fails, the
  worker dies or answers MemoryError, and the server answers 507 and starts another.
"""

from __future__ import annotations

import ctypes
import os
import resource

ENV = "OPENNESS_SANDBOX"
CLONE_NEWNET = 0x40000000
CLONE_NEWUSER = 0x10000000


def _unshare(flags: int) -> int:
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.unshare(flags) != 0:
        return ctypes.get_errno()
    return 0


def enter_network_sandbox() -> str:
    """Leave the host's network for an empty namespace; returns what was done (for the server's log)."""
    if os.environ.get(ENV, "").lower() == "off":
        return "off (OPENNESS_SANDBOX=off)"
    if not hasattr(os, "getuid") or not os.path.exists("/proc/self/ns/net"):
        return "unavailable: no Linux namespaces here"
    error = _unshare(CLONE_NEWNET) if os.getuid() == 0 else _unshare(CLONE_NEWUSER | CLONE_NEWNET)
    if error and os.getuid() == 0:  # root without CAP_SYS_ADMIN (a container): try through a user namespace
        error = _unshare(CLONE_NEWUSER | CLONE_NEWNET)
    if error:
        return f"unavailable: unshare failed ({os.strerror(error)})"
    return "network namespace"


def limit_memory(limit_bytes: int | None) -> None:
    """Cap this process's address space at ``limit_bytes`` (None or 0: no cap)."""
    if limit_bytes:
        resource.setrlimit(resource.RLIMIT_AS, (int(limit_bytes), int(limit_bytes)))
