"""The dossier as typed data: no I/O, no rendering."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from .slugs import slugify


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
    body: str  # Markdown
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


ANNOTATION_KINDS = {  # kind -> CSS class suffix
    "Kontext": "kontext",
    "Faktencheck": "faktencheck",
    "Korrektur": "korrektur",
    "Hinweis": "hinweis",
}

QUOTES = "„“”\"‚‘’'«»‹›`´"  # quotation marks, all compared as one character when anchoring


@dataclass(frozen=True)
class Anchor:
    """Where a passage was found: block number and plain-text range, and the article line."""

    block: int
    start: int
    end: int
    line: int  # line of the block in the article file


@dataclass(frozen=True)
class Annotation:
    """One annotation file, and (once anchored) where its passage is."""

    slug: str
    article: str
    exact: str
    kind: str
    source: Source
    prefix: str = ""
    suffix: str = ""
    author: str = ""
    date: dt.date | None = None
    note: str = ""  # Markdown
    verdict: str = ""  # a fact check's rating in the editor's words ("unbelegt"), Faktencheck only
    anchor: Anchor | None = None
    number: int = 0  # 1-based position among the article's annotations, in text order

    @property
    def id(self) -> str:
        """Fragment id of the passage in the article page."""
        return f"anm-{self.slug}"

    @property
    def note_id(self) -> str:
        """Fragment id of the note in the article page."""
        return f"anm-{self.slug}-notiz"

    @property
    def quoted(self) -> str:
        """The passage in German quotation marks (unless it is a quotation itself)."""
        text = " ".join(self.exact.split())
        return text if text[:1] in QUOTES and text[-1:] in QUOTES else f"„{text}“"

    @property
    def css(self) -> str:
        """CSS class suffix of the kind."""
        return ANNOTATION_KINDS.get(self.kind, "hinweis")


@dataclass(frozen=True)
class Dossier:
    """Everything the pages are made from, after every file was read, checked, analysed and joined.

    Built once, by the pipeline, and not changed afterwards."""

    home: Home
    articles: list[Article]  # newest first, then by title
    entities: list[Entity]  # sorted by kind, then name
    mentions: Sequence[EntityMention]  # in article, paragraph, text order
    quotes: list[Quote]  # by article (dossier order), then position
    passages: list[SharedPassage]  # passages shared between articles
    quote_groups: list  # joins.quote_groups.QuoteGroup: statements grouped across sources, by speaker
    annotations: list[Annotation]  # anchored, by article and position
    events: list[Event]  # by date, then title
    tallies: list | None = None  # joins.network.Tally of each article, in dossier order (None: from `mentions`)
    # article slug -> (its mentions, its quotations), in text order, as its analysis found them (None: `found_in`
    # groups `mentions` and `quotes`); the per-article pages take them from here instead of regrouping the whole
    found: Mapping[str, tuple[list[EntityMention], list[Quote]]] | None = None

    def found_in(self) -> Mapping[str, tuple[list[EntityMention], list[Quote]]]:
        """Article slug -> (its mentions, its quotations), in text order; every article of the dossier is a key."""
        if self.found is not None:
            return self.found
        grouped: dict[str, tuple[list[EntityMention], list[Quote]]] = {a.slug: ([], []) for a in self.articles}
        for mention in self.mentions:
            grouped[mention.article.slug][0].append(mention)
        for quote in self.quotes:
            grouped[quote.article.slug][1].append(quote)
        return grouped

    def tags(self) -> dict[str, list[Article]]:
        """Topic -> its articles; spellings that slug alike ('Nato', 'NATO') are one topic."""
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
