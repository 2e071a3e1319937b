"""What an editor changed in an imported article, and whether a re-import can keep it.

The import's own values from last time are rebuilt from the raw exports it used (still in
sources/, same bytes) and trusted only when they give the digest stored under `imported`.
An imported key or the body the editor changed is kept as the editor left it, unless the
new raw exports change it too: then the two changes meet, and the import stops."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..content import frontmatter
from .raw import RawArticle
from .store import DELETED, Existing, digest
from .variants import Merged, merge


@dataclass
class HandEdits:
    """The imported keys (with the editor's values, or DELETED) and whether the body was changed by hand."""

    meta: dict = field(default_factory=dict)
    body: bool = False

    def names(self, new: Merged) -> list[str]:
        """The hand edits that differ from the new import, for messages: keys in file order, then 'body'."""
        keys = [k for k, mine in self.meta.items() if _differ(mine, new.meta.get(k, DELETED))]
        return [*keys, *(["body"] if self.body else [])]


def _differ(a: object, b: object) -> bool:
    """Whether two front-matter values (or DELETED) read differently in YAML."""
    if a is DELETED or b is DELETED:
        return a is not b
    return frontmatter.dump({"v": a}, "") != frontmatter.dump({"v": b}, "")


def last_import(old: Existing, raws: list[RawArticle]) -> Merged | None:
    """The article as the import last wrote it, rebuilt from its raw exports; None when that cannot be told."""
    used = [r for r in raws if (r.path, r.sha256) in old.files()]
    if len(used) != len(old.files()):
        return None  # a raw export it was made from is gone or changed
    stored = (old.meta.get("imported") or {}).get("digest")
    for everything in (used, raws):  # a cut title may have been completed from another export's list
        base = merge(used, everything)
        if digest(base.meta, old.imported_keys(), base.body) == stored:
            return base
    return None


def hand_edits(old: Existing, base: Merged) -> HandEdits:
    """What the editor changed in the imported keys and the body since the last import."""
    edits = HandEdits()
    for key in old.imported_keys():
        mine = old.meta.get(key, DELETED)
        if _differ(mine, base.meta.get(key, DELETED)):
            edits.meta[key] = mine
    edits.body = old.body.strip("\n") != base.body.strip("\n")
    return edits


def clashes(edits: HandEdits, base: Merged, new: Merged, old: Existing) -> list[str]:
    """The hand edits the new import changes otherwise (those cannot both be kept); agreeing changes do not clash."""
    keys = [
        k
        for k, mine in edits.meta.items()
        if _differ(new.meta.get(k, DELETED), base.meta.get(k, DELETED)) and _differ(new.meta.get(k, DELETED), mine)
    ]
    body = new.body.strip("\n")
    return keys + (["body"] if edits.body and body not in (base.body.strip("\n"), old.body.strip("\n")) else [])
