"""What pyproject.toml cannot say: ``ontology/`` and ``shapes/`` are installed inside the package.

They stay at the top of the repository, where people look for them, and land in the wheel as
``kg/share/ontology`` and ``kg/share/shapes`` (found by ``kg.resources``).
"""

from setuptools import find_packages, setup

setup(
    packages=[
        *find_packages(include=["kg", "kg.*", "server", "server.*"]),
        "kg.share.ontology",
        "kg.share.shapes",
    ],
    package_dir={"kg.share.ontology": "ontology", "kg.share.shapes": "shapes"},
)
