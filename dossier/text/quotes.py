"""Quotations in article bodies and who said them (pure).

Each block of each body is split into sentences; every quotation („…“, "…") is
attributed from its own sentence first, then from its neighbours:

1. a *cue* in the same sentence: a verb of saying ("sagte", "erklärte", "warnte",
   ", so X", …) with its subject after it („…“, sagte Rutte) or before it
   (Baerbock nannte die Bausteine: "…"). A cue right after a quotation („…“, sagte X)
   or ending in a colon before one (X sagte: „…“) belongs to that quotation only;
   other cues belong to every quotation of the sentence;
2. the subject is a name or alias of a person (else an organisation) found by
   `mentions.EntityMatcher`; a pronoun ("er", "sie") or a role description
   ("der SPD-Politiker") stands for the person last named before it;
3. a quotation without a cue ("Ein Beispiel: „…“") carries over the speaker of the
   quotation before it in the same paragraph, else the person named in the
   sentence before it.

A quotation of fewer than `STATEMENT_MIN_WORDS` words („hybride“, „im Raum“) is a
scare quote or quoted term: marked in the text, not listed as a statement. Quoted
headlines are not statements either. An editor's `speakers:` list in the article's
front matter overrides any attribution.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from cydifflib import SequenceMatcher

from ..content.model import Article, Entity, Quote
from ..errors import ContentError
from .blocks import Block
from .sentences import quote_spans
from .spans import within
from .words import normalise, word_count

STATEMENT_MIN_WORDS = 3
SPEAKER_KINDS = ("person", "organisation")  # places never speak ("hieß es in Brüssel")
HEADLINE_SIMILARITY = 0.75  # a quoted headline this similar to a statement shares its speaker

_VERB_TEXT = (
    "sagte sagten sagt erklärte erklärten erklärt betonte betonten betont warnte warnten warnt "
    "behauptete behaupteten behauptet nannte nannten nennt forderte forderten fordert kritisierte "
    "kritisiert meinte meint ergänzte ergänzt fügte bekräftigte versicherte mahnte unterstrich "
    "räumte verkündete antwortete fragte erwiderte bezeichnete bezeichnet darstellte schrieb "
    "zitierte hieß heißt laut"
)
_CUE = re.compile(r"(?<![\w-])(?:" + "|".join(_VERB_TEXT.split(" ")) + r"|(?<=, )so)(?![\w-])")
_CLAUSE_END = re.compile(r"[,.;:!?()„“”»«\"]|\s[–—-]\s")
_PRONOUN = re.compile(r"^(?:er|sie)\b")
_ROLE = re.compile(
    r"^(?:der|die)\s+[\w-]*(?:er|in|chef|sekretär|beauftragte|beauftragter|präsident|kanzler)\b", re.IGNORECASE
)


Find = Callable[[str], Sequence]  # text -> mentions with .start, .end, .entity


@dataclass(frozen=True)
class Cue:
    """A verb of saying in a sentence and the speaker its clause names (None if unresolved)."""

    start: int  # position of the verb in the block text
    speaker: Entity | None
    target: int | None  # index of the quotation it belongs to alone, None for all in the sentence


@dataclass
class _BlockText:
    """A block with its sentences, quotations and the mentions outside them."""

    block: Block
    sentences: list[tuple[int, int]]
    quotes: list[tuple[int, int]]
    mentions: list  # mentions outside quotations, in order


def _prepare(block: Block, find: Find) -> _BlockText:
    """Sentences, quotations and outside mentions of one block."""
    spans = quote_spans(block.text)
    found = [m for m in find(block.text) if not within(m.start, spans)]
    return _BlockText(block, list(block.sentences), spans, found)


def _speaker_in(mentions: list, text: str) -> Entity | None:
    """The first person named in a stretch of text, else its first organisation (not a compound's first part)."""
    for kind in SPEAKER_KINDS:
        for mention in mentions:
            if mention.entity.kind == kind and not text.startswith("-", mention.end):
                return mention.entity
    return None


def _last_person(contexts: list[_BlockText], index: int, before: int) -> Entity | None:
    """The person named last before position `before` of block `index`, looking back up to three blocks."""
    for i in range(index, max(index - 4, -1), -1):
        limit = before if i == index else len(contexts[i].block.text)
        people = [m for m in contexts[i].mentions if m.end <= limit and m.entity.kind == "person"]
        if people:
            return people[-1].entity
    return None


def _clause_after(text: str, start: int, stop: int) -> tuple[int, int]:
    """The stretch after a verb up to the end of its clause (at most eight words)."""
    match = _CLAUSE_END.search(text, start, stop)
    end = match.start() if match else stop
    words = list(re.finditer(r"\S+", text[start:end]))
    if len(words) > 8:
        end = start + words[7].end()
    return start, end


def _clause_before(text: str, start: int, stop: int) -> tuple[int, int]:
    """The stretch from the start of a verb's clause up to the verb."""
    begin = start
    for match in _CLAUSE_END.finditer(text, start, stop):
        begin = match.end()
    return begin, stop


def _resolve(ctx: _BlockText, contexts: list[_BlockText], index: int, span: tuple[int, int]) -> Entity | None:
    """The speaker a subject stretch names: a name, or a pronoun/role for the person named before."""
    text = ctx.block.text
    inside = [m for m in ctx.mentions if span[0] <= m.start and m.end <= span[1]]
    people = [m for m in inside if m.entity.kind == "person"]
    if people:
        return people[0].entity
    words = text[span[0] : span[1]].strip()
    if _PRONOUN.match(words) or _ROLE.match(words):
        return _last_person(contexts, index, span[0])
    return _speaker_in(inside, text)


def _cues(ctx: _BlockText, contexts: list[_BlockText], index: int, sentence: tuple[int, int]) -> list[Cue]:
    """Every verb of saying in one sentence, outside quotations, with its speaker and target."""
    text, (s_start, s_end) = ctx.block.text, sentence
    cues = []
    for match in _CUE.finditer(text, s_start, s_end):
        if within(match.start(), ctx.quotes):
            continue
        after = _clause_after(text, match.end(), s_end)
        speaker = _resolve(ctx, contexts, index, after)
        before = _clause_before(text, s_start, match.start())
        if speaker is None and match.group() not in ("hieß", "heißt"):
            people = [m for m in ctx.mentions if before[0] <= m.start and m.end <= before[1]]
            speaker = _speaker_last(people, text) or (
                _last_person(contexts, index, before[0])
                if _PRONOUN.match(text[before[0] : before[1]].strip())
                else None
            )
        cues.append(Cue(match.start(), speaker, _target(ctx, match.start(), after[1])))
    return cues


def _speaker_last(mentions: list, text: str) -> Entity | None:
    """The person named last in a stretch (the subject right before its verb), else the last organisation."""
    return _speaker_in(list(reversed(mentions)), text)


def _target(ctx: _BlockText, verb: int, clause_end: int) -> int | None:
    """The quotation a cue belongs to alone: right before it („…“, sagte) or after its colon (sagte: „…“)."""
    text = ctx.block.text
    for number, (start, end) in enumerate(ctx.quotes):
        if end <= verb and re.fullmatch(r"[\s,]*", text[end:verb]):
            return number
        if start >= clause_end and re.fullmatch(r"\s*:\s*", text[clause_end:start]):
            return number
    return None


def _own_speaker(cues: list[Cue], number: int, quote: tuple[int, int]) -> tuple[bool, Entity | None]:
    """(found, speaker) from the cues of the quotation's sentence."""
    targeted = [c for c in cues if c.target == number]
    general = [c for c in cues if c.target is None]
    chosen = targeted or general
    if not chosen:
        return False, None
    nearest = min(chosen, key=lambda c: min(abs(c.start - quote[0]), abs(c.start - quote[1])))
    return True, nearest.speaker


def _previous_sentence_speaker(contexts: list[_BlockText], index: int, sentence: int) -> Entity | None:
    """The person named first in the sentence before (in this paragraph or the last one before it)."""
    ctx = contexts[index]
    if sentence > 0:
        span = ctx.sentences[sentence - 1]
    else:
        earlier = [i for i in range(index - 1, -1, -1) if contexts[i].block.kind == "paragraph"]
        if not earlier or not contexts[earlier[0]].sentences:
            return None
        ctx = contexts[earlier[0]]
        span = ctx.sentences[-1]
    return next((m.entity for m in ctx.mentions if span[0] <= m.start < span[1] and m.entity.kind == "person"), None)


def _block_quotes(article: Article, contexts: list[_BlockText], index: int, first_number: int) -> list[Quote]:
    """The quotations of one block, attributed."""
    ctx = contexts[index]
    text = ctx.block.text
    found: list[Quote] = []
    last_speaker: Entity | None = None
    for number, span in enumerate(ctx.quotes):
        s_index = next((i for i, (a, b) in enumerate(ctx.sentences) if a <= span[0] < b), 0)
        sentence = ctx.sentences[s_index] if ctx.sentences else (0, len(text))
        speaker = None
        if ctx.block.kind == "paragraph":
            has_cue, speaker = _own_speaker(_cues(ctx, contexts, index, sentence), number, span)
            if not has_cue:
                speaker = last_speaker or _previous_sentence_speaker(contexts, index, s_index)
        inner = text[span[0] + 1 : span[1] - 1].strip()
        found.append(
            Quote(
                article=article,
                number=first_number + len(found),
                block=ctx.block.index,
                start=span[0],
                end=span[1],
                text=inner,
                sentence=text[sentence[0] : sentence[1]],
                speaker=speaker,
                is_statement=ctx.block.kind == "paragraph" and word_count(inner) >= STATEMENT_MIN_WORDS,
            )
        )
        last_speaker = speaker or last_speaker
    return found


def article_quotes(article: Article, body_blocks: Sequence[Block], find: Find) -> list[Quote]:
    """Every quotation of an article body (its `blocks`), in reading order, with its speaker where one is found."""
    contexts = [_prepare(block, find) for block in body_blocks]
    found: list[Quote] = []
    for index in range(len(contexts)):
        found += _block_quotes(article, contexts, index, len(found) + 1)
    _headline_speakers(found)
    return found


def _headline_speakers(found: list[Quote]) -> None:
    """Give a quoted headline the speaker of the statement it condenses."""
    statements = [q for q in found if q.is_statement and q.speaker is not None]
    for quote in found:
        if quote.is_statement or quote.speaker is not None or word_count(quote.text) < STATEMENT_MIN_WORDS:
            continue
        best = max(statements, key=lambda s: _similarity(quote.text, s.text), default=None)
        if best is not None and _similarity(quote.text, best.text) >= HEADLINE_SIMILARITY:
            quote.speaker = best.speaker


def _similarity(a: str, b: str) -> float:
    """Similarity of two texts' normalised words (difflib's ratio, computed by cydifflib)."""
    return SequenceMatcher(None, normalise(a), normalise(b), autojunk=False).ratio()


def apply_overrides(article: Article, found: list[Quote], entities: dict[str, Entity]) -> list[ContentError]:
    """Apply the article's `speakers:` list; every unknown slug or unmatched quote is an error."""
    errors = []
    path = article.source.path
    for i, item in enumerate(article.speakers):
        line = article.source.line_of_item("speakers", i)
        start = normalise(str(item.get("quote") or ""))
        slug = item.get("speaker")
        unknown = set(item) - {"quote", "speaker", "statement"}
        if unknown:
            errors.append(
                ContentError(path, line, f"speakers: unknown key {sorted(unknown)[0]!r}; use quote, speaker, statement")
            )
            continue
        if not start:
            errors.append(ContentError(path, line, "speakers: 'quote' must give the start of a quotation"))
            continue
        if slug is not None and slug not in entities:
            near = difflib.get_close_matches(str(slug), sorted(entities), n=1)
            hint = f" (did you mean '{near[0]}'?)" if near else ""
            errors.append(ContentError(path, line, f"speakers: unknown speaker '{slug}'{hint}; {_create(str(slug))}"))
            continue
        matching = [q for q in found if normalise(q.text).startswith(start)]
        if not matching:
            errors.append(
                ContentError(
                    path, line, f"speakers: no quotation starts with {item['quote']!r}{_closest(start, found)}"
                )
            )
            continue
        for quote in matching:
            quote.speaker = entities[slug] if slug is not None else None
            quote.overridden = True
            if "statement" in item:
                quote.is_statement = bool(item["statement"])
    return errors


def _create(slug: str) -> str:
    """How to give a speaker their person file."""
    name = " ".join(word.capitalize() for word in slug.split("-")) if slug == slug.lower() else slug
    return (
        f'if they have no person file yet, create one with: python build.py new person "{name}", fill it in '
        "and delete its line 'draft: true' (a draft names nobody until then)"
    )


def _closest(start: str, found: list[Quote]) -> str:
    """' (closest: „…“)' naming the quotation whose beginning is most like `start`."""
    heads = {normalise(q.text)[: max(len(start), 20)]: q.text for q in found}
    near = difflib.get_close_matches(start, list(heads), n=1, cutoff=0.3)
    return f" (closest: „{heads[near[0]][:60]}“)" if near else ""
