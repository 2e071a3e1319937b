"""Shared helpers for tests that drive a real Chromium or serve the built site over HTTP.

Browser tests use pytest-playwright's session-scoped ``browser`` fixture (one Chromium per
test session); ``tests/conftest.py`` points it at Debian's ``/usr/bin/chromium`` (see
:func:`find_chromium`) with :data:`CHROMIUM_ARGS`. Never ``playwright install``: it downloads a browser and fails here.

Typical use::

    from browser import file_url, served_site

    def test_x(browser, site, tmp_path):
        with served_site(site, tmp_path) as root_url:       # http://127.0.0.1:PORT/dossier/
            page = browser.new_page()
            page.goto(root_url + "index.html")
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import os
import shutil
import socket
import threading
from collections.abc import Iterator
from pathlib import Path


def find_chromium() -> str:
    """Debian's /usr/bin/chromium, or $CHROMIUM_PATH, or a Chrome on PATH (GitHub's runners)."""
    candidates = [os.environ.get("CHROMIUM_PATH", ""), "/usr/bin/chromium"]
    candidates += [shutil.which(name) or "" for name in ("chromium", "chromium-browser", "google-chrome")]
    return next((c for c in candidates if c and os.path.exists(c)), "/usr/bin/chromium")


CHROMIUM = find_chromium()
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SUBPATH = "dossier"  # the site is served under /dossier/, like a GitHub Pages project site
TOOLS = Path(__file__).resolve().parent / "tools"
NODE_MODULES = TOOLS / "node_modules"
AXE_JS = NODE_MODULES / "axe-core" / "axe.min.js"


def launch_args() -> dict:
    """Keyword arguments for ``playwright.chromium.launch`` on this machine."""
    return {"executable_path": CHROMIUM, "args": list(CHROMIUM_ARGS), "headless": True}


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def readable_copy(site: Path, dest: Path) -> Path:
    """Copy site/ to dest with world-readable modes (linkchecker drops to `nobody` as root)."""
    shutil.copytree(site, dest)
    for dirpath, dirnames, filenames in os.walk(dest):
        os.chmod(dirpath, 0o755)
        for name in dirnames:
            os.chmod(os.path.join(dirpath, name), 0o755)
        for name in filenames:
            os.chmod(os.path.join(dirpath, name), 0o644)
    return dest


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    """Static file handler that does not log every request to stderr."""

    def end_headers(self):
        """Allow linkchecker more than 10 requests a second (it honours this header only)."""
        self.send_header("LinkChecker", "allow")
        super().end_headers()

    def log_message(self, format, *args):
        """Stay quiet."""


@contextlib.contextmanager
def serve(directory: Path, port: int | None = None) -> Iterator[str]:
    """Serve a folder on 127.0.0.1 in a background thread; yields 'http://127.0.0.1:PORT/'."""
    handler = functools.partial(_QuietHandler, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port or 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@contextlib.contextmanager
def served_site(site: Path, tmp: Path, port: int | None = None) -> Iterator[str]:
    """Serve a world-readable copy of site/ under /dossier/; yields the site's root URL."""
    parent = tmp / "www"
    readable_copy(site, parent / SUBPATH)
    with serve(parent, port) as root:
        yield f"{root}{SUBPATH}/"


def file_url(path: Path) -> str:
    """The file:// URL of a path on disk."""
    return path.resolve().as_uri()


def html_pages(site: Path) -> list[str]:
    """Output paths of every HTML page of a built site (search index excluded), sorted."""
    return sorted(
        p.relative_to(site).as_posix() for p in site.rglob("*.html") if p.relative_to(site).parts[0] != "pagefind"
    )


def run_axe(page, tags: tuple[str, ...] = ("wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa")) -> list[dict]:
    """axe-core's violations on the loaded page, as [{id, impact, help, targets}]."""
    page.add_script_tag(path=str(AXE_JS))
    result = page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", list(tags))
    return [
        {
            "id": v["id"],
            "impact": v["impact"],
            "help": v["help"],
            "targets": [" ".join(map(str, n["target"])) for n in v["nodes"]][:5],
        }
        for v in result["violations"]
    ]
