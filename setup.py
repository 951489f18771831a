"""What pyproject.toml cannot say: ``ontology/`` and ``shapes/`` are installed inside the package.

They stay at the top of the repository, where people look for them, and land in the wheel as
``kg/share/ontology`` and ``kg/share/shapes`` (found by ``kg.resources``).

``build_py`` also puts the YASGUI browser assets into ``server/static/vendor``, so the query page works
air-gapped: when ``node_modules`` lacks them and ``npm`` is on the PATH it first runs ``npm ci`` (the
versions pinned by package-lock.json; no install scripts, no dev dependencies), then copies them. Without
npm, or when npm fails (offline), the wheel is built without them and the query page shows its results as a
plain HTML table instead. ``OPENNESS_NO_NPM=1`` skips npm.
"""

import importlib.util
import os
import shutil
import subprocess
import sys
from pathlib import Path

from setuptools import find_packages, setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent

YASGUI = ROOT / "node_modules" / "@zazuko" / "yasgui"


def npm_ci() -> None:
    """Fetch the pinned front-end packages with ``npm ci`` when they are missing and npm is available."""
    npm = shutil.which("npm")
    lock = ROOT / "package-lock.json"
    if YASGUI.is_dir() or npm is None or os.environ.get("OPENNESS_NO_NPM") or not lock.is_file():
        return
    command = [npm, "ci", "--omit=dev", "--ignore-scripts", "--no-audit", "--no-fund"]
    print("fetching the query page's YASGUI assets: " + " ".join(command[1:]), file=sys.stderr)
    try:
        done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=600)
    except (OSError, subprocess.TimeoutExpired) as exc:
        print(f"npm ci failed ({exc}); the query page will use its plain form", file=sys.stderr)
        return
    if done.returncode != 0:
        reason = (done.stderr.strip().splitlines() or ["no message"])[-1]
        print(f"npm ci failed ({reason}); the query page will use its plain form", file=sys.stderr)


class BuildWithAssets(build_py):
    """build_py that first fetches (npm ci) and copies the YASGUI build from node_modules (server/vendor.py)."""

    def run(self):
        npm_ci()
        if YASGUI.is_dir():
            # load server/vendor.py by path: importing the server package would need Flask at build time
            spec = importlib.util.spec_from_file_location("_vendor", ROOT / "server" / "vendor.py")
            vendor = importlib.util.module_from_spec(spec)
            spec.loader.exec_module(vendor)
            vendor.copy_assets(ROOT, ROOT / "server" / "static" / "vendor")
        super().run()


setup(
    packages=[
        *find_packages(include=["kg", "kg.*", "server", "server.*"]),
        "kg.share.ontology",
        "kg.share.shapes",
    ],
    package_dir={"kg.share.ontology": "ontology", "kg.share.shapes": "shapes"},
    cmdclass={"build_py": BuildWithAssets},
)
