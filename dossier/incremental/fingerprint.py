"""Fingerprints of page data: pages with equal fingerprints render to the same bytes.

A page's output is a pure function of its layout, the build's code and options, and the
data the plan hands it (`Page`: path, template, context, body recipe). The fingerprint is
a digest of all that data: strings, numbers, dates, lists, dicts, sets and dataclasses
(every field, not what a layout happens to use, except the fields declared in `NOT_SHOWN`
and `ASKED`), pickled by Python's C pickler with each object standing in as its own digest.
Anything else (a function, an open file) is refused with TypeError, so data the digest
cannot see never slips into a page unnoticed. Objects shared by many pages (an article on
every list, an entity on every mention) are digested once per `Fingerprinter`.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import pickle
from collections.abc import Mapping, Sequence

from ..content.model import EntityMention, Quote

PROTOCOL = 5  # of the pickles hashed: fixed, so a Python with a newer default digests alike
# A text longer than this, not all ASCII, is pickled as its UTF-8 bytes made apart: the pickler would ask the
# string for its UTF-8 form, which Python then keeps inside the string as long as it lives (an article body is
# held by the preview between saves: 60 MB at 10,000 articles).
LONG_TEXT = 256
_NATIVE = frozenset({str, int, float, bool, type(None), bytes, list, tuple, dict})  # pickled as they are

# Fields no layout shows, left out of every fingerprint. An article's Markdown reaches its own
# page as `site.body.ArticleBody.text` (which counts); lists, feeds and entity pages show an
# article's title, date and teaser, never its body, so they stay put when a body is edited.
NOT_SHOWN = frozenset({("dossier.content.model", "Article", "body")})

# Fields a page reads by asking questions of them, left out too: an article body's link targets hold every
# path of the site, but its page depends only on the answers to the lookups its links made. The page writes
# them down as it renders (`site.markdown.LinkTargets.holds`), and `incremental.outdated` renders it again
# when one of them is answered differently, instead of whenever any page of the site comes or goes.
ASKED = frozenset({("dossier.site.body", "ArticleBody", "targets")})
# What a page reads (`site.page.Reads`) tells whether its data can have changed; it is not data the page shows.
READS = frozenset({("dossier.site.page", "Page", "reads")})
LEFT_OUT = NOT_SHOWN | ASKED | READS


class _Sink:
    """Where an encoder writes: straight into the hash of the value it pickles (no buffer is kept)."""

    __slots__ = ("update",)

    def __init__(self):
        self.update = None

    def write(self, data) -> None:
        self.update(data)


class _Encoder(pickle.Pickler):
    """Pickles one value for its digest, with every object that is not a plain container or scalar standing in as
    what `Fingerprinter._stand_in` makes of it (its digest, mostly): the containers are walked in C."""

    def __init__(self, sink: _Sink, marks: Fingerprinter):
        super().__init__(sink, protocol=PROTOCOL)
        self.sink = sink
        self.fast = True  # no memo: equal values give equal bytes, however the objects in them are shared
        self.marks = marks

    def persistent_id(self, value, native=_NATIVE):  # pickle's hook, asked about every object it saves
        kind = type(value)
        if kind in native:
            if kind is str and len(value) > LONG_TEXT and not value.isascii():
                return ("utf-8", value.encode("utf-8", "surrogatepass"))  # see LONG_TEXT
            return None
        return self.marks._stand_in(value)


class Fingerprinter:
    """Digests values; remembers the digest of each object it has seen (keep one for one build).

    A value is pickled (protocol `PROTOCOL`, no memo) and the pickle hashed. Lists, tuples,
    dicts, strings and numbers are pickled as they are; a dataclass or dossier object stands
    in as the digest of its type and fields, a set as the sorted digests of its members and a
    date as its reduction. Pickle tells every value apart by type and content, so two
    different values never encode alike.
    """

    def __init__(self, salt: str = "", findings: Sequence = ()):
        self.salt = salt.encode()
        self._seen: dict[int, tuple[object, bytes]] = {}  # id -> (object kept alive, digest)
        # id(article) -> (article, (analysis, items)): its mentions' and quotations' digests are `determined` when
        # a page first shows one of them (a build that fingerprints a few pages digests only their articles' items)
        self._findings = {}
        for article, text, items in findings:
            if items:  # (an analysis that found nothing has nothing to digest)
                self._findings[id(article)] = (article, (text, items))
        self._fields: dict[type, tuple[str, ...] | None] = {}
        self._encoders: list[_Encoder] = []  # one per depth of objects digested within objects, made once each
        self._depth = 0

    def prime(self, known: Mapping[int, tuple[object, bytes]]) -> None:
        """Take the digests of objects the caller knows better, as id(object) -> (object, digest) (as `known`
        gives them; taken in one update, not object by object: the preview primes every fact it holds)."""
        self._seen.update(known)

    def known(self, values) -> dict[int, tuple[object, bytes]]:
        """id(object) -> (object, digest) of each of these objects digested so far, to `prime` a later
        Fingerprinter with."""
        seen, found = self._seen, {}
        for value in values:  # (one lookup each: the preview asks this of every fact it holds, after every save)
            known = seen.get(id(value))
            if known is not None and known[0] is value:
                found[id(value)] = known
        return found

    def knows(self, value) -> bool:
        """Whether this object's digest is known (worked out or primed)."""
        seen = self._seen.get(id(value))
        return seen is not None and seen[0] is value

    def remembered(self, value) -> bytes:
        """Digest of a dataclass object, walked once per Fingerprinter and remembered by identity."""
        return self._object(value)

    def page(self, *values) -> str:
        """Hex digest of values, under the salt (layouts, site information; it may be set after the values
        were first digested: remembered digests do not depend on it)."""
        digest = hashlib.blake2b(self.salt, digest_size=20)
        for value in values:
            digest.update(self.digest(value))
        return digest.hexdigest()

    def digest(self, value) -> bytes:
        """Digest of one value (its pickle, hashed as it is written)."""
        depth = self._depth
        if depth == len(self._encoders):  # an encoder per depth, used again and again: a build digests ~100,000
            self._encoders.append(_Encoder(_Sink(), self))  # objects, and a new buffer for each left memory scattered
        encoder = self._encoders[depth]
        hasher = hashlib.blake2b(digest_size=20)
        encoder.sink.update = hasher.update
        self._depth = depth + 1
        try:
            encoder.dump(value)
        finally:
            self._depth = depth
        return hasher.digest()

    def _stand_in(self, value):
        """What a value that is not a plain container or scalar is pickled as (None: as itself)."""
        seen = self._seen.get(id(value))
        if seen is not None and seen[0] is value:
            return seen[1]
        kind = type(value)
        if kind in _ITEMS and self._determine(value.article):
            return self._stand_in(value)  # (its digest now known, unless its analysis did not hold it)
        if kind is dt.date or value is dt.date:  # a date pickles as its class and its bytes
            return None
        if isinstance(value, str):  # Markup
            return (kind.__qualname__, str(value))
        if kind is set or kind is frozenset:
            return ("set", tuple(sorted(self.digest(v) for v in value)))
        if (dataclasses.is_dataclass(value) and not isinstance(value, type)) or _own_object(value):
            return self._object(value)
        raise TypeError(f"cannot fingerprint a {kind.__module__}.{kind.__qualname__} in page data")

    def _determine(self, article) -> bool:
        """Whether the digests of this article's mentions and quotations were `determined` just now."""
        found = self._findings.pop(id(article), None)
        if found is None or found[0] is not article:
            return False
        text, items = found[1]
        later = not getattr(text, "made", True)  # mentions made only when asked for (`codec.StoredAnalysis`)
        quotes = len(found) == 2  # (a third part: its quotations are determined, its mentions wait)
        for item, digest in determined([found[1]], self, mentions=not later, quotes=quotes):
            self._seen[id(item)] = (item, digest)
        if later:  # its mentions are determined when a page shows one (made by then)
            self._findings[id(article)] = (article, (text, items), "mentions")
        return True

    def _object(self, value) -> bytes:
        """Digest of a dataclass or plain dossier object: its type and every field, remembered by identity."""
        seen = self._seen.get(id(value))
        if seen is not None and seen[0] is value:
            return seen[1]
        kind = type(value)
        if kind not in self._fields:
            self._fields[kind] = (
                tuple(
                    f.name
                    for f in dataclasses.fields(kind)
                    if (kind.__module__, kind.__qualname__, f.name) not in LEFT_OUT
                )
                if dataclasses.is_dataclass(kind)
                else None
            )
        names = self._fields[kind]
        if names is None:
            names = tuple(sorted(vars(value)))
        digest = self.digest((kind.__module__, kind.__qualname__, names, tuple(getattr(value, n) for n in names)))
        self._seen[id(value)] = (value, digest)
        return digest


