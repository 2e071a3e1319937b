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


Words = tuple[str, list[str]]  # a piece while it is built: its kind and its words (joined once, at the end)


def _add(side: list[Words], kind: str, word: str) -> None:
    """Append one word to a side, joining it to the piece before when the kind is the same (a list of words,
    not a string grown word by word: that copies the text so far for every word, quadratic in a long run)."""
    if word == BREAK:
        side.append((SAME, [BREAK]))
    elif side and side[-1][0] == kind and side[-1][1][0] != BREAK:
        side[-1][1].append(word)
    else:
        side.append((kind, [word]))


def _pieces(side: list[Words]) -> list[Piece]:
    """The pieces of a side, each piece's words joined."""
    return [Piece(kind, " ".join(words)) for kind, words in side]


def _opcodes(a: list[str], b: list[str]) -> list[tuple[str, int, int, int, int]]:
    """SequenceMatcher's opcodes, the words both versions begin and end with taken as equal first: a raw export
    and its article mostly are, and SequenceMatcher is quadratic in the words of a long, repetitive text."""
    start, most = 0, min(len(a), len(b))
    while start < most and a[start] == b[start]:
        start += 1
    end = 0
    while end < most - start and a[len(a) - 1 - end] == b[len(b) - 1 - end]:
        end += 1
    middle = SequenceMatcher(None, a[start : len(a) - end], b[start : len(b) - end], autojunk=False).get_opcodes()
    ops = [("equal", 0, start, 0, start)] if start else []
    ops += [(op, i1 + start, i2 + start, j1 + start, j2 + start) for op, i1, i2, j1, j2 in middle if i2 > i1 or j2 > j1]
    return ops + ([("equal", len(a) - end, len(a), len(b) - end, len(b))] if end else [])


def compare(left: Sequence[str], right: Sequence[str]) -> list[Row]:
    """Rows of corresponding paragraphs, the words only left marked `DELETED`, only right `INSERTED`."""
    a, b = _tokens(left), _tokens(right)
    rows: list[tuple[list[Words], list[Words]]] = [([], [])]
    for op, i1, i2, j1, j2 in _opcodes(a, b):
        if op == "equal":
            for word in a[i1:i2]:
                if word == BREAK:
                    rows.append(([], []))
                else:
                    _add(rows[-1][0], SAME, word)
                    _add(rows[-1][1], SAME, word)
            continue
        for word in a[i1:i2]:
            _add(rows[-1][0], DELETED, word)
        for word in b[j1:j2]:
            _add(rows[-1][1], INSERTED, word)
    return [Row(_pieces(old), _pieces(new)) for old, new in rows if old or new]


def changed(rows: Sequence[Row]) -> int:
    """How many pieces differ (0: the versions have the same words)."""
    return sum(p.kind != SAME for row in rows for p in (*row.left, *row.right))
