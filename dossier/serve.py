"""Live preview: build, serve site/ on 127.0.0.1 with livereload, rebuild and reload on every save.

livereload's own watcher polls every 0.8 s and ignores changes within 3 s of the last
reload (`LiveReloadHandler.poll_tasks`), which would drop the second of two quick saves
and show a stale page. So the preview hears changes from the file system instead
(watchfiles, on inotify): a thread collects the changes under content/, layouts/ and
sources/, and the IOLoop waits until they have been quiet for `QUIET_MS` (a burst of
autosaves gives one rebuild), then has the builder thread rebuild in this warm process (only changed pages are
rendered and written; the articles, entities, analyses and fingerprints of the last good build are held in
memory, `incremental.resident`) while the IOLoop goes on serving. As soon as the dossier is read and joined again,
the pages of the saved articles and entities are rendered into memory, served from there and the browsers told to
reload (Hugo's server renders the pages being viewed first, too); once the whole site is written they are served
from site/ again, with the same bytes, and the browsers reload once more if anything else changed. The search
index is brought up to date after the reload, in the background (a search begun on the index it replaced is still
served that index's files). While the build is broken, every HTML request
is answered with the error page; site/ keeps the last good build.
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
import html
import shutil
import socket
import sys
import threading
import time
import traceback
from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path

import watchfiles
from jinja2 import Environment, FileSystemLoader, TemplateError
from livereload import Server
from livereload.handlers import LiveReloadHandler, StaticFileHandler
from livereload.watcher import Watcher
from tornado import ioloop

from .errors import BuildFailed, ContentError
from .incremental.resident import Resident
from .pipeline import BuildOptions, build, search_scratch
from .site.search import index_site, previous_index
from .site.urls import SEARCH_FOLDER

WATCHED = ("content", "layouts", "sources")  # layouts/ includes layouts/static
STEP_MS = 50  # how often the watching thread hands over what it heard
QUIET_MS = 100  # rebuild once saves have been quiet this long (after watchfiles' 50 ms step)…
BURST_QUIET_MS = 250  # …or this long when the last rebuild was asked for less than `BURST_S` ago (autosaves)…
BURST_S = 1.0
MAX_WAIT_MS = 2000  # …or at the latest this long after the first unbuilt save
VIEWED = 8  # pages served last that a save shows first when they read the saved file (Hugo: pages being viewed)
COLLECT_AFTER_S = 0.5  # the cyclic garbage of a build is collected this long after the browsers were told to reload


@contextlib.contextmanager
def collector_held_off():
    """Python's cyclic garbage collector paused while a preview build runs.

    A build makes millions of objects that outlive it (the plan, the facts held for the next save), and the
    collector would walk them again and again while they are made. They hold almost no cycles (about a
    hundred objects per build at 10,000 articles), so the preview collects once, after the reload, and then
    freezes what is left (`gc.freeze`): the facts it holds are not walked again by later collections."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def collect_and_freeze() -> None:
    """Collect a build's cyclic garbage, then leave the survivors out of every later collection."""
    gc.collect()
    gc.freeze()


def watched(change: watchfiles.Change, path: str) -> bool:
    """Whether a change matters: not editors' hidden, backup and swap files."""
    name = Path(path).name
    return not (name.startswith((".", "#")) or name.endswith(("~", ".swp", ".swx", ".tmp")))


