"""The wheel, installed (not editable) into a fresh venv, gives a working ``openness`` with its data inside."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import sysconfig
import venv
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Path:
    """A fresh venv with the project's wheel installed; dependencies come from the test environment."""
    tmp = tmp_path_factory.mktemp("wheel")
    build = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", str(ROOT), "--no-deps", "-w", str(tmp / "dist"), "-q"],
        capture_output=True, text=True, timeout=600,
    )
    assert build.returncode == 0, build.stderr[-2000:]
    (wheel,) = (tmp / "dist").glob("ai_openness_kg-*.whl")
    env_dir = tmp / "venv"
    venv.EnvBuilder(with_pip=False).create(env_dir)
    python = env_dir / "bin" / "python"
    site = subprocess.run([python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                          capture_output=True, text=True, check=True).stdout.strip()
    # the dependencies are those of this test environment; the project itself only from the wheel
    (Path(site) / "deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    install = subprocess.run(
        [sys.executable, "-m", "pip", "--python", str(python), "install", "--no-deps", "--ignore-installed", str(wheel),
         "-q"],
        capture_output=True, text=True, timeout=300,
    )
    if install.returncode != 0 and "--python" in install.stderr:  # old pip: unpack with the venv's own pip
        pytest.skip("this pip cannot install into another interpreter (pip >= 22.3 needed)")
    assert install.returncode == 0, install.stderr[-2000:]
    return env_dir


def test_installed_command_classifies_the_bundled_kg(installed, tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    proc = subprocess.run([installed / "bin" / "openness", "classify", "--format", "json"], cwd=tmp_path,
                          capture_output=True, text=True, timeout=300, env=env)
    assert proc.returncode == 0, proc.stderr
    results = json.loads(proc.stdout)
    assert len(results) >= 30
    where = subprocess.run([installed / "bin" / "python", "-c", "import kg; print(kg.__file__)"], cwd=tmp_path,
                           capture_output=True, text=True, env=env).stdout
    assert str(installed) in where, "kg was imported from the source tree, not from the wheel"


def test_wheel_carries_ontology_shapes_and_data(installed, tmp_path):
    code = ("from kg.resources import ontology_files, bundled_record_files, resource_dir;"
            "print(len(ontology_files()), len(bundled_record_files()), resource_dir('shapes'))")
    proc = subprocess.run([installed / "bin" / "python", "-c", code], cwd=tmp_path, capture_output=True, text=True)
    n_onto, n_records, shapes = proc.stdout.split()
    assert int(n_onto) >= 3 and int(n_records) >= 1
    assert str(installed) in shapes
