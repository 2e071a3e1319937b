"""The taz export laid out as a two-column table: `| cell | |`, cut cells, no blank lines."""

from __future__ import annotations

import re

from .raw import RawArticle
from .taz_common import Line, parse_lines, related_by_layout
from .text import ends_sentence

FORMAT = "taz-table"
_ROW = re.compile(r"^\|\s?(.*?)\s*\|(?:\s*\|)?\s*$")


def detect(text: str) -> bool:
    """Whether most lines are two-column table rows of a taz export."""
    lines = [line for line in text.split("\n") if line.strip()]
    rows = sum(bool(_ROW.match(line)) for line in lines)
    return bool(lines) and rows * 2 > len(lines) and "# taz.de -- " in text


def _cell(raw: str) -> Line:
    """The first cell of a table row, without IMG prefix; the raw line when it is no row."""
    match = _ROW.match(raw)
    text = (match.group(1) if match else raw).strip()
    return Line(text[4:] if text.startswith("IMG ") else text)


def _wrap_width(lines: list[Line]) -> int:
    """The column width the export wrapped the body at."""
    return max((len(line.text) for line in lines), default=0)


def _paragraphs(lines: list[Line]) -> list[list[str]]:
    """Body lines grouped into blocks; a sentence end that did not fill the column ends a paragraph."""
    width = _wrap_width(lines)
    groups: list[list[str]] = [[]]
    texts = [line.text for line in lines if line.text]
    for i, text in enumerate(texts):
        if text.startswith("## "):
            groups.extend([[text], []])
            continue
        groups[-1].append(text)
        following = texts[i + 1].split()[0] if i + 1 < len(texts) else ""
        if ends_sentence(text) and len(text) + 1 + len(following) <= width:
            groups.append([])
    return [g for g in groups if g]


def parse(text: str, path: str) -> RawArticle:
    """Parse a taz table export into a RawArticle."""
    return parse_lines([_cell(raw) for raw in text.split("\n")], path, FORMAT, _paragraphs, related_by_layout)
