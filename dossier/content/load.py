"""Read content/: front matter + body -> typed entries, every problem reported with its line."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from ..errors import ContentError, display_path
from . import schema
from .files import markdown_files, unreadable
from .frontmatter import Document, parse
from .model import (
    ANNOTATION_KINDS,
    ENTITY_KINDS,
    Annotation,
    Article,
    Entity,
    Event,
    Home,
    RawFile,
    RelatedEntry,
    Source,
)
from .slugs import MAX_SLUG, shortened, slugify

SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
DRAFT_LEFT_OUT = "draft: left out of the site until you set 'draft: false' (or delete the line); --drafts shows it"


def left_out(path: str, line: int) -> ContentError:
    """The warning for a draft the build leaves out: a file `new` wrote that nobody has published yet."""
    return ContentError(path, line, DRAFT_LEFT_OUT, "warning")


def is_draft(file: ContentFile) -> bool:
    """Whether a content file says `draft: true`."""
    return file.doc.meta.get("draft") is True


@dataclass
class ContentFile:
    """A parsed content file with its display path."""

    path: str
    doc: Document

    @property
    def source(self) -> Source:
        """Where this entry came from, for error messages."""
        return Source(self.path, self.doc.body_line, self.doc.key_lines, self.doc.item_lines)


def read_files(root: Path, folder: str) -> tuple[list[ContentFile], list[ContentError]]:
    """Parse every Markdown file under content/<folder>, sorted by path."""
    files, errors = [], []
    base = root / "content" / folder
    for path in markdown_files(base):
        file, problem = read_file(path, display_path(path, root))
        if file is not None:
            files.append(file)
        else:
            errors.append(problem)
    return files, errors


def read_file(path: Path, shown: str) -> tuple[ContentFile | None, ContentError | None]:
    """One parsed content file, or why it cannot be parsed (or is not read at all: see `unreadable`)."""
    try:
        refused = unreadable(path, shown)
        if refused:
            raise ContentError(shown, 1, refused)
        return ContentFile(shown, parse(decode(path.read_bytes(), shown), shown)), None
    except ContentError as exc:
        return None, exc


def decode(raw: bytes, shown: str) -> str:
    """The text of a content file; ContentError naming the line and column of the first byte that is not UTF-8."""
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        line_start = raw.rfind(b"\n", 0, exc.start) + 1
        column = len(raw[line_start : exc.start].decode("utf-8", "replace")) + 1
        byte = raw[exc.start]
        line_end = raw.find(b"\n", exc.start)
        reads = raw[line_start : line_end if line_end != -1 else len(raw)].decode("cp1252", "replace").strip()
        raise ContentError(
            shown,
            line,
            f"not UTF-8 text: byte 0x{byte:02X} at column {column} is not UTF-8 (the line may read: {reads[:80]!r}); "
            "save the file as UTF-8 (in your editor: Save with Encoding, UTF-8)",
        ) from None


def slug_of(file: ContentFile) -> str:
    """The entry's URL name: its `slug` key or the file name."""
    return str(file.doc.meta.get("slug") or Path(file.path).stem)


def check_slugs(files: list[ContentFile]) -> list[ContentError]:
    """Malformed and duplicate slugs, naming both files of a duplicate."""
    return check_slug_list([(f.path, slug_of(f), f.doc.line_of("slug") if "slug" in f.doc.meta else 1) for f in files])


def check_slug_list(entries: list[tuple[str, str, int]]) -> list[ContentError]:
    """`check_slugs` on (path, slug, line of the slug key or 1) entries."""
    errors, seen = [], {}
    for path, slug, line in entries:
        if not SLUG_RE.match(slug):
            plain = slug.isprintable() and unicodedata.is_normalized("NFC", slug)  # (else NFC and NFD told apart)
            shown = slug if plain else ascii(slug)[1:-1]
            fix = f"rename the file or set 'slug: {shortened(slugify(slug))}'"
            errors.append(ContentError(path, line, f"slug '{shown}' must be lowercase a-z, 0-9 and '-': {fix}"))
        elif len(slug) > MAX_SLUG:
            message = f"slug '{slug[:40]}…' is {len(slug)} characters long, at most {MAX_SLUG} make a page's address"
            errors.append(ContentError(path, line, f"{message}: rename the file or set a shorter 'slug:'"))
        elif slug in seen:
            errors.append(
                ContentError(
                    path,
                    line,
                    f"duplicate slug '{slug}', also used by {seen[slug]}: rename one file or set 'slug:'",
                )
            )
        else:
            seen[slug] = path
    return errors