_ITEMS = (EntityMention, Quote)  # digested from an analysis' items, not walked


def _own_object(value) -> bool:
    """A plain instance of a class of this package (its attributes are its data)."""
    return type(value).__module__.startswith("dossier.") and hasattr(value, "__dict__") and not callable(value)


# The fields of a mention and of a quotation besides the article and the entity they name, digested
# straight from a tuple (there are many of them): tests check these lists against the dataclasses.
MENTION_FIELDS = (
    "block",
    "anchor",
    "start",
    "end",
    "surface",
    "sentence",
    "sentence_start",
    "sentence_index",
    "linked",
    "explicit",
)
QUOTE_FIELDS = ("number", "block", "start", "end", "text", "sentence", "is_statement", "overridden")


DIGEST = 20  # bytes of each digest of `own_digests`


def own_digests(mentions, quotes) -> bytes:
    """The digests of the own fields (all but the article and the entity) of these mentions, then of these
    quotations, `DIGEST` bytes each: worked out with an analysis and kept with it (`incremental.codec`)."""
    found = []
    for objects, names in ((mentions, MENTION_FIELDS), (quotes, QUOTE_FIELDS)):
        for item in objects:
            own = repr(tuple(getattr(item, name) for name in names)).encode("utf-8", "surrogatepass")
            found.append(hashlib.blake2b(own, digest_size=DIGEST).digest())
    return b"".join(found)


