"""Why a date an editor wrote is not a real day, in words an editor can act on."""

from __future__ import annotations

import calendar
import datetime as dt
import re

ISO_DAY = re.compile(r"^\s*(\d{4})-(\d{1,2})-(\d{1,2})(?=$|[Tt ]|\s)")
MONTHS = (  # not calendar.month_name, which follows the locale
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
HOW = "write a real day as YYYY-MM-DD, e.g. 2024-12-04"


def impossible(text: str) -> str | None:
    """Why `text`, which failed to read as a date, is no real day; None when it does not look like a date.

    '2024-02-30' -> "date '2024-02-30' is not a real day (February 2024 has 29 days); write …"."""
    found = ISO_DAY.match(text)
    if not found:
        return None
    year, month, day = (int(part) for part in found.groups())
    shown = text.strip()
    if not 1 <= month <= 12:
        return f"date '{shown}' is not a real day (there is no month {month}: months run from 01 to 12); {HOW}"
    days = calendar.monthrange(year, month)[1] if year >= 1 else 31
    if not 1 <= day <= days:
        return f"date '{shown}' is not a real day ({MONTHS[month - 1]} {year} has {days} days); {HOW}"
    try:
        dt.date(year, month, day)
    except ValueError as exc:  # year 0, which the calendar module accepts
        return f"date '{shown}' is not a real day ({exc}); {HOW}"
    if text[found.end() :].strip():  # a real day, so what failed is the time after it
        return f"date '{shown}' has no real time of day after the day; write only the day, as YYYY-MM-DD"
    return None
