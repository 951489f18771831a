"""Where the package's files are, installed from a wheel or run from a source checkout."""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def resource_dir(name: str) -> Path:
    """The directory ``name`` (``ontology``, ``shapes`` or ``data``) of the installed package.

    In a wheel, ``ontology/`` and ``shapes/`` are installed as ``kg/share/ontology`` and
    ``kg/share/shapes``; in a source checkout they sit beside the ``kg`` package.
    """
    for candidate in (_PACKAGE / name, _PACKAGE / "share" / name, _PACKAGE.parent / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"the package's {name}/ directory is missing (looked in {_PACKAGE})")


def ontology_files() -> list[Path]:
    """The ontology's Turtle modules: the core first, then the others in name order."""
    directory = resource_dir("ontology")
    core = directory / "aio.ttl"
    others = sorted(p for p in directory.glob("*.ttl") if p != core)
    return [core, *others]


def shape_files() -> list[Path]:
    """The SHACL shape files of the project."""
    return sorted(resource_dir("shapes").glob("*.ttl"))


def bundled_record_files() -> list[Path]:
    """The bundled knowledge graph's record files (one YAML file per model family)."""
    return sorted((resource_dir("data") / "models").glob("*.yaml"))
