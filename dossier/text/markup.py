"""The dossier's Markdown grammar, shared by the analysis of a body and its rendering.

CommonMark without raw HTML (everything an editor writes is escaped), with tables. The
site's renderer (`site.markdown`) adds heading anchors and the link rule on top of the
same grammar, so a body's paragraphs and headings are numbered alike in both.

markdown-it silently drops everything below its nesting limit (quotation blocks and lists
inside each other), so the grammar refuses such text instead (`NestedTooDeep`), with its line.
"""

from __future__ import annotations

from markdown_it import MarkdownIt
from markdown_it.rules_block import StateBlock
from markdown_it.token import Token

DEPTH = 40  # open containers (a quotation block one, a list level two: the list and its item)


class NestedTooDeep(ValueError):
    """Markdown nested deeper than `DEPTH`; `line` is 0-based in the parsed text."""

    def __init__(self, line: int):
        super().__init__(line)
        self.line = line

    message = (
        f"quotation blocks ('>') and lists are nested too deeply here (at most {DEPTH} levels, "
        "a list level counting as two): markdown would drop the rest of the text; nest them less deeply"
    )


def _nesting_guard(state: StateBlock, start_line: int, end_line: int, silent: bool) -> bool:
    """Refuse a block deeper than `DEPTH` (markdown-it would skip it and everything after it)."""
    if state.level > DEPTH:
        raise NestedTooDeep(start_line)
    return False


def grammar() -> MarkdownIt:
    """A fresh MarkdownIt with the dossier's grammar and no rendering rules of its own."""
    md = MarkdownIt("commonmark", {"html": False})
    md.enable("table")
    # a list opens two levels before its items are parsed: the guard must see them before markdown-it skips
    md.options["maxNesting"] = DEPTH + 3
    md.block.ruler.before(md.block.ruler.get_all_rules()[0], "nesting_guard", _nesting_guard)
    return md


_PARSER = grammar()  # a MarkdownIt instance keeps no state between parses


def parse(body: str) -> list[Token]:
    """The block and inline tokens of a Markdown body; NestedTooDeep for one nested beyond `DEPTH`."""
    return _PARSER.parse(body)
