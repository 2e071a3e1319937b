"""Dark mode from `prefers-color-scheme: dark`, checked in a real Chromium on the built seed site.

In both colour schemes: axe-core finds no WCAG 2.2 AA violation (colour contrast included) on
the start page, an article, an entity page, the actor index and the timeline, and the SVG
pictures (actor network, timeline) keep their texts and marks legible on the page background.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from seed_site import build_seed

from browser import run_axe, served_site

SCHEMES = ("light", "dark")
PAGES = (
    "index.html",
    "artikel/treffen-der-aussenminister-nato-bietet-der-ukraine-wenig-konkretes/index.html",  # annotations, quotes
    "personen/mark-rutte/index.html",
    "personen/index.html",
    "chronik/index.html",
)
AXE_TAGS = ("wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa")  # color-contrast is a wcag2aa rule
CONTRAST_CHECKED = """() => axe.run(document, {runOnly: {type: 'rule', values: ['color-contrast']}})
  .then(r => ({passes: r.passes.reduce((n, x) => n + x.nodes.length, 0),
               violations: r.violations.reduce((n, x) => n + x.nodes.length, 0)}))"""
# (selector, CSS property, minimum contrast with the page background): texts 4.5:1, marks 3:1.
PICTURE_PARTS = {
    "personen/index.html": [
        (".network text", "fill", 4.5),
        (".network .node-person circle", "fill", 3),
        (".network .node-organisation circle", "fill", 3),
        (".network .edges", "stroke", 3),
    ],
    "chronik/index.html": [
        (".timeline-svg text.title", "fill", 4.5),
        (".timeline-svg text.date", "fill", 4.5),
        (".timeline-svg text.gap", "fill", 4.5),
        (".timeline-svg .axis", "stroke", 3),
        (".timeline-svg .event circle", "stroke", 3),
        (".timeline-svg .highlight circle", "fill", 3),
    ],
}


def rgb(colour: str) -> tuple[float, float, float]:
    """'rgb(21, 24, 28)' as three numbers 0-255 (alpha ignored: the parts checked are opaque)."""
    numbers = [float(n) for n in re.findall(r"[\d.]+", colour)[:3]]
    assert len(numbers) == 3, colour
    return numbers[0], numbers[1], numbers[2]


def luminance(colour: str) -> float:
    """WCAG relative luminance of a CSS colour."""

    def channel(value: float) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(v) for v in rgb(colour))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str) -> float:
    """WCAG contrast ratio of two CSS colours."""
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


@pytest.fixture(scope="module")
def root_url(tmp_path_factory):
    """The seed site built and served under a subpath for the module."""
    tmp = tmp_path_factory.mktemp("dark")
    site = build_seed(tmp / "project")
    with served_site(site, tmp) as url:
        yield url


@pytest.fixture(scope="module", params=SCHEMES)
def scheme_context(request, browser):
    """A browser context whose pages see `prefers-color-scheme` as light or dark."""
    context = browser.new_context(color_scheme=request.param)
    yield request.param, context
    context.close()


def _body_colours(page) -> tuple[str, str]:
    """Computed background and text colour of the body."""
    return tuple(page.eval_on_selector("body", "e => [getComputedStyle(e).backgroundColor, getComputedStyle(e).color]"))


@pytest.mark.parametrize("path", PAGES)
def test_no_axe_violation_and_the_right_background_in_each_scheme(scheme_context, root_url, path):
    scheme, context = scheme_context
    page = context.new_page()
    page.goto(root_url + path)
    assert page.evaluate("matchMedia('(prefers-color-scheme: dark)').matches") == (scheme == "dark")
    background, text = _body_colours(page)
    if scheme == "dark":
        assert luminance(background) < 0.05 and luminance(text) > 0.6, (background, text)
    else:
        assert rgb(background) == (255, 255, 255), background
    assert contrast(background, text) >= 7
    violations = run_axe(page, AXE_TAGS)
    assert violations == [], (scheme, path, violations)
    checked = page.evaluate(CONTRAST_CHECKED)
    assert checked["passes"] > 20 and checked["violations"] == 0, checked  # the contrast rule really ran
    page.close()


@pytest.mark.parametrize("path", sorted(PICTURE_PARTS))
def test_pictures_stay_legible_on_the_page_background(scheme_context, root_url, path):
    scheme, context = scheme_context
    page = context.new_page()
    page.goto(root_url + path)
    background, _ = _body_colours(page)
    for selector, prop, minimum in PICTURE_PARTS[path]:
        values = page.eval_on_selector_all(selector, f"els => els.map(e => getComputedStyle(e).{prop})")
        assert values, (path, selector)
        for value in set(values):
            assert contrast(value, background) >= minimum, (scheme, selector, value, background)
    page.close()


def test_dark_pictures_are_recoloured_by_the_stylesheet_not_the_markup(root_url, browser):
    colours = {}
    for scheme in SCHEMES:
        context = browser.new_context(color_scheme=scheme)
        page = context.new_page()
        page.goto(root_url + "personen/index.html")
        colours[scheme] = page.eval_on_selector(".network text", "e => getComputedStyle(e).fill")
        context.close()
    assert colours["light"] != colours["dark"]


def test_print_stays_light_when_the_screen_is_dark(root_url, browser):
    context = browser.new_context(color_scheme="dark")
    page = context.new_page()
    page.goto(root_url + "index.html")
    page.emulate_media(media="print")
    assert rgb(_body_colours(page)[0]) == (255, 255, 255)
    context.close()


def test_stylesheet_declares_both_schemes():
    css = (Path(__file__).resolve().parent.parent / "layouts" / "static" / "dossier.css").read_text(encoding="utf-8")
    assert "color-scheme: light dark" in css and "prefers-color-scheme: dark" in css
