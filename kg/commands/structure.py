"""Refuse records with structural mistakes before a command acts on them.

``classify`` and ``export`` of given files would otherwise act on what is left of a record once a misspelt
key or a wrongly typed value is ignored (``availabilty: public`` reads as "availability not stated"), and say
nothing. Values the shapes check (an availability of ``maybe``, a bad date) are not refused here: they reach
the classifier, whose reasons name them, and ``openness validate`` reports them.
"""

from __future__ import annotations

from typing import Any

from kg.errors import RecordStructureError


def where(problem: Any) -> str:
    """``file:line (column c): record``: everything the reader knows about where the mistake is."""
    text = problem.file + (f":{problem.line}" if problem.line else "")
    if problem.column:
        text += f" (column {problem.column})"
    return text if problem.subject is None else f"{text}: {problem.record}"


def refuse_structural_mistakes(records: Any, outcome: str) -> None:
    """Raise ``RecordStructureError`` naming each mistake of ``records`` (a ``RecordSet`` whose plain records
    are not yet mapped to RDF); ``outcome`` says what did not happen ("nothing was classified")."""
    problems = records.check_fields()
    if not problems:
        return
    order = {file: n for n, file in enumerate(records.files)}
    problems = sorted(problems, key=lambda p: order.get(p.file, len(order)))  # stable: each file's own order
    lines = [f"{where(p)}: {p.message}" for p in problems]
    lines.append(f"{len(problems)} structural mistake{'s' if len(problems) != 1 else ''} (a misspelt key or column, "
                 f"or a value of the wrong type, would drop what it says); {outcome}; 'openness validate' reports "
                 "them with the rest")
    raise RecordStructureError(lines)
