"""What pyproject.toml cannot say: ``ontology/`` and ``shapes/`` are installed inside the package.

They stay at the top of the repository, where people look for them, and land in the wheel as
``kg/share/ontology`` and ``kg/share/shapes`` (found by ``kg.resources``).

``build_py`` also copies the YASGUI browser assets from ``node_modules`` (after ``npm ci``) into
``server/static/vendor``, so the query page works air-gapped; without node_modules the wheel is built
without them and the query page falls back to a plain form.
"""

import importlib.util
from pathlib import Path

from setuptools import find_packages, setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent


class BuildWithAssets(build_py):
    """build_py that first copies the YASGUI build from node_modules (see server/vendor.py)."""

    def run(self):
        if (ROOT / "node_modules" / "@zazuko" / "yasgui").is_dir():
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
