"""The sentences of one article long enough to compare with other articles' (pure).

Shared passages (`joins.passages`) are found by comparing these across the dossier; each
article's list is worked out from that article alone, so it is a per-article fact.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from .blocks import Block
from .words import normalise

MIN_WORDS = 6  # shorter sentences ("Gut.", "Hände wurden geschüttelt.") are too common to count


@dataclass(frozen=True)
class ComparableSentence:
    """One sentence of one paragraph of one article."""

    position: int  # index among the article's compared sentences
    block: int
    start: int
    end: int
    text: str
    words: str  # normalised


def comparable_sentences(body_blocks: Sequence[Block]) -> list[ComparableSentence]:
    """The sentences of an article's paragraphs long enough to compare."""
    found: list[ComparableSentence] = []
    for block in body_blocks:
        if block.kind != "paragraph":
            continue
        for start, end in block.sentences:
            text = block.text[start:end]
            words = normalise(text)
            if len(words.split()) >= MIN_WORDS:
                found.append(ComparableSentence(len(found), block.index, start, end, text, words))
    return found