def article_from(file: ContentFile) -> Article:
    """A typed article from a validated content file."""
    meta = file.doc.meta
    authors = tuple(meta.get("authors") or ([meta["author"]] if meta.get("author") else []))
    return Article(
        slug=slug_of(file),
        title=meta["title"].strip(),
        date=schema.to_date(meta["date"]),
        body=file.doc.body,
        source=file.source,
        kicker=meta.get("kicker") or "",
        teaser=meta.get("teaser") or meta.get("summary") or meta.get("description") or "",
        authors=authors,
        publisher=meta.get("publisher") or "",
        tags=tuple(dict.fromkeys(meta.get("tags") or ())),
        draft=bool(meta.get("draft", False)),
        image_caption=meta.get("image_caption") or "",
        source_url=meta.get("source_url") or "",
        date_note=meta.get("date_note") or "",
        related=tuple(
            RelatedEntry(str(r.get("kicker") or ""), str(r.get("title") or ""), str(r.get("teaser") or ""))
            for r in meta.get("related") or ()
        ),
        provenance=tuple(
            RawFile(
                str(p.get("file", "")),
                str(p.get("format", "")),
                str(p.get("sha256", "")),
                tuple(p.get("used_for") or ()),
            )
            for p in meta.get("provenance") or ()
        ),
        speakers=tuple(meta.get("speakers") or ()),
    )


def read_valid(
    root: Path, folder: str, fields: dict[str, schema.Field]
) -> tuple[list[ContentFile], list[ContentError]]:
    """The files of content/<folder> whose front matter is valid, slugs checked, and every problem."""
    files, errors = read_files(root, folder)
    valid = []
    for file in files:
        problems = schema.validate(file.doc.meta, fields, file.path, file.doc.key_lines)
        errors.extend(problems)
        if not problems:
            valid.append(file)
    errors.extend(check_slugs(valid))
    return valid, errors


def read_article(path: Path, shown: str) -> tuple[Article | None, list[ContentError]]:
    """One article file read and validated: the article, or None and its problems."""
    file, problem = read_file(path, shown)
    if file is None:
        return None, [problem]
    problems = schema.validate(file.doc.meta, schema.ARTICLE, file.path, file.doc.key_lines)
    address = file.doc.meta.get("source_url")
    if not problems and isinstance(address, str) and address.strip() and schema.web_address_problem(address):
        message = (
            f"'source_url' {address.strip()!r} is no web address: give the original article's address, "
            "starting with https:// (or http://), or delete the line"
        )  # the page links it: a javascript: or data: address would run
        problems.append(ContentError(file.path, file.doc.line_of("source_url"), message))
    if not problems:
        problems += long_tags(file)
    return (None if problems else article_from(file)), problems


def long_tags(file: ContentFile) -> list[ContentError]:
    """Tags too long to name their topic's page (its folder in site/ is named after the tag's slug)."""
    lines = file.doc.item_lines.get("tags") or []
    return [
        ContentError(
            file.path,
            lines[i] if i < len(lines) else file.doc.line_of("tags"),
            f"tag '{tag[:40]}…' is too long to name its topic's page (at most {MAX_SLUG} letters): shorten it",
        )
        for i, tag in enumerate(file.doc.meta.get("tags") or ())
        if len(slugify(str(tag))) > MAX_SLUG
    ]


ArticleReader = Callable[[Path, str], tuple[Article | None, list[ContentError]]]


def load_articles(
    root: Path, *, drafts: bool = False, read: ArticleReader = read_article
) -> tuple[list[Article], list[ContentError]]:
    """Every valid article under content/articles, and every problem found.

    `read` turns one file (its path, and the path shown in messages) into an article; the
    build passes one that remembers articles whose bytes it has read before."""
    base = root / "content" / "articles"
    articles, errors = [], []
    for path in markdown_files(base):
        article, problems = read(path, display_path(path, root))
        errors += problems
        if article is not None:
            articles.append(article)
    errors += check_slug_list([(a.source.path, a.slug, a.source.line_of("slug")) for a in articles])
    if not drafts:
        errors += [left_out(a.source.path, a.source.line_of("draft")) for a in articles if a.draft]
        articles = [a for a in articles if not a.draft]
    articles.sort(key=lambda a: (-a.date.toordinal(), a.title.casefold(), a.slug))
    return articles, errors


def load_entities(root: Path, *, drafts: bool = False) -> tuple[list[Entity], list[ContentError]]:
    """People, organisations and places from content/people, /organisations, /places (drafts only if asked)."""
    entities, errors, all_files = [], [], []
    for kind, folder in ENTITY_KINDS.items():
        files, read_errors = read_files(root, folder)
        errors += read_errors
        for file in files:
            problems = schema.validate(file.doc.meta, schema.ENTITY, file.path, file.doc.key_lines)
            errors += problems
            if problems:
                continue
            all_files.append(file)
            if is_draft(file) and not drafts:
                errors.append(left_out(file.path, file.doc.line_of("draft")))
                continue
            meta = file.doc.meta
            entities.append(
                Entity(
                    kind=kind,
                    slug=slug_of(file),
                    name=meta["name"].strip(),
                    source=file.source,
                    aliases=tuple(dict.fromkeys(a.strip() for a in meta.get("aliases") or () if a.strip())),
                    role=meta.get("role") or "",
                    wikidata=meta.get("wikidata") or "",
                    note=file.doc.body,
                )
            )
    errors += check_slugs(all_files)
    entities.sort(key=lambda e: (list(ENTITY_KINDS).index(e.kind), e.name.casefold(), e.slug))
    return entities, errors


