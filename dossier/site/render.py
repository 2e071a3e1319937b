"""The Jinja environment: autoescape on, StrictUndefined, German dates from Babel."""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field
from functools import lru_cache, partial
from pathlib import Path

from babel.dates import format_date
from jinja2 import Environment, FileSystemLoader, StrictUndefined, TemplateError

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


@lru_cache(maxsize=8)  # a warm process (the live preview) compiles each layout once; Jinja reloads changed files
def make_environment(layouts: Path) -> Environment:
    """The one Jinja environment for every page kind."""
    env = Environment(
        loader=FileSystemLoader(str(layouts)),
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
    except TemplateError as exc:
        lineno = getattr(exc, "lineno", None) or 0
        name = getattr(exc, "filename", None) or f"layouts/{page.template}"
        error = ContentError(_layout_path(name), lineno, f"{exc.__class__.__name__}: {exc} (rendering {page.path})")
        raise BuildFailed([error]) from None
    return text.encode("utf-8"), asked


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