class Preview:
    """The preview's state: what to build, whether the last build failed."""

    def __init__(self, options: BuildOptions, out=sys.stdout):
        self.options = replace(options, search=False)  # the index follows in the background
        self.search = options.search
        self.out = out
        self.failure: list[ContentError] | None = None
        self.builds = 0
        self.digests: dict[str, str] = {}
        self.resident = Resident()  # the engine's facts, held between builds: a save re-reads only what it changed
        self.first: Mapping[str, bytes] = {}  # output path -> bytes of the saved files' pages, until site/ has them
        self.viewed: tuple[str, ...] = ()  # the pages served last (output paths), newest first: the browsers show them
        self._indexer: threading.Thread | None = None
        self._index_wanted = threading.Event()

    def say(self, text: str) -> None:
        """One line of the preview's log."""
        print(text, file=self.out, flush=True)

    def rebuild(self, shown=None) -> bool:
        """Build once; remember the errors of a failed build instead of raising them. `shown` is called once the
        pages of the saved files are served from memory (`first`). True when the browsers need a reload beyond
        the one `shown` gave: the build failed or followed a failed one, nothing was shown first, or an HTML page
        other than those shown changed, came or went."""
        self.builds += 1
        started = time.perf_counter()

        def show(pages: Mapping[str, bytes]) -> None:
            self.first = pages
            self.say(f"shown first: {', '.join(sorted(pages))} ({time.perf_counter() - started:.2f} s)")
            if shown is not None and self.failure is None:  # (the last build's error page comes first: a reload
                shown()  # now would show it again, and the page it loads could miss the reload when this one ends)

        try:
            with collector_held_off():
                report = build(self.options, self.resident, show if shown is not None else None, self.viewed)
        except BuildFailed as failed:
            self.failure = failed.errors
            self.say(f"build {self.builds} failed: {len(failed.errors)} problem(s)")
            for error in failed.errors:
                self.say(f"  {error}")
            return True
        except Exception as exc:  # a bug must not stop the preview; show it like a content error
            self.failure = [ContentError("build", 0, f"internal error: {exc!r}")]
            self.say(f"build {self.builds} crashed:\n{traceback.format_exc()}")
            return True
        finally:
            first, self.first = self.first, {}  # site/ has them now (or the build failed)
        failed, self.failure = self.failure, None
        earlier, self.digests = self.digests, report.digests
        self.resident = report.resident or Resident()
        self.say(f"build {self.builds}: {report.summary()}")
        now = report.digests
        changed = {
            path
            for path in earlier.keys() | now.keys()
            if path.endswith(".html") and earlier.get(path) != now.get(path)
        }
        as_shown = all(now.get(path) == hashlib.sha256(data).hexdigest() for path, data in first.items())
        return bool(failed or not first or not as_shown or changed - first.keys())

    def seen(self, path: str) -> None:
        """A page was served (on the IOLoop): it is among the pages a save shows first when it reads the file."""
        self.viewed = (path, *(p for p in self.viewed if p != path))[:VIEWED]

    def index_later(self) -> None:
        """Bring the search index up to date in the background (one indexer at a time, latest site wins)."""
        if not self.search or self.failure:
            return
        self._index_wanted.set()
        if self._indexer is None:
            self._indexer = threading.Thread(target=self._index_loop, name="search-index", daemon=True)
            self._indexer.start()

    def _index_loop(self) -> None:
        """Index whenever asked, until the process ends."""
        while True:
            self._index_wanted.wait()
            self._index_wanted.clear()
            try:
                site, digests = self.options.site_dir, dict(self.digests)
                scratch, portable = search_scratch(self.options), self.options.portable
                if index_site(site, digests, scratch, portable=portable, keep_previous=True):
                    self.say("search index updated")
            except BuildFailed as failed:
                self.say(f"search index not updated: {failed.errors[0]}")


class PreviewWatcher(Watcher):
    """livereload's watcher slot, filled with a watchfiles thread that hands changes to the IOLoop.

    watchfiles hands over what it heard every `STEP_MS`; the IOLoop waits until saves have been
    quiet for `QUIET_MS` (`BURST_QUIET_MS` while saves keep coming: within `BURST_S` of the last rebuild;
    at most `MAX_WAIT_MS` after the first unbuilt one), then wakes the builder
    thread, which rebuilds (once more if saves came in meanwhile) while the IOLoop serves."""

    def __init__(self, preview: Preview):
        super().__init__()
        self.preview = preview
        self._tasks = {", ".join(WATCHED): {}}  # so livereload does not add its default watch of the cwd
        self.stop = threading.Event()
        self.wanted = threading.Event()  # a rebuild is wanted (set by the IOLoop, taken by the builder)
        self.first: float | None = None  # when the first change not yet built was heard
        self.asked_at = float("-inf")  # when the last rebuild was asked for
        self.timer = None
        self.loop = None

    def start(self, callback) -> bool:
        """Start listening; True tells livereload not to start its own 0.8 s polling."""
        self.loop = loop = ioloop.IOLoop.current()
        root = self.preview.options.root
        folders = [str(root / f) for f in WATCHED if (root / f).is_dir()]

        def listen() -> None:
            for changes in watchfiles.watch(
                *folders, watch_filter=watched, step=STEP_MS, stop_event=self.stop, raise_interrupt=False
            ):
                loop.add_callback(self.heard, changes)

        threading.Thread(target=listen, name="watch", daemon=True).start()
        threading.Thread(target=self.builder, name="build", daemon=True).start()
        return True

    def heard(self, changes) -> None:
        """Saves were heard: (re)start the quiet-time countdown to the rebuild."""
        loop = ioloop.IOLoop.current()
        now = loop.time()
        self.first = self.first or now
        if self.timer is not None:
            loop.remove_timeout(self.timer)
        quiet = BURST_QUIET_MS if now - self.asked_at < BURST_S else QUIET_MS
        wait = min(quiet, max(0.0, self.first * 1000 + MAX_WAIT_MS - now * 1000)) / 1000
        self.timer = loop.call_later(wait, self.settled)

    def settled(self) -> None:
        """Saves have been quiet: ask the builder for a rebuild."""
        self.timer, self.first = None, None
        self.asked_at = ioloop.IOLoop.current().time()
        self.wanted.set()

    def builder(self) -> None:
        """Rebuild whenever asked: reload the browsers when the saved pages are shown and again when the site is
        written (if more changed), then update the search index; collect the build's garbage once saves pause."""
        while not self.stop.is_set():
            self.wanted.wait()
            self.wanted.clear()
            again = self.preview.rebuild(shown=lambda: self.loop.add_callback(reload_browsers))
            self.loop.add_callback(self.built, again)
            if not self.wanted.wait(COLLECT_AFTER_S):  # (a save meanwhile: collect after its build)
                collect_and_freeze()

    def built(self, reload: bool) -> None:
        """On the IOLoop, after a rebuild: reload the browsers if the site changed beyond the pages shown first,
        then bring the search index up to date."""
        if reload:
            reload_browsers()
        self.preview.index_later()


