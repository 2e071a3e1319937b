"""The files of the site besides its pages: static files, feeds, sitemap, robots.txt, web annotations."""

from __future__ import annotations

from pathlib import Path

from ..content.files import unreadable
from ..content.model import Dossier
from ..errors import BuildFailed, ContentError, display_path
from . import web_annotations
from .feeds import outputs as feed_outputs
from .page import Page, SiteInfo


def static_files(root: Path) -> dict[str, bytes]:
    """Stylesheet, favicon and other files from layouts/static, as output path -> bytes; BuildFailed for a file
    that is not read (a link out of the project, a dangling link: see `unreadable`), never published."""
    base = root / "layouts" / "static"
    found, refused = {}, []
    for path in sorted(base.rglob("*")):
        if path.is_file() or path.is_symlink():
            shown = display_path(path, root)
            why = unreadable(path, shown)
            if why:
                refused.append(ContentError(shown, 1, why.replace("content/", "layouts/static/")))
            else:
                found[f"static/{path.relative_to(base).as_posix()}"] = path.read_bytes()
    if refused:
        raise BuildFailed(refused)
    return found


def outputs(root: Path, dossier: Dossier, pages: list[Page], info: SiteInfo, blocks_of=None) -> dict[str, bytes]:
    """Static files, feeds, sitemap, robots.txt and web annotations, as output path -> bytes (`blocks_of`:
    the annotated articles' blocks, where the build has them)."""
    annotations = web_annotations.outputs(dossier, info, blocks_of)
    return static_files(root) | feed_outputs(dossier, pages, info) | annotations
