"""Import raw exports from sources/ into content/articles/: detect, parse, group, merge, write."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from types import MappingProxyType

from ..content import frontmatter
from ..content.files import unreadable
from ..content.frontmatter import normalize_text
from ..content.model import Article, RawFile
from ..content.slugs import MAX_SLUG, shortened, slugify
from ..errors import BuildFailed, ContentError, display_path
from . import archives, edits, plain, report, store, taz_table, taz_text, web_page
from .decode import decode
from .edits import HandEdits
from .page_kind import NotAnArticle
from .raw import RawArticle
from .report import ImportReport
from .store import Existing
from .variants import Merged, group, merge

FORMATS = (web_page, taz_table, taz_text, plain)  # most specific first
KNOWN = "a saved web page (.html, .mhtml, .webarchive), plain text, a taz text export or a taz table export"

__all__ = ["ImportReport", "import_sources", "parse_source", "read_source", "variant_texts"]


@dataclass
class Planned:
    """One article of an import: where it goes, its new text (None: unchanged), its sources and old file."""

    path: Path
    text: str | None
    article: Merged
    old: Existing | None
    kept: list[str] = field(default_factory=list)  # the hand edits kept through this import


NOT_EXPORTS = (  # files an editor may well save into sources/ that hold no export this importer reads
    (re.compile(r"\A\{\\rtf"), "a Rich Text (RTF) file", "plain text"),
    (re.compile(r"\A%PDF-"), "a PDF", "plain text (copy the article's text) or a web page"),
)


MAX_EXPORT = 10 * 2**20  # bytes: a saved article page is rarely above 3 MB (a 15 MB one builds in a minute)


def parse_source(text: str, path: str) -> RawArticle:
    """Parse one raw export, whatever its format; ContentError when none fits (NotAnArticle for empty pages)."""
    for pattern, what, instead in NOT_EXPORTS:
        if pattern.match(text):
            raise ContentError(path, 1, f"{what}, not a raw export this importer reads; save it as {instead} instead")
    empty = ""
    for module in FORMATS:
        if module.detect(text):
            raw = module.parse(text, path)
            if raw.blocks:
                return raw
            empty = empty or raw.format
    if empty:  # the format's marks are there, the article is not: most often a file cut off while saving
        last = len(text.rstrip("\n").split("\n"))
        raise ContentError(
            path, last, f"ends here: a {empty} export without any article text (cut off?); save it again, or delete it"
        )
    raise ContentError(
        path, 1, f"not a raw export this importer knows ({KNOWN}); save it as one of those, or delete it"
    )


def read_source(name: str, data: bytes) -> tuple[RawArticle, list[ContentError]]:
    """One raw export decoded (as saved: BOM, declared charset, detection; of a browser's archive, the page it
    holds) and parsed, with its warnings."""
    if not name.isprintable():  # (the bytes of a name that is no UTF-8 are lone surrogates: not printable)
        raise ContentError(name, 1, "its name is not UTF-8 text, or holds a control character; rename the file")
    page = archives.unpack(data, name)  # the web page of an .mhtml or .webarchive, None for any other file
    size = len(page.html if page else data)  # (an archive's images do not count: only its page is extracted)
    if size > MAX_EXPORT:  # the extraction of a page's text takes minutes beyond that
        message = (
            f"{'its web page: ' if page else ''}{size / 2**20:.0f} MB is more than one article's raw export can be "
            f"(at most {MAX_EXPORT // 2**20} MB): save the article's page alone ('Web page, HTML only', without "
            "images), or its text as a .txt file"
        )
        raise ContentError(name, page.line if page else 1, message)
    decoded = archives.decoded(page, name) if page else decode(data, name, web_page.declared_charset(data))
    with archives.located(page, name):  # (an error in that page names the archive's line that starts it)
        text = normalize_text(decoded.text)
        control = frontmatter.control_character(text, name)  # (it would be imported into the article's file)
        if control:
            raise control
        raw = parse_source(archives.addressed(text, page), name)
    warnings = [ContentError(name, 0, decoded.note, "warning")] if decoded.note else []
    warnings += [ContentError(name, 0, note, "warning") for note in raw.notes]  # what the parser found doubtful
    return replace(raw, sha256=store.sha256(data), encoding=decoded.encoding), warnings


def variant_texts(root: Path, articles: list[Article]) -> dict[str, list[tuple[RawFile, tuple[str, ...] | None]]]:
    """Each article's raw exports as this importer parses them: their paragraphs and subheadings, in order.

    None stands for a file that is not (or no longer) a readable raw export in sources/; a
    provenance entry naming a file outside sources/ is never read."""
    folder = (root / "sources").resolve()
    parsed: dict[str, tuple[str, ...] | None] = {}
    found = {}
    for article in articles:
        for raw in article.provenance:
            if raw.file not in parsed:
                parsed[raw.file] = _paragraphs(root / raw.file, raw.file, folder)
        if article.provenance:
            found[article.slug] = [(raw, parsed[raw.file]) for raw in article.provenance]
    return found


def _paragraphs(path: Path, name: str, folder: Path) -> tuple[str, ...] | None:
    """The body blocks' texts of one raw export, None when it cannot be read as one."""
    try:
        if path.resolve().parent != folder:
            return None
        raw, _ = read_source(name, path.read_bytes())  # (decoded as the import decodes it: any encoding, archives)
        return tuple(b.text for b in raw.blocks)
    except (OSError, UnicodeDecodeError, ContentError):
        return None


