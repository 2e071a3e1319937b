"""News agencies named where a raw export names its authors: an agency is no author.

The article model has no field for an agency (`publisher` is the outlet), so an agency is simply
left out of the authors; a page that names only an agency has none."""

from __future__ import annotations

import re

_AGENCY = re.compile(  # the short forms bylines print, and the full names
    r"dpa(-afx)?|afp|ap|(thomson )?reuters|epd|kna|sid|dts|ddp|dapd|apa|(keystone-)?sda|ansa|efe|anp|belga|pap|ctk"
    r"|tass|xinhua|kyodo|upi|associated press|agence france[- ]presse|deutsche presse-agentur"
    r"|evangelischer pressedienst|katholische nachrichten-agentur",
    re.I,
)
_SERVICE = re.compile(r"^[a-zäöü]{2,4}$")  # a regional service after an agency: 'dpa/lno', 'dpa/lby'
_IN_PARENS = re.compile(r"\s*\(([^()]*)\)$")  # 'Anna Müller (dpa)'


def is_agency(name: str) -> bool:
    """Whether a name is one news agency or several ('dpa', 'AFP', 'Reuters/dpa', 'dpa/lno'), not a person."""
    parts = [p.strip(" ().") for p in name.split("/")]
    return bool(_AGENCY.fullmatch(parts[0])) and all(_AGENCY.fullmatch(p) or _SERVICE.match(p) for p in parts[1:])


def without_agencies(name: str) -> str:
    """A name without the agencies beside it ('Anna Müller/dpa', 'Anna Müller (dpa)': 'Anna Müller'); '' for one."""
    inside = _IN_PARENS.search(name)
    if inside and is_agency(inside.group(1)):
        name = name[: inside.start()]
    if is_agency(name):
        return ""
    if "/" in name and "://" not in name:
        name = "/".join(p for p in name.split("/") if not is_agency(p))
    return name.strip()
