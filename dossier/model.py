"""The dossier as typed data: no I/O, no rendering."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Source:
    """Where a content entry came from: its file and the line its body starts on."""

    path: str  # relative to the project root, e.g. content/articles/x.md
    body_line: int
    key_lines: dict[str, int] = field(default_factory=dict, compare=False, hash=False)
    item_lines: dict[str, list[int]] = field(default_factory=dict, compare=False, hash=False)

    def line_of(self, key: str) -> int:
        """Line of a front-matter key, 1 when absent."""
        return self.key_lines.get(key, 1)

    def line_of_item(self, key: str, index: int) -> int:
        """Line of the index-th item of a front-matter list, else the key's line."""
        lines = self.item_lines.get(key, [])
        return lines[index] if index < len(lines) else self.line_of(key)


@dataclass(frozen=True)
class RawFile:
    """One raw export an article was imported from."""

    file: str
    format: str
    sha256: str
    used_for: tuple[str, ...] = ()


@dataclass(frozen=True)
class RelatedEntry:
    """An entry of the source's related-article list."""

    kicker: str
    title: str
    teaser: str = ""

    @property
    def heading(self) -> str:
        """'Kicker: Title' as the source prints it."""
        return f"{self.kicker}: {self.title}" if self.kicker else self.title


@dataclass
class Article:
    """One article of the dossier, as read from its content file."""

    slug: str
    title: str
    date: dt.date
    # Markdown; layouts never show it raw (the page's body HTML comes from pages.ArticleBody, which
    # carries the text itself), so it is left out of page fingerprints: lists stay put when a body changes
    body: str = field(metadata={"fingerprint": False})
    source: Source
    kicker: str = ""
    teaser: str = ""
    authors: tuple[str, ...] = ()
    publisher: str = ""
    tags: tuple[str, ...] = ()
    draft: bool = False
    image_caption: str = ""
    source_url: str = ""
    date_note: str = ""
    related: tuple[RelatedEntry, ...] = ()
    provenance: tuple[RawFile, ...] = ()
    speakers: tuple[dict, ...] = ()  # editor's quote attributions: {quote, speaker[, statement]}

    @property
    def heading(self) -> str:
        """'Kicker: Title', the form other articles' related lists use."""
        return f"{self.kicker}: {self.title}" if self.kicker else self.title


@dataclass
class Home:
    """The start page's editorial content: title, introduction, key facts."""

    title: str
    intro: str
    source: Source
    subtitle: str = ""
    description: str = ""
    event_start: dt.date | None = None
    event_end: dt.date | None = None
    place: str = ""
    key_facts: tuple[str, ...] = ()
    editors: tuple[str, ...] = ()
    base_url: str = ""


ENTITY_KINDS = {"person": "people", "organisation": "organisations", "place": "places"}  # kind -> content folder


@dataclass
class Entity:
    """A person, organisation or place the articles mention."""

    kind: str  # "person", "organisation" or "place"
    slug: str
    name: str
    source: Source
    aliases: tuple[str, ...] = ()  # other forms the texts use, longest match wins
    role: str = ""  # role at the time of the event
    wikidata: str = ""
    note: str = ""  # editorial note, Markdown


@dataclass(frozen=True, eq=False)
class EntityMention:
    """One mention of an entity in an article paragraph, with the sentence it stands in."""

    entity: Entity
    article: Article
    block: int  # index of the paragraph among the body's blocks (1-based)
    anchor: str  # fragment id of the paragraph on the article page
    start: int  # [start, end) in the paragraph's plain text
    end: int
    surface: str  # the words the text uses ("der Niederländer")
    sentence: str
    sentence_start: int  # offset of the sentence in the paragraph's plain text
    sentence_index: int  # position of the sentence in the paragraph (0-based)
    linked: bool = False  # the article page links this occurrence to the entity page
    explicit: bool = False  # an editor wrote it as [text](person:slug)

    @property
    def in_sentence(self) -> tuple[str, str, str]:
        """The sentence split around the mention: (before, surface, after)."""
        start, end = self.start - self.sentence_start, self.end - self.sentence_start
        return self.sentence[:start], self.sentence[start:end], self.sentence[end:]


