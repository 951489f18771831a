"""``pip install .`` fetches the query page's YASGUI with ``npm ci`` when npm is there (setup.py), and builds
without it otherwise. The npm here is a stand-in script on PATH that records its arguments and lays out the
files the real package has, so the test needs no network."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
FAKE_NPM = """#!/bin/sh
echo "$@" > "$PWD/npm-args.txt"
mkdir -p node_modules/@zazuko/yasgui/build
echo "window.Yasgui = function () {};" > node_modules/@zazuko/yasgui/build/yasgui.min.js
echo ".yasgui {}" > node_modules/@zazuko/yasgui/build/yasgui.min.css
"""


def source_copy(tmp: Path) -> Path:
    """The tracked files of the repository, without node_modules or built assets."""
    files = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True).stdout.split(b"\0")
    target = tmp / "src"
    for name in filter(None, files):
        path = Path(name.decode())
        if path.parts[0] in ("node_modules", "tests") or not (ROOT / path).is_file():
            continue
        (target / path).parent.mkdir(parents=True, exist_ok=True)
        (target / path).write_bytes((ROOT / path).read_bytes())
    return target


def build_wheel(src: Path, path_dirs: list[Path], extra_env: dict[str, str] | None = None) -> list[str]:
    env = {**os.environ, "PATH": os.pathsep.join([*map(str, path_dirs), os.environ.get("PATH", "")]),
           **(extra_env or {})}
    done = subprocess.run([sys.executable, "-m", "pip", "wheel", str(src), "--no-deps", "--no-build-isolation",
                           "-w", str(src / "dist"), "-q"], capture_output=True, text=True, env=env, timeout=600)
    if done.returncode != 0 and "No module named pip" in done.stderr:
        pytest.skip("pip is not available in this environment")
    assert done.returncode == 0, done.stderr[-2000:]
    wheel = next((src / "dist").glob("*.whl"))
    return zipfile.ZipFile(wheel).namelist()


def test_build_runs_npm_ci_and_ships_yasgui(tmp_path):
    src = source_copy(tmp_path)
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    npm = bin_dir / "npm"
    npm.write_text(FAKE_NPM)
    npm.chmod(npm.stat().st_mode | stat.S_IEXEC)
    names = build_wheel(src, [bin_dir])
    assert (src / "npm-args.txt").read_text().split() == ["ci", "--omit=dev", "--ignore-scripts", "--no-audit",
                                                          "--no-fund"]
    assert "server/static/vendor/yasgui.min.js" in names and "server/static/vendor/yasgui.min.css" in names


def test_build_without_npm_ships_no_yasgui(tmp_path):
    src = source_copy(tmp_path)
    names = build_wheel(src, [], {"OPENNESS_NO_NPM": "1"})
    assert not [n for n in names if "static/vendor/" in n]
    assert "server/templates/index.html" in names
