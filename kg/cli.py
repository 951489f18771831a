"""The ``openness`` command line: one sub-command per module in ``kg.commands``.

Each command module defines ``NAME``, ``HELP``, ``configure(parser)`` and ``run(args) -> int`` and
imports its heavy dependencies inside ``run``, so ``openness --help`` stays fast.
Exit codes: 0 success, 1 findings (validation results at or above the threshold), 2 unusable input.
"""

from __future__ import annotations

import argparse
import importlib
import re
import sys
from collections.abc import Sequence

from kg import __version__
from kg.errors import OpennessError
from kg.logs import configure_cli

#: Sub-command name -> module in kg.commands, in the order ``--help`` lists them.
COMMANDS: dict[str, str] = {
    "serve": "serve",
    "query": "query",
    "classify": "classify",
    "validate": "validate",
    "load": "load",
    "import": "import_records",
    "link": "link",
    "export": "export",
    "coverage": "coverage",
}


def plain_text(text: str | None) -> str | None:
    """A docstring as help text: reStructuredText's ``literal`` markup becomes 'literal' (the docstrings stay
    in the project's docstring style, the help reads as plain text)."""
    if text is None:
        return None
    return _LITERAL.sub(lambda m: m.group(1) if m.group(1).startswith(("-", "$", "@")) else f"'{m.group(1)}'", text)


_LITERAL = re.compile(r"``(.+?)``", re.DOTALL)


class _Parser(argparse.ArgumentParser):
    """An argument parser whose usage errors exit 2 with one line, as argparse does, plus a hint."""


def build_parser() -> argparse.ArgumentParser:
    """The parser with every available sub-command registered."""
    parser = _Parser(
        prog="openness",
        description="How open is this AI model, really? Query, classify, validate and serve the AI Openness KG.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name, module_name in COMMANDS.items():
        try:
            module = importlib.import_module(f"kg.commands.{module_name}")
        except ModuleNotFoundError as exc:
            if exc.name == f"kg.commands.{module_name}":
                continue  # command not built yet
            raise
        command = sub.add_parser(name, help=plain_text(module.HELP), description=plain_text(module.__doc__))
        module.configure(command)
        command.set_defaults(_run=module.run)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    configure_cli()  # library log records and warnings as one line each, never a traceback
    if not getattr(args, "_run", None):
        parser.print_help()
        return 2
    try:
        return int(args._run(args) or 0)
    except OpennessError as exc:
        for line in str(exc).splitlines() or [""]:  # one line, or one per mistake (RecordStructureError)
            print(f"openness {args.command}: error: {line}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(f"openness {args.command}: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0


if __name__ == "__main__":
    sys.exit(main())
