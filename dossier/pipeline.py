"""The build, top to bottom: import raw exports, read content, plan pages, render, write.

Nothing is written to site/ until every content file has been read, checked and every
page rendered in memory; a failed build leaves site/ exactly as it was.
"""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass
from pathlib import Path

from . import (
    analysis,
    annotations,
    cache,
    content,
    mentions,
    pages,
    passages,
    progress,
    render,
    similarity,
    timeline,
    workers,
    write,
)
from .blocks import blocks
from .errors import BuildFailed, ContentError
from .feeds import outputs as feed_outputs
from .fingerprint import Fingerprinter
from .ingest import import_sources
from .memo import ArticleMemo
from .model import Dossier
from .search import index_site
from .sentences import split_sentences

DECISIONS_FILE = "similarity.pickle"  # answers of similarity.ratio_at_least, kept for the next build


@dataclass(frozen=True)
class BuildOptions:
    """What the command line asked for."""

    root: Path
    base_url: str | None = None  # overrides content/_index.md's base_url
    drafts: bool = False
    portable: bool = True  # links name index.html, so site/ works from file://
    force_import: bool = False
    strict: bool = False  # warnings fail the build
    progress: bool = False  # draw a progress bar on stderr (a terminal, not -q)
    jobs: int = 0  # processes for analysing and rendering; 0: one per core
    search: bool = True  # index the site with Pagefind after writing it
    quiet: bool = False  # print errors only (not what the import did)

    @property
    def processes(self) -> int:
        """How many processes the build may use."""
        return self.jobs if self.jobs > 0 else workers.default_jobs()

    @property
    def site_dir(self) -> Path:
        """Where the site is written."""
        return self.root / "site"


@dataclass
class BuildReport:
    """One line's worth of what a build did."""

    pages: int
    written: int
    unchanged: int
    removed: int
    seconds: float
    warnings: list[ContentError]

    def summary(self) -> str:
        """'12 pages: 3 written, 9 unchanged, 0 removed in 0.21 s'."""
        return progress.summary(self.pages, self.written, self.unchanged, self.removed, self.seconds)


def read_dossier(
    root: Path,
    *,
    drafts: bool = False,
    jobs: int = 1,
    memo: ArticleMemo | None = None,
    digests: dict[str, str] | None = None,
) -> tuple[Dossier | None, list[ContentError]]:
    """Every content file read, checked and analysed, as one typed dossier.

    With a `memo` (and the SHA-256 `digests` of the input files), articles whose bytes are
    unchanged since an earlier build are taken from it instead of being read and analysed."""
    home, errors = content.load_home(root)
    known = memo.known_articles() if memo else None
    articles, article_errors = content.load_articles(root, drafts=drafts, known=known, digests=digests)
    errors += article_errors
    entities, entity_errors = content.load_entities(root)
    errors += entity_errors
    dossier = Dossier(home=home, articles=articles, entities=entities)
    text_errors = analyse_text(dossier, jobs=jobs, memo=memo, digests=digests) if home is not None else []
    notes, note_errors = content.load_annotations(root)
    article_files = {p.stem for p in (root / "content" / "articles").glob("*.md")}
    anchored, anchor_errors = annotations.anchor_all(notes, articles, hidden=article_files, blocks_of=dossier.blocks)
    errors += note_errors + anchor_errors
    events, event_errors = content.load_events(root)
    errors += event_errors + timeline.check(events, articles, entities)
    if home is None:
        return None, errors
    dossier.annotations, dossier.events = anchored, events
    return dossier, errors + text_errors