def load_annotations(root: Path, *, drafts: bool = False) -> tuple[list[Annotation], list[ContentError]]:
    """Editorial annotations from content/annotations (not yet anchored in their articles; drafts only if asked)."""
    from difflib import get_close_matches

    files, errors = read_files(root, "annotations")
    found = []
    for file in files:
        problems = schema.validate(file.doc.meta, schema.ANNOTATION, file.path, file.doc.key_lines)
        meta = file.doc.meta
        kind = meta.get("kind")
        if isinstance(kind, str) and kind not in ANNOTATION_KINDS:
            near = get_close_matches(kind.capitalize(), list(ANNOTATION_KINDS), n=1)
            hint = f"did you mean '{near[0]}'?" if near else f"use one of {', '.join(ANNOTATION_KINDS)}"
            problems.append(ContentError(file.path, file.doc.line_of("kind"), f"unknown kind '{kind}' ({hint})"))
        problems += verdict_problems(file, kind)
        errors += problems
        if any(p.severity == "error" for p in problems):
            continue
        if is_draft(file) and not drafts:
            errors.append(left_out(file.path, file.doc.line_of("draft")))
            continue
        found.append(
            Annotation(
                slug=slug_of(file),
                article=meta["article"].strip(),
                exact=meta["exact"],
                kind=kind,
                source=file.source,
                prefix=meta.get("prefix") or "",
                suffix=meta.get("suffix") or "",
                author=meta.get("author") or "",
                date=schema.to_date(meta.get("date")),
                note=file.doc.body,
                verdict=(meta.get("verdict") or "").strip(),
            )
        )
    errors += check_slugs([f for f in files if f.path in {a.source.path for a in found}])
    return found, errors


def verdict_problems(file: ContentFile, kind) -> list[ContentError]:
    """An annotation's `verdict`: a non-empty text, and only on a Faktencheck."""
    meta = file.doc.meta
    if "verdict" not in meta:
        if kind != schema.FACT_CHECK:
            return []
        message = "a Faktencheck without 'verdict' is published without a rating; add e.g. 'verdict: unbelegt'"
        return [ContentError(file.path, file.doc.line_of("kind"), message, "warning")]
    line, value = file.doc.line_of("verdict"), meta["verdict"]
    problems = []
    if value is None or (isinstance(value, str) and not value.strip()):
        problems.append(ContentError(file.path, line, "'verdict' is empty; write the rating, e.g. 'verdict: unbelegt'"))
    if isinstance(kind, str) and kind != schema.FACT_CHECK:
        problems.append(
            ContentError(
                file.path,
                line,
                f"'verdict' is only allowed on annotations of kind {schema.FACT_CHECK}, not {kind}; "
                "remove it or change the kind",
            )
        )
    return problems


def load_events(root: Path, *, drafts: bool = False) -> tuple[list[Event], list[ContentError]]:
    """Timeline events from content/timeline, sorted by date, end and title (slugs checked later; drafts if asked)."""
    valid, errors = read_valid(root, "timeline", schema.EVENT)
    events = []
    for file in valid:
        if is_draft(file) and not drafts:
            errors.append(left_out(file.path, file.doc.line_of("draft")))
            continue
        meta = file.doc.meta
        source = meta["source"]
        events.append(
            Event(
                slug=slug_of(file),
                date=schema.to_date(meta["date"]),
                title=meta["title"].strip(),
                source=file.source,
                end=schema.to_date(meta.get("end")),
                sources=tuple(s.strip() for s in ([source] if isinstance(source, str) else source)),
                entities=tuple(meta.get("entities") or ()),
                body=file.doc.body,
                highlight=bool(meta.get("highlight", False)),
                date_note=meta.get("date_note") or "",
            )
        )
    events.sort(key=lambda e: (e.date, e.end or e.date, e.title.casefold(), e.slug))
    return events, errors


def load_home(root: Path) -> tuple[Home | None, list[ContentError]]:
    """The start page's editorial content from content/_index.md."""
    path = root / "content" / "_index.md"
    shown = display_path(path, root)
    if not path.exists():
        return None, [ContentError(shown, 1, "missing: create it with a 'title:' and an introduction as its body")]
    file, problem = read_file(path, shown)
    if file is None:
        return None, [problem]
    doc = file.doc
    errors = schema.validate(doc.meta, schema.HOME, shown, doc.key_lines)
    address = doc.meta.get("base_url") if not errors else None
    if address and (problem := schema.web_address_problem(address)):
        errors.append(ContentError(shown, doc.line_of("base_url"), f"base_url: {problem}"))
    if errors:
        return None, errors
    meta = doc.meta
    return Home(
        title=meta["title"],
        intro=doc.body,
        source=Source(shown, doc.body_line, doc.key_lines),
        subtitle=meta.get("subtitle") or "",
        description=meta.get("description") or "",
        event_start=schema.to_date(meta.get("event_start")),
        event_end=schema.to_date(meta.get("event_end")),
        place=meta.get("place") or "",
        key_facts=tuple(meta.get("key_facts") or ()),
        editors=tuple(meta.get("editors") or ()),
        base_url=meta.get("base_url") or "",
    ), []
