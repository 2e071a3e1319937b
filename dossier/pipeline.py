"""The build, top to bottom: import raw exports, read content, analyse, join, plan pages, render, write.

Nothing is written to site/ until every content file has been read and checked and every
page rendered (into a staging folder of the cache); a failed build leaves site/ exactly as
it was. `check` runs the same stages and renderer, and writes nothing to site/. The engine
(`incremental/`) sits around the stages: it hands them remembered articles, analyses and joins,
tells which pages need rendering, and keeps what a build learned.
"""

from __future__ import annotations

import contextlib
import hashlib
import time
import uuid
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

from . import progress
from .content.files import refused_files
from .content.model import Dossier
from .errors import BuildFailed, ContentError
from .incremental import cache, lock, snapshots
from .incremental.anchor_index import AnchorIndex
from .incremental.fingerprint import Fingerprinter
from .incremental.joins import RememberedJoins
from .incremental.memo import ArticleMemo
from .incremental.outdated import fingerprinted, fingerprinter, kept_digests, of_files, outdated
from .incremental.passage_index import PassageIndex
from .incremental.readers import Readers
from .incremental.recall import Recall
from .incremental.resident import HeldEntities, Resident, resident_after
from .incremental.scope import RECORDED, Scope, frame_key
from .incremental.staging import Staging, recover, stale_files
from .incremental.workers import run_tasks
from .ingest import ImportReport, import_sources, variant_texts
from .options import BuildOptions
from .reading import read_dossier
from .site import extras as site_extras
from .site import links, pages, reach, render
from .site.page import Page, Reads, SiteInfo, site_info
from .site.preview_pages import rendered_first
from .site.search import index_site

ANSWERS_FILE = "similarity.pickle"  # similarity answers the joins used, kept for the next build
STAGING = "staging"  # folder of the cache where a build's changed files wait
SEARCHING = "search"  # folder of the cache where the search index is made


@dataclass
class BuildReport:
    """One line's worth of what a build did."""

    pages: int
    written: int
    unchanged: int
    removed: int
    seconds: float
    warnings: list[ContentError]
    digests: dict[str, str] = field(default_factory=dict)  # output path -> SHA-256 of the file in site/
    resident: Resident | None = None  # what a long-running process holds for its next build
    working: tuple = field(default=(), repr=False)  # plan and Fingerprinter, for an exiting process to leave unfreed

    def summary(self) -> str:
        """'12 pages: 3 written, 9 unchanged, 0 removed in 0.21 s'."""
        return progress.summary(self.pages, self.written, self.unchanged, self.removed, self.seconds)


@dataclass(frozen=True)
class Plan:
    """A dossier ready to render: its pages, the site's facts, the warnings met, what the joins learned."""

    dossier: Dossier
    pages: list[Page]
    info: SiteInfo
    warnings: list[ContentError]
    answers: dict[bytes, bool]
    blocks: dict[str, list] = field(default_factory=dict)  # article slug -> its body's blocks
    findings: list = field(default_factory=list)  # (analysis, `codec.items`) per article, for fingerprints
    entities: HeldEntities | None = None
    outlines: list[Page] = field(default_factory=list)  # the article and entity pages not planned, without data
    framed: pages.Frame | None = None
    frame: str = ""  # what the article and entity pages are planned against (`scope.frame_key`)

    def every_page(self) -> list[Page]:
        """The pages planned and those kept as the last build left them (`outlines`)."""
        return [*self.pages, *self.outlines]


Shown = Callable[[Mapping[str, bytes]], None]  # takes the pages of saved files (output path -> bytes) before the rest


