"""Plain-text exports: paragraphs separated by blank lines, or one paragraph per line."""

from __future__ import annotations

import re

from .raw import Block, RawArticle
from .text import is_subheading, join_lines, publisher_from_dateline

FORMAT = "plain"


def detect(text: str) -> bool:
    """Whether the text is plain prose (no taz export markup)."""
    lines = [line for line in text.split("\n") if line.strip()]
    if not lines:
        return False
    table = sum(line.lstrip().startswith("|") for line in lines)
    taz = re.search(r"^\s*(# taz\.de -- |URI:|DIR \[\d+\])", text, re.M)
    return table * 2 < len(lines) and not taz


def _paragraph_groups(text: str) -> list[list[str]]:
    """Lines grouped into blocks separated by blank lines."""
    groups, current = [], []
    for line in text.split("\n"):
        if line.strip():
            current.append(line)
        elif current:
            groups.append(current)
            current = []
    if current:
        groups.append(current)
    return groups


def _block(text: str) -> Block:
    """A paragraph or, for a short line without final punctuation, a subheading."""
    return Block("h", text) if is_subheading(text) else Block("p", text)


def parse(text: str, path: str) -> RawArticle:
    """Parse a plain-text export into a RawArticle (body; title and teaser when given)."""
    groups = _paragraph_groups(text)
    title = teaser = ""
    if len(groups) == 1 and len(groups[0]) >= 3:
        lines = [line.strip() for line in groups[0]]
        if is_subheading(lines[0]):
            title, teaser, lines = lines[0], lines[1], lines[2:]
        blocks = [_block(line) for line in lines]
    else:
        blocks = [_block(join_lines(group)) for group in groups]
    first = next((b.text for b in blocks if b.kind == "p"), "")
    return RawArticle(
        path=path, format=FORMAT, blocks=blocks, title=title, teaser=teaser, publisher=publisher_from_dateline(first)
    )