def analyse_text(
    dossier: Dossier, *, jobs: int = 1, memo: ArticleMemo | None = None, digests: dict[str, str] | None = None
) -> list[ContentError]:
    """Mentions, quotations with their speakers, and passages shared between articles, found in the bodies."""
    analyser = analysis.Analyser(dossier.entities)
    articles = dossier.articles
    said = memo.sentences(articles, analyser.digest) if memo else [None] * len(articles)
    missing = [i for i, sentences in enumerate(said) if sentences is None]
    fresh = dict(zip(missing, analyser.analyse_all([articles[i] for i in missing], jobs=jobs), strict=True))
    said = [fresh[i].sentences if i in fresh else sentences for i, sentences in enumerate(said)]
    # the join of shared passages needs only the sentences: it starts now, in another process
    apart = jobs if len(articles) >= analysis.PARALLEL_MIN else 1  # a small dossier is joined faster than forked
    dossier.passages = workers.Background(passages.join_passages, [a.slug for a in articles], said, jobs=apart)
    texts = memo.analyses(articles, analyser.digest, analyser.by_key, said) if memo else [None] * len(articles)
    texts = [fresh.get(i) or text or analyser.analyse(articles[i]) for i, text in enumerate(texts)]
    if memo is not None and digests is not None:
        memo.stage(digests, dossier.articles, texts, analyser.digest, dossier.entities)
    dossier.matcher = analyser.digest
    dossier.mention_keys = {a.slug: t.mention_keys for a, t in zip(dossier.articles, texts, strict=True)}
    dossier.blocks = {a.slug: t.blocks for a, t in zip(dossier.articles, texts, strict=True)}
    dossier.quotes = [q for text in texts for q in text.quotes]
    dossier.mentions = [m for text in texts for m in text.mentions]
    errors = [e for text in texts for e in text.errors]
    errors += mentions.ambiguous_aliases(dossier.entities, analyser.matcher)
    blocks.cache_clear()  # the analyses shared these; rendering parses afresh
    split_sentences.cache_clear()
    return errors


def site_info(dossier: Dossier, options: BuildOptions) -> pages.SiteInfo:
    """Site-wide facts for the layouts."""
    base_url = options.base_url if options.base_url is not None else dossier.home.base_url
    return pages.SiteInfo(
        title=dossier.home.title,
        description=dossier.home.description,
        base_url=base_url.rstrip("/") + "/" if base_url else "",
        portable=options.portable,
        nav=pages.NAV,
    )


def static_files(root: Path) -> dict[str, bytes]:
    """Stylesheet, favicon and other files from layouts/static, as output path -> bytes."""
    base = root / "layouts" / "static"
    return {f"static/{p.relative_to(base).as_posix()}": p.read_bytes() for p in sorted(base.rglob("*")) if p.is_file()}


def plan_site(
    options: BuildOptions,
    memo: ArticleMemo | None = None,
    digests: dict[str, str] | None = None,
    marks: Fingerprinter | None = None,
) -> tuple[Dossier, list[pages.Page], list[ContentError]]:
    """The dossier and its page plan, or BuildFailed with every problem; the warnings.

    `marks` starts fingerprinting the pages that are ready while the shared passages are joined."""
    dossier, errors = read_dossier(
        options.root, drafts=options.drafts, jobs=options.processes, memo=memo, digests=digests
    )
    if dossier is None:
        raise BuildFailed(errors)
    early = (lambda ready: [marks.digest(page) for page in ready]) if marks is not None else None
    planned, plan_errors = pages.plan(dossier, portable=options.portable, early=early)
    errors += plan_errors
    warnings = [e for e in errors if e.severity == "warning"]
    if len(warnings) < len(errors) or (options.strict and warnings):
        raise BuildFailed(errors + body_errors(planned))
    return dossier, planned, warnings


def render_site(options: BuildOptions) -> tuple[dict[str, bytes], list[pages.Page], list[ContentError]]:
    """Every output file in memory, or the errors that prevent it (for `check`)."""
    dossier, planned, warnings = plan_site(options)
    info = site_info(dossier, options)
    env = render.make_environment(options.root / "layouts")
    outputs: dict[str, bytes] = static_files(options.root)
    render_errors = []
    for page in planned:
        try:
            outputs[page.path] = render.render_page(env, page, info)
        except BuildFailed as failed:
            render_errors += failed.errors
    if render_errors:
        raise BuildFailed(render_errors)
    outputs.update(feed_outputs(dossier, planned, info))
    return outputs, planned, warnings


def body_errors(planned: list[pages.Page]) -> list[ContentError]:
    """The link problems of every article body (rendered only for this), to report with other problems."""
    return [e for page in planned if page.body is not None for e in page.body.render()[1]]


def check(options: BuildOptions) -> list[ContentError]:
    """Validate everything a build would, and every internal link, writing nothing: all problems found."""
    from .checks import run

    return run(options)