def plan_site(
    options: BuildOptions,
    recall: Recall | None = None,
    first: tuple[frozenset, frozenset, Shown] | None = None,
    scope: Scope | None = None,
) -> Plan:
    """The dossier and its page plan, or BuildFailed with every problem (warnings too under --strict).

    `first`: (content files, output paths, what to call): once the dossier is read and joined without an error,
    the pages of those articles and entities, and those of the paths that read one of the files, are rendered
    and handed over before the plan of the site is made. `scope`: what the last build left, to plan only the
    article and entity pages a change can reach (`incremental.scope`; every page without)."""
    reading = read_dossier(options.root, drafts=options.drafts, jobs=options.processes, recall=recall)
    if reading.dossier is None:
        raise BuildFailed(reading.problems)
    framed = pages.frame(reading.dossier, options.portable, variant_texts(options.root, reading.dossier.articles))
    if first is not None and not [e for e in reading.problems if e.severity != "warning" or options.strict]:
        info = site_info(reading.dossier.home, options.portable, options.base_url)
        files, viewed, show = first
        shown = rendered_first(options.root / "layouts", reading.dossier, files, viewed, info, framed)
        if shown:
            show(shown)
    info = site_info(reading.dossier.home, options.portable, options.base_url)
    key = frame_key(reading.dossier, framed, info, scope.inputs, reading.entities.analyser.digest) if scope else ""
    only = scope.only(reading.dossier, key) if scope else None
    planned, plan_errors = pages.plan(reading.dossier, portable=options.portable, framed=framed, only=only)
    errors = reading.problems + plan_errors
    warnings = [e for e in errors if e.severity == "warning"]
    if len(warnings) < len(errors) or (options.strict and warnings):
        raise BuildFailed(links.beside_refused(errors + links.body_errors(planned)))
    found = (reading.answers, reading.blocks, reading.findings, reading.entities)
    outlines = reach.outlines(reading.dossier, only) if only is not None else []
    return Plan(reading.dossier, planned, info, warnings, *found, outlines, framed, key)


def planned_at(plan: Plan, paths: set[str]) -> list[Page]:
    """The pages at these paths among the plan's outlines, planned (a kept page that must be rendered after all)."""
    wanted = {page.path for page in plan.outlines} & paths
    if not wanted:
        return []
    more, _ = pages.plan(
        plan.dossier, portable=plan.info.portable, framed=plan.framed, only=reach.at(plan.dossier, wanted)
    )
    return [page for page in more if page.path in wanted]


CHUNK = 32  # pages per task handed to a worker
PARALLEL_PAGES = 4 * CHUNK  # fewer pages than this are rendered in this process
RENEW = 16  # tasks a render worker does before a fresh fork replaces it (bounds what it copies of this process)


def render_pages(options: BuildOptions, plan: Plan, todo: list[Page], sink: Staging) -> render.Rendered:
    """Render pages into the sink, on every core when there are many; BuildFailed with every problem.

    The one render path of `build` and `check`."""
    spans = [(i, min(i + CHUNK, len(todo))) for i in range(0, len(todo), CHUNK)]
    jobs = options.processes if len(todo) >= PARALLEL_PAGES else 1
    total = render.Rendered()
    with progress.Progress("rendering", len(todo), enabled=options.progress) as bar:

        def done(part: render.Rendered) -> None:
            total.add(part)
            bar.advance(len(part.digests))

        job = (options.root / "layouts", todo, plan.info, sink)
        run_tasks(render.render_span, job, spans, jobs=jobs, what="rendering pages", done=done, renew=RENEW)
    if total.errors:
        raise BuildFailed(total.errors)
    return total


def extras(options: BuildOptions, plan: Plan) -> dict[str, bytes]:
    """Static files, feeds, sitemap and robots.txt, as output path -> bytes."""
    return site_extras.outputs(options.root, plan.dossier, plan.every_page(), plan.info, plan.blocks)


def search_scratch(options: BuildOptions) -> Path:
    """Where the search index is made before it is moved into site/."""
    return options.root / cache.FOLDER / SEARCHING


def build(
    options: BuildOptions, resident: Resident | None = None, show: Shown | None = None, viewed: Collection[str] = ()
) -> BuildReport:
    """Import new or changed raw exports, then bring site/ up to date (one build of a project at a time).

    A long-running process passes what it holds from its last build (`resident`, empty at first: that build
    reads everything, even when site/ is up to date) and takes the report's for the next one; `show` is handed
    the pages of the articles and entities whose files changed since the last build, and those of the article
    and entity pages `viewed` (output paths) that read one of them, before the rest is made."""
    with lock.held(options.root, wait=options.wait):
        return _build(options, resident, show, viewed)