@dataclass(eq=False)
class Quote:
    """A quotation in an article body: where it stands, its words and who said it."""

    article: Article
    number: int  # 1-based within the article, in reading order
    block: int  # index of the paragraph or heading (anchor p<block>)
    start: int  # [start, end) in the block's plain text, quotation marks included
    end: int
    text: str  # the words inside the marks
    sentence: str  # the sentence it stands in
    speaker: Entity | None = None
    is_statement: bool = True  # False for one- or two-word scare quotes and quoted headlines
    overridden: bool = False  # speaker set by an editor

    @property
    def anchor(self) -> str:
        """Fragment id of the quotation in its article page."""
        return f"zitat-{self.number}"

    @property
    def index_anchor(self) -> str:
        """Fragment id of the quotation on the quote index page."""
        return f"zitat-{self.article.slug}-{self.number}"


@dataclass(frozen=True)
class PassageOccurrence:
    """Where a shared passage stands in one article."""

    article: str  # article slug
    number: int  # 1-based within the article
    block: int
    start: int  # [start, end) in the block's plain text
    end: int
    text: str

    @property
    def anchor(self) -> str:
        """Fragment id of the passage in its article page."""
        return f"geteilt-{self.number}"


@dataclass(frozen=True)
class SharedPassage:
    """Sentences that appear, verbatim or nearly, in more than one article."""

    occurrences: tuple[PassageOccurrence, ...]  # one per article, in dossier order
    match: str  # "exact" (same normalised words), "near" (a letter or word changed) or "partial"

    @property
    def how(self) -> str:
        """The kind of match in German, for the reader."""
        return {"exact": "wörtlich", "near": "fast wörtlich"}.get(self.match, "in Teilen")


@dataclass
class Event:
    """A dated event of the timeline (Chronik), with its sources."""

    slug: str
    date: dt.date
    title: str
    source: Source
    end: dt.date | None = None
    sources: tuple[str, ...] = ()  # article slugs and/or external URLs
    entities: tuple[str, ...] = ()  # entity slugs
    body: str = ""  # short description, Markdown
    highlight: bool = False  # shown in the start page's preview
    date_note: str = ""  # how the date was inferred

    @property
    def anchor(self) -> str:
        """Fragment id of the event on the timeline page."""
        return f"ereignis-{self.slug}"


@dataclass
class Dossier:
    """Everything the pages are made from, after every file was read and checked."""

    home: Home
    articles: list[Article]  # newest first, then by title
    entities: list[Entity] = field(default_factory=list)  # sorted by kind, then name
    mentions: list[EntityMention] = field(default_factory=list)  # in article, paragraph, text order
    annotations: list = field(default_factory=list)  # annotations.Annotation, anchored, by article and position
    quotes: list[Quote] = field(default_factory=list)  # by article (dossier order), then position
    shared: object = field(default_factory=list)  # list[SharedPassage], or a computation under way (`.result()`)
    events: list[Event] = field(default_factory=list)  # by date, then title
    blocks: dict[str, list] = field(default_factory=dict)  # article slug -> its text blocks (blocks.Block)
    matcher: str = ""  # digest of the entity names the analyses matched (analysis.matcher_digest)
    mention_keys: dict[str, dict[str, str]] = field(default_factory=dict)  # slug -> entity key -> digest of mentions

    @property
    def passages(self) -> list[SharedPassage]:
        """Passages shared between articles; waits for them while they are still being worked out elsewhere."""
        if not isinstance(self.shared, list):
            self.shared = self.shared.result()
        return self.shared

    @passages.setter
    def passages(self, value) -> None:
        self.shared = value

    def tags(self) -> dict[str, list[Article]]:
        """Topic -> its articles; spellings that slug alike ('Nato', 'NATO') are one topic."""
        from .urls import slugify

        names: dict[str, str] = {}
        by_slug: dict[str, list[Article]] = {}
        for article in self.articles:
            for tag in article.tags:
                key = slugify(tag)
                names.setdefault(key, tag)
                tagged = by_slug.setdefault(key, [])
                if not tagged or tagged[-1] is not article:
                    tagged.append(article)
        return {names[key]: by_slug[key] for key in sorted(by_slug, key=lambda k: (names[k].casefold(), k))}
