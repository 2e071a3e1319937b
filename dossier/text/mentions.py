"""Mentions of people, organisations and places in article text (pure, no I/O).

`EntityMatcher` finds every name and alias of every entity in one pass over a text:
all forms are compiled into a single regular expression shaped like a trie (shared
prefixes factored out, longer continuations tried first), so the cost per character
does not grow with the number of entities. Rules, chosen so that a wrong link is
rarer than a missed one:

- case-sensitive, whole words only: never the tail of a compound ("US-Präsidenten"
  is no mention of the USA);
- the first part of a hyphenated compound counts only for organisations
  ("Nato-Mitgliedschaft", "CDU-Außenpolitiker" mention Nato and CDU), never for
  people and places ("Ukraine-Krieg" and "Ukraine-Deal" are topics, not the country);
- German genitive: "Russlands", "Rutte's", and an apostrophe after s/ß/x/z ("Scholz’");
  adjective forms only when an entity lists them as aliases;
- an alias starting lowercase ("der Niederländer") also matches capitalised at the
  start of a sentence;
- leftmost, then longest form wins; a form that two entities share is ignored;
- two mentions separated only by spaces are one when they name the same entity
  ("Kreml-Sprecher Dmitri Peskow"); when they name two different people, the
  second (the name) wins over the first (a role description before someone else).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from ..content.model import ENTITY_KINDS, Article, Entity, EntityMention
from ..errors import ContentError
from .blocks import Block
from .sentences import sentence_at
from .spans import overlaps

_GENITIVE = r"(?:['’]s|s|['’])?"
_APOSTROPHE_AFTER = "sßxzSX"  # German: "Scholz’", "Kallas’"; otherwise only "'s"
COMPOUND_KINDS = frozenset({"organisation"})  # kinds whose name may open a hyphenated compound


@dataclass(frozen=True)
class Mention:
    """One mention found in a text: [start, end) of `surface`, naming `entity`."""

    start: int
    end: int
    entity: Entity
    surface: str


def _variants(form: str) -> list[str]:
    """A form and, when it starts lowercase, its capitalised variant for sentence starts."""
    form = " ".join(form.split())
    if form[:1].islower():
        return [form, form[0].upper() + form[1:]]
    return [form]


def _trie_regex(forms: Iterable[str]) -> str:
    """A regex alternation of all forms, factored as a trie, longest continuation first."""
    trie: dict = {}
    for form in forms:
        node = trie
        for char in form:
            node = node.setdefault(char, {})
        node[""] = {}
    return _node_regex(trie)


def _node_regex(node: dict) -> str:
    """Regex for the subtrie below one node (iterative over single-child chains)."""
    parts = []
    while True:
        branches = sorted(key for key in node if key)
        ends_here = "" in node
        if len(branches) == 1 and not ends_here:
            parts.append(re.escape(branches[0]))
            node = node[branches[0]]
            continue
        if not branches:
            return "".join(parts)
        alternatives = [re.escape(char) + _node_regex(node[char]) for char in branches]
        group = "(?:" + "|".join(alternatives) + ")"
        return "".join(parts) + (group + "?" if ends_here else group)


class EntityMatcher:
    """Finds the mentions of a fixed set of entities in any number of texts."""

    def __init__(self, entities: Iterable[Entity]):
        owners: dict[str, set[tuple[str, str]]] = {}
        self.forms: dict[str, Entity] = {}
        for entity in entities:
            for form in (entity.name, *entity.aliases):
                for variant in _variants(form):
                    owners.setdefault(variant, set()).add((entity.kind, entity.slug))
                    self.forms.setdefault(variant, entity)
        self.ambiguous = sorted(form for form, who in owners.items() if len(who) > 1)
        for form in self.ambiguous:
            del self.forms[form]
        self.pattern = None
        if self.forms:
            self.pattern = re.compile(r"(?<![\w-])(?:" + _trie_regex(self.forms) + ")" + _GENITIVE + r"(?!\w)")

    def find(self, text: str) -> list[Mention]:
        """Every mention in text, in order, non-overlapping."""
        if self.pattern is None:
            return []
        found: list[Mention] = []
        position = 0
        while match := self.pattern.search(text, position):
            mention = self._accept(text, match)
            if mention is None:
                position = match.start() + 1
                continue
            found.append(mention)
            position = mention.end
        return _join_adjacent(text, found)

    def _accept(self, text: str, match: re.Match) -> Mention | None:
        """The mention a regex match stands for, or None when the rules reject it."""
        start, surface = match.start(), match.group()
        form = self._form_of(surface)
        if form is None:
            return None
        if surface[len(form) :] in ("'", "’") and form[-1] not in _APOSTROPHE_AFTER:
            surface = form  # a closing quote, not a genitive
        entity = self.forms[form]
        end = start + len(surface)
        if text.startswith("-", end) and (entity.kind not in COMPOUND_KINDS or surface != form):
            return None
        return Mention(start, end, entity, surface)

    def _form_of(self, surface: str) -> str | None:
        """The listed form a surface is (itself, or it without a genitive ending)."""
        if surface in self.forms:
            return surface
        for ending in ("'s", "’s", "s", "'", "’"):
            if surface.endswith(ending) and surface[: -len(ending)] in self.forms:
                return surface[: -len(ending)]
        return None


# Words of every German text: a name or alias that is one of them (or a single letter) makes every
# occurrence a mention of that entity, which is never what an editor meant.
_COMMON = (
    "der die das den dem des ein eine einen einem einer eines er sie es wir ihr ich du man und oder aber "
    "auch nicht noch nur schon so wie als wenn dass da in im an am auf aus bei mit nach von vom zu zum "
    "zur für über unter vor hinter neben zwischen durch gegen ohne um bis seit ist sind war waren hat "
    "haben wird werden kann soll muss sein seine ihre ihren diese dieser dieses jetzt hier dort heute"
)
COMMON_WORDS = frozenset(_COMMON.split())


def ambiguous_aliases(entities: Iterable[Entity], matcher: EntityMatcher) -> list[ContentError]:
    """A warning for every form two entities share (the matcher never links it), and for every form that is a
    single letter or a common word (it would link every occurrence)."""
    warnings = []
    for entity in entities:
        for form in (entity.name, *entity.aliases):
            if len(form.strip()) < 2 or form.strip().casefold() in COMMON_WORDS:
                warnings.append(
                    ContentError(
                        entity.source.path,
                        _form_line(entity, form),
                        f"'{form}' is a common word (or a single letter): every '{form}' in the articles would name "
                        f"{entity_key(entity)}; use a longer form of the name",
                        severity="warning",
                    )
                )
            if any(variant in matcher.ambiguous for variant in _variants(form)):
                others = sorted(entity_key(e) for e in entities if e is not entity and form in (e.name, *e.aliases))
                warnings.append(
                    ContentError(
                        entity.source.path,
                        _form_line(entity, form),
                        f"'{form}' also names {', '.join(others) or 'another entity'}: it is never linked; "
                        "keep it in one entity only",
                        severity="warning",
                    )
                )
    return warnings


def _form_line(entity: Entity, form: str) -> int:
    """Front-matter line of an entity's name or one of its aliases."""
    if form == entity.name:
        return entity.source.line_of("name")
    return entity.source.line_of_item("aliases", entity.aliases.index(form))


