"""Fingerprints of page data: pages with equal fingerprints render to the same bytes.

A page's output is a pure function of its layout, the build's code and options, and the
data the plan hands it (`Page`: path, template, context, body recipe). The fingerprint is
a digest of all that data, walked value by value: strings, numbers, dates, lists, dicts,
sets and dataclasses (every field, not what a layout happens to use, except the fields
declared in `NOT_SHOWN` and `ASKED`). Anything else (a
function, an open file) is refused with TypeError, so data the walk cannot see never
slips into a page unnoticed. Objects shared by many pages (an article on every list, an
entity on every mention) are walked once per `Fingerprinter`.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib

_SCALARS = frozenset({str, int, float, bool, type(None), dt.date})

# Fields no layout shows, left out of every fingerprint. An article's Markdown reaches its own
# page as `site.body.ArticleBody.text` (which counts); lists, feeds and entity pages show an
# article's title, date and teaser, never its body, so they stay put when a body is edited.
NOT_SHOWN = frozenset({("dossier.content.model", "Article", "body")})

# Fields a page reads by asking questions of them, left out too: an article body's link targets hold every
# path of the site, but its page depends only on the answers to the lookups its links made. The page writes
# them down as it renders (`site.markdown.LinkTargets.holds`), and `incremental.outdated` renders it again
# when one of them is answered differently, instead of whenever any page of the site comes or goes.
ASKED = frozenset({("dossier.site.body", "ArticleBody", "targets")})
LEFT_OUT = NOT_SHOWN | ASKED


class Fingerprinter:
    """Digests values; remembers the digest of each object it has seen (keep one for one build).

    A value is encoded as nested tuples of scalars whose `repr` is hashed: the repr of a
    tuple of strings, numbers and dates is a Python literal, so two different values never
    encode alike. An object stands in its container as the digest of its own encoding.
    """

    def __init__(self, salt: str = ""):
        self.salt = salt.encode()
        self._seen: dict[int, tuple[object, bytes]] = {}  # id -> (object kept alive, digest)
        self._fields: dict[type, tuple[str, ...] | None] = {}

    def prime(self, known) -> None:
        """Take the digests of objects the caller knows better, as (object, digest) pairs: an article's
        mentions and quotations are digested from their fields (`determined`), so they need not be walked."""
        for value, digest in known:
            self._seen[id(value)] = (value, digest)

    def known(self, values) -> list[tuple[object, bytes]]:
        """(object, digest) of each of these objects digested so far, to `prime` a later Fingerprinter with."""
        return [self._seen[id(v)] for v in values if self.knows(v)]

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
        """Digest of one value."""
        return hashlib.blake2b(repr(self._encode(value)).encode("utf-8", "surrogatepass"), digest_size=20).digest()

    def _encode(self, value):
        """The value as nested tuples of scalars (objects by digest)."""
        kind = type(value)
        if kind in _SCALARS or isinstance(value, str):  # Markup is a str
            return value
        if kind is list or kind is tuple:
            return (kind.__name__, self._items(value))
        if kind is dict:
            return ("dict", tuple((self._encode(k), self._encode(v)) for k, v in value.items()))
        if kind is set or kind is frozenset:
            return ("set", tuple(sorted(repr(self._encode(v)) for v in value)))
        seen = self._seen.get(id(value))
        if seen is not None and seen[0] is value:
            return seen[1]
        if (dataclasses.is_dataclass(value) and not isinstance(value, type)) or _own_object(value):
            return self._object(value)
        raise TypeError(f"cannot fingerprint a {kind.__module__}.{kind.__qualname__} in page data")

    def _items(self, values) -> tuple:
        """Each value encoded: a scalar as it is, an object already digested by its digest, the rest walked
        (the one loop most of a fingerprint's time is spent in: a page lists hundreds of known objects)."""
        scalars, seen, encode = _SCALARS, self._seen, self._encode
        found = []
        for value in values:
            if type(value) in scalars:
                found.append(value)
                continue
            known = seen.get(id(value))
            found.append(known[1] if known is not None and known[0] is value else encode(value))
        return tuple(found)

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
        fields = self._items(getattr(value, name) for name in names)
        encoded = repr((kind.__module__, kind.__qualname__, names, fields)).encode("utf-8", "surrogatepass")
        digest = hashlib.blake2b(encoded, digest_size=20).digest()
        self._seen[id(value)] = (value, digest)
        return digest


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


def determined(findings, marks: Fingerprinter):
    """(object, digest) for every mention and quotation, to `prime` a Fingerprinter with, from each analysis
    beside its `own_digests` (worked out afresh where they do not fit it).

    The same digest as a walk of every field would give in meaning (its own fields, its article,
    the entity it names), without walking: an entity page lists hundreds of them. An analysis whose
    first item the Fingerprinter already knows is left out: it was primed whole."""
    entity_digests: dict[int, bytes] = {}  # id(entity) -> its digest (or b"-" for none), looked up once each
    mention, quote = b"mention\0", b"quote\0"
    for text, items in findings:
        first = text.mentions[0] if text.mentions else text.quotes[0] if text.quotes else None
        if first is None or marks.knows(first):
            continue  # nothing to digest, or primed from an earlier build of this process with the rest of it
        if len(items) != DIGEST * (len(text.mentions) + len(text.quotes)):
            items = own_digests(text.mentions, text.quotes)
        place = 0
        for kind, objects, named in ((mention, text.mentions, "entity"), (quote, text.quotes, "speaker")):
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
