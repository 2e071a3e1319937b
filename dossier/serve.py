"""Live preview: build, serve site/ on 127.0.0.1 with livereload, rebuild and reload on every save.

livereload's own watcher polls every 0.8 s and ignores changes within 3 s of the last
reload (`LiveReloadHandler.poll_tasks`), which would drop the second of two quick saves
and show a stale page. So this module brings its own watcher (a `livereload.watcher.Watcher`
whose `start` runs the loop, as livereload's inotify watcher does): it polls the watched
folders every 0.1 s, waits until saves have been quiet for 0.25 s (a burst of autosaves
gives one rebuild), rebuilds in this warm process (the writer touches only changed files)
and then tells the browsers to reload. While the build is broken, every HTML request is
answered with the error page; site/ keeps the last good build.
"""

from __future__ import annotations

import html
import os
import socket
import sys
import time
import traceback
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, TemplateError
from livereload import Server
from livereload.handlers import LiveReloadHandler, StaticFileHandler
from livereload.watcher import Watcher
from tornado import ioloop

from .errors import BuildFailed, ContentError
from .pipeline import BuildOptions, build

WATCHED = ("content", "layouts", "sources")  # layouts/ includes layouts/static
POLL_MS = 100
QUIET_S = 0.25  # rebuild once saves have stopped for this long…
MAX_WAIT_S = 2.0  # …or at the latest this long after the first unbuilt save


def snapshot(root: Path) -> dict[str, tuple[int, int]]:
    """(mtime, size) of every watched file, skipping editors' hidden and backup files."""
    found = {}
    for folder in WATCHED:
        for dirpath, dirnames, filenames in os.walk(root / folder):
            dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
            for name in filenames:
                if name.startswith((".", "#")) or name.endswith(("~", ".swp", ".tmp")):
                    continue
                path = os.path.join(dirpath, name)
                try:
                    stat = os.stat(path)
                except FileNotFoundError:
                    continue
                found[path] = (stat.st_mtime_ns, stat.st_size)
    return found


class Preview:
    """The preview's state: what to build, whether the last build failed, what changed."""

    def __init__(self, options: BuildOptions, out=sys.stdout):
        self.options = options
        self.out = out
        self.failure: list[ContentError] | None = None
        self.builds = 0
        self.seen = snapshot(options.root)
        self.first_change: float | None = None
        self.last_change: float | None = None

    def say(self, text: str) -> None:
        """One line of the preview's log."""
        print(text, file=self.out, flush=True)

    def rebuild(self) -> None:
        """Build once; remember the errors of a failed build instead of raising them."""
        self.builds += 1
        try:
            report = build(self.options)
        except BuildFailed as failed:
            self.failure = failed.errors
            self.say(f"build {self.builds} failed: {len(failed.errors)} problem(s)")
            for error in failed.errors:
                self.say(f"  {error}")
        except Exception as exc:  # a bug must not stop the preview; show it like a content error
            self.failure = [ContentError("build", 0, f"internal error: {exc!r}")]
            self.say(f"build {self.builds} crashed:\n{traceback.format_exc()}")
        else:
            self.failure = None
            self.say(f"build {self.builds}: {report.summary()}")

    def poll(self) -> bool:
        """Notice saves; rebuild when they have settled. True when a rebuild happened."""
        now = time.monotonic()
        current = snapshot(self.options.root)
        if current != self.seen:
            self.seen = current
            self.last_change = now
            self.first_change = self.first_change or now
        if self.last_change is None:
            return False
        if now - self.last_change < QUIET_S and now - self.first_change < MAX_WAIT_S:
            return False
        self.first_change = self.last_change = None
        self.rebuild()
        self.seen = snapshot(self.options.root)  # the import may have written content/articles
        return True


class PreviewWatcher(Watcher):
    """livereload's watcher slot, filled with the preview's own polling and debouncing."""

    def __init__(self, preview: Preview):
        super().__init__()
        self.preview = preview
        self._tasks = {", ".join(WATCHED): {}}  # so livereload does not add its default watch of the cwd

    def start(self, callback) -> bool:
        """Poll on the IOLoop; True tells livereload not to start its own 0.8 s polling."""
        ioloop.PeriodicCallback(self.tick, POLL_MS).start()
        return True

    def tick(self) -> None:
        """Rebuild when needed, then reload every connected browser."""
        if self.preview.poll():
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

    async def get(self, path, include_body=True):
        """The file, the error page instead of any page, or the site's 404 page."""
        is_page = path == "" or path.endswith(("/", ".html")) or "." not in path.rsplit("/", 1)[-1]
        if self.preview.failure and is_page:
            self.set_status(500)
            self.set_header("Content-Type", "text/html; charset=utf-8")
            self.set_header("Cache-Control", "no-store")
            self.finish(error_page(self.preview.options.root, self.preview.failure))
            return
        target = Path(self.root, path)
        if is_page and not target.exists() and not (target / "index.html").exists():
            not_found = Path(self.root, "404.html")
            if not_found.exists():
                self.set_status(404)
                self.set_header("Content-Type", "text/html; charset=utf-8")
                self.finish(not_found.read_bytes())
                return
        await super().get(path, include_body)


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
    preview.rebuild()
    options.site_dir.mkdir(parents=True, exist_ok=True)
    preview.say(f"Vorschau: http://127.0.0.1:{port}/  (watching {', '.join(WATCHED)}; Ctrl-C stops)")
    server = PreviewServer(preview)
    server.serve(port=port, host="127.0.0.1", root=str(options.site_dir), debug=False, restart_delay=0)
