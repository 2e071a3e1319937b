"""Live preview: a real `build.py serve` on a free port, driven by a real Chromium through Playwright."""

from __future__ import annotations

import hashlib
import io
import re
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from playwright.sync_api import expect

from dossier import serve
from dossier.cli import options_from, parser
from dossier.errors import ContentError
from dossier.pipeline import BuildOptions
from dossier.site.search import html_digest, is_current

from conftest import ROOT, copy_project

ARTICLE = "content/articles/nato-chef-mark-rutte-teilt-aus.md"
ARTICLE_URL = "artikel/nato-chef-mark-rutte-teilt-aus/index.html"
WAIT_MS = 20_000  # generous: a rebuild takes well under a second, CI machines can be slow


def free_port() -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(condition, what: str, timeout: float = 30.0):
    """Poll until condition() is truthy; fail naming `what` after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.05)
    pytest.fail(f"timed out after {timeout} s waiting for {what}")


class Preview:
    """A running preview server and its log."""

    def __init__(self, root: Path, port: int, process: subprocess.Popen, log: Path):
        self.root, self.port, self.process, self.log = root, port, process, log

    def url(self, path: str = "") -> str:
        """Address of an output path on the preview."""
        return f"http://127.0.0.1:{self.port}/{path}"

    def builds(self) -> int:
        """How many builds the server has run so far (each logs one 'build N' line)."""
        return len(re.findall(r"^build \d+", self.log.read_text(encoding="utf-8"), re.M))

    def connections(self) -> int:
        """How many browsers have connected to livereload."""
        return self.log.read_text(encoding="utf-8").count("Browser Connected")

    def open(self, browser, path: str):
        """A new tab on `path`, once livereload in it has connected."""
        before = self.connections()
        page = browser.new_page()
        page.goto(self.url(path))
        wait_for(lambda: self.connections() > before, "livereload to connect")
        return page


def responds(url: str) -> bool:
    """Whether the server answers at all (any HTTP status)."""
    try:
        with urllib.request.urlopen(url, timeout=2):
            return True
    except urllib.error.HTTPError:
        return True
    except OSError:
        return False


@pytest.fixture(scope="module")
def preview(tmp_path_factory):
    """`python build.py serve` on a copy of the project, stopped after the module's tests."""
    root = copy_project(tmp_path_factory.mktemp("preview"))
    port = free_port()
    log = root / "serve.log"
    with log.open("w", encoding="utf-8") as out:
        process = subprocess.Popen(
            [sys.executable, str(ROOT / "build.py"), "serve", "--root", str(root), "--port", str(port)],
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    running = Preview(root, port, process, log)
    try:
        wait_for(lambda: process.poll() is not None or responds(running.url()), "the server to start", 60)
        assert process.poll() is None, log.read_text(encoding="utf-8")
        yield running
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


@pytest.fixture
def article(preview):
    """The article file the test may change; restored afterwards (and the restore rebuilt)."""
    path = preview.root / ARTICLE
    original = path.read_text(encoding="utf-8")
    yield path, original
    if path.read_text(encoding="utf-8") != original:
        before = preview.builds()
        path.write_text(original, encoding="utf-8")
        wait_for(lambda: preview.builds() > before, "the restoring rebuild")


def listening_addresses(port: int) -> list[str]:
    """Local addresses (hex, as the kernel lists them) of the sockets listening on a TCP port."""
    found = []
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            lines = Path(table).read_text(encoding="ascii").splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            local, state = line.split()[1], line.split()[3]
            address, _, hex_port = local.rpartition(":")
            if state == "0A" and int(hex_port, 16) == port:  # 0A: LISTEN
                found.append(address)
    return found


def test_serves_only_on_loopback_with_livereload(preview):
    with urllib.request.urlopen(preview.url(), timeout=5) as response:
        html = response.read().decode("utf-8")
    assert "livereload.js" in html
    assert listening_addresses(preview.port) == ["0100007F"]  # 127.0.0.1 only, no IPv6, no 0.0.0.0


def test_an_edit_changes_the_open_page_without_a_manual_reload(preview, browser, article):
    path, original = article
    page = preview.open(browser, ARTICLE_URL)
    page.evaluate("window.__notReloaded = true")
    path.write_text(original + "\nEin neuer Absatz aus der Vorschau 4711.\n", encoding="utf-8")
    expect(page.locator("p", has_text="Ein neuer Absatz aus der Vorschau 4711.")).to_be_visible(timeout=WAIT_MS)
    assert page.evaluate("window.__notReloaded === undefined"), "the page should have been reloaded by livereload"
    page.close()


SEARCH = """async q => {
  const pf = await import('/pagefind/pagefind.js');
  const r = await pf.search(q);
  return Promise.all(r.results.map(async x => (await x.data()).url)); }"""

BEGIN = """async q => {
  window.__pf = await import('/pagefind/pagefind.js');
  window.__found = (await window.__pf.search(q)).results;
  return window.__found.length; }"""


def search_document(preview, browser):
    """A new tab on a document of the preview without livereload (the index's entry file), which no save
    reloads: a search in it is never cut short by a reload."""
    page = browser.new_page()
    page.goto(preview.url("pagefind/pagefind-entry.json"))
    return page


def found_by_a_fresh_search(preview, browser, word: str) -> bool:
    """Whether a search module loaded anew finds `word` in the article."""
    fresh = search_document(preview, browser)
    try:
        return any(url.endswith(ARTICLE_URL) for url in fresh.evaluate(SEARCH, word))
    finally:
        fresh.close()


def index_is_current(preview) -> bool:
    """Whether site/pagefind/ was made from the pages now in site/ (no background update is due)."""
    site = preview.root / "site"
    pages = {
        str(path.relative_to(site)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in site.rglob("*.html")
        if "pagefind" not in path.relative_to(site).parts
    }
    return is_current(site, html_digest(pages, portable=True))


def test_the_search_index_follows_a_save_in_the_background(preview, browser, article):
    """The page reloads first; the search index is updated after it, and then finds the new word."""
    path, original = article
    page = preview.open(browser, ARTICLE_URL)
    assert not found_by_a_fresh_search(preview, browser, "Quasselstrippenwettbewerb")
    path.write_text(original + "\nEin Quasselstrippenwettbewerb fand nicht statt.\n", encoding="utf-8")
    expect(page.locator("p", has_text="Quasselstrippenwettbewerb")).to_be_visible(timeout=WAIT_MS)
    wait_for(lambda: found_by_a_fresh_search(preview, browser, "Quasselstrippenwettbewerb"), "the new word")
    page.close()


def test_a_search_begun_before_the_index_is_replaced_goes_on(preview, browser, article):
    """A search whose index was replaced in the background (the page holds the old index's chunk names) still
    loads its results: the preview serves the chunks of the index just replaced (as when a page loads while
    the index is swapped)."""
    path, original = article
    wait_for(lambda: index_is_current(preview), "the index of the site as it is")  # (an earlier test's save)
    page = search_document(preview, browser)
    assert page.evaluate(BEGIN, "Rutte") >= 1  # the results are found, their texts (fragments) not yet loaded
    path.write_text(original + "\nEin Plaudertaschenwettbewerb mit Rutte fand nicht statt.\n", encoding="utf-8")
    wait_for(lambda: found_by_a_fresh_search(preview, browser, "Plaudertaschenwettbewerb"), "the new index")
    urls = page.evaluate("Promise.all(window.__found.map(async x => (await x.data()).url))")
    assert any(url.endswith(ARTICLE_URL) for url in urls), urls
    page.close()


def test_a_broken_file_shows_the_error_on_every_page_and_the_fix_restores_it(preview, browser, article):
    path, original = article
    page = preview.open(browser, ARTICLE_URL)
    title = page.locator("h1").inner_text()
    on_disk = (preview.root / "site" / ARTICLE_URL).read_bytes()
    builds = preview.builds()
    path.write_text(original.replace("title:", "title: [kaputt\nx:", 1), encoding="utf-8")
    errors = page.locator(".build-errors")
    expect(errors).to_contain_text(f"{ARTICLE}:", timeout=WAIT_MS)
    expect(errors).to_contain_text("broken YAML front matter")
    other = browser.new_page()
    response = other.goto(preview.url("themen/index.html"))
    assert response.status == 500
    expect(other.locator(".build-errors")).to_contain_text(ARTICLE)
    assert (preview.root / "site" / ARTICLE_URL).read_bytes() == on_disk, "site/ must keep the last good build"
    assert preview.process.poll() is None and preview.builds() > builds
    path.write_text(original, encoding="utf-8")
    expect(page.locator("h1")).to_have_text(title, timeout=WAIT_MS)
    expect(page.locator(".build-errors")).to_have_count(0)
    other.reload()
    expect(other.locator(".build-errors")).to_have_count(0)
    page.close()
    other.close()


def test_a_burst_of_fifty_saves_gives_one_rebuild(preview, browser, article):
    path, original = article
    page = preview.open(browser, ARTICLE_URL)
    before = preview.builds()
    for n in range(50):
        path.write_text(original + f"\nAutosave Nummer {n}.\n", encoding="utf-8")
        time.sleep(0.01)  # an editor's autosave rhythm, not a wait
    expect(page.locator("p", has_text="Autosave Nummer 49.")).to_be_visible(timeout=WAIT_MS)
    assert preview.builds() - before <= 2, preview.log.read_text(encoding="utf-8")
    assert preview.process.poll() is None
    page.close()


def test_drafts_only_with_the_drafts_option(project):
    assert options_from(parser().parse_args(["serve", "--drafts", "--port", "9"])).drafts is True
    assert options_from(parser().parse_args(["serve"])).drafts is False
    draft = project / "content" / "articles" / "entwurf.md"
    draft.write_text("---\ntitle: Entwurf\ndate: 2024-12-05\ndraft: true\n---\n\nNoch nicht fertig.\n", "utf-8")
    page = project / "site" / "artikel" / "entwurf" / "index.html"
    log = io.StringIO()
    serve.Preview(BuildOptions(root=project), out=log).rebuild()
    assert not page.exists()
    serve.Preview(BuildOptions(root=project, drafts=True), out=log).rebuild()
    assert page.exists(), log.getvalue()


def test_error_page_survives_broken_layouts(tmp_path):
    (tmp_path / "layouts").mkdir()
    (tmp_path / "layouts" / "error.html").write_text("{% broken", encoding="utf-8")
    page = serve.error_page(tmp_path, [ContentError("content/x.md", 3, "kaputt <b>")]).decode("utf-8")
    assert "content/x.md:3: kaputt &lt;b&gt;" in page


def test_a_taken_port_is_refused_before_building(project):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = subprocess.run(
            [sys.executable, str(ROOT / "build.py"), "serve", "--root", str(project), "--port", str(port)],
            capture_output=True,
            text=True,
            timeout=120,
        )
    assert result.returncode == 1
    assert f"cannot serve on 127.0.0.1:{port}" in result.stderr and f"--port {port + 1}" in result.stderr
    assert not (project / "site").exists()


def test_the_garbage_collector_is_paused_only_while_a_preview_build_runs(project, monkeypatch):
    """A preview build runs with Python's cyclic collector paused (it would walk the held facts over and over);
    it is running again after the build, a failed one too, and what a build left is collected and frozen."""
    import gc

    seen: list[bool] = []

    def failing(options, resident, *shown):
        seen.append(gc.isenabled())
        raise serve.BuildFailed([ContentError("content/x.md", 1, "kaputt")])

    preview = serve.Preview(BuildOptions(root=project, search=False), out=io.StringIO())
    monkeypatch.setattr(serve, "build", failing)
    assert gc.isenabled()
    preview.rebuild()
    assert seen == [False] and gc.isenabled() and preview.failure
    monkeypatch.undo()
    preview.rebuild()
    assert preview.failure is None and gc.isenabled() and preview.resident.articles
    frozen = gc.get_freeze_count()
    serve.collect_and_freeze()
    assert gc.get_freeze_count() > frozen
    gc.unfreeze()


def test_a_saved_article_s_page_is_shown_first_and_then_served_from_site(preview, browser, article):
    """The real preview logs the saved article's page as shown first, then builds; the page then served is
    the file site/ holds (with livereload's script), the edit in it."""
    path, original = article
    page = preview.open(browser, ARTICLE_URL)
    log_before = len(preview.log.read_text(encoding="utf-8"))
    builds = preview.builds()
    path.write_text(original + "\nEin Absatz, zuerst aus dem Speicher 8150.\n", encoding="utf-8")
    expect(page.locator("p", has_text="zuerst aus dem Speicher 8150")).to_be_visible(timeout=WAIT_MS)
    wait_for(lambda: preview.builds() > builds, "the rebuild")
    assert f"shown first: {ARTICLE_URL} (" in preview.log.read_text(encoding="utf-8")[log_before:]
    with urllib.request.urlopen(preview.url(ARTICLE_URL), timeout=5) as response:
        served = response.read()
    on_disk = (preview.root / "site" / ARTICLE_URL).read_bytes()
    injected = rb'<script type="text/javascript">\(function\(\)\{.*?</script>(?=</head>)'  # livereload's
    assert re.sub(injected, b"", served, count=1, flags=re.S) == on_disk
    page.close()


def test_pages_held_in_memory_are_served_before_site_s_files_at_every_address_of_the_page(project):
    """`Preview.first` (the saved files' pages) answers a page's addresses ahead of site/; other files and
    pages still come from site/, and the error page still wins while the build is broken."""
    import asyncio

    from tornado.web import Application

    preview = serve.Preview(BuildOptions(root=project, search=False), out=io.StringIO())
    preview.rebuild()
    site = project / "site"
    held = b"<!DOCTYPE html><html><head><title>x</title></head><body>aus dem Speicher</body></html>"
    port, ready, result = free_port(), threading.Event(), {}

    def run() -> None:
        async def main() -> None:
            app = Application([(r"/(.*)", serve.PreviewHandler, {"path": str(site), "preview": preview})])
            server = app.listen(port, address="127.0.0.1")
            ready.set()
            while not result.get("done"):
                await asyncio.sleep(0.02)
            server.stop()

        asyncio.run(main())

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    ready.wait(10)

    def get(path: str) -> tuple[int, bytes]:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/{path}", timeout=5) as response:
                return response.status, response.read()
        except urllib.error.HTTPError as error:
            return error.code, error.read()

    try:
        preview.first = {ARTICLE_URL: held}
        slug_dir = ARTICLE_URL.removesuffix("index.html")
        for address in (ARTICLE_URL, slug_dir, slug_dir.rstrip("/")):
            assert get(address) == (200, held), address
        assert get("index.html") == (200, (site / "index.html").read_bytes())
        assert preview.viewed[:2] == ("index.html", ARTICLE_URL)  # newest first, each page once
        preview.failure = [ContentError(ARTICLE, 3, "kaputt")]
        status, body = get(ARTICLE_URL)
        assert status == 500 and b"kaputt" in body
        preview.failure, preview.first = None, {}
        assert get(ARTICLE_URL) == (200, (site / ARTICLE_URL).read_bytes())
    finally:
        result["done"] = True
        thread.join(10)
