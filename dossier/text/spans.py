"""Character ranges in a block's plain text: the three ways a position or range can lie in others."""

from __future__ import annotations

from collections.abc import Iterable


def strictly_inside(position: int, spans: Iterable[tuple[int, int]]) -> bool:
    """Whether `position` lies strictly between the ends of one of the spans (a quotation's marks excluded)."""
    return any(start < position < end for start, end in spans)


def within(position: int, spans: Iterable[tuple[int, int]]) -> bool:
    """Whether `position` lies in one of the half-open spans [start, end)."""
    return any(start <= position < end for start, end in spans)


def overlaps(start: int, end: int, ranges: Iterable[tuple]) -> bool:
    """Whether [start, end) overlaps one of the ranges (whose first two items are start and end)."""
    return any(r[0] < end and start < r[1] for r in ranges)
