"""Annotations on the page: the passage highlighted in its article with the note beside it,
and the overview page listing every note.
"""

from __future__ import annotations

import html
from collections.abc import Sequence

from babel.dates import format_date

from ..content.model import ANNOTATION_KINDS, Annotation
from ..errors import ContentError
from ..text.blocks import Block
from . import urls
from .decorate import Decoration
from .markdown import LinkTargets, render
from .page import Page


def decorations(annotation: Annotation) -> list[Decoration]:
    """The highlighted passage, its fragment target and the link to its note."""
    a = annotation.anchor
    assert a is not None
    mark = Decoration(
        a.start,
        a.end,
        f'<mark class="annotation annotation-{annotation.css}" aria-describedby="{annotation.note_id}">',
        "</mark>",
        priority=50,
    )
    target = Decoration(a.start, a.start + 1, f'<span class="annotation-anchor" id="{annotation.id}"></span>', "", 0)
    ref = Decoration(
        a.end - 1,
        a.end,
        "",
        f'<sup class="annotation-ref"><a href="#{annotation.note_id}">'
        f'<span class="visually-hidden">Anmerkung </span>{annotation.number}</a></sup>',
        is_link=True,
        priority=40,
    )
    return [mark, target, ref]


def byline(annotation: Annotation) -> str:
    """'Dossier-Redaktion, 5. Dezember 2024' (either part may be missing)."""
    parts = [annotation.author] if annotation.author else []
    if annotation.date:
        parts.append(format_date(annotation.date, "long", locale="de_DE"))
    return ", ".join(parts)


def _source_ref(annotation: Annotation) -> str:
    """'content/annotations/x.md:9': where the note's body starts, for `check`'s messages."""
    return html.escape(f"{annotation.source.path}:{annotation.source.body_line}")


def verdict_line(annotation: Annotation) -> str:
    """A fact check's verdict as readers see it ('Bewertung: unbelegt'), '' without one."""
    if not annotation.verdict:
        return ""
    return f'<p class="annotation-verdict">Bewertung: <strong>{html.escape(annotation.verdict)}</strong></p>\n'


def note_aside(annotation: Annotation, note_html: str) -> str:
    """The note as an <aside> placed after the annotated paragraph."""
    kind = html.escape(annotation.kind)
    meta = byline(annotation)
    meta_html = f'<p class="annotation-meta">{html.escape(meta)}</p>\n' if meta else ""
    return (
        f'<aside class="annotation-note annotation-{annotation.css}" id="{annotation.note_id}" '
        f'aria-label="Anmerkung {annotation.number}: {kind}" data-source="{_source_ref(annotation)}">\n'
        f'<p class="annotation-head"><span class="annotation-kind">{kind}</span> '
        f'<a class="annotation-back" href="#{annotation.id}">Anmerkung {annotation.number} zur Textstelle</a></p>\n'
        f"{verdict_line(annotation)}"
        f'<div class="annotation-text">\n{note_html}</div>\n{meta_html}</aside>\n'
    )


def render_note(annotation: Annotation, targets: LinkTargets, page: str) -> tuple[str, list[ContentError]]:
    """The note's Markdown as HTML for `page`; errors name the annotation file."""
    env = targets.env(page, annotation.source.path, annotation.source.body_line - 1, block_ids=False)
    return render(annotation.note, env), env.errors


class AnnotationMarks:
    """The annotations of one article as it renders: marks and refs in the text, notes after their paragraph."""

    def __init__(self, annotations: Sequence[Annotation], targets: LinkTargets, page: str):
        self.mine = [a for a in annotations if a.anchor]
        self.errors: list[ContentError] = []
        self.asides: dict[int, list[str]] = {}
        for annotation in self.mine:
            note_html, errors = render_note(annotation, targets, page)
            self.errors += errors
            self.asides.setdefault(annotation.anchor.block, []).append(note_aside(annotation, note_html))

    def decorate(self, block: Block) -> list[Decoration]:
        """Decorations of the annotations anchored in this block."""
        return [d for a in self.mine if a.anchor.block == block.index for d in decorations(a)]

    def after(self, block: Block) -> str:
        """The notes of this block's annotations, in one container."""
        notes = self.asides.get(block.index)
        return f'<div class="annotation-notes">\n{"".join(notes)}</div>' if notes else ""


def plan_overview(dossier, targets: LinkTargets) -> tuple[Page, list[ContentError]]:
    """The page listing every annotation, grouped by article in the dossier's order."""
    path = urls.index("annotations")
    errors: list[ContentError] = []
    groups = []
    by_article: dict[str, list] = {}
    for annotation in dossier.annotations:  # in their order, as each article's notes are listed
        by_article.setdefault(annotation.article, []).append(annotation)
    for article in dossier.articles:
        items = []
        for annotation in by_article.get(article.slug, ()):
            note_html, note_errors = render_note(annotation, targets, path)
            errors += note_errors
            items.append((annotation, note_html))
        if items:
            groups.append((article, items))
    counts = {kind: sum(a.kind == kind for a in dossier.annotations) for kind in ANNOTATION_KINDS}
    page = Page(path, "annotations.html", "Anmerkungen", {"groups": groups, "counts": counts}, kind="annotations")
    return page, errors
