"""Words of a text, for counting and for comparing wordings across sources (pure)."""

from __future__ import annotations

import re

_WORD = re.compile(r"\w+(?:[-'’]\w+)*")
_PLAIN_WORD = re.compile(r"\w+")


def word_count(text: str) -> int:
    """Number of words, punctuation ignored."""
    return len(_WORD.findall(text))


def normalise(text: str) -> str:
    """Lowercase words only: for comparing quotations and sentences across sources."""
    return " ".join(_PLAIN_WORD.findall(text.casefold()))
