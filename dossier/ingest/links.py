"""Carry link markers from a taz variant onto the cleaner body of another variant."""

from __future__ import annotations

import re
from difflib import SequenceMatcher

from .raw import Block, Link


def _flat(blocks: list[Block]) -> tuple[str, list[tuple[int, int]]]:
    """Non-space characters of all blocks, and where each one sits (block, offset)."""
    chars, where = [], []
    for bi, block in enumerate(blocks):
        for ci, char in enumerate(block.text):
            if not char.isspace():
                chars.append(char)
                where.append((bi, ci))
    return "".join(chars), where


def _index_map(a: str, b: str) -> dict[int, int]:
    """Positions of a's characters in b, for the stretches the two texts share."""
    if a == b:
        return {i: i for i in range(len(a))}
    mapping = {}
    for block in SequenceMatcher(None, a, b, autojunk=False).get_matching_blocks():
        for k in range(block.size):
            mapping[block.a + k] = block.b + k
    return mapping


def _span_ends(link: Link, position: dict[tuple[int, int], int], text: str) -> tuple[int, int] | None:
    """Flat indexes of a link's first and last non-space characters."""
    inside = [i for i in range(link.start, link.end) if not text[i].isspace()]
    if not inside:
        return None
    return position[(link.block, inside[0])], position[(link.block, inside[-1])]


def transfer(src: list[Block], links: list[Link], dst: list[Block]) -> list[Link]:
    """The links of src placed on the same words of dst; links that do not fit are dropped."""
    a, a_where = _flat(src)
    b, b_where = _flat(dst)
    position = {where: i for i, where in enumerate(a_where)}
    mapping = _index_map(a, b)
    placed = []
    for link in links:
        ends = _span_ends(link, position, src[link.block].text)
        if ends is None or ends[0] not in mapping or ends[1] not in mapping:
            continue
        (b1, c1), (b2, c2) = b_where[mapping[ends[0]]], b_where[mapping[ends[1]]]
        if b1 == b2 and c2 >= c1:
            placed.append(Link(b1, c1, c2 + 1, link.url))
    return placed


def merge_links(*sets: list[Link]) -> list[Link]:
    """Links of several variants, the first variant winning where spans overlap."""
    kept: list[Link] = []
    for links in sets:
        for link in links:
            if not any(k.block == link.block and k.start < link.end and link.start < k.end for k in kept):
                kept.append(link)
    return sorted(kept, key=lambda k: (k.block, k.start))


MARKS = {"h": "## ", "q": "> ", "li": "- "}  # Markdown in front of a block of that kind; paragraphs have none
_SPECIAL = re.compile(r"([\\`*_\[\]<]|&(?=#?\w+;))")  # inline Markdown: emphasis, code, links, autolinks, entities
_BLOCK_START = re.compile(r"^(?:>|(?:#{1,6}|[-+*]|=+)(?=\s|$)|(\d{1,9})([.)])(?=\s|$))")


def escape(text: str) -> str:
    """Text as Markdown that shows it literally ('Bürger*innen' stays unstressed, '[1]' is no link)."""
    return _SPECIAL.sub(r"\\\1", text)


def _line_start(line: str) -> str:
    """A block's line, escaped where its start would read as a heading, quotation or list marker."""
    match = _BLOCK_START.match(line)
    if not match:
        return line
    if match.group(1):  # '2024. ' would start a numbered list
        return f"{match.group(1)}\\{match.group(2)}{line[match.end() :]}"
    return "\\" + line


def render(blocks: list[Block], links: list[Link]) -> str:
    """Markdown body: `## ` subheadings, paragraphs, `> ` quotations, `- ` list items, inline links `[text](url)`."""
    parts = []
    for bi, block in enumerate(blocks):
        text, pos, out = block.text, 0, []
        for link in (k for k in links if k.block == bi):
            out.append(escape(text[pos : link.start]))
            out.append(f"[{escape(text[link.start : link.end])}]({link.url.replace(' ', '%20')})")
            pos = link.end
        out.append(escape(text[pos:]))
        parts.append(MARKS.get(block.kind, "") + _line_start("".join(out)))
    return "\n\n".join(parts) + "\n"