def determined(findings, marks: Fingerprinter, *, mentions: bool = True, quotes: bool = True):
    """(object, digest) for every mention and quotation, to `prime` a Fingerprinter with, from each analysis
    beside its `own_digests` (worked out afresh where they do not fit it).

    The same digest as a walk of every field would give in meaning (its own fields, its article,
    the entity it names), without walking: an entity page lists hundreds of them. An analysis whose
    first item the Fingerprinter already knows is left out: it was primed whole. `mentions`, `quotes`:
    which of the two to determine (a page can show an article's quotations, and its mentions are then
    not made for it: `Fingerprinter._determine`)."""
    entity_digests: dict[int, bytes] = {}  # id(entity) -> its digest (or b"-" for none), looked up once each
    mention, quote = b"mention\0", b"quote\0"
    for text, items in findings:
        said = text.quotes
        parts = [(mention, text.mentions, "entity")] if mentions else []
        parts += [(quote, said, "speaker")] if quotes else []
        first = next((objects[0] for _, objects, _ in parts if objects), None)
        if first is None or marks.knows(first):
            continue  # nothing to digest, or primed from an earlier build of this process with the rest of it
        if (
            len(items) % DIGEST
            or len(items) < DIGEST * len(said)
            or (mentions and len(items) != DIGEST * (len(text.mentions) + len(said)))
        ):
            items = own_digests(text.mentions, said)  # (they do not fit: made to work them out)
        starts = {mention: 0, quote: len(items) - DIGEST * len(said)}  # (the mentions' digests, then the quotations')
        for kind, objects, named in parts:
            place = starts[kind]
            # b"\0".join((kind, article, entity, own)) hashed, its first half hashed once per article and kind
            head, article = None, None
            for item in objects:
                if item.article is not article:  # (one article for all of an analysis' items)
                    article = item.article
                    head = hashlib.blake2b(kind + marks.remembered(article) + b"\0", digest_size=20)
                entity = getattr(item, named)
                digest = entity_digests.get(id(entity))
                if digest is None:
                    digest = entity_digests[id(entity)] = marks.remembered(entity) if entity else b"-"
                hasher = head.copy()
                hasher.update(digest + b"\0" + items[place : place + DIGEST])
                place += DIGEST
                yield item, hasher.digest()
