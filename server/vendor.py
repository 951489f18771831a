"""Copy the YASGUI build from node_modules into server/static/vendor (run after ``npm ci``).

The query page loads YASGUI from the server itself, so it works air-gapped; the copied files are build
output (gitignored) and go into the wheel as package data. ``python -m server.vendor`` exits 2 with one line
when node_modules lacks the package.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

FILES = ("yasgui.min.js", "yasgui.min.css")
PACKAGE = ("@zazuko", "yasgui")


def copy_assets(root: Path, target: Path) -> list[Path]:
    """Copy the YASGUI files from ``root/node_modules`` to ``target``; returns the copied paths."""
    build = root.joinpath("node_modules", *PACKAGE, "build")
    missing = [name for name in FILES if not (build / name).is_file()]
    if missing:
        raise FileNotFoundError(f"{build}: {', '.join(missing)} missing; run 'npm ci' first")
    target.mkdir(parents=True, exist_ok=True)
    copied = []
    for name in FILES:
        shutil.copyfile(build / name, target / name)
        copied.append(target / name)
    licence = build.parent / "LICENSE"
    if licence.is_file():
        shutil.copyfile(licence, target / "yasgui.LICENSE")
    return copied


def main() -> int:
    here = Path(__file__).resolve().parent
    try:
        copied = copy_assets(here.parent, here / "static" / "vendor")
    except FileNotFoundError as exc:
        print(f"server.vendor: error: {exc}", file=sys.stderr)
        return 2
    for path in copied:
        print(f"copied {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
