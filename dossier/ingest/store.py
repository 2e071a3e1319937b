"""Content files of imported articles: read, compose (keeping editors' work), write."""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType

from ..content import frontmatter
from ..content.files import markdown_files
from ..content.load import decode, read_article
from ..errors import ContentError, display_path

ARTICLES = Path("content") / "articles"
SOURCES = Path("sources")


@dataclass
class Existing:
    """An article file already in content/articles/."""

    path: Path
    text: str
    meta: dict
    body: str
    provenance_lines: list[int] = field(default_factory=list)  # the file line of each provenance entry

    def files(self) -> set[tuple[str, str]]:
        """(file, sha256) of every source named in its provenance."""
        entries = self.meta.get("provenance") or []
        return {(str(e.get("file")), str(e.get("sha256"))) for e in entries if isinstance(e, dict)}

    def imported_keys(self) -> list[str]:
        """The keys the importer wrote last time."""
        imported = self.meta.get("imported")
        return list(imported.get("keys") or []) if isinstance(imported, dict) else []

    def editor_meta(self) -> dict:
        """The keys an editor added, in their order in the file."""
        own = set(self.imported_keys()) | {"imported"}
        return {k: v for k, v in self.meta.items() if k not in own}

    def hand_edited(self) -> bool:
        """Whether the imported keys or the body changed since the import."""
        imported = self.meta.get("imported")
        stored = imported.get("digest") if isinstance(imported, dict) else None
        return stored != digest(self.meta, self.imported_keys(), self.body)


def sha256(data: bytes | str) -> str:
    """Hex SHA-256 of bytes or UTF-8 text."""
    return hashlib.sha256(data.encode("utf-8") if isinstance(data, str) else data).hexdigest()


def digest(meta: dict, keys: list[str], body: str) -> str:
    """The digest of the imported keys and the body, as stored under `imported`."""
    return sha256(frontmatter.dump({k: meta[k] for k in keys if k in meta}, body))


DELETED = object()  # an imported key the editor removed by hand


def compose(imported: dict, body: str, old: Existing | None, keep: dict | None = None, keep_body: bool = False) -> str:
    """The file text: imported keys, then the editor's keys (which win), then `imported`.

    `keep` holds imported keys the editor changed by hand, with the editor's values (DELETED when
    removed), and `keep_body` keeps the editor's body. The digest stays that of the import's own
    values, so the file still reads as edited by hand and the next import compares again."""
    editor = old.editor_meta() if old else {}
    keys = [k for k in imported if k not in editor]
    meta = {k: imported[k] for k in keys}
    for key, value in (keep or {}).items():
        if value is DELETED:
            meta.pop(key, None)
        else:
            meta[key] = value
    meta.update(editor)
    meta["imported"] = {"keys": keys, "digest": digest(imported, keys, body)}
    return frontmatter.dump(meta, old.body if keep_body and old else body)


def source_files(root: Path) -> list[Path]:
    """The raw exports in sources/ (dotfiles and README files ignored), by name."""
    folder = root / SOURCES
    if not folder.is_dir():
        return []
    return sorted(
        p for p in folder.iterdir() if p.is_file() and not p.name.startswith(".") and not p.name.startswith("README")
    )


def read_articles(root: Path) -> tuple[list[Existing], list[ContentError]]:
    """Every article file with provenance, and the errors of files that do not parse."""
    found, _, errors = read_imported(root)
    return found, errors


def read_imported(
    root: Path, known: Mapping[str, str] = MappingProxyType({})
) -> tuple[list[Existing], dict[str, str], list[ContentError]]:
    """`read_articles`, and the SHA-256 of every article file found without provenance (by its path from the
    root). The files of `known` hold none with these bytes (the caller has checked): they are not read."""
    found, hand_written, errors = [], dict(known), []
    folder = root / ARTICLES
    for path in markdown_files(folder):
        rel = f"{ARTICLES}/{path.name}"
        if rel in known:
            continue
        data = path.read_bytes()
        try:
            text = data.decode("utf-8").replace("\r\n", "\n").replace("\r", "\n")  # as read_text reads it
        except UnicodeDecodeError:
            try:
                decode(data, display_path(path, root))
            except ContentError as exc:  # the content reader's message: the line and column of the byte
                errors.append(exc)
            continue
        if "provenance:" not in text:
            hand_written[rel] = sha256(data)
            continue  # written by hand: nothing to import into it (and no YAML to parse)
        try:
            doc = frontmatter.parse(text, display_path(path, root))
        except ContentError as exc:
            errors.append(exc)
            continue
        if doc.meta.get("provenance"):
            found.append(Existing(path, text, doc.meta, doc.body, doc.item_lines.get("provenance", [])))
    return found, hand_written, errors


def invalid_articles(root: Path, skip: set[str]) -> list[ContentError]:
    """The errors of the article files that are no valid article (the content reader's, with their lines), but
    those of `skip` (by path from the root). An import writes nothing while a file without readable provenance
    is broken: it may be the one that holds a raw export, which would be imported again beside it."""
    errors = []
    for path in markdown_files(root / ARTICLES):
        if f"{ARTICLES}/{path.name}" not in skip:
            errors += [e for e in read_article(path, display_path(path, root))[1] if e.severity == "error"]
    return errors


def write(path: Path, text: str) -> None:
    """Write a UTF-8 file atomically: a temporary file in the same folder, then os.replace.

    A reader (or a crash) sees the old file or the new one, never half of one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as out:
            out.write(text)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
