"""Which pages a build renders: those whose fingerprint (layouts, site information, page data) or file
in site/ is not as the last build left it, and the article pages whose links would now resolve otherwise."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence

from . import cache
from .fingerprint import Fingerprinter


def fingerprinter(inputs: Mapping, info, findings: Sequence, carried: Mapping | None = None) -> Fingerprinter:
    """A Fingerprinter salted with the layouts' digests and the site information, primed with the digests
    `carried` over from an earlier build of this process, that digests each analysis' mentions and quotations
    from its items (`findings`)."""
    layouts = sorted((rel, sha) for rel, (_, sha) in inputs.items() if rel.startswith("layouts/"))
    marks = Fingerprinter(repr((layouts, info)), findings)
    marks.prime(carried or {})
    return marks


def of_files(objects: Sequence, previous: cache.BuildState | None, inputs: Mapping) -> dict[int, tuple[object, bytes]]:
    """(object, digest) of the articles and entities read from files with the bytes they had in the last build,
    whose digests it kept (`kept_digests`): an object read from a file is made of that file alone, so its digest
    is the one worked out then (under the same code, which the cache's key holds)."""
    kept = previous.objects if previous else {}
    found = {}
    for item in objects:
        path = item.source.path
        earlier, now = kept.get(path), inputs.get(path)
        if earlier is not None and now is not None and earlier[0] == now[1]:
            found[id(item)] = (item, earlier[1])
    return found


def kept_digests(objects: Sequence, marks: Fingerprinter, inputs: Mapping) -> dict[str, tuple[str, bytes]]:
    """file -> (its SHA-256, its object's digest) of the articles and entities digested (or primed) in this build,
    for the next one (`of_files`)."""
    return {
        item.source.path: (inputs[item.source.path][1], digest)
        for item, digest in marks.known(objects).values()
        if item.source.path in inputs
    }


def fingerprinted(
    pages: Sequence, marks: Fingerprinter, inputs: Mapping, everywhere, previous: cache.BuildState | None
) -> tuple[dict[str, str], dict[str, str]]:
    """Each page's fingerprint, and the key of what it reads (`site.page.Reads`) for the pages that say.

    A page whose key is the last build's has the data it had: its fingerprint is taken as that build left it,
    not worked out again. The key is the digest of the fingerprint's salt (layouts, site information), of what
    every page reads (`everywhere`, a `Reads`: the start page's file, the entity names and aliases), and of the
    bytes of each file the page reads and the values it shows."""
    old_keys = previous.reads if previous else {}
    old_prints = previous.fingerprints if previous else {}
    files = {rel: f"{rel}\0{sha}\0".encode() for rel, (_, sha) in inputs.items()}  # each file as keys read it
    head = _read(hashlib.blake2b(marks.salt, digest_size=20), everywhere, files, marks)
    prints, keys = {}, {}
    for page in pages:
        path = page.path
        if page.reads is not None:
            keys[path] = _read(head.copy(), page.reads, files, marks).hexdigest()
            if old_keys.get(path) == keys[path] and path in old_prints:
                prints[path] = old_prints[path]
                continue
        prints[path] = marks.page(page)
    return prints, keys


def outdated(
    pages: Sequence,
    fingerprints: Mapping[str, str],
    previous: cache.BuildState | None,
    now: Mapping[str, cache.Stat],
    recorded: set[str],
) -> list:
    """The pages to render: a page is kept when its fingerprint equals the last build's, its file in site/ is as
    that build left it (`as_left`) and, for a page with a body, every link target its body looked up is answered
    as it was (`LinkTargets.holds`)."""
    if previous is None:
        return list(pages)
    return [
        page
        for page in pages
        if not (
            previous.fingerprints.get(page.path) == fingerprints[page.path]
            and as_left(page.path, previous, now, recorded, body=page.body is not None)
            and (page.body is None or page.body.targets.holds(previous.asked[page.path]))
        )
    ]


def as_left(path: str, previous: cache.BuildState, now: Mapping[str, cache.Stat], recorded: set, *, body: bool) -> bool:
    """Whether the last build left this page's file in site/ as it is now (`now`), with, for an HTML page, its ids
    and links `recorded` and, for a page with a `body`, the link targets it looked up."""
    return (
        path in previous.digests
        and path in now
        and previous.outputs.get(path) == now[path]
        and (path in recorded or not path.endswith(".html"))
        and (not body or path in previous.asked)
    )


def _read(key, reads, files: Mapping[str, bytes], marks: Fingerprinter):
    """`key` (a hash) updated with each file of `reads` (its path and digest, `files`) and the digest of its
    values."""
    key.update(b"".join([files.get(rel) or f"{rel}\0-\0".encode() for rel in reads.files]))
    key.update(marks.digest(reads.values))
    return key
