"""The one slug function: file names, URLs, topic and heading ids all come from here.

German umlauts are written out (ä -> ae, ß -> ss), as German readers expect; letters that
Unicode does not decompose into a base letter and a mark (ł, đ, ø, æ, œ, þ, ð, ı…) get
their usual Latin transliteration; every other mark is dropped after decomposition
(é -> e, ő -> o, å -> a, č -> c). Symbols and other scripts are dropped rather than
spelled out, so a slug never gains words the text did not have.
"""

from __future__ import annotations

import re
import unicodedata

_TRANSLIT = str.maketrans(
    {
        "ä": "ae",
        "ö": "oe",
        "ü": "ue",
        "Ä": "Ae",
        "Ö": "Oe",
        "Ü": "Ue",
        "ß": "ss",
        "ẞ": "SS",
        "ł": "l",
        "Ł": "L",
        "đ": "d",
        "Đ": "D",
        "ð": "d",
        "Ð": "D",
        "ø": "o",
        "Ø": "O",
        "æ": "ae",
        "Æ": "Ae",
        "œ": "oe",
        "Œ": "Oe",
        "þ": "th",
        "Þ": "Th",
        "ı": "i",
        "ħ": "h",
        "Ħ": "H",
        "ŧ": "t",
        "Ŧ": "T",
        "ŋ": "ng",
        "Ŋ": "Ng",
        "ĸ": "k",
        "ŀ": "l",
        "Ŀ": "L",
    }
)
_NOT_SLUG = re.compile(r"[^a-z0-9]+")


def slugify(text: str, fallback: str = "x") -> str:
    """Lowercase ASCII slug of a text ('Radosław Sikorski' -> 'radoslaw-sikorski'); `fallback` when nothing is left."""
    text = unicodedata.normalize("NFKD", text.translate(_TRANSLIT))
    text = text.encode("ascii", "ignore").decode("ascii").lower()
    return _NOT_SLUG.sub("-", text).strip("-") or fallback


MAX_SLUG = 200  # a slug names a folder of site/ (file systems take 255 bytes; a passage page adds its anchor)


def shortened(slug: str, limit: int = MAX_SLUG) -> str:
    """A slug cut to at most `limit` characters at a hyphen (a word is not cut in half where there is one)."""
    if len(slug) <= limit:
        return slug
    cut = slug[: limit + 1].rfind("-")
    return slug[: cut if cut > 0 else limit].strip("-")
