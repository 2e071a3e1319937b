"""Comparison pages: versions side by side, their word-level differences marked <del>/<ins>.

Two kinds, one layout (`comparison.html`):

- a page per shared passage (`dossier.passages`, `urls.passage_compared`): its first
  occurrence beside each other one, and their overview (`urls.PASSAGES_COMPARED`);
- per article, its text beside each raw export it was merged from, as the importer parsed
  it (`urls.variants_compared`); the texts are handed in, since reading sources/ is the
  pipeline's business, not the site's.

Words only in the left version are marked <del>, words only in the right one <ins>; every
text is escaped here, so the cells are HTML.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from html import escape
from typing import NamedTuple

from ..content.model import Article, Dossier, RawFile, SharedPassage
from ..text.blocks import blocks
from ..text.wordiff import BREAK, SAME, Piece, changed, compare
from . import urls
from .labels import raw_format, used_for
from .page import Page, Reads, reading

Variants = dict[str, list[tuple[RawFile, tuple[str, ...] | None]]]  # slug -> (raw file, its paragraphs or None)


@dataclass(frozen=True)
class Column:
    """One version: its heading, and the page (and fragment) it stands on, '' for a raw file."""

    heading: str
    path: str = ""
    fragment: str = ""


class Compared(NamedTuple):
    """Two versions compared: rows of (left cell, right cell) HTML, and whether not a word differs."""

    rows: list[tuple[str, str]]
    same: bool


@dataclass(frozen=True)
class Table:
    """Two versions side by side, compared word by word when the layout asks (`compared`): the plan hands
    the texts, so a page's fingerprint reads them and only the pages that are rendered compare them."""

    caption: str
    left: Column
    right: Column
    old: tuple[str, ...]  # the left version's paragraphs
    new: tuple[str, ...]  # the right version's

    def compared(self) -> Compared:
        """The rows of the two versions compared word by word."""
        rows = compare(self.old, self.new)
        return Compared([(cell(r.left), cell(r.right)) for r in rows], changed(rows) == 0)


@dataclass(frozen=True)
class Entry:
    """A line of the passages' overview: the passage's opening words, its page, how it is shared."""

    heading: str
    path: str
    about: str


@dataclass(frozen=True)
class Section:
    """One compared thing: a shared passage, or one raw export of an article."""

    anchor: str
    heading: str
    places: list[Column]  # where the passage stands (links), empty for a raw export
    about: str  # a line under the heading
    tables: list[Table]


def cell(pieces: Sequence[Piece]) -> str:
    """One side of a row as paragraphs, words of its own marked (del or ins), everything escaped."""
    paragraphs: list[list[str]] = [[]]
    for piece in pieces:
        if piece.text == BREAK:
            paragraphs.append([])
        elif piece.kind == SAME:
            paragraphs[-1].append(escape(piece.text))
        else:
            paragraphs[-1].append(f"<{piece.kind}>{escape(piece.text)}</{piece.kind}>")
    return "".join("<p>" + " ".join(words) + "</p>" for words in paragraphs if words)


def opening(text: str, words: int = 8) -> str:
    """The first words of a passage, '…' when there are more."""
    parts = text.split()
    return " ".join(parts[:words]) + (" …" if len(parts) > words else "")


def table(caption: str, left: Column, right: Column, old: Sequence[str], new: Sequence[str]) -> Table:
    """The two versions, to be compared word by word when their page is rendered."""
    return Table(caption, left, right, tuple(old), tuple(new))


def passage_paths(passages: Sequence[SharedPassage]) -> list[str]:
    """The comparison page of each passage, in order: named after its first occurrence ("<article>-geteilt-2"),
    with "-2", "-3"… for a later passage that starts at the same place."""
    paths, taken = [], set()
    for passage in passages:
        first = passage.occurrences[0]
        name = stem = f"{first.article}-{first.anchor}"
        count = 1
        while name in taken:
            count += 1
            name = f"{stem}-{count}"
        taken.add(name)
        paths.append(urls.passage_compared(name))
    return paths


def passage_title(passage: SharedPassage) -> str:
    """The title of a passage's comparison page."""
    return f"Geteilte Passage: {opening(passage.occurrences[0].text)}"


