"""An article's body as HTML: the Markdown rendered with everything found in it marked.

Mentions become links to entity pages, quotations are marked and linked to the quote
index, shared passages are marked with a note linking their other occurrences, and
annotations are highlighted with their notes beside the paragraph. Each of these is a
`Decorator` of block ranges (`site.decorate`); `ArticleBody` holds everything a body is
made of and is rendered with its page, and only then.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from html import escape

from ..content.model import Annotation, Article, EntityMention, PassageOccurrence, Quote, SharedPassage
from ..errors import ContentError
from ..text.blocks import Block
from . import urls
from .annotation_notes import AnnotationMarks
from .decorate import Decoration, Decorator
from .markdown import LinkTargets, render

Link = Callable[[str, str], str]  # (output path, fragment) -> URL relative to the page being rendered


@dataclass(frozen=True)
class ArticleBody:
    """Everything an article's body HTML is made of."""

    article: Article
    text: str  # the article's Markdown
    page: str  # output path of the article page
    mentions: list[EntityMention]
    quotes: list[Quote]
    shared: list[tuple[PassageOccurrence, SharedPassage]] = field(default_factory=list)  # the article's, in order
    partners: dict[str, tuple[str, str]] = field(default_factory=dict)  # slug -> (title, path) sharing a passage
    annotations: list[Annotation] = field(default_factory=list)  # the annotations anchored in the article
    targets: LinkTargets | None = None
    compared: list[str] = field(default_factory=list)  # the comparison page of each of `shared`'s passages
    quotes_apart: bool = False  # the quote index has a page per speaker (`urls.quotes_apart`)

    def render(self) -> tuple[str, list[ContentError], tuple]:
        """The body as HTML with its mentions, annotations, quotations and shared passages; link problems; and
        every link target its text and notes looked up, as (question, key, answer) (`LinkTargets.holds`)."""
        article = self.article
        targets = self.targets.asking()
        env = targets.env(self.page, article.source.path, article.source.body_line - 1)

        def link(target: str, fragment: str) -> str:
            return urls.relative(self.page, target, portable=env.portable, fragment=fragment)

        env.decorators.append(mention_links(self.mentions, self.page, env.portable))
        notes = AnnotationMarks(self.annotations, targets, self.page)
        env.decorators.append(notes.decorate)
        env.decorators.append(quote_marks(self.quotes, self.quotes_apart, link))
        env.decorators.append(passage_marks(self.shared))
        env.after_block.append(notes.after)
        env.after_block.append(passage_notes(self.shared, self.partners, link, self.compared))
        html = render(self.text, env)
        return html, notes.errors + env.errors, tuple(targets.asked)


def mention_links(mentions: list[EntityMention], page: str, portable: bool) -> Decorator:
    """A decorator linking an article's found mentions to their entity pages."""
    by_block: dict[int, list[EntityMention]] = {}
    for mention in mentions:
        if mention.linked and not mention.explicit:
            by_block.setdefault(mention.block, []).append(mention)

    def decorate(block: Block) -> list[Decoration]:
        """The mention links of one paragraph (never in headings)."""
        if block.kind != "paragraph":
            return []
        return [_link(m, page, portable) for m in by_block.get(block.index, ())]

    return decorate


def _link(mention: EntityMention, page: str, portable: bool) -> Decoration:
    """The link decoration of one mention."""
    entity = mention.entity
    href = urls.relative(page, urls.entry(entity.kind, entity.slug), portable=portable)
    title = escape(entity.name + (f", {entity.role}" if entity.role else ""))
    open_html = f'<a class="mention mention-{entity.kind}" href="{escape(href)}" title="{title}">'
    return Decoration(mention.start, mention.end, open_html, "</a>", is_link=True)


def quote_marks(article_quotes_: list[Quote], apart: bool, link: Link) -> Callable[[Block], list]:
    """Decorations marking each quotation of one article: a span, an id, and a link to its entry in the quote
    index (on its speaker's page of it when the index is split, `apart`)."""
    by_block: dict[int, list[Quote]] = {}
    for quote in article_quotes_:
        by_block.setdefault(quote.block, []).append(quote)

    def decorate(block: Block) -> list[Decoration]:
        """The decorations of one block."""
        result = []
        for quote in by_block.get(block.index, ()):
            kind = "quote" if quote.is_statement else "quote quote-term"
            result.append(Decoration(quote.start, quote.end, f'<span class="{kind}">', "</span>", priority=2))
            result.append(
                Decoration(quote.start, quote.start + 1, f'<span id="{quote.anchor}">', "</span>", priority=1)
            )
            if quote.is_statement:
                # read aloud: "Zitat von Mark Rutte im Zitatverzeichnis", "Zitat ohne Zuordnung im Zitatverzeichnis"
                said = ("Zitat von ", escape(quote.speaker.name)) if quote.speaker else ("Zitat ", "ohne Zuordnung")
                href = escape(link(urls.quote_index(quote.speaker, apart), quote.index_anchor))
                ref = (
                    f'<a class="quote-ref" href="{href}"><span class="visually-hidden">{said[0]}</span>{said[1]}'
                    '<span class="visually-hidden"> im Zitatverzeichnis</span></a>'
                )
                result.append(Decoration(quote.end - 1, quote.end, "", ref, is_link=True, priority=-1))
        return result

    return decorate


def passage_marks(own: list[tuple[PassageOccurrence, SharedPassage]]) -> Callable[[Block], list[Decoration]]:
    """Decorations marking each shared passage of one article, with an id on its first character."""

    def decorate(block: Block) -> list[Decoration]:
        """The decorations of one block."""
        result = []
        for occurrence, _ in own:
            if occurrence.block == block.index:
                result.append(
                    Decoration(occurrence.start, occurrence.end, '<span class="shared">', "</span>", priority=4)
                )
                result.append(
                    Decoration(occurrence.start, occurrence.start + 1, f'<span id="{occurrence.anchor}">', "</span>")
                )
        return result

    return decorate


def passage_notes(
    own: list[tuple[PassageOccurrence, SharedPassage]],
    titles: dict[str, tuple[str, str]],
    link: Link,
    compared: list[str] | None = None,
) -> Callable[[Block], str]:
    """A note after each paragraph with shared passages, linking every other occurrence and the passage's
    comparison (its versions side by side).

    `titles` maps an article slug to (title, output path); `compared` holds the output path of each passage's
    comparison page, in the order of `own` (none: no link).
    """

    def note(block: Block) -> str:
        """The note's HTML, '' when the block shares nothing."""
        lines = []
        for i, (occurrence, passage) in enumerate(own):
            if occurrence.block != block.index:
                continue
            others = [o for o in passage.occurrences if o.article != occurrence.article]
            links = ", ".join(
                f'<a href="{escape(link(titles[o.article][1], o.anchor))}">{escape(titles[o.article][0])}</a>'
                for o in others
            )
            versions = ""
            if compared:
                href = escape(link(compared[i], ""))
                versions = f' – <a class="shared-compare" href="{href}">Vergleich</a>'
            lines.append(
                f'<p><a class="shared-here" href="#{occurrence.anchor}">Markierte Passage</a> '
                f"steht {passage.how} auch in: {links}{versions}</p>"
            )
        if not lines:
            return ""
        return '<aside class="shared-note" aria-label="Geteilte Passagen">' + "".join(lines) + "</aside>"

    return note
