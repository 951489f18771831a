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
            last = log.read_text(errors="replace").strip().splitlines()[-1:] or ["no output"]
            raise Unavailable(f"it exited with {proc.returncode}: {last[0][:300]}")
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


#: Runs the real application factory under waitress, the WSGI server ``openness serve`` uses, with the
#: write token taken from the environment (never from the command line, which other users can read).
#: Queries run in the request thread: with worker processes (W3C_SERVER_WORKERS=1) every write makes the
#: workers reload the store, seconds per test, and the suite would take ten minutes instead of one.
_SERVE_APP = """
import os, sys
if __name__ == "__main__":  # query workers are spawned processes: they must not run this again
    from waitress import serve
    from server import create_app
    workers = os.environ.get("W3C_SERVER_WORKERS") == "1"
    app = create_app({"STORE": "memory", "TOKEN": os.environ["W3C_WRITE_TOKEN"], "USE_WORKERS": workers})
    serve(app, host="127.0.0.1", port=int(sys.argv[1]), threads=4, _quiet=True)
"""


def openness_available() -> str | None:
    """Why the project's server cannot run yet, or None when it can."""
    init = REPO / "server" / "__init__.py"
    if not init.is_file() or "def create_app" not in init.read_text(encoding="utf-8"):
        return "server not available: server/ has no create_app yet"
    return None


@contextmanager
def openness(tmp: Path) -> Iterator[Endpoint]:
    """The project's server on an empty in-memory store, writes allowed to a bearer token made up here."""
    why = openness_available()
    if why:
        raise Unavailable(why)
    port = free_port()
    token = secrets.token_urlsafe(24)
    base = f"http://127.0.0.1:{port}"
    env = {**os.environ, "W3C_WRITE_TOKEN": token}
    cmd = [sys.executable, "-c", _SERVE_APP, str(port)]
    try:
        with _process(cmd, f"{base}/sparql", tmp / "openness.log", env=env):
            yield Endpoint("openness", f"{base}/sparql", f"{base}/update", token=token, pin_dataset=True)
    except Unavailable as exc:
        raise Unavailable(f"server not available: {exc}") from None


SERVERS = {"oxigraph": oxigraph, "openness": openness}
