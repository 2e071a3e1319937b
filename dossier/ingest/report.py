"""What an import tells the editor: one line per raw export, and warnings that name the content file."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..errors import ContentError, display_path
from .store import Existing

PROMISED = (  # metadata the editor's guide promises to report when no raw export gives it
    ("date", ("date",)),
    ("author", ("author", "authors")),
    ("publisher", ("publisher",)),
)


@dataclass
class ImportReport:
    """What an import wrote and what it left alone, said per raw export, and its warnings."""

    written: list[Path] = field(default_factory=list)
    unchanged: list[Path] = field(default_factory=list)
    summary: str = ""
    lines: list[str] = field(default_factory=list)  # 'sources/x.html: new article content/articles/y.md'
    warnings: list[ContentError] = field(default_factory=list)  # all with severity "warning"
    hand_written: dict[str, str] = field(default_factory=dict)  # article file without provenance -> SHA-256

    def say(self) -> list[str]:
        """The lines to print: one per raw export and the summary; when nothing was written, only the news."""
        news = self.lines if self.written else [line for line in self.lines if ": unchanged" not in line]
        return [*news, self.summary] if news else []


def outcome(source: str, sha: str, old: Existing | None, shown: str, written: bool) -> str:
    """What happened to one raw export of an article: new, merged, re-imported or unchanged."""
    if old is None:
        return f"{source}: new article {shown}"
    if not written:
        return f"{source}: unchanged ({shown})"
    if (source, sha) in old.files():
        return f"{source}: unchanged, but {shown} was updated from its other raw exports"
    if source in {f for f, _ in old.files()}:
        return f"{source}: changed, re-imported into {shown}"
    return f"{source}: merged into {shown}"


def missing_metadata(meta: dict, shown: str) -> list[ContentError]:
    """A warning when an imported article has no date, author or publisher (from its exports or by hand)."""
    missing = [name for name, keys in PROMISED if not any(meta.get(k) for k in keys)]
    if not missing:
        return []
    keys = ", ".join(f"'{'authors' if m == 'author' else m}:'" for m in missing)
    what = " or ".join([", ".join(missing[:-1]), missing[-1]] if len(missing) > 1 else missing)
    return [
        ContentError(
            shown,
            0,
            f"its raw exports give no {what}; add {keys} to this file by hand (a re-import keeps what you add)",
            "warning",
        )
    ]


def dangling(existing: Existing, present: set[str], root: Path) -> list[ContentError]:
    """A warning for every raw export named in an article's provenance that is no longer in sources/."""
    warnings = []
    entries = existing.meta.get("provenance") or []
    for i, entry in enumerate(entries):
        name = str(entry.get("file")) if isinstance(entry, dict) else ""
        if name and name not in present:
            line = existing.provenance_lines[i] if i < len(existing.provenance_lines) else 0
            warnings.append(
                ContentError(
                    display_path(existing.path, root),
                    line,
                    f"raw export {name} is gone from sources/; the article keeps what was imported from it — "
                    "put the file back, or remove its provenance entry (and the article, if it should go)",
                    "warning",
                )
            )
    return warnings