def import_sources(
    root: Path, *, force: bool = False, hand_written: Mapping[str, str] = MappingProxyType({})
) -> ImportReport:
    """Import new or changed raw exports; raise BuildFailed (writing nothing) on any problem.

    The report says per raw export what happened; its warnings name pages that hold no article,
    missing metadata and raw exports that are gone; its `hand_written`, the article files without
    provenance (by SHA-256), which the import never writes to. Those given as `hand_written` (files with
    these bytes are known to hold no provenance) are not read again."""
    files = store.source_files(root)
    refused = [ContentError(f"sources/{p.name}", 1, why) for p in files if (why := unreadable(p, f"sources/{p.name}"))]
    if refused:  # a link out of the project: sources/ is no window onto the disk either
        raise BuildFailed(refused)
    data = {f"sources/{p.name}": p.read_bytes() for p in files}
    existing, found_by_hand, errors = store.read_imported(root, hand_written)
    if errors:
        raise BuildFailed(errors)
    hashes = {name: store.sha256(raw) for name, raw in data.items()}
    known = set().union(*(e.files() for e in existing))
    if all(item in known for item in hashes.items()):
        paths = [e.path for e in existing]
        summary = (
            f"sources unchanged: {len(hashes)} files, {len(paths)} articles" if data else "no raw exports in sources/"
        )
        return ImportReport(
            [], paths, summary, warnings=_standing(root, existing, set(data)), hand_written=found_by_hand
        )
    raws, errors, warnings, skipped = _parse_all(data)
    if errors:
        raise BuildFailed(errors)
    merged = [merge(g, raws) for g in group(raws)]
    plan, errors = _plan(root, merged, existing, force, set(data), raws)
    if not errors and any(p.text is not None for p in plan):  # about to write: not beside a broken article
        imported = {display_path(e.path, root) for e in existing if e.files()}  # (those hold their raw exports)
        errors = store.invalid_articles(root, imported | set(hand_written))
    if errors:
        raise BuildFailed(errors)
    try:  # every file to be written parsed first: the import never writes one the content reader refuses
        planned = _planned_warnings(root, plan)
    except ContentError as exc:
        raise BuildFailed([exc]) from None
    result = _write(root, plan, len(data))
    result.lines = sorted(result.lines + [f"{name}: no article, skipped (see the warning)" for name in skipped])
    result.lines += _gone_lines(root, plan, set(data))
    taken = {p.path for p in plan}
    kept = [p.old for p in plan if p.old is not None and p.text is None]
    left = [e for e in existing if e.path not in taken]  # articles none of whose raw exports are left
    result.warnings = warnings + _standing(root, kept + left, set(data)) + planned
    written = {display_path(p, root) for p in result.written}
    result.hand_written = {rel: sha for rel, sha in found_by_hand.items() if rel not in written}
    return result


def _standing(root: Path, articles: list[Existing], present: set[str]) -> list[ContentError]:
    """Warnings about imported article files as they stand: missing metadata, raw exports gone."""
    warnings = []
    for article in articles:
        warnings += report.missing_metadata(article.meta, display_path(article.path, root))
        warnings += report.dangling(article, present, root)
    return warnings


def _planned_warnings(root: Path, plan: list[Planned]) -> list[ContentError]:
    """Missing-metadata warnings for the articles this import writes."""
    warnings = []
    for item in (p for p in plan if p.text is not None):
        shown = display_path(item.path, root)
        warnings += report.missing_metadata(frontmatter.parse(item.text, shown).meta, shown)
    return warnings


def _gone_lines(root: Path, plan: list[Planned], present: set[str]) -> list[str]:
    """A line for each raw export an article was re-merged without because it is gone from sources/."""
    lines = []
    for item in plan:
        if item.old is not None and item.text is not None:
            shown = display_path(item.path, root)
            gone = sorted({f for f, _ in item.old.files()} - present)
            lines += [f"{name}: gone from sources/; {shown} merged again without it" for name in gone]
    return lines


