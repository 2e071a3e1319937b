"""Small pure text helpers shared by the format parsers."""

from __future__ import annotations

import datetime as dt
import re

CUT = "…"
_CLOSERS = "\"'“”’‘»«)]"
_SENTENCE_END = ".!?"
_TERMINAL = ".!?:;,…"
_CONJUNCTIONS = {"und", "oder", "bis", "sowie", "als", "wie", "noch", "beziehungsweise", "bzw."}
_MONTHS = {
    m: i for i, m in enumerate(["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"], 1)
}
_DATE = re.compile(r"^(\d{1,2})\.? ([A-Za-z]{3})[a-z]*\.? (\d{4})$")
_MARKER = re.compile(r"\[(\d+)\]\[([^\]]*)\]")
_DATELINE = re.compile(r"^[\w .-]{2,40}? (taz) \| ")


def words(text: str) -> list[str]:
    """Lowercased word tokens of a text."""
    return re.findall(r"\w+", text.lower())


def _last_char(line: str) -> str:
    """The last character of a line, closing quotes and brackets skipped."""
    stripped = line.rstrip().rstrip(_CLOSERS)
    return stripped[-1:] if stripped else ""


def ends_sentence(line: str) -> bool:
    """Whether a line ends with a full stop, question or exclamation mark."""
    return _last_char(line) in tuple(_SENTENCE_END)


def is_subheading(text: str) -> bool:
    """Whether a one-line block reads like a subheading: short, no final punctuation."""
    return (
        "\n" not in text
        and 2 <= len(text.split()) <= 14
        and len(text) <= 100
        and _last_char(text) not in tuple(_TERMINAL)
        and "|" not in text
    )


def is_headline(text: str) -> bool:
    """Whether a line reads like a headline: one line, short, no full stop, comma or colon at its end."""
    return (
        "\n" not in text
        and 1 <= len(text.split()) <= 20
        and len(text) <= 160
        and _last_char(text) not in tuple(".:;,")
        and "|" not in text
    )


def join_lines(lines: list[str]) -> str:
    """Join hard-wrapped lines into one paragraph, keeping hyphenated compounds whole."""
    out = ""
    for line in (x.strip() for x in lines):
        if not line:
            continue
        if not out:
            out = line
        elif _joins_hyphen(out, line):
            out += line
        else:
            out += " " + line
    return out


def _joins_hyphen(left: str, right: str) -> bool:
    """Whether a line ending in '-' continues the same word on the next line."""
    if not left.endswith("-") or len(left) < 2 or not left[-2].isalpha():
        return False
    first = right.split()[0].lstrip("[0123456789]") if right.split() else ""
    return first.lower() not in _CONJUNCTIONS


def strip_markers(text: str) -> tuple[str, list[tuple[int, int, int]]]:
    """Replace `[n][anchor]` markers by their anchor; return text and (start, end, n) spans."""
    out, spans, pos = [], [], 0
    length = 0
    for match in _MARKER.finditer(text):
        out.append(text[pos : match.start()])
        length += match.start() - pos
        anchor = match.group(2)
        spans.append((length, length + len(anchor), int(match.group(1))))
        out.append(anchor)
        length += len(anchor)
        pos = match.end()
    out.append(text[pos:])
    return "".join(out), spans


def parse_date(line: str) -> dt.date | None:
    """A date from an export's date line such as '4 Dec 2024'; None otherwise."""
    match = _DATE.match(line.strip())
    if not match or match.group(2).lower() not in _MONTHS:
        return None
    try:
        return dt.date(int(match.group(3)), _MONTHS[match.group(2).lower()], int(match.group(1)))
    except ValueError:
        return None


def taz_url(path: str) -> str:
    """The canonical absolute URL of a taz path: https://taz.de/<path>/."""
    if path.startswith(("http://", "https://")):
        return path
    return "https://taz.de/" + path.strip("/") + "/"


def split_kicker(heading: str) -> tuple[str, str]:
    """Split 'Kicker: Title' into (kicker, title); ('', heading) without a colon."""
    kicker, sep, title = heading.partition(": ")
    return (kicker.strip(), title.strip()) if sep and title.strip() else ("", heading.strip())


def clean_cut(text: str) -> str:
    """Drop the broken character an export leaves in front of its '…' cut."""
    return text.replace("\ufffd" + CUT, CUT).strip()


def is_cut(text: str) -> bool:
    """Whether a value was cut short by the export."""
    return text.endswith(CUT)


def publisher_from_dateline(text: str) -> str:
    """The publisher named in a dateline such as 'Brüssel taz | ...'."""
    match = _DATELINE.match(text)
    return match.group(1) if match else ""