def reload_browsers() -> None:
    """Tell every connected browser to reload (on the IOLoop)."""
    LiveReloadHandler.reload_waiters(path="*")


class PreviewHandler(StaticFileHandler):
    """site/ as it is on disk, except that every page shows the error while the build is broken."""

    preview: Preview

    def initialize(self, path, default_filename=None, preview=None):  # tornado's handler set-up hook
        super().initialize(path, default_filename)
        self.preview = preview

    def set_extra_headers(self, path):
        """Never let the browser cache a preview."""
        self.set_header("Cache-Control", "no-store")

    def compute_etag(self):
        """No ETag for a page held in memory (tornado's is the digest of a file in site/)."""
        return super().compute_etag() if getattr(self, "absolute_path", None) else None

    async def get(self, path, include_body=True):
        """The file, the error page instead of any page, or the site's 404 page."""
        is_page = path == "" or path.endswith(("/", ".html")) or "." not in path.rsplit("/", 1)[-1]
        if self.preview.failure and is_page:
            self.set_status(500)
            self.set_header("Content-Type", "text/html; charset=utf-8")
            self.set_header("Cache-Control", "no-store")
            self.finish(error_page(self.preview.options.root, self.preview.failure))
            return
        first = None
        if is_page:
            page = output_path(path)
            self.preview.seen(page)
            first = self.preview.first.get(page)
        if first is not None:  # a saved file's page, before site/ has it
            self.set_header("Content-Type", "text/html; charset=utf-8")
            self.set_header("Cache-Control", "no-store")
            self.finish(first)
            return
        target = Path(self.root, path)
        if not is_page and not target.exists() and self.preview.search and path.startswith(SEARCH_FOLDER):
            self.root = str(previous_index(search_scratch(self.preview.options)))  # a search begun on the index
            path = path.removeprefix(SEARCH_FOLDER)  # just replaced goes on fetching the chunks that index named
        if is_page and not target.exists() and not (target / "index.html").exists():
            not_found = Path(self.root, "404.html")
            if not_found.exists():
                self.set_status(404)
                self.set_header("Content-Type", "text/html; charset=utf-8")
                self.finish(not_found.read_bytes())
                return
        await super().get(path, include_body)


def output_path(path: str) -> str:
    """The file of site/ a page's address names ('artikel/x/' and 'artikel/x': 'artikel/x/index.html')."""
    path = path.strip("/")
    return path if path.endswith(".html") else f"{path}/index.html".lstrip("/")


def source_line(root: Path, error: ContentError) -> str:
    """The offending line of the file an error names, or ''."""
    if error.line <= 0:
        return ""
    try:
        lines = (root / error.path).read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return ""
    return lines[error.line - 1] if error.line <= len(lines) else ""


def error_page(root: Path, errors: list[ContentError]) -> bytes:
    """The build error page from layouts/error.html, or a plain one when the layouts are broken too."""
    items = [
        {"path": e.path, "line": e.line, "message": e.message, "severity": e.severity, "source": source_line(root, e)}
        for e in errors
    ]
    try:
        env = Environment(loader=FileSystemLoader(str(root / "layouts")), autoescape=True)
        return env.get_template("error.html").render(errors=items).encode("utf-8")
    except (TemplateError, OSError):
        rows = "".join(f"<li><code>{html.escape(str(e))}</code></li>" for e in errors)
        return (
            '<!DOCTYPE html><html lang="de"><head><meta charset="utf-8"><title>Build-Fehler</title></head>'
            f"<body><h1>Build-Fehler</h1><ul>{rows}</ul></body></html>"
        ).encode()


class PreviewServer(Server):
    """livereload's server with the preview's handler for site/."""

    def __init__(self, preview: Preview):
        super().__init__(watcher=PreviewWatcher(preview))
        self.preview = preview

    def get_web_handlers(self, script):
        """One handler for everything under site/."""
        options = {"path": str(self.root), "default_filename": "index.html", "preview": self.preview}
        return [(r"/(.*)", PreviewHandler, options)]


def serve(options: BuildOptions, port: int = 8000) -> None:
    """Build, then serve site/ on 127.0.0.1:port until interrupted, rebuilding on every save."""
    with socket.socket() as probe:  # fail before building when the port is taken (OSError)
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        probe.bind(("127.0.0.1", port))
    preview = Preview(options)
    shutil.rmtree(previous_index(search_scratch(options)), ignore_errors=True)  # (an earlier preview's)
    preview.rebuild()
    collect_and_freeze()
    preview.index_later()
    options.site_dir.mkdir(parents=True, exist_ok=True)
    preview.say(f"Vorschau: http://127.0.0.1:{port}/  (watching {', '.join(WATCHED)}; Ctrl-C stops)")
    server = PreviewServer(preview)
    server.serve(port=port, host="127.0.0.1", root=str(options.site_dir), debug=False, restart_delay=0)
