"""What the taz text and table exports share: header, body, sections after the body."""

from __future__ import annotations

import re
from dataclasses import dataclass

from .agencies import without_agencies
from .raw import Block, Link, RawArticle, Related
from .text import clean_cut, ends_sentence, join_lines, parse_date, split_kicker, strip_markers, taz_url

HEADING = re.compile(r"^# taz\.de -- (.*)$")
SECTIONS = ("LINKS", "AUTOREN", "TAGS", "ARTIKEL ZUM THEMA")
_LINK = re.compile(r"^\[(\d+)\]\s+(\S+)")


@dataclass(frozen=True)
class Line:
    """One logical line of an export: its text and whether it carried a DIR/IMG tag."""

    text: str
    tag: str = ""


def _is_section(line: Line) -> bool:
    """Whether a line opens one of the sections after the body."""
    return line.text.startswith("## ") and line.text[3:].strip() in SECTIONS


def _header(lines: list[Line]) -> tuple[dict, int]:
    """Header fields (URI, heading, teaser, caption) and the index of the first body line."""
    head: dict = {"teaser": []}
    i = 0
    while i < len(lines):
        text = lines[i].text
        if text.startswith("URI:"):
            if text[4:].strip().startswith(("http://", "https://")):  # (never a javascript: or other address)
                head["source_url"] = text[4:].strip()
        elif HEADING.match(text):
            head["kicker"], head["title"] = split_kicker(clean_cut(HEADING.match(text).group(1)))
        elif text.startswith(">"):
            head["teaser"].append(text[1:])
        elif text.startswith("Bild:"):
            head["image_caption"] = clean_cut(text[5:])
        elif text:
            break
        i += 1
    return head, i


def _split_body(lines: list[Line], start: int) -> tuple[list[Line], str, int]:
    """Body lines, the date line's text, and the index where the sections begin."""
    end = start
    while end < len(lines) and not _is_section(lines[end]):
        end += 1
    body = lines[start:end]
    date_text = ""
    dated = [i for i, line in enumerate(body) if parse_date(line.text)]
    if dated:
        date_text = body[dated[-1]].text
        body = body[: dated[-1]]
    return body, date_text, end


def _sections(lines: list[Line]) -> dict[str, list[Line]]:
    """The lines of each section after the body, keyed by its name."""
    sections: dict[str, list[Line]] = {}
    current: list[Line] | None = None
    for line in lines:
        if _is_section(line):
            current = sections.setdefault(line.text[3:].strip(), [])
        elif current is not None:
            current.append(line)
    return sections


def _block_of(lines: list[str], links: dict[int, str], index: int) -> tuple[Block, list[Link]]:
    """A body block from its lines, with its link markers turned into Links."""
    joined = join_lines(lines)
    kind = "p"
    if joined.startswith("## "):
        kind, joined = "h", joined[3:].strip()
    text, spans = strip_markers(joined)
    found = [Link(index, s, e, links[n]) for s, e, n in spans if n in links]
    return Block(kind, text), found


def body_blocks(groups: list[list[str]], links: dict[int, str]) -> tuple[list[Block], list[Link]]:
    """Blocks and links from the body's paragraph line groups."""
    blocks, all_links = [], []
    for group in groups:
        block, found = _block_of(group, links, len(blocks))
        blocks.append(block)
        all_links.extend(found)
    return blocks, all_links


def link_targets(lines: list[Line]) -> dict[int, str]:
    """The LINKS section as marker number -> canonical absolute URL."""
    targets = {}
    for line in lines:
        match = _LINK.match(line.text)
        if match:
            targets[int(match.group(1))] = taz_url(match.group(2))
    return targets


def names(lines: list[Line]) -> list[str]:
    """Non-empty item lines of a section, deduplicated in order of first appearance."""
    return list(dict.fromkeys(line.text.strip() for line in lines if line.text.strip()))


def related_entries(items: list[tuple[str, list[str]]]) -> list[Related]:
    """Related entries from (title line, teaser lines) pairs."""
    entries = []
    for heading, teaser in items:
        kicker, title = split_kicker(clean_cut(heading))
        entries.append(Related(kicker, title, join_lines(teaser)))
    return entries


def related_by_tag(lines: list[Line]) -> list[Related]:
    """Related entries where each title line carries a DIR tag (text export)."""
    items: list[tuple[str, list[str]]] = []
    for line in lines:
        if line.tag == "DIR":
            items.append((line.text, []))
        elif line.text and items:
            items[-1][1].append(line.text)
    return related_entries(items)


def related_by_layout(lines: list[Line]) -> list[Related]:
    """Related entries where a title line follows a teaser's last sentence (table export)."""
    items: list[tuple[str, list[str]]] = []
    expect_title = True
    for line in (x for x in lines if x.text):
        if expect_title:
            items.append((line.text, []))
            expect_title = False
        else:
            items[-1][1].append(line.text)
            expect_title = ends_sentence(line.text)
    return related_entries(items)


def parse_lines(lines: list[Line], path: str, fmt: str, paragraphs, related) -> RawArticle:
    """Parse an export's logical lines; `paragraphs` groups body lines, `related` reads that section."""
    head, start = _header(lines)
    body, date_text, end = _split_body(lines, start)
    sections = _sections(lines[end:])
    links = link_targets(sections.get("LINKS", []))
    blocks, found = body_blocks(paragraphs(body), links)
    first = next((b.text for b in blocks if b.kind == "p"), "")
    return RawArticle(
        path=path,
        format=fmt,
        blocks=blocks,
        links=found,
        title=head.get("title", ""),
        kicker=head.get("kicker", ""),
        teaser=join_lines(head["teaser"]),
        date=parse_date(date_text) if date_text else None,
        authors=[a for a in map(without_agencies, names(sections.get("AUTOREN", []))) if a],
        publisher="taz" if head.get("title") or " taz | " in first[:60] else "",
        tags=names(sections.get("TAGS", [])),
        image_caption=head.get("image_caption", ""),
        source_url=head.get("source_url", ""),
        related=related(sections.get("ARTIKEL ZUM THEMA", [])),
    )
