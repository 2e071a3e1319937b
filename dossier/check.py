"""`check`: everything a build validates, plus every internal link and #fragment, writing nothing to site/.

It runs the build's own stages and renderer (`pipeline.plan_site`, `pipeline.render_pages`)
into a folder of the cache, checks the links of the rendered pages, and lists the people the
texts name who have no file yet.
"""

from __future__ import annotations

from pathlib import Path

from .content import load as content
from .content.files import refused_files
from .errors import BuildFailed, ContentError
from .incremental import cache, lock
from .incremental.staging import Staging
from .ingest import store
from .pipeline import BuildOptions, Plan, extras, plan_site, render_pages
from .site import links
from .text.blocks import blocks
from .text.names import unfiled_names

CHECKING = "check"  # folder of the cache where `check` renders the site


def check(options: BuildOptions) -> list[ContentError]:
    """Validate everything a build would, and every internal link, writing nothing to site/: all problems found.

    Holds the project's build lock (its render folder is in the cache, like a build's)."""
    with lock.held(options.root, wait=options.wait):
        return _check(options)


def _check(options: BuildOptions) -> list[ContentError]:
    """`check`, with the lock held."""
    problems = pending_imports(options.root)
    sink = Staging(options.root / cache.FOLDER / CHECKING, options.site_dir, compare=False)
    try:
        plan = plan_site(options)
        sink.reset()
        render_pages(options, plan, plan.pages, sink)
        outputs = {page.path: sink.read(page.path) for page in plan.pages} | extras(options, plan)
    except BuildFailed as failed:
        return sorted(set(problems + failed.errors))
    finally:
        sink.discard()
    problems += plan.warnings + links.link_problems(outputs, links.page_origins(plan.pages))
    return sorted(set(problems)) + name_notes(options.root, plan)


NAME_NOTES = 12  # names still to file that `check` lists at most: a screenful with its heading


def name_notes(root: Path, plan: Plan) -> list[ContentError]:
    """People the texts name who have no file yet (not even a draft), most frequent first, as notes (they
    never fail a check)."""
    entities, _ = content.load_entities(root, drafts=True)  # a name filed as a draft is filed
    blocks_of = {
        a.slug: plan.blocks[a.slug] if a.slug in plan.blocks else blocks(a.body) for a in plan.dossier.articles
    }
    found = unfiled_names(plan.dossier.articles, blocks_of, entities, limit=NAME_NOTES)
    return [ContentError(*n.first, n.message(), "note") for n in found]


def pending_imports(root: Path) -> list[ContentError]:
    """Raw exports that the next build would import, as warnings (check imports nothing)."""
    if refused_files(root, "articles"):  # reported when the articles are read; the store would read them
        return []
    try:
        existing, _ = store.read_articles(root)  # their problems are reported when the articles are read
    except UnicodeDecodeError:  # an article file that is not UTF-8: reported, with its line, when read
        return []
    known = set().union(*(e.files() for e in existing)) if existing else set()
    return [
        ContentError(
            f"sources/{path.name}",
            0,
            "raw export not imported yet (new or changed); run 'python build.py' to import it",
            "warning",
        )
        for path in store.source_files(root)
        if (f"sources/{path.name}", store.sha256(path.read_bytes())) not in known
    ]
