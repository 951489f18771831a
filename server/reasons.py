"""The reasoner's explanations (``aio:explanation``) of a model, grouped for the pages.

The reasoner writes one sentence per decision, starting with what it decided ("open-weight: ...",
"MOF Class II Open Tooling: ...", "no MOF class: ...", "dimensions: ...", "conflict on ..."); the sources it
relied on are in square brackets. Pages show each sentence under its decision with those sources as links.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from kg.vocab import AIO
from server.catalogue import CATEGORY_ORDER

_SOURCE = re.compile(r"\[(https?://[^\]\s]+)\]")
EXPLANATION = str(AIO.explanation)


@dataclass
class Reason:
    """One explanation: its topic and its text as (text, link or None) pieces."""

    topic: str
    pieces: list[tuple[str, str | None]]

    @property
    def text(self) -> str:
        return "".join(text for text, _ in self.pieces)


def topic_of(sentence: str) -> str:
    """category, mof, dimensions, conflict or other."""
    head = sentence.split(":", 1)[0]
    if head in CATEGORY_ORDER:
        return "category"
    if head.startswith(("MOF ", "no MOF")):
        return "mof"
    if head.startswith("dimensions"):
        return "dimensions"
    if head.startswith("conflict"):
        return "conflict"
    return "other"


def pieces_of(sentence: str) -> list[tuple[str, str | None]]:
    """The sentence with each bracketed source URL as a link piece."""
    out: list[tuple[str, str | None]] = []
    last = 0
    for found in _SOURCE.finditer(sentence):
        out.append((sentence[last:found.start()], None))
        out.append((found.group(1), found.group(1)))
        last = found.end()
    out.append((sentence[last:], None))
    return [(text, link) for text, link in out if text]


def grouped(sentences: list[str]) -> dict[str, list[Reason]]:
    """Explanations by topic, each in a stable order."""
    groups: dict[str, list[Reason]] = {}
    for sentence in sorted(sentences):
        topic = topic_of(sentence)
        groups.setdefault(topic, []).append(Reason(topic, pieces_of(sentence)))
    return groups
