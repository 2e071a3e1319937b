"""The dossier's Markdown grammar, shared by the analysis of a body and its rendering.

CommonMark without raw HTML (everything an editor writes is escaped), with tables. The
site's renderer (`site.markdown`) adds heading anchors and the link rule on top of the
same grammar, so a body's paragraphs and headings are numbered alike in both.
"""

from __future__ import annotations

from markdown_it import MarkdownIt
from markdown_it.token import Token


def grammar() -> MarkdownIt:
    """A fresh MarkdownIt with the dossier's grammar and no rendering rules of its own."""
    md = MarkdownIt("commonmark", {"html": False})
    md.enable("table")
    return md


_PARSER = grammar()  # a MarkdownIt instance keeps no state between parses


def parse(body: str) -> list[Token]:
    """The block and inline tokens of a Markdown body."""
    return _PARSER.parse(body)