def _join_adjacent(text: str, found: list[Mention]) -> list[Mention]:
    """Merge same-entity neighbours; drop a person's description right before another person."""
    result: list[Mention] = []
    for mention in found:
        previous = result[-1] if result else None
        if previous is not None and _only_space(text, previous.end, mention.start):
            if previous.entity is mention.entity:
                result[-1] = Mention(previous.start, mention.end, mention.entity, text[previous.start : mention.end])
                continue
            if previous.entity.kind == mention.entity.kind == "person":
                result[-1] = mention
                continue
        result.append(mention)
    return result


def _only_space(text: str, start: int, end: int) -> bool:
    """Whether text[start:end] is a non-empty run of whitespace."""
    return end > start and text[start:end].isspace()


# --- Mentions in the dossier: every occurrence recorded, the first per section linked ---

REFERENCE_RE = re.compile(r"^(" + "|".join(ENTITY_KINDS) + r"):([a-z0-9-]+)$")  # [text](person:mark-rutte)


def entity_key(entity: Entity) -> str:
    """'person:mark-rutte': how an editor refers to an entity, and a stable key."""
    return f"{entity.kind}:{entity.slug}"


def block_mentions(text: str, links: list[tuple[int, int, str]], matcher: EntityMatcher, by_key: dict):
    """(mention, explicit, in_link) for a paragraph: editor references first, then found names."""
    explicit = []
    for start, end, href in links:
        match = REFERENCE_RE.match(href)
        if match and href in by_key:
            explicit.append((Mention(start, end, by_key[href], text[start:end]), True, True))
    taken = [(m.start, m.end, "") for m, _, _ in explicit]
    found = [
        (m, False, overlaps(m.start, m.end, links)) for m in matcher.find(text) if not overlaps(m.start, m.end, taken)
    ]
    return sorted(explicit + found, key=lambda item: item[0].start)


def article_mentions(article: Article, body_blocks: list[Block], matcher: EntityMatcher, by_key: dict):
    """Every mention in one article's paragraphs, in text order.

    A section is the text between two subheadings (the text before the first one is a section
    too): only the first mention of an entity in a section is linked, outside editors' links;
    an editor's explicit reference (`[x](person:slug)`) is always a link."""
    result: list[EntityMention] = []
    linked_keys: set[str] = set()  # entities already linked in the current section
    for block in body_blocks:
        if block.kind == "heading":
            linked_keys = set()
        elif block.kind == "paragraph":
            result += _paragraph_mentions(article, block, block.links, matcher, by_key, linked_keys)
    return result


def _paragraph_mentions(article: Article, block: Block, links, matcher, by_key, linked_keys: set[str]):
    """The recorded mentions of one paragraph; an entity not yet in `linked_keys` is linked (and added)."""
    sentences = block.sentences
    result: list[EntityMention] = []
    for mention, explicit, in_link in block_mentions(block.text, links, matcher, by_key):
        key = entity_key(mention.entity)
        link = explicit or (not in_link and key not in linked_keys)
        if link:
            linked_keys.add(key)
        index = sentence_at(sentences, mention.start)
        start, end = sentences[index] if sentences else (0, len(block.text))
        result.append(
            EntityMention(
                entity=mention.entity,
                article=article,
                block=block.index,
                anchor=block.anchor,
                start=mention.start,
                end=mention.end,
                surface=mention.surface,
                sentence=block.text[start:end],
                sentence_start=start,
                sentence_index=index,
                linked=link,
                explicit=explicit,
            )
        )
    return result
