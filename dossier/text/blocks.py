"""Article bodies as numbered text blocks: the plain text every finding is a range of.

Mentions, quotes, shared passages and annotations all work on the same plain text of
each paragraph or heading (what a reader sees, links and markup removed), numbered as
the rendered page numbers them (`p1`, `p2`…). `blocks(body)` parses a body once and
splits each block into sentences once, for every analysis of it; the site applies the
findings back onto the rendered tokens (`site.decorate`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from markdown_it.token import Token

from .markup import parse
from .sentences import split_sentences

TEXT_TYPES = ("text", "code_inline")
BREAK_TYPES = ("softbreak", "hardbreak")


@dataclass(frozen=True)
class Block:
    """One paragraph or heading of a body: its number, kind, plain text and body line."""

    index: int  # 1-based among paragraphs and headings of the body
    kind: str  # "paragraph" or "heading"
    text: str
    line: int  # 1-based line within the body
    links: tuple[tuple[int, int, str], ...] = field(default=(), compare=False)  # (start, end, href) of its links
    sentences: tuple[tuple[int, int], ...] = field(default=(), compare=False)  # sentence spans (`blocks` only)

    @property
    def anchor(self) -> str:
        """Fragment id of the block in the rendered page."""
        return f"p{self.index}"


def _block_text(inline: Token) -> tuple[str, tuple[tuple[int, int, str], ...]]:
    """Plain text of an inline token (text, inline code, breaks as spaces) and its links' ranges."""
    parts, links, stack, offset = [], [], [], 0
    for child in inline.children or ():
        if child.type in TEXT_TYPES:
            parts.append(child.content)
            offset += len(child.content)
        elif child.type in BREAK_TYPES:
            parts.append(" ")
            offset += 1
        elif child.type == "link_open":
            stack.append((offset, str(child.attrGet("href") or "")))
        elif child.type == "link_close" and stack:
            start, href = stack.pop()
            links.append((start, offset, href))
    return "".join(parts), tuple(sorted(links))


def iter_blocks(tokens: list[Token]):
    """(Block, open token index, inline token) for each paragraph and heading."""
    number = 0
    for i, token in enumerate(tokens):
        if token.type in ("paragraph_open", "heading_open") and i + 1 < len(tokens) and tokens[i + 1].type == "inline":
            number += 1
            kind = "heading" if token.type == "heading_open" else "paragraph"
            line = token.map[0] + 1 if token.map else 0
            text, links = _block_text(tokens[i + 1])
            yield Block(number, kind, text, line, links), i, tokens[i + 1]


def blocks(body: str) -> list[Block]:
    """The plain-text blocks of a Markdown body, as rendering will number them, each with its sentences."""
    return [
        Block(b.index, b.kind, b.text, b.line, b.links, tuple(split_sentences(b.text)))
        for b, _, _ in iter_blocks(parse(body))
    ]
