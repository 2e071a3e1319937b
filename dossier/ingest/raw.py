"""The parsed form of one raw export, before variants are merged."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from .text import words


@dataclass(frozen=True)
class Block:
    """A body block: a paragraph ("p"), subheading ("h"), quotation ("q") or list item ("li"), without Markdown."""

    kind: str
    text: str


@dataclass(frozen=True)
class Link:
    """An inline link: characters [start, end) of one block point to url."""

    block: int
    start: int
    end: int
    url: str


@dataclass(frozen=True)
class Related:
    """One entry of a source's related-article list."""

    kicker: str
    title: str
    teaser: str

    def as_meta(self) -> dict:
        """The entry as a front-matter mapping, without empty values."""
        return {k: v for k, v in (("kicker", self.kicker), ("title", self.title), ("teaser", self.teaser)) if v}


@dataclass
class RawArticle:
    """Everything one raw export says about its article."""

    path: str  # "sources/<name>"
    format: str  # "plain", "taz-text", "taz-table" or "web-page"
    blocks: list[Block]
    links: list[Link] = field(default_factory=list)
    title: str = ""
    kicker: str = ""
    teaser: str = ""
    date: dt.date | None = None
    authors: list[str] = field(default_factory=list)
    publisher: str = ""
    tags: list[str] = field(default_factory=list)
    image_caption: str = ""
    source_url: str = ""
    related: list[Related] = field(default_factory=list)
    sha256: str = ""
    encoding: str = "utf-8"  # what the raw bytes were decoded from
    notes: tuple[str, ...] = ()  # what the import warns about this export (a date that is only the last change)

    def words(self) -> list[str]:
        """The body's words, lowercased, for comparing variants."""
        return words(" ".join(b.text for b in self.blocks))
