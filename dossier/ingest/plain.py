"""Plain-text exports: paragraphs separated by blank lines, or one paragraph per line; a headline may open them."""

from __future__ import annotations

import re

from .raw import Block, RawArticle
from .text import is_headline, is_subheading, join_lines, publisher_from_dateline, split_kicker

FORMAT = "plain"


def detect(text: str) -> bool:
    """Whether the text is plain prose (no taz export markup)."""
    lines = [line for line in text.split("\n") if line.strip()]
    if not lines or re.match(r"\s*<[?!a-zA-Z]", text):  # markup (XML, a fragment of HTML) is no plain text
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


def _headline(groups: list[list[str]]) -> tuple[str, str, list[list[str]]]:
    """(kicker, title, the other groups) when the text opens with a headline and a blank line, else no title.

    The headline is one line ('Kicker: Title' is split) or two (kicker, then title), and a
    paragraph must follow it somewhere: a text of headings alone has no headline."""
    lines = [line.strip() for line in groups[0]] if groups else []
    rest = groups[1:]
    if not rest or not 1 <= len(lines) <= 2 or not all(is_headline(line) for line in lines):
        return "", "", groups
    if all(is_subheading(join_lines(group)) for group in rest):
        return "", "", groups
    if len(lines) == 2:
        return lines[0].rstrip(":"), lines[1], rest
    kicker, title = split_kicker(lines[0])
    return kicker, title, rest


def parse(text: str, path: str) -> RawArticle:
    """Parse a plain-text export into a RawArticle (body; kicker, title and teaser when given)."""
    groups = _paragraph_groups(text)
    kicker = title = teaser = ""
    if len(groups) == 1 and len(groups[0]) >= 3:
        lines = [line.strip() for line in groups[0]]
        if is_subheading(lines[0]):
            (kicker, title), teaser, lines = split_kicker(lines[0]), lines[1], lines[2:]
        blocks = [_block(line) for line in lines]
    else:
        kicker, title, groups = _headline(groups)
        blocks = [_block(join_lines(group)) for group in groups]
    first = next((b.text for b in blocks if b.kind == "p"), "")
    return RawArticle(
        path=path,
        format=FORMAT,
        blocks=blocks,
        title=title,
        kicker=kicker,
        teaser=teaser,
        publisher=publisher_from_dateline(first),
    )
