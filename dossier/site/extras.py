"""The files of the site besides its pages: static files, feeds, sitemap, robots.txt, web annotations."""

from __future__ import annotations

from pathlib import Path

from ..content.model import Dossier
from . import web_annotations
from .feeds import outputs as feed_outputs
from .page import Page, SiteInfo


def static_files(root: Path) -> dict[str, bytes]:
    """Stylesheet, favicon and other files from layouts/static, as output path -> bytes."""
    base = root / "layouts" / "static"
    return {f"static/{p.relative_to(base).as_posix()}": p.read_bytes() for p in sorted(base.rglob("*")) if p.is_file()}


def outputs(root: Path, dossier: Dossier, pages: list[Page], info: SiteInfo) -> dict[str, bytes]:
    """Static files, feeds, sitemap, robots.txt and web annotations, as output path -> bytes."""
    return static_files(root) | feed_outputs(dossier, pages, info) | web_annotations.outputs(dossier, info)
