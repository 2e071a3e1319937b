"""German news text split into sentences and quotations, as character spans (pure).

`split_sentences` knows the habits of German press text: abbreviations (z. B., Dr., u. a.),
initials, ordinals ("4. Dezember"), a sentence ending inside a closing quote
(„… gehen.“ Dann …), ellipses, and a quotation of several sentences followed by its
verb of saying („A. B“, sagte X.), which stays one sentence. `quote_spans` finds
the quotations themselves: „…“, “…”, »…«, «…» and straight "…".
"""

from __future__ import annotations

import re

from .spans import strictly_inside

# Abbreviations that end with a period but rarely end a sentence (compared casefolded, without the last dot).
_ABBREVIATION_TEXT = (
    "z.B u.a u.ä d.h bzw ca Dr Prof Nr St Str vgl usw etc evtl ggf inkl zzgl Mio Mrd Abs Jh Jhd Hrsg "
    "v.a o.ä s.o s.u sog u.U v.Chr n.Chr Chr geb gest i.d.R Tel Mr Mrs Ms Gen Sen Rep Verf Red Anm dt "
    "engl franz lt max mind rd zit z.T Co Ltd Inc Corp jr U.S e.V a.D i.A Jan Feb Apr Aug Sep Sept Okt "
    "Nov Dez bzgl Hr Fr Nrn vs S ff Bd Kap"
)
ABBREVIATIONS = frozenset(a.casefold() for a in _ABBREVIATION_TEXT.split(" "))

OPENERS = "„“»«\"'‚(["  # characters that may start a sentence besides letters and digits
CLOSERS = "\"“”»«’')]"  # characters that may follow the terminal punctuation
QUOTE_MARKS = '"“”»«„'

_CANDIDATE = re.compile(r"(?P<term>[.!?…]+|\.\.\.)(?P<close>[" + re.escape(CLOSERS) + r"]*)(?P<space>\s+)(?=\S)")
_INITIALS = re.compile(r"^(?:[^\W\d_]\.)*[^\W\d_]$")  # "A", "z", "i.d.R"
_ORDINAL = re.compile(r"^\d{1,3}$")  # "4" in "4. Dezember", "32" in "die 32. Tagung"

# Pairs of typographic quotation marks: opener -> closer.
_PAIRS = {"„": "“", "“": "”", "»": "«", "«": "»"}
_MARK = re.compile('[„“»«"]')  # a character that may open a quotation


def quote_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of every top-level quotation, marks included, in text order.

    German „…“ first, then English “…”, guillemets either way round, and straight
    "…" where the opening mark follows a space or a bracket and the closing one does not.
    An opening mark without its closer in the same text is ignored.
    """
    spans: list[tuple[int, int]] = []
    position = 0
    while match := _MARK.search(text, position):
        i, char = match.start(), match.group()
        end = text.find(_PAIRS[char], i + 1) if char in _PAIRS else -1
        if char == '"' and _opens_straight(text, i):
            end = _straight_close(text, i + 1)
        if end > i + 1:
            spans.append((i, end + 1))
            position = end + 1
        else:
            position = i + 1
    return spans


def _opens_straight(text: str, i: int) -> bool:
    """Whether a straight double quote at i opens a quotation."""
    before = text[i - 1] if i else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    return (before.isspace() or before in "([–—-:/") and not after.isspace()


def _straight_close(text: str, start: int) -> int:
    """Index of the straight quote that closes the one opened before `start`, or -1."""
    j = text.find('"', start)
    while j != -1:
        if not text[j - 1].isspace():
            return j
        j = text.find('"', j + 1)
    return -1


def _word_before(text: str, dot: int) -> str:
    """The run of non-space characters ending right before `dot`, without opening brackets."""
    start = dot
    while start > 0 and not text[start - 1].isspace():
        start -= 1
    return text[start:dot].lstrip(OPENERS)


def _is_boundary(text: str, match: re.Match, spans: list[tuple[int, int]]) -> bool:
    """Whether a candidate terminator really ends the sentence."""
    nxt = text[match.end()]
    if not (nxt.isupper() or nxt.isdigit() or nxt in OPENERS):
        return False
    if strictly_inside(match.end("close"), spans):
        return False
    term, close = match.group("term"), match.group("close")
    if term == "." and not any(c in QUOTE_MARKS for c in close):
        word = _word_before(text, match.start("term"))
        if word.casefold() in ABBREVIATIONS or _INITIALS.match(word) or _ORDINAL.match(word):
            return False
    return True


def split_sentences(text: str) -> list[tuple[int, int]]:
    """(start, end) character spans of the sentences of a German text, whitespace trimmed."""
    spans = quote_spans(text)
    cuts = [m.end("close") for m in _CANDIDATE.finditer(text) if _is_boundary(text, m, spans)]
    result = []
    start = 0
    for end in [*cuts, len(text)]:
        while start < end and text[start].isspace():
            start += 1
        stop = end
        while stop > start and text[stop - 1].isspace():
            stop -= 1
        if stop > start:
            result.append((start, stop))
        start = end
    return result


def sentence_at(sentences: list[tuple[int, int]], position: int) -> int:
    """Index of the sentence containing `position` (the next one if it falls between two)."""
    for index, (_, end) in enumerate(sentences):
        if position < end:
            return index
    return max(len(sentences) - 1, 0)
