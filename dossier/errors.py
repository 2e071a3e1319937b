"""Content errors that name a file and a line, in the shape Jinja uses."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(order=True, unsafe_hash=True)  # not frozen: a `with` block an error leaves sets its __traceback__
class ContentError(Exception):
    """A problem in one content or source file, at one line (1-based, 0 = whole file). Never changed once made."""

    path: str
    line: int
    message: str
    severity: str = "error"  # "error", "warning" or "note" (a hint such as a name to file: never fails)

    def __reduce__(self):
        """Pickled by its fields (an exception pickles its `args`, which a dataclass leaves empty), so an
        error found in a worker process reaches the parent intact."""
        return (ContentError, (self.path, self.line, self.message, self.severity))

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        prefix = f"{self.severity}: " if self.severity in ("warning", "note") else ""
        return f"{where}: {prefix}{self.message}"


class BuildFailed(Exception):
    """Raised with every problem found, so the user sees them all at once."""

    def __init__(self, errors: list[ContentError]):
        self.errors = sorted(set(errors))
        super().__init__("\n".join(str(e) for e in self.errors))

    def __reduce__(self):
        """Pickled by its errors, so it crosses a process boundary intact."""
        return (BuildFailed, (self.errors,))


def display_path(path: Path, root: Path) -> str:
    """Path relative to the project root, with forward slashes, for messages."""
    try:
        return path.relative_to(root).as_posix()  # the usual case, and fast: a path found under root
    except ValueError:
        pass
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return path.as_posix()
