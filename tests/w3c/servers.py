"""Start the servers the conformance suite runs against, on 127.0.0.1 with a free port, and stop them.

Each server runs as a child process of its own (its real command line, its real WSGI or HTTP server), so
the suite measures what a user gets from ``oxigraph serve`` or ``openness serve``.
"""

from __future__ import annotations

import os
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from .endpoint import Endpoint

REPO = Path(__file__).resolve().parents[2]
VENV_BIN = Path(sys.executable).parent


class Unavailable(Exception):
    """The server cannot be started here; the message says why."""


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_ready(proc: subprocess.Popen, url: str, log: Path, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise Unavailable(f"server exited with {proc.returncode}: {log.read_text(errors='replace')[-800:]}")
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except urllib.error.HTTPError:
            return  # it answers: good enough
        except OSError:
            time.sleep(0.1)
    raise Unavailable(f"server did not answer {url} within {timeout:.0f} s")


@contextmanager
def _process(cmd: list[str], ready_url: str, log: Path, env: dict[str, str] | None = None) -> Iterator[None]:
    with log.open("wb") as out:
        proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT, env=env, cwd=REPO)
    try:
        _wait_ready(proc, ready_url, log)
        yield
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def _executable(name: str) -> str | None:
    local = VENV_BIN / name
    return str(local) if local.exists() else shutil.which(name)


@contextmanager
def oxigraph(tmp: Path) -> Iterator[Endpoint]:
    """``oxigraph serve`` (in memory) from the ``oxigraph`` PyPI package."""
    exe = _executable("oxigraph")
    if exe is None:
        raise Unavailable("the oxigraph server is not installed (pip install oxigraph)")
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    with _process([exe, "serve", "--bind", f"127.0.0.1:{port}"], f"{base}/", tmp / "oxigraph.log"):
        yield Endpoint("oxigraph", f"{base}/query", f"{base}/update")


def openness_available() -> str | None:
    """Why ``openness serve`` cannot run yet, or None when it can."""
    if not (REPO / "server" / "__init__.py").is_file():
        return "server not available: server/ has no application yet"
    if not (REPO / "kg" / "commands" / "serve.py").is_file():
        return "server not available: kg/commands/serve.py is missing"
    return None


@contextmanager
def openness(tmp: Path) -> Iterator[Endpoint]:
    """``openness serve --store memory`` with writes allowed to a bearer token the suite makes up."""
    why = openness_available()
    if why:
        raise Unavailable(why)
    port = free_port()
    token = secrets.token_urlsafe(24)
    base = f"http://127.0.0.1:{port}"
    env = {**os.environ, "OPENNESS_TOKEN": token, "OPENNESS_WRITE_TOKEN": token}
    cmd = [sys.executable, "-m", "kg", "serve", "--store", "memory", "--host", "127.0.0.1", "--port", str(port)]
    with _process(cmd, f"{base}/sparql", tmp / "openness.log", env=env):
        yield Endpoint("openness", f"{base}/sparql", f"{base}/update", token=token)


SERVERS = {"oxigraph": oxigraph, "openness": openness}