def _build(
    options: BuildOptions, resident: Resident | None, show: Shown | None, viewed: Collection[str]
) -> BuildReport:
    """`build`, with the lock held."""
    started = time.perf_counter()
    staging = Staging(options.root / cache.FOLDER / STAGING, options.site_dir)
    repaired = recover(staging.folder, options.site_dir)  # a killed build's switch of site/, finished
    key = cache.global_key(cache_options(options))
    previous = cache.load(options.root, key) if repaired is not False else None
    inputs, scanned_at = cache.input_snapshot(options.root, previous)
    imported, known = ImportReport(), cache.still_hand_written(previous, inputs)  # (those the import need not read)
    if not refused_files(options.root, "articles"):  # a file that is not read (a link out, a pipe): no import
        with contextlib.suppress(UnicodeDecodeError):  # an article file not UTF-8: plan_site fails with its line
            imported = import_sources(options.root, force=options.force_import, hand_written=known)
    if imported.written:  # the import changed content/articles: look again
        inputs, scanned_at = cache.input_snapshot(options.root, previous)
    for line in [] if options.quiet else imported.say():
        print(line)  # what the import did, per raw export
    warming = resident is not None and not resident.fits(key)  # a long-running process that holds nothing yet
    if previous and not warming and snapshots.nothing_to_do(previous, inputs, options.root, search=options.search):
        snapshots.keep_scan(options.root, previous, inputs, scanned_at)  # (files hashed again: trusted from now on)
        return BuildReport(
            pages=previous.pages,
            written=0,
            unchanged=previous.files,
            removed=0,
            seconds=time.perf_counter() - started,
            warnings=[ContentError(*w) for w in previous.warnings],
            digests=previous.digests,
            resident=resident,
        )
    if warming:  # it reads everything once, as a command-line build would, and holds it from now on
        resident = Resident(key)
    memo = ArticleMemo(options.root, key)
    index = PassageIndex(options.root, key)
    anchors = AnchorIndex(options.root, key)
    readers = Readers(options.root, key)
    try:
        held = resident if resident is not None else Resident()  # what a long-running process holds, if any
        answers = held.answers if held.answers is not None else cache.load_memo(options.root, ANSWERS_FILE, key)
        remembered = RememberedJoins(options.root, key, held.joins, held.statements)
        try:
            shas = {rel: sha for rel, (_, sha) in inputs.items()}
            first = None
            if show is not None and previous and not warming:  # the preview: the files saved since the last build
                saved = frozenset(rel for rel, sha in shas.items() if previous.inputs.get(rel, ("", ""))[1] != sha)
                first = (saved, frozenset(viewed), show) if saved else None
            found = snapshots.output_snapshot(options.site_dir, previous, options.root)  # site/ as found (once)
            scope = Scope(previous, readers, inputs, found, anchors.recorded)
            plan = plan_site(options, Recall(shas, memo, answers, remembered, index, resident), first, scope)
        except BuildFailed as failed:  # the import's warnings (pages skipped, metadata missing) are said too
            raise BuildFailed(failed.errors + imported.warnings) from None
        plan = replace(plan, warnings=imported.warnings + plan.warnings)
        state, staged, marks = render_and_stage(
            options, key, plan, inputs, previous, found, staging, anchors, held.prints
        )
        record_reads(readers, key, state, plan, previous)
        stale = stale_files(options.site_dir, set(state.digests), found)
        staging.commit(staged, stale)
        memo.commit()
        index.commit()
        anchors.commit()
        readers.commit()
        cache.save_memo(options.root, ANSWERS_FILE, key, plan.answers)  # only what is still asked
        remembered.save()
        if resident is not None:
            resident = resident_after(
                key, shas, plan.entities, plan.dossier, plan.findings, marks, plan.answers, remembered
            )
    finally:
        if not staging.pending():  # a switch that failed half way is finished by the next build
            staging.discard()
        memo.close()
        index.discard()  # what was not committed
        anchors.close()
        readers.close()
    if options.search:
        searching = {"portable": options.portable, "jobs": options.processes}
        index_site(options.site_dir, state.digests, search_scratch(options), **searching)
    state.outputs = snapshots.switched_snapshot(options.site_dir, found, staged, stale)
    state.folders = snapshots.folder_snapshot(options.site_dir, state.outputs)
    state.scanned_at, state.hand_written = scanned_at, imported.hand_written
    state.searched = options.search
    state.warnings = [(w.path, w.line, w.message, w.severity) for w in plan.warnings]
    cache.save(options.root, state)
    return BuildReport(
        pages=len(plan.every_page()),
        written=len(staged),
        unchanged=state.files - len(staged),
        removed=len(stale),
        seconds=time.perf_counter() - started,
        warnings=plan.warnings,
        digests=state.digests,
        resident=resident,
        working=(plan, marks),
    )


