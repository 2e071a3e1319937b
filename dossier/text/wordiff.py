"""Two versions of a text compared word by word, paragraphs kept side by side (pure).

The versions are lists of paragraphs. Their words (split at white space, punctuation kept
with its word, so "Rutte." and "Rutte" differ) are compared with difflib's
SequenceMatcher, a paragraph break being a word of its own. Wherever both versions break
a paragraph at the same place a new row begins, so paragraphs that correspond stand next
to each other; a break only one version has stays inside its row.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from difflib import SequenceMatcher

BREAK = "\n"  # the word a paragraph break is
SAME, DELETED, INSERTED = "same", "del", "ins"  # kinds of a piece: in both, only left, only right


@dataclass(frozen=True)
class Piece:
    """Consecutive words of one side of the same kind; `BREAK` alone is a paragraph break."""

    kind: str
    text: str


@dataclass
class Row:
    """Corresponding paragraphs of the two versions."""

    left: list[Piece] = field(default_factory=list)
    right: list[Piece] = field(default_factory=list)


def _tokens(paragraphs: Sequence[str]) -> list[str]:
    """The words of the paragraphs with a `BREAK` between two paragraphs."""
    out: list[str] = []
    for paragraph in paragraphs:
        words = paragraph.split()
        if not words:
            continue
        if out:
            out.append(BREAK)
        out.extend(words)
    return out


def _add(side: list[Piece], kind: str, word: str) -> None:
    """Append one word to a side, joining it to the piece before when the kind is the same."""
    if word == BREAK:
        side.append(Piece(SAME, BREAK))
    elif side and side[-1].kind == kind and side[-1].text != BREAK:
        side[-1] = Piece(kind, side[-1].text + " " + word)
    else:
        side.append(Piece(kind, word))


def compare(left: Sequence[str], right: Sequence[str]) -> list[Row]:
    """Rows of corresponding paragraphs, the words only left marked `DELETED`, only right `INSERTED`."""
    a, b = _tokens(left), _tokens(right)
    rows = [Row()]
    for op, i1, i2, j1, j2 in SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            for word in a[i1:i2]:
                if word == BREAK:
                    rows.append(Row())
                else:
                    _add(rows[-1].left, SAME, word)
                    _add(rows[-1].right, SAME, word)
            continue
        for word in a[i1:i2]:
            _add(rows[-1].left, DELETED, word)
        for word in b[j1:j2]:
            _add(rows[-1].right, INSERTED, word)
    return [row for row in rows if row.left or row.right]


def changed(rows: Sequence[Row]) -> int:
    """How many pieces differ (0: the versions have the same words)."""
    return sum(p.kind != SAME for row in rows for p in (*row.left, *row.right))
