"""What the command line asked a build for."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .incremental import lock
from .incremental.workers import default_jobs


@dataclass(frozen=True)
class BuildOptions:
    """What the command line asked for."""

    root: Path
    base_url: str | None = None  # overrides content/_index.md's base_url
    drafts: bool = False
    portable: bool = True  # links name index.html, so site/ works from file://
    force_import: bool = False
    strict: bool = False  # warnings fail the build
    progress: bool = False  # draw a progress bar on stderr (a terminal, not -q)
    jobs: int = 0  # processes for analysing and rendering; 0: one per core
    search: bool = True  # index the site with Pagefind after writing it
    quiet: bool = False  # print errors only (not what the import did)
    wait: float = lock.DEFAULT_WAIT_S  # seconds to wait for another build of the project to finish

    @property
    def processes(self) -> int:
        """How many processes the build may use."""
        return self.jobs if self.jobs > 0 else default_jobs()

    @property
    def site_dir(self) -> Path:
        """Where the site is written."""
        return self.root / "site"
