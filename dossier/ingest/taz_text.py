"""The taz text-mode export: indented lines, DIR/IMG tags, blank lines between blocks."""

from __future__ import annotations

import re

from .raw import RawArticle
from .taz_common import Line, parse_lines, related_by_tag

FORMAT = "taz-text"
_TAG = re.compile(r"^(DIR|IMG) ")


def detect(text: str) -> bool:
    """Whether the text is a taz text-mode export."""
    return bool(re.search(r"^ +# taz\.de -- ", text, re.M)) and not text.lstrip().startswith("|")


def _line(raw: str) -> Line:
    """A logical line: indentation dropped, DIR/IMG tag split off."""
    text = raw.strip()
    match = _TAG.match(text)
    if match:
        return Line(text[match.end() :].strip(), match.group(1))
    return Line(text)


def _paragraphs(lines: list[Line]) -> list[list[str]]:
    """Body lines grouped into blocks at blank lines."""
    groups: list[list[str]] = [[]]
    for line in lines:
        if line.text:
            groups[-1].append(line.text)
        elif groups[-1]:
            groups.append([])
    return [g for g in groups if g]


def parse(text: str, path: str) -> RawArticle:
    """Parse a taz text-mode export into a RawArticle."""
    return parse_lines([_line(raw) for raw in text.split("\n")], path, FORMAT, _paragraphs, related_by_tag)
