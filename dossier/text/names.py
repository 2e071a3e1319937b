"""People the texts name but the dossier has no file for (pure): candidates for `new person`.

German capitalises every noun, so a capitalised word alone says little. A name is taken
only where the text shows it is one:

- the capitalised words right after a role word ("Außenminister Radosław Sikorski",
  "Präsident Trump", "Nato-Generalsekretär Rutte"), one word is enough there;
- two or more capitalised words in a row elsewhere ("sagte Radosław Sikorski"), never at a
  sentence start (its first word may be capitalised only for being first), never after an
  article ("die Vereinten Nationen"), and without words of a small stop list, words that
  also occur in lower case in the texts ("Weißes Haus": "weiß…"), or common noun endings.

Words inside a known entity's mention (names and aliases, as the EntityMatcher finds them)
are never part of a candidate, and a candidate that is a known name, alias or surname is
dropped. A one-word candidate that is the last word of a longer one counts for it.
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from ..content.model import Article, Entity
from .blocks import Block
from .mentions import EntityMatcher
from .sentences import OPENERS, quote_spans, split_sentences


def _word_set(text: str) -> frozenset[str]:
    """The words of a space-separated list."""
    return frozenset(text.split())


# a word: letters (with inner hyphens or apostrophes), e.g. "Nato-Generalsekretär", "O’Brien"
_WORD = re.compile(r"[^\W\d_]+(?:[-'’][^\W\d_]+)*")
# role words, also inside compounds ("Nato-Generalsekretär", "Bundesaußenministerin") and inflected
_ROLE = re.compile(
    r"(?:minister|präsident|kanzler|sekretär|sprecher|botschafter|kommissar|senator|diplomat|politiker"
    r"|chef|premier|bürgermeister|gouverneur|beauftragte|vorsitzende|abgeordnete|historiker|experte"
    r"|analyst|journalist|autor|direktor|könig|papst|admiral|general|ökonom|forscher|wissenschaftler"
    r"|professor|anwalt|richter|aktivist|berater|soziologe|politologe|vertreter)(?:in|innen|en|n|s|e|er)?$"
)
PARTICLES = frozenset({"von", "van", "der", "den", "de", "da", "di", "du", "al", "bin", "ter", "zu", "la", "le"})
NUMBER = "0"  # the word before a run that follows a figure
AFTER_VON = frozenset({"der", "den"})  # "von der Leyen", "van den Berg"; elsewhere an article
ARTICLES = _word_set(
    "der die das den dem des ein eine einen einem einer eines im am vom zum zur beim ins ans aufs kein keine "
    "keinen keinem keiner dieser diese dieses diesen diesem jeder jede jedes jeden jedem unser unsere "
    "ihr ihre ihren ihrem sein seine seinen seinem zwei drei vier fünf sechs sieben acht neun zehn zwölf hundert "
    "viele mehrere einige wenige alle beide beiden beider andere anderen"
)
STOP = _word_set(
    "Herr Frau Dr Prof Sankt St Montag Dienstag Mittwoch Donnerstag Freitag Samstag Sonntag Januar Februar "
    "März April Mai Juni Juli August September Oktober November Dezember Ich Sie Er Es Wir Ihr Man Die Der "
    "Das Den Dem Des Ein Eine Einen Einem Einer Im Am Vom Zum Zur Beim In An Auf Aus Bei Mit Nach Seit Von "
    "Vor Zu Für Über Unter Gegen Ohne Um Durch Auch Aber Doch Und Oder Denn Wie Was Wer Wo Wann Warum Noch "
    "Nur Schon Jetzt Dann Da So Nein Ja Nicht Kein Keine Alle Viele Mehr Dieser Diese Dieses Jeder Jede "
    "Nato EU UN USA Millionen Milliarden Euro Dollar Prozent Kilometer Meter Tonnen Jahre Jahren Monate Monaten "
    "Wochen Tage Tagen Stunden Minuten "
    "International Watch Times Post Journal News Zeitung Group Institute Foundation Council Office Fund Bank "
    "Party Agency Press Network Street Square Park Airlines Airport Online Media Tribune Herald"
)
NOUN_ENDINGS = (
    "ische", "ischen", "ischer", "isches", "ung", "ungen", "heit", "keit", "schaft", "tion", "tionen", "ität",
    "ismus", "nis", "tum", "ment", "gipfel", "treffen", "krieg", "land", "staaten", "stadt", "ministerium", "regierung", "partei", "bündnis", "union",
)  # fmt: skip


@dataclass(frozen=True)
class UnfiledName:
    """A person the texts name who has no file: the name, how often and where it occurs."""

    name: str
    count: int
    articles: tuple[str, ...]  # slugs, in the order first met
    first: tuple[str, int]  # (file, line) of its first occurrence; line 0: the front matter

    def message(self) -> str:
        """'Radosław Sikorski (named 3 times in 2 articles): python build.py new person "Radosław Sikorski"'."""
        quoted = f'"{self.name}"' if not set(self.name) & set('"$`\\!') else shlex.quote(self.name)
        times = "once" if self.count == 1 else f"{self.count} times"
        where = "1 article" if len(self.articles) == 1 else f"{len(self.articles)} articles"
        return f"{self.name} (named {times} in {where}): python build.py new person {quoted}"


def _capitalised(word: str) -> bool:
    """'Sikorski', 'Mark', "O’Brien" — not 'NATO', 'EU' (acronyms) or 'sagte'."""
    return word[0].isupper() and any(c.islower() for c in word[1:])


def _noun_like(word: str, lower: set[str]) -> bool:
    """A word more likely an ordinary (capitalised) noun or adjective than a name."""
    folded = word.casefold()
    return (
        word in STOP
        or folded in lower
        or folded.endswith(NOUN_ENDINGS)
        or bool(_ROLE.search(folded))
        or "-" in word  # "Nato-Beitritt", "Ukraine-Gipfel": compounds, not names
    )


def _runs(text: str, sentences: Sequence[tuple[int, int]], masked: list[tuple[int, int]]):
    """(words, word before, opens a sentence) for each run of capitalised words (and particles) outside mentions."""
    words = [(m.start(), m.end(), m.group()) for m in _WORD.finditer(text)]
    free = [not any(s < e2 and s2 < e for s, e in masked) for s2, e2, _ in words]
    i = 0
    while i < len(words):
        start, _, word = words[i]
        if not free[i] or not _capitalised(word):
            i += 1
            continue
        j = i + 1
        while j < len(words) and free[j] and text[words[j - 1][1] : words[j][0]] == " ":
            follower = words[j][2]
            if not (_capitalised(follower) or follower in PARTICLES):
                break
            if follower in AFTER_VON and words[j - 1][2] not in ("von", "van"):
                break
            j += 1
        run = [w for _, _, w in words[i:j]]
        while run[-1] in PARTICLES:
            run.pop()
        gap = text[words[i - 1][1] : start] if i else "."
        before = words[i - 1][2] if i and not gap.strip(" ") else ""
        if gap.rstrip(" ")[-1:].isdigit():  # "500 Millionen Euro", "12 Kilometer": a figure, as an article
            before = NUMBER
        sentence = max((s for s, _ in sentences if s <= start), default=0)
        yield run, before, not text[sentence:start].strip(OPENERS + " ")
        i = j


def candidates(text: str, sentences, masked, lower: set[str]) -> list[str]:
    """Each person-name candidate in one block's text."""
    found = []
    for words, before, opens in _runs(text, sentences, masked):
        role = [k for k, w in enumerate(words) if _ROLE.search(w.casefold())]
        if role or _ROLE.search(before.casefold()):
            cut = role[-1] + 1 if role else 0
            name = words[cut:]
            if name and not any(w in STOP or w.casefold() in lower for w in name if w not in PARTICLES):
                found.append(" ".join(name))
            continue
        dropped = words[:1] if opens else []
        words = words[1:] if opens else words
        while words and (words[0] in PARTICLES or words[0] in STOP):
            dropped, words = [*dropped, words[0]], words[1:]
        proper = [w for w in words if w not in PARTICLES]
        if len(proper) < 2 or before == NUMBER or any(w.casefold() in ARTICLES for w in (before, *dropped)):
            continue  # "die Vereinten Nationen", "Das Weiße Haus": an article opens a noun phrase
        if any(_noun_like(w, lower) for w in proper):
            continue
        found.append(" ".join(words))
    return found


