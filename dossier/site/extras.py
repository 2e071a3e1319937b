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


def outputs(root: Path, dossier: Dossier, pages: list[Page], info: SiteInfo, blocks_of=None) -> dict[str, bytes]:
    """Static files, feeds, sitemap, robots.txt and web annotations, as output path -> bytes (`blocks_of`:
    the annotated articles' blocks, where the build has them)."""
    annotations = web_annotations.outputs(dossier, info, blocks_of)
    return static_files(root) | feed_outputs(dossier, pages, info) | annotations