def passage_pages(dossier: Dossier, only: frozenset[str] | None = None) -> list[Page]:
    """A page per shared passage, its first occurrence beside each other one, and their overview (none when no
    passage is shared); `only`: the paths of the passages' pages to plan (all: None), besides the overview."""
    if not dossier.passages:
        return []
    by_slug = {a.slug: a for a in dossier.articles}
    pages, entries = [], []
    for passage, path in zip(dossier.passages, passage_paths(dossier.passages), strict=True):
        first = passage.occurrences[0]
        entries.append(Entry(opening(first.text), path, f"{passage.how}, {len(passage.occurrences)} Artikel"))
        if only is not None and path not in only:
            continue
        places = [
            Column(by_slug[o.article].title, urls.entry("article", o.article), o.anchor) for o in passage.occurrences
        ]
        tables = [
            table("Wortlaut nebeneinander", places[0], place, [first.text], [o.text])
            for o, place in zip(passage.occurrences[1:], places[1:], strict=True)
        ]
        about = f"Steht {passage.how} in {len(places)} Artikeln:"
        section = Section("passage", "Wo die Passage steht", places, about, tables)
        context = {
            "intro": "Eine Passage, die in mehreren Quellen steht, Wort für Wort nebeneinander.",
            "left_is": "in der ersten Quelle",
            "right_is": "in der anderen Quelle",
            "sections": [section],
            "back": Column("Alle geteilten Passagen", urls.PASSAGES_COMPARED),
            "entries": [],
        }
        reads = Reads(reading([by_slug[o.article] for o in passage.occurrences]), (passage,))
        pages.append(Page(path, "comparison.html", passage_title(passage), context, reads=reads))
    overview = {
        "intro": "Passagen, die in mehreren Quellen stehen; jede führt zu ihren Fassungen nebeneinander.",
        "sections": [],
        "back": None,
        "entries": entries,
    }
    return [Page(urls.PASSAGES_COMPARED, "comparison.html", "Geteilte Passagen im Vergleich", overview), *pages]


def variants_page(article: Article, variants: list[tuple[RawFile, tuple[str, ...] | None]]) -> Page:
    """The article's text beside the text of each raw export it was merged from."""
    own = [b.text for b in blocks(article.body)]
    here = Column("Text im Dossier", urls.entry("article", article.slug))
    sections = []
    for number, (raw, paragraphs) in enumerate(variants, 1):
        name = raw.file.rpartition("/")[2]  # the file's name, as a reader may ask for it
        what = f"Format: {raw_format(raw.format)}"
        if raw.used_for:
            what += "; daraus übernommen: " + ", ".join(used_for(raw.used_for))
        tables = []
        if paragraphs is None:
            what += ". Die Datei liegt nicht (mehr) lesbar bei den Rohdateien und kann nicht verglichen werden."
        else:
            theirs = Column(f"Rohdatei {name}")
            tables.append(table(f"Text im Dossier und in der Rohdatei {name}", here, theirs, own, paragraphs))
        sections.append(Section(f"rohdatei-{number}", name, [], what, tables))
    context = {
        "intro": "Der Text des Artikels neben dem Text jeder Rohdatei, wie der Import sie gelesen hat.",
        "left_is": "im Dossier",
        "right_is": "in der Rohdatei",
        "sections": sections,
        "back": Column(f"Zurück zum Artikel „{article.title}“", urls.entry("article", article.slug)),
        "entries": [],
    }
    title = f"Rohdateien im Vergleich: {article.title}"
    return Page(urls.variants_compared(article.slug), "comparison.html", title, context)


def paths(dossier: Dossier, variants: Variants) -> list[str]:
    """The output paths of the pages `plan` plans, without planning them."""
    shared = [urls.PASSAGES_COMPARED, *passage_paths(dossier.passages)] if dossier.passages else []
    return shared + [urls.variants_compared(a.slug) for a in dossier.articles if variants.get(a.slug)]


def plan(dossier: Dossier, variants: Variants, only: frozenset[str] | None = None) -> list[Page]:
    """The comparison pages of the dossier: shared passages (if any; `only`: the paths of those to plan, all: None),
    and one per article with raw exports."""
    pages = passage_pages(dossier, only)
    pages += [variants_page(a, variants[a.slug]) for a in dossier.articles if variants.get(a.slug)]
    return pages
