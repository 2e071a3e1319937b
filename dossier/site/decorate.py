"""Findings applied back onto rendered Markdown: ranges of a block's plain text wrapped in HTML.

Mentions, quotations, shared passages and annotations are ranges of a block's plain text
(`text.blocks`). While a body renders, `decorate_rule` wraps each range in its HTML on the
markdown-it tokens, splitting text tokens as needed, so ranges from different features
nest correctly and never break markup.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from markdown_it.rules_core import StateCore
from markdown_it.token import Token

from ..text.blocks import BREAK_TYPES, TEXT_TYPES, Block, iter_blocks


@dataclass(frozen=True)
class Decoration:
    """HTML to wrap around the plain-text range [start, end) of one block."""

    start: int
    end: int
    open: str  # e.g. '<a class="mention" href="…">'
    close: str  # e.g. '</a>'
    is_link: bool = False  # links are never nested inside another link
    priority: int = 0  # higher wraps outside lower when two ranges start together


Decorator = Callable[[Block], Sequence[Decoration]]
AfterBlock = Callable[[Block], str]  # HTML inserted right after the block ("" for none)


def _inline_pieces(inline: Token) -> list[tuple[int, Token | None]]:
    """(offset, token) for every child that contributes text; None for breaks."""
    pieces, offset = [], 0
    for child in inline.children or ():
        if child.type in TEXT_TYPES:
            pieces.append((offset, child))
            offset += len(child.content)
        elif child.type in BREAK_TYPES:
            offset += 1
    return pieces


def _html(content: str) -> Token:
    """An html_inline token with fixed content."""
    token = Token("html_inline", "", 0)
    token.content = content
    return token


def _apply(inline: Token, decorations: list[Decoration]) -> None:
    """Split text children at range boundaries and wrap each piece in its decorations."""
    if not decorations:
        return
    children, out, in_link = inline.children or [], [], 0
    pieces = dict((id(tok), off) for off, tok in _inline_pieces(inline) if tok is not None)
    for child in children:
        if child.type == "link_open":
            in_link += 1
        elif child.type == "link_close":
            in_link -= 1
        if child.type != "text" or id(child) not in pieces:
            out.append(child)
            continue
        start = pieces[id(child)]
        end = start + len(child.content)
        active = [d for d in decorations if d.start < end and d.end > start and not (d.is_link and in_link)]
        if not active:
            out.append(child)
            continue
        cuts = sorted({start, end, *(max(start, d.start) for d in active), *(min(end, d.end) for d in active)})
        stack: list[Decoration] = []
        for a, b in itertools.pairwise(cuts):
            covering = sorted(
                (d for d in active if d.start <= a and d.end >= b),
                key=lambda d: (-d.priority, d.start, -d.end),
            )
            keep = 0
            while keep < min(len(stack), len(covering)) and stack[keep] is covering[keep]:
                keep += 1
            out.extend(_html(d.close) for d in reversed(stack[keep:]))
            out.extend(_html(d.open) for d in covering[keep:])
            stack = covering
            piece = Token("text", "", 0)
            piece.content = child.content[a - start : b - start]
            out.append(piece)
        out.extend(_html(d.close) for d in reversed(stack))
    inline.children = out


def decorate_rule(
    state: StateCore, decorators: Sequence[Decorator], after: Sequence[AfterBlock], *, ids: bool = True
) -> None:
    """Give every block an id (unless `ids` is false), apply all decorations, insert after-block HTML."""
    tokens = state.tokens
    inserts: list[tuple[int, str]] = []
    for block, open_index, inline in list(iter_blocks(tokens)):
        if ids and block.kind == "paragraph":
            tokens[open_index].attrSet("id", block.anchor)
        decorations = [d for decorate in decorators for d in decorate(block) if d.end > d.start]
        _apply(inline, decorations)
        extra = "".join(html for make in after if (html := make(block)))
        if extra:
            inserts.append((open_index + 3, extra))  # after the block's closing token
    for position, html in reversed(inserts):
        token = Token("html_block", "", 0)
        token.content = html + "\n"
        tokens.insert(position, token)
