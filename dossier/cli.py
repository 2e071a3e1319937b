"""Command line: build (default), check, serve, new. No logic beyond parsing and printing."""

from __future__ import annotations

import argparse
import sys
import time
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from . import progress
from .errors import BuildFailed, ContentError, display_path

if TYPE_CHECKING:
    from .pipeline import BuildOptions


def _common_options(suppress: bool) -> argparse.ArgumentParser:
    """Options every command takes; SUPPRESS defaults on subcommands so values given before them survive."""
    common = argparse.ArgumentParser(add_help=False, argument_default=argparse.SUPPRESS if suppress else None)
    common.add_argument("--root", type=Path, help="project folder (default: current folder)")
    common.add_argument("--base-url", type=_web_address, help="published address for canonical URLs, feed and sitemap")
    common.add_argument(
        "--drafts", action="store_true", help="include files marked draft: true (every file `new` writes)"
    )
    common.add_argument(
        "--pretty-urls", action="store_true", help="link to folders (x/) instead of x/index.html; breaks file://"
    )
    common.add_argument("--strict", action="store_true", help="treat warnings as errors")
    common.add_argument("-j", "--jobs", type=int, help="processes to use (default: one per core)")
    common.add_argument("--no-search", action="store_true", help="skip the Pagefind search index (faster previews)")
    common.add_argument("-q", "--quiet", action="store_true", help="print errors only")
    common.add_argument(
        "--wait", type=float, metavar="SECONDS", help="wait this long for another build of the project (default: 600)"
    )
    common.add_argument("--force", action="store_true", help="re-import raw exports over hand-edited imported fields")
    return common


def parser() -> argparse.ArgumentParser:
    """The command-line contract of docs, tests and CI."""
    main = argparse.ArgumentParser(
        prog="dossier",
        description="Build the dossier site from content/ and sources/.",
        parents=[_common_options(False)],
    )
    main.set_defaults(
        root=Path.cwd(),
        drafts=False,
        pretty_urls=False,
        strict=False,
        quiet=False,
        force=False,
        jobs=0,
        no_search=False,
        wait=600.0,
    )
    sub = main.add_subparsers(dest="command")
    common = _common_options(True)
    sub.add_parser("build", parents=[common], help="import raw exports, then build site/ (default)")
    sub.add_parser("check", parents=[common], help="validate everything without writing site/")
    s = sub.add_parser("serve", parents=[common], help="live preview on 127.0.0.1, rebuilt on every save")
    s.add_argument("--port", type=int, default=8000, help="port on 127.0.0.1 (default: 8000)")
    new = sub.add_parser("new", parents=[common], help="create a content file with the right front matter")
    kinds = new.add_subparsers(dest="kind", required=True)
    article = kinds.add_parser("article", parents=[common], help="a hand-written article")
    article.add_argument("title")
    article.add_argument("--slug", help="file and URL name (default: from the title)")
    for kind, label in (("person", "a person"), ("organisation", "an organisation"), ("place", "a place")):
        entity = kinds.add_parser(kind, parents=[common], help=label)
        entity.add_argument("name")
        entity.add_argument("--slug", help="file and URL name (default: from the name)")
    event = kinds.add_parser("event", parents=[common], help="a dated event of the timeline (Chronik)")
    event.add_argument("title")
    event.add_argument("--date", required=True, type=_iso_date, help="day of the event, e.g. 2024-12-03")
    event.add_argument(
        "--source", required=True, action="append", help="article slug or web address (repeat for several)"
    )
    event.add_argument("--slug", help="file name (default: date and title)")
    note = kinds.add_parser("annotation", parents=[common], help="a note anchored to a passage of an article")
    note.add_argument("--article", required=True, help="slug of the article (its file name without .md)")
    note.add_argument("--passage", required=True, help="the exact text to annotate, copied from the article")
    note.add_argument(
        "--kind",
        dest="kind_name",
        default="Kontext",
        help="Kontext, Faktencheck, Korrektur or Hinweis (default: Kontext)",
    )
    note.add_argument("--occurrence", type=int, default=None, help="which occurrence, when the passage repeats (1, 2…)")
    note.add_argument("--author", default="Dossier-Redaktion", help="who writes the note")
    note.add_argument("--slug", help="file name (default: article and passage)")
    return main


def _web_address(text: str) -> str:
    """A published address from the command line: http(s), with a host."""
    from .content.schema import web_address_problem

    problem = web_address_problem(text)
    if problem:
        raise argparse.ArgumentTypeError(problem)
    return text


def _iso_date(text: str):
    """An ISO date from the command line."""
    import datetime as dt

    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date like 2024-12-03: {text!r}") from None


def options_from(args: argparse.Namespace) -> BuildOptions:
    """Build options from parsed arguments."""
    from .pipeline import BuildOptions  # imported late: a no-change build never needs the pipeline

    return BuildOptions(
        root=args.root.resolve(),
        base_url=args.base_url,
        drafts=args.drafts,
        portable=not args.pretty_urls,
        force_import=args.force,
        strict=args.strict,
        jobs=args.jobs,
        search=not args.no_search,
        quiet=args.quiet,
        wait=args.wait,
    )


