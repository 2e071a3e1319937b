"""Reading the dossier: every content file read, checked, analysed and joined, with what earlier builds learned.

The first half of a build (`pipeline`): the stages of content/, text/ and joins/ in data order, handed
the engine's remembered facts (`incremental.recall.Recall`) where they are unchanged.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from .content import load as content
from .content.model import Dossier
from .errors import ContentError
from .incremental.analyses import PARALLEL_MIN, Analyses, remembering_reader
from .incremental.joins import anchored, grouped, remembered_passages, tallied, updated_passages
from .incremental.recall import Recall
from .incremental.resident import HeldEntities, read_entities
from .incremental.workers import Background
from .joins import timeline
from .joins.passages import join_passages
from .text.analysis import TextAnalysis
from .text.mentions import ambiguous_aliases


@dataclass(frozen=True)
class Reading:
    """The dossier read from content/ (None when it cannot be), every problem, and what the joins learned."""

    dossier: Dossier | None
    problems: list[ContentError]
    answers: dict[bytes, bool] = field(default_factory=dict)  # similarity answers the joins used
    blocks: dict[str, list] = field(default_factory=dict)  # article slug -> its body's blocks
    findings: list = field(default_factory=list)  # (analysis, `codec.items`) per article, for fingerprints
    entities: HeldEntities | None = None  # the entities, as read, with their analyser


def read_dossier(
    root: Path,
    *,
    drafts: bool = False,
    jobs: int = 1,
    recall: Recall | None = None,
) -> Reading:
    """Every content file read, checked, analysed and joined into one dossier.

    With `recall`, what earlier builds learned is taken where what it was made from is unchanged
    (articles and analyses by their bytes, joins by what they read), not worked out again."""
    recall = recall or Recall()
    memo, digests, answers, remembered = recall.memo, recall.digests, recall.answers, recall.remembered
    index, held = recall.index, recall.held
    home, errors = content.load_home(root)
    reader = remembering_reader(memo, digests, held)
    articles, article_errors = content.load_articles(root, drafts=drafts, read=reader)
    read = read_entities(root, digests, drafts, held)
    entities, analyser = read.entities, read.analyser
    errors += article_errors + read.errors
    kept_analyses = held.analyses_of(articles, read) if held is not None else {}
    analyses = Analyses(analyser, articles, memo, jobs=jobs, held=kept_analyses, digests=digests)
    said = analyses.sentences()
    taken, passage_digest = remembered_passages(remembered, articles, digests)
    kept = taken
    apart = jobs if len(articles) >= PARALLEL_MIN else 1  # a small dossier is joined faster than forked
    slugs = [a.slug for a in articles]
    files = [digests.get(a.source.path, "?") for a in articles]  # what each article's sentences came from
    if kept is None and index is not None:
        kept = updated_passages(index, slugs, said, files, answers, remembered)  # the articles changed, re-joined
    join = None
    if kept is None and index is not None:  # a first build, or too much changed: one pass, and a new store
        join = index.join_anew(slugs, said.all(), files, answers, jobs=apart)
    elif kept is None:
        join = Background(join_passages, slugs, said.all(), answers, jobs=apart, what="joining passages")
    texts = analyses.texts()  # while the passages are joined in another process
    analyses.stage(texts)
    quotes = [q for text in texts for q in text.quotes]
    groups, quote_answers = grouped(quotes, answers, remembered)
    errors += [e for text in texts for e in text.errors] + ambiguous_aliases(entities, analyser.matcher)
    notes, note_errors = content.load_annotations(root, drafts=drafts)
    article_files = {p.stem for p in (root / "content" / "articles").glob("*.md")}
    blocks_of = analyses.blocks_of(texts, {n.article for n in notes})  # the annotated articles' (and those at hand)
    anchors, anchor_errors = anchored(notes, articles, blocks_of, digests, remembered, hidden=article_files)
    events, event_errors = content.load_events(root, drafts=drafts)
    errors += (
        note_errors + anchor_errors + event_errors + timeline.check(events, articles, entities, hidden=article_files)
    )
    passages, passage_answers = kept if join is None else join.result()
    if remembered is not None and taken is None:  # joined in one pass or updated: the next build takes them
        remembered.keep("passages", passage_digest, (passages, passage_answers))
    if home is None:
        return Reading(None, errors)
    dossier = Dossier(
        home=home,
        articles=articles,
        entities=entities,
        mentions=Mentions(texts),
        quotes=quotes,
        passages=passages,
        quote_groups=groups,
        annotations=anchors,
        events=events,
        tallies=tallied(articles, texts, digests, analyser.digest, remembered),
        found=Found({a.slug: text for a, text in zip(articles, texts, strict=True)}),
    )
    findings = analyses.findings(texts) if memo is not None else []
    return Reading(dossier, errors, {**quote_answers, **passage_answers}, blocks_of, findings, read)


class Found(Mapping):
    """Article slug -> (its mentions, its quotations), as its analysis found them (`Dossier.found`), asked of the
    analysis when a page asks: a stored analysis makes its mentions only then (`codec.StoredAnalysis`)."""

    def __init__(self, texts: dict[str, TextAnalysis]):
        self._texts = texts

    def __getitem__(self, slug: str) -> tuple[list, list]:
        text = self._texts[slug]
        return text.mentions, text.quotes

    def __iter__(self) -> Iterator[str]:
        return iter(self._texts)

    def __len__(self) -> int:
        return len(self._texts)


class Mentions(Sequence):
    """Every mention of the dossier in article order (`Dossier.mentions`), gathered from the analyses when first
    asked for (an edit's build plans few pages, and the pages it plans take theirs from `Found`)."""

    def __init__(self, texts: list[TextAnalysis]):
        self._texts = texts
        self._all: list | None = None

    def _every(self) -> list:
        if self._all is None:
            self._all = [m for text in self._texts for m in text.mentions]
        return self._all

    def __getitem__(self, index):
        return self._every()[index]

    def __len__(self) -> int:
        return len(self._every())

    def __iter__(self) -> Iterator:
        return iter(self._every())