def known_forms(entities: Iterable[Entity]) -> set[str]:
    """Every name and alias, and each person's surname, case-folded."""
    forms: set[str] = set()
    for entity in entities:
        for form in (entity.name, *entity.aliases):
            forms.add(form.casefold())
            if entity.kind == "person":
                forms.add(form.split()[-1].casefold())
    return forms


def front_matter_blocks(article: Article) -> list[Block]:
    """The teaser, the image caption and the related teasers as blocks of line 0 (they name people too)."""
    texts = [article.teaser, article.image_caption, *(entry.teaser for entry in article.related)]
    return [Block(0, "paragraph", t, 0, sentences=tuple(split_sentences(t))) for t in texts if t]


def unfiled_names(
    articles: Sequence[Article], blocks_of: dict[str, Sequence[Block]], entities: Sequence[Entity], *, limit: int = 15
) -> list[UnfiledName]:
    """The people the articles name that no entity file covers, most frequent first, at most `limit`.

    `blocks_of` maps an article's slug to its body's blocks (the analysis has them)."""
    matcher = EntityMatcher(entities)
    known = known_forms(entities)
    texts = [(a, [b for b in (*blocks_of[a.slug], *front_matter_blocks(a)) if b.kind == "paragraph"]) for a in articles]
    lower = {w.casefold() for _, body in texts for b in body for w in _WORD.findall(b.text) if w[0].islower()}
    seen: dict[str, list[tuple[Article, int]]] = {}
    for article, body in texts:
        for block in body:
            masked = [(m.start, m.end) for m in matcher.find(block.text)] + quote_spans(block.text)
            for name in candidates(block.text, block.sentences, masked, lower):
                if name.casefold() in known or name.split()[-1].casefold() in known:
                    continue
                seen.setdefault(name, []).append((article, block.line))
    for name in [n for n in seen if " " not in n]:  # "Präsident Duda" counts for "Andrzej Duda"
        longer = [n for n in seen if " " in n and n.split()[-1] == name]
        if len(longer) == 1:
            seen[longer[0]] += seen.pop(name)
    _count_surnames(texts, seen)
    ranked = sorted(seen.items(), key=lambda item: (-len(item[1]), item[0]))
    return [_unfiled(name, where) for name, where in ranked[:limit]]