def report_errors(errors: list[ContentError], *, strict: bool = False) -> None:
    """Print each problem as path:line: message, then a count (and, under --strict, why warnings failed)."""
    for error in errors:
        print(error, file=sys.stderr)
    count = sum(e.severity == "error" for e in errors)
    warnings = len(errors) - count
    why = ""
    if strict and warnings:
        why = "; under --strict warnings count as errors: fix them, or run without --strict to let them pass"
    print(f"{count} error(s), {warnings} warning(s){why}", file=sys.stderr)


def scaffold_from(args: argparse.Namespace, root: Path) -> Path:
    """Write the content file `new` asked for."""
    from . import scaffold

    if args.kind == "article":
        return scaffold.new_article(root, args.title, slug=args.slug)
    if args.kind == "annotation":
        return scaffold.new_annotation(
            root,
            args.article,
            args.passage,
            kind=args.kind_name,
            occurrence=args.occurrence,
            author=args.author,
            slug=args.slug,
        )
    if args.kind == "event":
        return scaffold.new_event(root, args.title, date=args.date, sources=args.source, slug=args.slug)
    return scaffold.new_entity(root, args.kind, args.name, slug=args.slug)


def run_check(options: BuildOptions, *, quiet: bool) -> int:
    """Print every problem, then the names still to file; 1 if any problem is an error (or a warning under
    --strict)."""
    from .check import check

    found = check(options)
    problems = [p for p in found if p.severity != "note"]
    failing = [p for p in problems if p.severity == "error" or options.strict]
    if failing:
        report_errors(problems, strict=options.strict)
    else:
        for warning in problems:
            print(warning, file=sys.stderr)
        if not quiet:
            print(f"check: no errors, {len(problems)} warning(s)")
    print_notes([p for p in found if p.severity == "note"], quiet=quiet)
    return 1 if failing else 0


def print_notes(notes: list[ContentError], *, quiet: bool) -> None:
    """The names still to file, under a heading of their own (not problems: they never fail a check)."""
    if notes and not quiet:
        print("names the texts use without a file (most frequent first; add one with the command shown):")
        for note in notes:
            print(f"  {note}")


def nothing_to_do(args: argparse.Namespace) -> bool:
    """The no-change build: if the cache shows inputs and site/ as the last build left them, report that and
    say True, without loading the pipeline (a build from here on would write nothing)."""
    from .incremental import cache, snapshots

    started = time.perf_counter()
    root = args.root.resolve()
    options = cache.options_key(
        base_url=args.base_url,
        drafts=args.drafts,
        portable=not args.pretty_urls,
        strict=args.strict,
        force_import=False,
    )
    state = snapshots.up_to_date(root, options, search=not args.no_search)
    if state is None:
        return False
    for warning in state.warnings:
        print(ContentError(*warning), file=sys.stderr)
    if not args.quiet:
        print(progress.summary(state.pages, 0, state.files, 0, time.perf_counter() - started))
    return True


GC_THRESHOLDS = (200_000, 50, 1000)  # a build makes millions of small objects that live until it ends:
# collecting after every 700 allocations (Python's default) cost a quarter of a 10,000-article rebuild


def main(argv: list[str] | None = None) -> int:
    """Run one command; 0 on success, 1 on content problems."""
    return run(argv)[0]


def run(argv: list[str] | None = None) -> tuple[int, object]:
    """`main`, and what the command built (a build's `working` set), for a process that exits at once to
    leave unfreed (`build.py`)."""
    import gc

    gc.set_threshold(*GC_THRESHOLDS)
    args = parser().parse_args(argv)
    if args.command in (None, "build") and not args.force and nothing_to_do(args):
        return 0, None
    options = options_from(args)
    try:
        if args.command == "check":
            return run_check(options, quiet=args.quiet), None
        if args.command == "serve":
            from .serve import serve

            try:
                serve(options, port=args.port)
            except OSError as exc:  # the port is taken, most often
                print(
                    f"cannot serve on 127.0.0.1:{args.port}: {exc.strerror}; try --port {args.port + 1}",
                    file=sys.stderr,
                )
                return 1, None
            return 0, None
        if args.command == "new":
            path = scaffold_from(args, options.root)
            print(f"created {display_path(path, options.root)}")
            return 0, None
        from .pipeline import build

        report = build(replace(options, progress=progress.wanted(args.quiet)))
        for warning in report.warnings:
            print(warning, file=sys.stderr)
        if not args.quiet:
            print(report.summary())
        return 0, report.working
    except BuildFailed as failed:
        report_errors(failed.errors, strict=args.strict)
        return 1, None
    except ContentError as error:  # one problem raised on its own (a stage's helper): reported the same way
        report_errors([error], strict=args.strict)
        return 1, None
