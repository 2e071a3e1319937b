"""`new`: content files with the right front matter, so an editor never starts from a blank page.

Every scaffold builds as it is, as a draft: `draft: true` keeps its placeholder text out of the
site (the build warns about each draft, and `--strict` fails on them) until an editor replaces the
placeholders and deletes the line. No scaffold ever overwrites an existing file.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from .content import frontmatter
from .content.load import load_articles
from .content.model import ANNOTATION_KINDS, ENTITY_KINDS
from .content.slugs import MAX_SLUG, shortened, slugify
from .errors import BuildFailed, ContentError, display_path
from .joins import anchoring
from .text.blocks import blocks

ARTICLE_BODY = """Hier beginnt der Text. Absätze trennt eine Leerzeile.

## Eine Zwischenüberschrift

Namen von Personen, Organisationen und Orten werden beim Bauen automatisch verlinkt.
"""

ENTITY_BODY = {
    "person": "Wer ist {name}? Eine kurze redaktionelle Notiz: Rolle zur Zeit des Treffens, warum wichtig.",
    "organisation": "Was ist {name}? Eine kurze redaktionelle Notiz.",
    "place": "Wo liegt {name}, und welche Rolle spielt der Ort? Eine kurze redaktionelle Notiz.",
}

ANNOTATION_BODY = "Die Anmerkung der Redaktion, in Markdown. Quellen als Links: [Titel](https://example.org/)."


def _target(root: Path, folder: str, slug: str) -> Path:
    """content/<folder>/<slug>.md, refusing an existing file."""
    path = root / "content" / folder / f"{slug}.md"
    if len(slug) > MAX_SLUG:
        message = f"--slug is {len(slug)} characters long; at most {MAX_SLUG} make a page's address: shorten it"
        raise BuildFailed([ContentError(display_path(path, root), 0, message)])
    if path.exists():
        shown = display_path(path, root)
        raise BuildFailed([ContentError(shown, 0, "exists already: never overwritten; choose another --slug")])
    return path


def _write(path: Path, meta: dict, body: str) -> Path:
    """Create the file (and its folder) with front matter and body."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("x", encoding="utf-8") as out:  # "x": fails rather than overwrite
        out.write(frontmatter.dump(meta, body))
    return path


def new_article(root: Path, title: str, *, slug: str | None = None, today: dt.date | None = None) -> Path:
    """A hand-written article: title, date, kicker, teaser, author, publisher, tags."""
    meta = {
        "title": title,
        "date": today or dt.date.today(),
        "kicker": "Dachzeile",
        "teaser": "Ein, zwei Sätze, die den Artikel zusammenfassen.",
        "author": "Dossier-Redaktion",
        "publisher": "Dossier-Redaktion",
        "tags": ["Nato"],
        "draft": True,
    }
    return _write(_target(root, "articles", slug or shortened(slugify(title))), meta, ARTICLE_BODY)


def new_entity(root: Path, kind: str, name: str, *, slug: str | None = None) -> Path:
    """A person, organisation or place: name, aliases, role."""
    meta = {"name": name, "aliases": [], "role": "", "draft": True}
    body = ENTITY_BODY[kind].format(name=name)
    return _write(_target(root, ENTITY_KINDS[kind], slug or shortened(slugify(name))), meta, body)


def new_event(root: Path, title: str, *, date: dt.date, sources: list[str], slug: str | None = None) -> Path:
    """A timeline event: title, date, where the dossier knows it from, who took part."""
    source = sources if len(sources) > 1 else sources[0]
    meta = {"title": title, "date": date, "source": source, "entities": [], "draft": True}
    body = "Was geschah, in ein, zwei Sätzen."
    return _write(_target(root, "timeline", slug or shortened(f"{date.isoformat()}-{slugify(title)}")), meta, body)


def _which_occurrence(article, matches: list[anchoring.Match]) -> list[ContentError]:
    """One error per occurrence of a repeated passage, each with its line and words around it."""
    path, total = article.source.path, len(matches)
    errors = [
        ContentError(
            path,
            article.source.body_line + m.block.line - 1,
            f"occurrence {n} of {total} of the passage: {anchoring.excerpt(m)}",
        )
        for n, m in enumerate(matches, 1)
    ]
    message = f"the passage occurs {total} times: say which with --occurrence N (1 to {total}); nothing written"
    return [ContentError(path, 0, message), *errors]


def new_annotation(
    root: Path,
    article_slug: str,
    passage: str,
    *,
    kind: str = "Kontext",
    occurrence: int | None = None,
    author: str = "Dossier-Redaktion",
    slug: str | None = None,
    today: dt.date | None = None,
) -> Path:
    """An annotation anchored to `passage` of an article; prefix/suffix filled in when it repeats."""
    if kind not in ANNOTATION_KINDS:
        raise BuildFailed(
            [ContentError("new annotation", 0, f"unknown kind '{kind}': use {', '.join(ANNOTATION_KINDS)}")]
        )
    articles, _ = load_articles(root, drafts=True)  # their problems are the build's to report
    by_slug = {a.slug: a for a in articles}
    article = by_slug.get(article_slug)
    if article is None:
        from difflib import get_close_matches

        near = get_close_matches(article_slug, list(by_slug), n=1)
        hint = f" (did you mean '{near[0]}'?)" if near else f"; articles: {', '.join(sorted(by_slug))}"
        raise BuildFailed([ContentError("new annotation", 0, f"unknown article '{article_slug}'{hint}")])
    body_blocks = blocks(article.body)
    matches = anchoring.find_all(passage, body_blocks)
    if not matches:
        near = anchoring.closest(passage, body_blocks)
        hint = f'; closest passage: "{near[0]}"' if near else ""
        raise BuildFailed([ContentError(article.source.path, 0, f"passage not found: {passage!r}{hint}")])
    if occurrence is None and len(matches) > 1:
        raise BuildFailed(_which_occurrence(article, matches))
    if occurrence is not None and not 1 <= occurrence <= len(matches):
        message = f"passage occurs {len(matches)} time(s); --occurrence must be 1..{len(matches)}"
        raise BuildFailed([ContentError(article.source.path, 0, message)])
    match = matches[(occurrence or 1) - 1]
    prefix, suffix = anchoring.suggest_context(match, matches)
    exact = " ".join(match.block.text[match.start : match.end].replace("\u00ad", "").split())
    meta = {"article": article.slug, "exact": exact}
    if prefix:
        meta["prefix"] = prefix
    if suffix:
        meta["suffix"] = suffix
    meta |= {"kind": kind, "author": author, "date": today or dt.date.today(), "draft": True}
    name = slug or f"{article.slug[:40].rstrip('-')}-{slugify(' '.join(exact.split()[:5]))[:40].rstrip('-')}"
    return _write(_target(root, "annotations", name), meta, ANNOTATION_BODY)
