"""What the engine hands one build's stages: the stores earlier builds left and what this process holds."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from .joins import RememberedJoins
from .memo import ArticleMemo
from .passage_index import PassageIndex
from .resident import Resident


@dataclass(frozen=True)
class Recall:
    """The SHA-256 `digests` of the input files; the article store (`memo`: articles and analyses by their
    bytes); the similarity `answers` earlier joins found; the joins of the last build (`remembered`, taken
    as they are when what they read is unchanged); the store of the passage join (`index`, updated with
    the articles changed since); and what a long-running process holds from its last build (`resident`)."""

    digests: Mapping[str, str] = field(default_factory=dict)
    memo: ArticleMemo | None = None
    answers: dict[bytes, bool] | None = None
    remembered: RememberedJoins | None = None
    index: PassageIndex | None = None
    resident: Resident | None = None

    @property
    def held(self) -> Resident | None:
        """The resident facts, when there are any to take."""
        return self.resident if self.resident is not None and self.resident.articles else None
