"""Group raw exports that carry the same article, and merge each group into one article."""

from __future__ import annotations

from dataclasses import dataclass

from .links import merge_links, render, transfer
from .raw import RawArticle, Related
from .text import CUT, is_cut

SHINGLE = 4
THRESHOLD = 0.5
BODY_RANK = {"plain": 0, "web-page": 1, "taz-text": 2, "taz-table": 3}  # cleanest text first
META_RANK = {"taz-text": 0, "web-page": 1, "taz-table": 2, "plain": 3}  # richest metadata first
KEYS = (
    "title",
    "kicker",
    "teaser",
    "date",
    "authors",
    "publisher",
    "tags",
    "image_caption",
    "source_url",
    "related",
    "provenance",
)  # the importer's front-matter keys, in file order
USES = ("body", "links", "metadata", "related")
SCALARS = ("title", "kicker", "teaser", "date", "publisher", "image_caption", "source_url")


@dataclass
class Merged:
    """One article merged from its variants: imported front matter and Markdown body."""

    meta: dict
    body: str
    sources: list[RawArticle]

    def files(self) -> set[tuple[str, str]]:
        """(file, sha256) of every variant."""
        return {(s.path, s.sha256) for s in self.sources}


def shingles(raw: RawArticle) -> set[tuple[str, ...]]:
    """The body's overlapping word n-grams."""
    words = raw.words()
    return {tuple(words[i : i + SHINGLE]) for i in range(max(len(words) - SHINGLE + 1, 1))}


def similarity(a: set, b: set) -> float:
    """Share of the smaller text's shingles that the other text also has."""
    return len(a & b) / min(len(a), len(b)) if a and b else 0.0


def group(raws: list[RawArticle]) -> list[list[RawArticle]]:
    """Variants of the same article grouped together (by text), groups ordered by first file."""
    raws = sorted(raws, key=lambda r: r.path)
    sets = [shingles(r) for r in raws]
    parent = list(range(len(raws)))

    def root(i: int) -> int:
        """The representative of i's group."""
        while parent[i] != i:
            i = parent[i]
        return i

    first: dict[frozenset, int] = {}  # a text exported many times is compared once: its copies join its group
    for i, words in enumerate(sets):
        if words:
            parent[i] = first.setdefault(frozenset(words), i)
    distinct = [i for i in range(len(raws)) if parent[i] == i]
    for n, i in enumerate(distinct):
        for j in distinct[n + 1 :]:
            if root(i) != root(j) and similarity(sets[i], sets[j]) >= THRESHOLD:
                parent[root(j)] = root(i)
    groups: dict[int, list[RawArticle]] = {}
    for i, raw in enumerate(raws):
        groups.setdefault(root(i), []).append(raw)
    return list(groups.values())


def _pick(variants: list[RawArticle], key: str) -> tuple[object, RawArticle | None]:
    """The first uncut value of a field among variants (richest first), else the first cut one."""
    values = [(getattr(v, key), v) for v in variants if getattr(v, key)]
    whole = [(val, v) for val, v in values if not (isinstance(val, str) and is_cut(val))]
    return (whole or values or [(None, None)])[0]


def recover_title(kicker: str, cut: str, everything: list[RawArticle]) -> str:
    """The whole title for a cut one, from any export's related list (same kicker, same start)."""
    prefix = cut.removesuffix(CUT).rstrip()
    for raw in sorted(everything, key=lambda r: r.path):
        for entry in raw.related:
            if entry.kicker == kicker and entry.title.startswith(prefix) and not is_cut(entry.title):
                return entry.title
    return cut


def _list_field(variants: list[RawArticle], key: str, union: bool) -> tuple[list, set[str]]:
    """A list field from the variants: the first non-empty one, or all joined without repeats."""
    result: list = []
    used = set()
    for v in variants:
        values = getattr(v, key)
        if values and (union or not result):
            used.add(v.path)
            result.extend(x for x in values if x not in result)
    return result, used


def merge(variants: list[RawArticle], everything: list[RawArticle]) -> Merged:
    """One article from its variants: body from the cleanest, metadata from the richest."""
    by_body = sorted(variants, key=lambda v: (BODY_RANK[v.format], v.path))
    by_meta = sorted(variants, key=lambda v: (META_RANK[v.format], v.path))
    body_src = by_body[0]
    used: dict[str, set[str]] = {v.path: set() for v in variants}
    used[body_src.path].add("body")
    meta: dict = {}
    for key in SCALARS:
        value, src = _pick(by_meta, key)
        if value:
            meta[key] = value
            used[src.path].add("metadata")
    if is_cut(meta.get("title", "")):
        meta["title"] = recover_title(meta.get("kicker", ""), meta["title"], everything)
    for key, union in (("authors", False), ("tags", True)):
        values, srcs = _list_field(by_meta, key, union)
        if values:
            meta[key] = values
            for path in srcs:
                used[path].add("metadata")
    related, srcs = _list_field(by_meta, "related", False)
    if related:
        meta["related"] = [r.as_meta() for r in related if isinstance(r, Related)]
        for path in srcs:
            used[path].add("related")
    link_sets = []
    for v in by_meta:
        placed = v.links if v is body_src else transfer(v.blocks, v.links, body_src.blocks)
        if placed:
            used[v.path].add("links")
            link_sets.append(placed)
    body = render(body_src.blocks, merge_links(*link_sets))
    sources = sorted(variants, key=lambda v: v.path)
    meta["provenance"] = [provenance(v, used[v.path]) for v in sources]
    return Merged(meta={k: meta[k] for k in KEYS if k in meta}, body=body, sources=sources)


def provenance(raw: RawArticle, used: set[str]) -> dict:
    """The provenance entry of one variant."""
    uses = [u for u in USES if u in used]
    entry = {"file": raw.path, "format": raw.format, "sha256": raw.sha256, "used_for": uses}
    if raw.encoding != "utf-8":  # UTF-8, the usual case, goes unsaid (and seed files stay as they were)
        entry["encoding"] = raw.encoding
    return entry
