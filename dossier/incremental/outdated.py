"""Which pages a build renders: those whose fingerprint (layouts, site information, page data) or file
in site/ is not as the last build left it, and the article pages whose links would now resolve otherwise."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from . import cache
from .fingerprint import Fingerprinter, determined


def fingerprinter(inputs: Mapping, info, findings: Sequence, carried: Iterable = ()) -> Fingerprinter:
    """A Fingerprinter salted with the layouts' digests and the site information, primed with the digests
    `carried` over from an earlier build of this process and with each analysis' mentions and quotations."""
    layouts = sorted((rel, sha) for rel, (_, sha) in inputs.items() if rel.startswith("layouts/"))
    marks = Fingerprinter(repr((layouts, info)))
    marks.prime(carried)
    marks.prime(determined(findings, marks))
    return marks


def outdated(
    pages: Sequence,
    fingerprints: Mapping[str, str],
    previous: cache.BuildState | None,
    now: Mapping[str, cache.Stat],
    recorded: set[str],
) -> list:
    """The pages to render: a page is kept when its fingerprint equals the last build's, its file in site/
    (`now`) is as that build left it, for an HTML page its ids and links are `recorded` and, for a page with
    a body, every link target its body looked up is answered as it was (`LinkTargets.holds`)."""
    old_prints = previous.fingerprints if previous else {}
    old_digests = previous.digests if previous else {}
    old_outputs = previous.outputs if previous else {}
    old_asked = previous.asked if previous else {}
    return [
        page
        for page in pages
        if not (
            old_prints.get(page.path) == fingerprints[page.path]
            and page.path in old_digests
            and page.path in now
            and old_outputs.get(page.path) == now[page.path]
            and (page.path in recorded or not page.path.endswith(".html"))
            and (page.body is None or (page.path in old_asked and page.body.targets.holds(old_asked[page.path])))
        )
    ]
