"""The Jinja environment: autoescape on, StrictUndefined, German dates from Babel."""

from __future__ import annotations

import datetime as dt
import hashlib
import traceback
from dataclasses import dataclass, field
from functools import lru_cache, partial
from pathlib import Path

from babel.dates import format_date
from jinja2 import Environment, FileSystemLoader, StrictUndefined, TemplateNotFound, TemplateSyntaxError

from ..content.files import unreadable
from ..content.load import decode
from ..content.slugs import slugify
from ..errors import BuildFailed, ContentError
from . import claim_review, labels, links, seo, urls
from .page import Page, SiteInfo


@lru_cache(maxsize=4096)  # a dossier has few distinct dates, shown on many pages; Babel takes ~50 µs each
def german_date(value: dt.date | None, fmt: str = "long") -> str:
    """'4. Dezember 2024' (long), '04.12.2024' (medium) or '4. Dez.' (short day+month)."""
    if value is None:
        return "unbekannt"
    if fmt == "day":
        return format_date(value, "d. MMM", locale="de_DE")
    return format_date(value, fmt, locale="de_DE")


class LayoutLoader(FileSystemLoader):
    """Jinja's file loader, except that a layout that is no UTF-8 text is a syntax error at its line and column
    (the loader raises a bare UnicodeDecodeError, which names no file)."""

    def get_source(self, environment: Environment, template: str):
        """The layout's source, file name and up-to-date check."""
        try:
            source = super().get_source(environment, template)
        except UnicodeDecodeError:
            path = next(p for p in (Path(f, template) for f in self.searchpath) if p.is_file())
            try:
                decode(path.read_bytes(), template)
            except ContentError as error:
                raise TemplateSyntaxError(error.message, error.line, template, str(path)) from None
            raise
        refused = unreadable(Path(source[1]), f"layouts/{template}")  # a link out of the project is never read
        if refused:
            raise TemplateSyntaxError(refused.replace("content/", "layouts/"), 1, template, source[1])
        return source


@lru_cache(maxsize=8)  # a warm process (the live preview) compiles each layout once; Jinja reloads changed files
def make_environment(layouts: Path) -> Environment:
    """The one Jinja environment for every page kind."""
    env = Environment(
        loader=LayoutLoader(str(layouts)),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["german_date"] = german_date
    env.filters["slugify"] = slugify
    env.filters["used_for"] = labels.used_for
    env.filters["raw_format"] = labels.raw_format
    env.globals["open_graph"] = seo.open_graph
    env.globals["schema_org"] = seo.schema_org
    env.globals["claim_reviews"] = claim_review.claim_reviews
    return env


def render_page(env: Environment, page: Page, site: SiteInfo) -> tuple[bytes, tuple]:
    """HTML (or XML/text) bytes of one planned page and the link targets its body looked up (`ArticleBody.render`;
    () for a page without one); BuildFailed with every problem found in it."""
    context, asked = page.context, ()
    if page.body is not None:
        body_html, errors, asked = page.body.render()
        if errors:
            raise BuildFailed(errors)
        context = {**context, "body_html": body_html}
    url = partial(_url_for, page.path, site.portable)
    absolute = partial(urls.absolute, site.base_url) if site.base_url else None
    try:
        template = env.get_template(page.template)
        text = template.render(page=page, site=site, url=url, absolute=absolute, paths=urls, **context)
    except Exception as exc:  # whatever a layout does wrong (a syntax error, an undefined name, 1 // 0, a
        # layout that includes itself) is its file and line, never a traceback
        name, line = _where(exc, env, page.template)
        raise BuildFailed([ContentError(_layout_path(name), line, _layout_problem(exc, page.path))]) from None
    return text.encode("utf-8"), asked


def _where(exc: Exception, env: Environment, template: str) -> tuple[str, int]:
    """The layout file and line at fault: a syntax error's own, else the innermost layout line the rendering
    was at (Jinja rewrites the traceback to the layouts' lines), else the page's layout at line 1."""
    if isinstance(exc, TemplateSyntaxError) and exc.filename:
        return exc.filename, exc.lineno or 1
    searched = getattr(env.loader, "searchpath", ())
    folders = tuple(str(Path(f)) for f in searched) + tuple(str(Path(f).resolve()) for f in searched)
    for frame in reversed(traceback.extract_tb(exc.__traceback__)):
        if frame.filename.startswith(folders) and frame.lineno:
            return frame.filename, frame.lineno
    return f"layouts/{template}", 1


def _layout_problem(exc: Exception, page: str) -> str:
    """What is wrong with a layout, and what to do."""
    if isinstance(exc, RecursionError):
        return f"the layout includes, extends or calls itself without end (rendering {page}); break the loop"
    if isinstance(exc, TemplateNotFound):
        return f"no layout '{exc.name}' in layouts/ (rendering {page}); create it, or correct the name"
    text = exc.message if isinstance(exc, TemplateSyntaxError) else str(exc)  # (its str() repeats file and line)
    return f"{exc.__class__.__name__}: {text} (rendering {page}); correct the layout at this line"


def _url_for(here: str, portable: bool, target, fragment: str = "") -> str:
    """Relative URL from the current page to an output path or an object with `.path`."""
    path = target if isinstance(target, str) else target.path
    return urls.relative(here, path, portable=portable, fragment=fragment)


def _layout_path(name: str) -> str:
    """A layout's path relative to the project, for messages."""
    marker = "layouts/"
    return name[name.rfind(marker) :] if marker in name else name


# --- many pages ------------------------------------------------------------------------------


@dataclass
class Rendered:
    """What rendering a batch of pages did."""

    digests: dict[str, str] = field(default_factory=dict)  # output path -> SHA-256 of its bytes
    staged: list[str] = field(default_factory=list)  # pages whose bytes the sink took (they differ from site/)
    errors: list[ContentError] = field(default_factory=list)
    anchors: dict[str, links.PageLinks] = field(default_factory=dict)  # HTML page -> its ids and #fragment links
    asked: dict[str, tuple] = field(default_factory=dict)  # page with a body -> the link targets it looked up

    def add(self, other: Rendered) -> None:
        """Gather another batch's result."""
        self.digests.update(other.digests)
        self.anchors.update(other.anchors)
        self.asked.update(other.asked)
        self.staged += other.staged
        self.errors += other.errors


def render_span(job: tuple, span: tuple[int, int]) -> Rendered:
    """Render pages [start, stop) of `job` = (layouts, pages, site, sink) and hand their bytes to the sink.

    The sink's `put(path, bytes)` says whether it took them (a staging folder takes changed files).
    Each HTML page's ids and outgoing #fragment links are read from its bytes here, on the worker."""
    layouts, planned, site, sink = job
    env = make_environment(layouts)
    done = Rendered()
    for page in planned[span[0] : span[1]]:
        try:
            data, asked = render_page(env, page, site)
        except BuildFailed as failed:
            done.errors += failed.errors
            continue
        done.digests[page.path] = hashlib.sha256(data).hexdigest()
        if page.body is not None:
            done.asked[page.path] = asked
        if page.path.endswith(".html"):
            done.anchors[page.path] = links.page_links(page.path, data)
        if sink.put(page.path, data):
            done.staged.append(page.path)
    return done
