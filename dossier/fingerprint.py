"""Fingerprints of page data: pages with equal fingerprints render to the same bytes.

A page's output is a pure function of its layout, the build's code and options, and the
data the plan hands it (`Page`: path, template, context, body recipe). The fingerprint is
a digest of all that data, walked value by value: strings, numbers, dates, lists, dicts,
sets and dataclasses (every field, not what a layout happens to use, unless the field is
declared as determined by the others, or carried separately where a page uses it:
`field(metadata=DERIVED)`, as for `Article.body`). Anything else (a
function, an open file) is refused with TypeError, so data the walk cannot see never
slips into a page unnoticed. Objects shared by many pages (an article on every list, an
entity on every mention) are walked once per `Fingerprinter`.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib

_SCALARS = (str, int, float, bool, type(None), dt.date)
DERIVED = {"fingerprint": False}  # field metadata: a field the other fields determine, not walked


class Fingerprinter:
    """Digests values; remembers the digest of each dataclass instance it has seen (keep it for one build)."""

    def __init__(self, salt: str = ""):
        self.salt = salt.encode()
        self._seen: dict[int, tuple[object, bytes]] = {}  # id -> (object kept alive, digest)
        self._fields: dict[type, tuple[str, ...]] = {}

    def page(self, *values) -> str:
        """Hex digest of values, under the salt (layouts, site information)."""
        digest = hashlib.blake2b(self.salt, digest_size=20)
        for value in values:
            digest.update(self.digest(value))
        return digest.hexdigest()

    def digest(self, value) -> bytes:
        """Digest of one value."""
        parts: list[bytes] = []
        self._walk(value, parts)
        return hashlib.blake2b(b"\x1f".join(parts), digest_size=20).digest()

    def _walk(self, value, parts: list[bytes]) -> None:
        """Append an unambiguous encoding of value to parts."""
        kind = type(value)
        if kind is str or isinstance(value, str):  # Markup is a str
            data = value.encode("utf-8", "surrogatepass")
            parts.append(b"s%d:%b" % (len(data), data))  # length first: no separator inside a string can fool it
        elif kind in _SCALARS or isinstance(value, _SCALARS):
            parts.append(f"{kind.__name__}:{value!r}".encode())
        elif kind is list or kind is tuple:
            parts.append(b"[")
            for item in value:
                self._walk(item, parts)
            parts.append(b"]")
        elif kind is dict:
            parts.append(b"{")
            for key, item in value.items():
                self._walk(key, parts)
                self._walk(item, parts)
            parts.append(b"}")
        elif kind is set or kind is frozenset:
            parts.append(b"<" + b"".join(sorted(self.digest(item) for item in value)) + b">")
        elif (dataclasses.is_dataclass(value) and not isinstance(value, type)) or _own_object(value):
            parts.append(self._object(value))
        else:
            raise TypeError(f"cannot fingerprint a {kind.__module__}.{kind.__qualname__} in page data")

    def _object(self, value) -> bytes:
        """Digest of a dataclass or plain dossier object: its type and every field, remembered by identity."""
        seen = self._seen.get(id(value))
        if seen is not None and seen[0] is value:
            return seen[1]
        kind = type(value)
        names = self._fields.get(kind)
        if names is None:
            if dataclasses.is_dataclass(kind):
                names = tuple(f.name for f in dataclasses.fields(kind) if f.metadata.get("fingerprint", True))
            else:
                names = None
        if names is None:
            names = tuple(sorted(vars(value)))
        else:
            self._fields[kind] = names
        parts = [f"{kind.__module__}.{kind.__qualname__}".encode()]
        for name in names:
            self._walk(getattr(value, name), parts)
        digest = hashlib.blake2b(b"\x1f".join(parts), digest_size=20).digest()
        self._seen[id(value)] = (value, digest)
        return digest


def _own_object(value) -> bool:
    """A plain instance of a class of this package (its attributes are its data)."""
    return type(value).__module__.startswith("dossier.") and hasattr(value, "__dict__") and not callable(value)