def _count_surnames(texts: list[tuple[Article, list[Block]]], seen: dict[str, list[tuple[Article, int]]]) -> None:
    """Count each bare surname of a name found ("traf sich Sikorski") for that name, when only one name has it."""
    owners: dict[str, list[str]] = {}
    for name in seen:
        if " " in name:
            owners.setdefault(name.split()[-1], []).append(name)
    surnames = {surname: names[0] for surname, names in owners.items() if len(names) == 1}
    if not surnames:
        return
    pattern = re.compile(
        r"(?<![\w-])(" + "|".join(map(re.escape, sorted(surnames, key=len, reverse=True))) + r")s?(?![\w-])"
    )
    for article, body in texts:
        for block in body:
            for match in pattern.finditer(block.text):
                name = surnames[match.group(1)]
                if not block.text[: match.start()].endswith(name[: -len(match.group(1))]):  # not the full name
                    seen[name].append((article, block.line))


def _unfiled(name: str, where: list[tuple[Article, int]]) -> UnfiledName:
    """The finding of one name: where it occurs first (the file's line; 0 for front matter)."""
    article, line = min(where, key=lambda w: (w[0].source.path, w[1]))
    at = article.source.body_line + line - 1 if line else 0
    return UnfiledName(name, len(where), tuple(dict.fromkeys(a.slug for a, _ in where)), (article.source.path, at))
