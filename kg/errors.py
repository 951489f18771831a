"""The errors the package raises for problems a user can fix (as opposed to bugs).

Each carries what a person needs to fix it: the file, where known the line (or CSV row and column),
and what was expected. The CLI prints them as one line and exits 2; the server answers 4xx.
"""

from __future__ import annotations


class OpennessError(Exception):
    """Base class of the user-facing errors of the package."""


class UnreadableInputError(OpennessError):
    """An input file cannot be read or parsed at all (exit code 2)."""

    def __init__(self, file: str, message: str, line: int | None = None, column: str | None = None):
        self.file = file
        self.line = line
        self.column = column
        self.message = message
        where = file if line is None else f"{file}:{line}"
        if column:
            where += f" (column {column})"
        super().__init__(f"{where}: {message}")


class QueryError(OpennessError):
    """A SPARQL query or update is malformed or not allowed."""


class ConfigurationError(OpennessError):
    """A setting (store location, token, endpoint) is unusable."""


class JavaMissingError(OpennessError):
    """The HermiT reference reasoner needs a Java runtime, and none was found."""


class RecordStructureError(OpennessError):
    """Records whose structure is wrong (a key no field has, a value of the wrong type): acting on them would
    silently drop what the mistaken part says (exit code 2). The message is one line per mistake."""

    def __init__(self, lines: list[str]):
        self.lines = lines
        super().__init__("\n".join(lines))
