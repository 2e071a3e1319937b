"""Import raw exports from sources/ into content/articles/: detect, parse, group, merge, write."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path

from ..content.frontmatter import normalize_text
from ..content.model import Article, RawFile
from ..content.slugs import slugify
from ..errors import BuildFailed, ContentError, display_path
from . import plain, store, taz_table, taz_text
from .raw import RawArticle
from .store import Existing
from .variants import Merged, group, merge

FORMATS = (taz_table, taz_text, plain)  # most specific first

__all__ = ["ImportReport", "import_sources", "parse_source", "variant_texts"]


@dataclass
class ImportReport:
    """What an import wrote and what it left alone."""

    written: list[Path] = field(default_factory=list)
    unchanged: list[Path] = field(default_factory=list)
    summary: str = ""


def parse_source(text: str, path: str) -> RawArticle:
    """Parse one raw export, whatever its format; ContentError when none fits."""
    for module in FORMATS:
        if module.detect(text):
            raw = module.parse(text, path)
            if raw.blocks:
                return raw
    raise ContentError(path, 1, "not a raw export this importer knows (plain text, taz text or taz table)")


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
        return tuple(b.text for b in parse_source(normalize_text(path.read_bytes()), name).blocks)
    except (OSError, UnicodeDecodeError, ContentError):
        return None


def import_sources(root: Path, *, force: bool = False) -> ImportReport:
    """Import new or changed raw exports; raise BuildFailed (writing nothing) on any problem."""
    data = {f"sources/{p.name}": p.read_bytes() for p in store.source_files(root)}
    if not data:
        return ImportReport([], [], "no raw exports in sources/")
    hashes = {name: store.sha256(raw) for name, raw in data.items()}
    existing, errors = store.read_articles(root)
    if errors:
        raise BuildFailed(errors)
    known = set().union(*(e.files() for e in existing))
    if all(item in known for item in hashes.items()):
        paths = [e.path for e in existing]
        return ImportReport([], paths, f"sources unchanged: {len(hashes)} files, {len(paths)} articles")
    raws, errors = _parse_all(data, hashes)
    if errors:
        raise BuildFailed(errors)
    merged = [merge(g, raws) for g in group(raws)]
    plan, errors = _plan(root, merged, existing, force)
    if errors:
        raise BuildFailed(errors)
    return _write(plan, len(data))


def _parse_all(data: dict[str, bytes], hashes: dict[str, str]) -> tuple[list[RawArticle], list[ContentError]]:
    """Every source parsed, and the errors of those that could not be."""
    raws, errors = [], []
    for name, raw in data.items():
        try:
            text = normalize_text(raw)
            raws.append(replace(parse_source(text, name), sha256=hashes[name]))
        except UnicodeDecodeError as exc:
            errors.append(ContentError(name, 1, f"not UTF-8 text ({exc.reason} at byte {exc.start})"))
        except ContentError as exc:
            errors.append(exc)
    return raws, errors


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
    base = slugify(title, fallback="artikel")
    path, n = root / store.ARTICLES / f"{base}.md", 2
    while path in used or path.exists():
        path, n = root / store.ARTICLES / f"{base}-{n}.md", n + 1
    return path


def _plan(root: Path, merged: list[Merged], existing: list[Existing], force: bool):
    """(path, text or None when unchanged) for every article, and the errors that forbid writing."""
    plan, errors, taken = [], [], set()
    for article in merged:
        old = _match(article, existing, taken)
        if old is not None:
            taken.add(old.path)
            if old.files() == article.files():
                plan.append((old.path, None))
                continue
            if old.hand_edited() and not force:
                errors.append(_edited_error(root, old, article))
                continue
        path = old.path if old else _new_path(root, article.meta.get("title", ""), taken)
        taken.add(path)
        text = store.compose(article.meta, article.body, old)
        plan.append((path, None if old and old.text == text else text))
    return plan, errors


def _edited_error(root: Path, old: Existing, article: Merged) -> ContentError:
    """The error for a hand-edited file whose sources changed."""
    changed = sorted({f for f, _ in old.files() ^ article.files()})
    return ContentError(
        display_path(old.path, root),
        1,
        f"edited by hand since it was imported, and its sources changed ({', '.join(changed)}) — "
        "re-import with 'python build.py --force' to replace the imported fields and body "
        "(your own added fields are kept), or merge the changes by hand and update the sources",
    )


def _write(plan: list[tuple[Path, str | None]], n_sources: int) -> ImportReport:
    """Write the planned files and report."""
    report = ImportReport()
    for path, text in plan:
        if text is None:
            report.unchanged.append(path)
        else:
            store.write(path, text)
            report.written.append(path)
    report.summary = (
        f"imported {n_sources} sources into {len(plan)} articles: "
        f"{len(report.written)} written, {len(report.unchanged)} unchanged"
    )
    return report