def render_and_stage(
    options: BuildOptions,
    key: str,
    plan: Plan,
    inputs: dict,
    previous: cache.BuildState | None,
    now: Mapping[str, cache.Stat],
    staging: Staging,
    anchors: AnchorIndex,
    carried: Mapping | None = None,
) -> tuple[cache.BuildState, list[str], Fingerprinter]:
    """Render the pages whose data changed since the last build and stage their changed bytes.

    A page is skipped when its fingerprint (layouts, site information, page data) equals the
    last build's and its file in site/ (`now`, `snapshots.output_snapshot`) is as that build left it; the
    pages not planned (`plan.outlines`) keep what that build left them. Raises BuildFailed, with site/
    untouched, when a page cannot be rendered or a #fragment link names no id (as `check` says;
    `anchors` checks the links that can have died; `carried`: digests an earlier build of this process
    worked out). Returns the new state, the staged files and the Fingerprinter (what it digested)."""
    made_of_files = [*plan.dossier.articles, *plan.dossier.entities]  # (each made of its file alone)
    carried = {**(carried or {}), **of_files(made_of_files, previous, inputs)}
    marks = fingerprinter(inputs, plan.info, plan.findings, carried)
    everywhere = Reads((plan.dossier.home.source.path,), (plan.entities.analyser.digest,))
    fingerprints, keys = fingerprinted(plan.pages, marks, inputs, everywhere, previous)
    for page in plan.outlines:  # (a scope is made only from a state that has both of every such page)
        fingerprints[page.path], keys[page.path] = previous.fingerprints[page.path], previous.reads[page.path]
    todo = outdated(plan.pages, fingerprints, previous, now, anchors.recorded)
    staging.reset()
    done = render_pages(options, plan, todo, staging)
    every = plan.every_page()
    html = {page.path for page in every if page.path.endswith(".html")}
    dead, known, unreadable = anchors.dead(done.anchors, html - set(done.anchors))
    if unreadable:  # kept pages whose stored links cannot be read back: rendered too
        again = [page for page in plan.pages if page.path in unreadable] + planned_at(plan, unreadable)
        done.add(render_pages(options, plan, again, staging))
        dead, known, _ = anchors.dead(done.anchors, html - set(done.anchors))
    if dead:
        origins, staged = links.page_origins(every), set(done.staged)
        read = {p: staging.read(p) if p in staged else (options.site_dir / p).read_bytes() for p in dead}
        raise BuildFailed([e for p in dead for e in links.fragment_problems(p, read[p], known, origins)])
    anchors.record(done.anchors, html)
    kept = [page.path for page in every if page.path not in done.digests]
    digests = {path: previous.digests[path] for path in kept} if previous else {}
    digests.update(done.digests)
    asked = {path: previous.asked[path] for path in kept if path in previous.asked} if previous else {}
    asked.update(done.asked)
    more = extras(options, plan)
    staged = done.staged + [rel for rel, data in sorted(more.items()) if staging.put(rel, data)]
    for rel, data in more.items():
        digests[rel] = hashlib.sha256(data).hexdigest()
    state = cache.BuildState(key, inputs, {}, len(every), len(digests), frame=plan.frame, token=uuid.uuid4().hex)
    state.fingerprints, state.reads = dict(sorted(fingerprints.items())), dict(sorted(keys.items()))
    state.objects = dict(sorted(kept_digests(made_of_files, marks, inputs).items()))
    state.digests = dict(sorted(digests.items()))
    state.asked = dict(sorted(asked.items()))
    return state, staged, marks


def record_reads(readers: Readers, key: str, state: cache.BuildState, plan: Plan, previous) -> None:
    """The files each planned article, entity and shared-passage page read, for the next build's scope
    (`incremental.scope`): when the store holds the last build's rows, only those of the pages whose read key
    changed (the key digests the files' paths: an equal key reads the same files) are written again."""
    trusted = previous is not None and bool(readers.token) and previous.token == readers.token
    last = previous.reads if trusted else {}
    read = {
        page.path: page.reads.files
        for page in plan.pages
        if page.template in RECORDED and page.reads and (not trusted or state.reads[page.path] != last.get(page.path))
    }
    gone = set(previous.fingerprints if previous else ()) - {page.path for page in plan.every_page()}
    readers.record(key, state.token, read, gone, every=not trusted)


def cache_options(options: BuildOptions) -> dict:
    """The build options that shape the output, for the cache's global key."""
    shaping = ("base_url", "drafts", "portable", "strict", "force_import")
    return cache.options_key(**{name: getattr(options, name) for name in shaping})
