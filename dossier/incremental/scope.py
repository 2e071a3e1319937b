"""Which article and entity pages a build plans: those a change can reach, the others kept as the last build left them.

Planning and keying every one of 13,000 pages to find the few an edit changed costs seconds. Hugo's
dependency tracking answers the other way round: each page records what it used, and a change
looks up the pages that used it. Here a page's data is made of the content files it reads
(`site.page.Reads`) and of what every page is planned against: the layouts and site information,
the start page and the entity names and aliases, the output paths and link targets, the articles'
and entities' order, the shared passages, the split of the quote index and the start page's date.
When that frame is the last build's (`frame_key`, kept in the state), a page's data can change only
if a file it reads changed, so the pages to plan are

- those that read a changed file in the last build (`readers.Readers`, the forward lookup),
- those the changed files link to now (`site.reach.reached`: a new mention, a new annotation), and
- those whose file in site/ is not as the last build left it.

Every other article and entity page keeps its fingerprint, read key and output; the pages that list
the whole dossier are planned in every build. Any doubt (no state, another frame, rows not written
by the build the state is from) plans every page.
"""

from __future__ import annotations

import hashlib
import io
import pickle
from collections.abc import Mapping, Set
from dataclasses import dataclass

from ..content.model import Dossier
from ..site import compare, pages, reach, urls
from ..site.claim_review import home_date
from ..site.entity_pages import entity_path
from ..site.page import SiteInfo
from .cache import BuildState, Stat
from .outdated import as_left
from .readers import Readers

RECORDED = ("article.html", "entity.html", "comparison.html")  # the pages planned by reach, whose reads are kept


def frame_key(dossier: Dossier, framed: pages.Frame, info: SiteInfo, inputs: Mapping, analyser: str) -> str:
    """The digest of what every article and entity page is planned against (see the module)."""
    targets = framed.targets
    frame = (
        sorted((rel, sha) for rel, (_, sha) in inputs.items() if rel.startswith("layouts/")),
        info,
        inputs.get(dossier.home.source.path, (None, "-"))[1],
        analyser,
        [a.slug for a in dossier.articles],
        [(e.source.path, e.kind, e.slug) for e in dossier.entities],
        targets.portable,
        sorted(targets.site_paths),
        sorted(targets.internal.items()),
        sorted(targets.references.items()),
        sorted(framed.compared),
        urls.quotes_apart(len(dossier.quote_groups)),
        home_date(dossier),
        dossier.passages,
    )
    return hashlib.sha256(_unshared(frame)).hexdigest()


def _unshared(value) -> bytes:
    """`value` pickled without the memo, so that equal values give equal bytes however their objects are
    shared (a value read back from a store shares its strings otherwise than the one worked out)."""
    out = io.BytesIO()
    pickler = pickle.Pickler(out, protocol=5)
    pickler.fast = True  # (no memo: a shared object is written out each time it is met)
    pickler.dump(value)
    return out.getvalue()


@dataclass(frozen=True)
class Scope:
    """What the last build left (`previous`, its `readers`), the input files now (`inputs`: rel -> (stat,
    SHA-256)), site/ as this build found it (`now`) and the HTML pages whose links the anchor store holds."""

    previous: BuildState | None
    readers: Readers
    inputs: Mapping[str, tuple[Stat, str]]
    now: Mapping[str, Stat]
    recorded: Set[str]

    def only(self, dossier: Dossier, key: str) -> reach.Only | None:
        """The article and entity pages to plan in a frame of this key; None: every page."""
        last = self.previous
        if last is None or not self.readers.token or last.token != self.readers.token or last.frame != key:
            return None
        files = self.inputs.keys() | last.inputs.keys()
        changed = {
            rel
            for rel in files
            if rel.startswith("content/") and self.inputs.get(rel, (None, ""))[1] != last.inputs.get(rel, (None, ""))[1]
        }
        moved = [p for p in map(pages.article_path, dossier.articles) if not self.as_left(p, body=True)]
        moved += [p for p in map(entity_path, dossier.entities) if not self.as_left(p, body=False)]
        moved += [p for p in compare.passage_paths(dossier.passages) if not self.as_left(p, body=False)]
        return reach.together(reach.reached(dossier, changed), reach.at(dossier, self.readers.of(changed) | set(moved)))

    def as_left(self, path: str, *, body: bool) -> bool:
        """Whether the last build left this page with a fingerprint and a read key, and its file in site/ as it
        is (`outdated.as_left`): a page not planned keeps all of them."""
        last = self.previous
        return (
            path in last.fingerprints and path in last.reads and as_left(path, last, self.now, self.recorded, body=body)
        )