def build(options: BuildOptions) -> BuildReport:
    """Import new or changed raw exports, then bring site/ up to date."""
    started = time.perf_counter()
    imported = import_sources(options.root, force=options.force_import)
    for line in [] if options.quiet else imported.say():
        print(line)  # what the import did, per raw export
    key = cache.global_key(cache_options(options))
    previous = cache.load(options.root, key)
    inputs, scanned_at = cache.input_snapshot(options.root, previous)
    if previous and cache.nothing_to_do(previous, inputs, options.site_dir, search=options.search):
        return BuildReport(
            pages=previous.pages,
            written=0,
            unchanged=previous.files,
            removed=0,
            seconds=time.perf_counter() - started,
            warnings=[ContentError(*w) for w in previous.warnings],
        )
    memo = ArticleMemo(options.root, key)
    staging = write.Staging(options.root, options.site_dir)
    similarity.DECISIONS = similarity.Decisions(cache.load_memo(options.root, DECISIONS_FILE, key))
    try:
        marks = Fingerprinter()
        try:
            dossier, planned, warnings = plan_site(options, memo, {rel: sha for rel, (_, sha) in inputs.items()}, marks)
        except BuildFailed as failed:  # the import's warnings (pages skipped, metadata missing) are said too
            raise BuildFailed(failed.errors + imported.warnings) from None
        warnings = imported.warnings + warnings
        state, written = render_and_stage(options, key, dossier, planned, inputs, previous, staging, marks)
        removed = write.remove_stale(options.site_dir, set(state.digests))
        memo.commit()
        cache.save_memo(options.root, DECISIONS_FILE, key, similarity.DECISIONS.asked)  # only what is still asked
    finally:
        similarity.DECISIONS = similarity.Decisions()
        staging.discard()
        memo.close()
    if options.search:
        index_site(options.site_dir, state.digests, portable=options.portable)
    state.outputs = cache.output_snapshot(options.site_dir)
    state.scanned_at = scanned_at
    state.searched = options.search
    state.warnings = [(w.path, w.line, w.message, w.severity) for w in warnings]
    cache.save(options.root, state)
    return BuildReport(
        pages=len(planned),
        written=written,
        unchanged=state.files - written,
        removed=removed,
        seconds=time.perf_counter() - started,
        warnings=warnings,
    )


def render_and_stage(
    options: BuildOptions,
    key: str,
    dossier: Dossier,
    planned: list[pages.Page],
    inputs: dict,
    previous: cache.BuildState | None,
    staging: write.Staging,
    marks: Fingerprinter,
) -> tuple[cache.BuildState, int]:
    """Render the pages whose data changed since the last build, stage changed bytes, move them into site/.

    A page is skipped when its fingerprint (layouts, site information, page data) equals the
    last build's and its file in site/ is as that build left it. Raises BuildFailed, with
    site/ untouched, when any page cannot be rendered. Returns the new state and files written."""
    info = site_info(dossier, options)
    layouts = sorted((rel, sha) for rel, (_, sha) in inputs.items() if rel.startswith("layouts/"))
    marks.salt = repr((layouts, info)).encode()
    fingerprints = {page.path: marks.page(page) for page in planned}
    old_prints = previous.fingerprints if previous else {}
    old_digests = previous.digests if previous else {}
    old_outputs = previous.outputs if previous else {}
    now = cache.output_snapshot(options.site_dir)
    todo = [
        page
        for page in planned
        if not (
            old_prints.get(page.path) == fingerprints[page.path]
            and page.path in old_digests
            and page.path in now
            and old_outputs.get(page.path) == now[page.path]
        )
    ]
    staging.reset()
    with progress.Progress("rendering", len(todo), enabled=options.progress) as bar:
        done = render.render_pages(
            options.root / "layouts", todo, info, staging, jobs=options.processes, advance=bar.advance
        )
    if done.errors:
        raise BuildFailed(done.errors)
    digests = {page.path: old_digests[page.path] for page in planned if page.path not in done.digests}
    digests.update(done.digests)
    extras = static_files(options.root) | feed_outputs(dossier, planned, info)
    staged = done.staged + [rel for rel, data in sorted(extras.items()) if staging.put(rel, data)]
    for rel, data in extras.items():
        digests[rel] = hashlib.sha256(data).hexdigest()
    staging.commit(staged)
    state = cache.BuildState(key, inputs, {}, len(planned), len(digests))
    state.fingerprints = {p: fingerprints[p] for p in sorted(fingerprints)}
    state.digests = dict(sorted(digests.items()))
    return state, len(staged)


def cache_options(options: BuildOptions) -> dict:
    """The build options that shape the output, for the cache's global key."""
    return cache.options_key(
        base_url=options.base_url,
        drafts=options.drafts,
        portable=options.portable,
        strict=options.strict,
        force_import=options.force_import,
    )
