"""The pages of saved files, rendered into memory before the rest of the site is planned.

The preview shows a saved article's (or entity's) page, and the article and entity pages open in its
browsers that read the saved file, as soon as the dossier has been read and joined again, the way
Hugo's server renders the pages being viewed first: the page is planned here as the whole
plan plans it (`pages.pages_of`) and rendered in this process, and the build goes on to plan, render and
write the whole site as always, where that page gets these same bytes.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from ..content.model import Dossier
from . import pages, render
from .page import SiteInfo


class Held:
    """A sink that holds the bytes it is handed (`render.render_span` hands them over)."""

    def __init__(self):
        self.files: dict[str, bytes] = {}

    def put(self, rel: str, data: bytes) -> bool:
        """Take a page's bytes."""
        self.files[rel] = data
        return True


def rendered_first(
    layouts: Path, dossier: Dossier, files: frozenset[str], paths: frozenset[str], info: SiteInfo, framed: pages.Frame
) -> Mapping[str, bytes]:
    """Output path -> bytes of the pages of the articles and entities read from `files` and of the article and
    entity pages at `paths` that read one of them, planned in the frame of the whole plan (`pages.frame`);
    nothing when there are none or one of them cannot be rendered (the build says why)."""
    planned = pages.pages_of(dossier, files, framed, paths)
    if not planned:
        return {}
    held = Held()
    done = render.render_span((layouts, planned, info, held), (0, len(planned)))
    return {} if done.errors else held.files