def _parse_all(data: dict[str, bytes]) -> tuple[list[RawArticle], list[ContentError], list[ContentError], set[str]]:
    """Every source parsed; the errors of those that could not be; warnings; the pages holding no article."""
    raws, errors, warnings, skipped = [], [], [], set()
    for name, raw in data.items():
        try:
            parsed, notes = read_source(name, raw)
        except NotAnArticle as empty:  # a plain ContentError from here on: they are sorted with the others
            warnings.append(ContentError(empty.path, empty.line, empty.message, empty.severity))
            skipped.add(name)
        except ContentError as exc:
            errors.append(exc)
        else:
            raws.append(parsed)
            warnings += notes
    return raws, errors, warnings, skipped


def _match(article: Merged, existing: list[Existing], taken: set[Path]) -> Existing | None:
    """The existing file that holds this article: most sources shared by name or hash."""
    names = {f for f, _ in article.files()}
    shas = {s for _, s in article.files()}

    def overlap(e: Existing) -> int:
        """How many of e's sources belong to this article."""
        return sum(f in names or s in shas for f, s in e.files())

    candidates = [e for e in existing if e.path not in taken and overlap(e)]
    return max(candidates, key=lambda e: (overlap(e), -existing.index(e)), default=None)


def _new_path(root: Path, title: str, used: set[Path]) -> Path:
    """A free content/articles/<slug>.md for a new article."""
    base = shortened(slugify(title, fallback="artikel"), MAX_SLUG - 4)  # room for "-2", "-3"…
    path, n = root / store.ARTICLES / f"{base}.md", 2
    while path in used or path.exists():
        path, n = root / store.ARTICLES / f"{base}-{n}.md", n + 1
    return path


def _plan(
    root: Path, merged: list[Merged], existing: list[Existing], force: bool, present: set[str], raws: list[RawArticle]
):
    """A Planned entry for every article, and the errors that forbid writing.

    A file edited by hand whose raw exports changed keeps the editor's changes where the new
    import leaves those parts as they were; where both changed, the import stops (--force wins)."""
    plan, errors, taken = [], [], set()
    for article in merged:
        old = _match(article, existing, taken)
        if old is not None:
            taken.add(old.path)
            if {f for f in old.files() if f[0] in present} == article.files():  # a deleted export changes nothing
                plan.append(Planned(old.path, None, article, old))
                continue
        mine = HandEdits()
        if old is not None and old.hand_edited() and not force:
            base = edits.last_import(old, raws)
            mine = edits.hand_edits(old, base) if base is not None else mine
            clash = edits.clashes(mine, base, article, old) if base is not None else []
            if base is None or clash:
                errors.append(_edited_error(root, old, article, clash))
                continue
        path = old.path if old else _new_path(root, article.meta.get("title", ""), taken)
        taken.add(path)
        text = store.compose(article.meta, article.body, old, keep=mine.meta, keep_body=mine.body)
        plan.append(Planned(path, None if old and old.text == text else text, article, old, mine.names(article)))
    return plan, errors


def _edited_error(root: Path, old: Existing, article: Merged, clash: list[str]) -> ContentError:
    """The error for a hand-edited file whose sources changed what the editor changed (or in ways not traceable)."""
    changed = sorted({f for f, _ in old.files() ^ article.files()})
    both = f"; they change what you changed too ({', '.join(clash)})" if clash else ""
    return ContentError(
        display_path(old.path, root),
        1,
        f"edited by hand since it was imported, and its sources changed ({', '.join(changed)}){both} — "
        "re-import with 'python build.py --force' to replace the imported fields and body "
        "(your own added fields are kept), or merge the changes by hand and update the sources",
    )


def _write(root: Path, plan: list[Planned], n_sources: int) -> ImportReport:
    """Write the planned files (each atomically) and say what happened to every raw export."""
    result = ImportReport()
    for item in plan:
        if item.text is None:
            result.unchanged.append(item.path)
        else:
            store.write(item.path, item.text)
            result.written.append(item.path)
        shown = display_path(item.path, root)
        for source in item.article.sources:
            line = report.outcome(source.path, source.sha256, item.old, shown, item.text is not None)
            result.lines.append(line + (f" (kept your changes to {', '.join(item.kept)})" if item.kept else ""))
    result.summary = (
        f"imported {n_sources} sources into {len(plan)} articles: "
        f"{len(result.written)} written, {len(result.unchanged)} unchanged"
    )
    return result
