"""Markdown to HTML for every text of the dossier: bodies, notes, the introduction, events.

One renderer (the dossier's grammar from `text.markup`, plus heading anchors and the link
rule) and one factory for its environments (`LinkTargets.env`), so every link form works
the same in every text. Raw HTML in content is off, so everything an editor writes is escaped. Links are
resolved by a core rule: absolute links to an original article that is part of the
dossier become internal, other absolute links are marked as leaving the dossier,
and site paths written by an editor (``artikel/slug/``) must name a page that exists.

Every link target is looked up through `LinkTargets.ask`, which can write down each question
and its answer: an article page, rendered long after the plan, records what its body asked
(`LinkTargets.asking`), and a later build renders it again only when one of those answers
changed (`LinkTargets.holds`), not whenever any page of the site came or went.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from difflib import get_close_matches

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from markdown_it.token import Token
from mdit_py_plugins.anchors import anchors_plugin

from ..content.model import ENTITY_KINDS
from ..content.slugs import slugify
from ..errors import ContentError
from ..text.markup import NestedTooDeep, grammar
from . import urls
from .decorate import AfterBlock, Decorator, decorate_rule


@dataclass
class RenderEnv:
    """What the Markdown rules need to know about the page being rendered."""

    page: str  # output path of the page the Markdown lands on
    path: str  # content file, for error messages
    line_offset: int  # file line of the body's first line, minus one
    portable: bool = True
    targets: LinkTargets | None = None  # what links resolve against
    errors: list[ContentError] = field(default_factory=list)
    decorators: list[Decorator] = field(default_factory=list)  # mentions, quotes, passages, annotations
    after_block: list[AfterBlock] = field(default_factory=list)  # e.g. annotation notes after a paragraph
    block_ids: bool = True  # false for Markdown embedded in a page that has its own p1, p2… (notes)

    def ask(self, question: str, key: str = ""):
        """What the link targets answer to one question (`LinkTargets.ask`)."""
        return self.targets.ask(question, key)


@dataclass(frozen=True)
class LinkTargets:
    """What links in Markdown resolve against: the same for every text of one build."""

    portable: bool
    internal: dict[str, str]  # original-site URL -> output path
    site_paths: frozenset[str]  # every output path
    references: dict[str, str]  # "person:mark-rutte" -> output path
    asked: list | None = field(default=None, compare=False)  # where `asking` targets write their lookups down

    def env(self, page: str, path: str, line_offset: int, *, block_ids: bool = True) -> RenderEnv:
        """The render environment for Markdown of content file `path` (its text starting after line
        `line_offset`) landing on output `page`; `block_ids` false for texts embedded among others."""
        return RenderEnv(
            page=page,
            path=path,
            line_offset=line_offset,
            portable=self.portable,
            targets=self,
            block_ids=block_ids,
        )

    def asking(self) -> LinkTargets:
        """These targets, writing down every lookup of every text rendered with them (in `asked`)."""
        return replace(self, asked=[])

    def ask(self, question: str, key: str = ""):
        """The answer to one question (`answer`), written down as (question, key, answer) when `asking`."""
        found = self.answer(question, key)
        if self.asked is not None:
            self.asked.append((question, key, found))
        return found

    def answer(self, question: str, key: str):
        """'url': the output path of an original-site URL (normalized) or None; 'page': whether an output path
        exists; 'entity': the output path of an entity reference or None; 'entities': every (reference, path)."""
        if question == "url":
            return self.internal.get(key)
        if question == "page":
            return key in self.site_paths
        if question == "entity":
            return self.references.get(key)
        if question == "entities":
            return tuple(sorted(self.references.items()))
        raise ValueError(f"no such question: {question!r}")

    def holds(self, asked) -> bool:
        """Whether every (question, key, answer) recorded by an earlier build is answered alike by these targets."""
        return all(self.answer(question, key) == answer for question, key, answer in asked)


def normalize_url(url: str) -> str:
    """An original-site URL in the form used as a key: no scheme, no trailing slash."""
    url = url.split("#", 1)[0].strip()
    for prefix in ("https://", "http://"):
        url = url.removeprefix(prefix)
    return url.removeprefix("www.").rstrip("/")


def _site_path(href: str, env: RenderEnv) -> tuple[str, str] | None:
    """The output path and fragment an editor's site link names, or None."""
    path, _, fragment = href.partition("#")
    path = path.strip("/")
    for candidate in (path, f"{path}/index.html", path + ".html"):
        if env.ask("page", candidate or urls.HOME):
            return (candidate or urls.HOME), fragment
    return None


def _external_note() -> Token:
    """A visually hidden note telling screen readers the link leaves the dossier."""
    token = Token("html_inline", "", 0)
    token.content = '<span class="visually-hidden"> (externer Link)</span>'
    return token


UNSAFE_LINK = re.compile(r"\]\(\s*<?\s*((?:javascript|vbscript|data|file)\s*:\S*)", re.IGNORECASE)


def _unsafe_links(block: Token, env: RenderEnv, line: int) -> None:
    """Refuse links that would run code or embed content in a reader's browser (`javascript:`, `data:`…).
    markdown-it leaves them as plain text already (its `validateLink`), so the page stays inert;
    this says so at the link's line instead of publishing the text silently."""
    for found in UNSAFE_LINK.finditer(block.content):
        href = found.group(1).removesuffix(")")
        scheme = href.partition(":")[0].strip().lower()
        at = line + block.content.count("\n", 0, found.start())
        message = (
            f"link '{href[:60]}' refused: a {scheme}: link is never published (it runs code, embeds content or "
            "points at the reader's own disk); link to a web address (https://…) or a page of the dossier"
        )
        env.errors.append(ContentError(env.path, at, message))


def _link_rule(state: StateCore) -> None:
    """Resolve, rewrite and check every link of the document."""
    env: RenderEnv | None = state.env.get("dossier")
    if env is None:
        return
    line = 0
    for block in state.tokens:
        if block.map:
            line = block.map[0] + 1
        if block.type == "inline" and ":" in block.content:
            _unsafe_links(block, env, env.line_offset + line)
        for token in list(block.children or ()):
            if token.type != "link_open":
                continue
            href = str(token.attrGet("href") or "")
            if href.startswith(("http://", "https://")):
                target = env.ask("url", normalize_url(href))
                if target:
                    token.attrSet("href", urls.relative(env.page, target, portable=env.portable))
                    token.attrSet("class", "intern")
                else:
                    token.attrSet("class", "extern")
                    token.attrSet("rel", "external")
                    _mark_external_close(block.children, token)
            elif href.startswith(("mailto:", "#")):
                _mark_fragment(token, href, env, env.line_offset + line + _line_in(block, href))
            elif href.partition(":")[0] in ENTITY_REF_KINDS:
                _entity_reference(token, href, env, env.line_offset + line + _line_in(block, href))
                _mark_fragment(token, href, env, env.line_offset + line + _line_in(block, href))
            elif href.partition(":")[0].casefold() in KIND_MISSPELLINGS:
                _misspelt_reference(href, env, env.line_offset + line + _line_in(block, href))
            else:
                found = _site_path(href, env)
                if found is None:
                    hint = _nowhere_hint(href, env)
                    message = f"link to nowhere: '{href}' is no page of the dossier{hint}"
                    env.errors.append(ContentError(env.path, env.line_offset + line, message))
                else:
                    token.attrSet("href", urls.relative(env.page, found[0], portable=env.portable, fragment=found[1]))
                    _mark_fragment(token, href, env, env.line_offset + line + _line_in(block, href))
    decorate_rule(state, env.decorators, env.after_block, ids=env.block_ids)


def _mark_fragment(token: Token, href: str, env: RenderEnv, line: int) -> None:
    """Name the content line of an editor's link with a `#fragment` in `data-source`, so a fragment that
    names no id of its page is reported there, by the build and by `check` alike (site.links)."""
    if href.partition("#")[2]:
        token.attrSet("data-source", f"{env.path}:{line}")


ENTITY_REF_KINDS = ("person", "organisation", "place")  # [der Niederländer](person:mark-rutte)
KIND_MISSPELLINGS = {  # what editors write instead of person:, organisation:, place:
    **dict.fromkeys(("persons", "people", "personen", "people", "pers", "p"), "person"),
    **dict.fromkeys(
        ("organization", "organisations", "organizations", "organisationen", "org", "orga"), "organisation"
    ),
    **dict.fromkeys(("places", "orte", "ort", "location", "city"), "place"),
}


def _line_in(inline: Token, href: str) -> int:
    """Lines between the start of a block and the first use of href in its source."""
    at = inline.content.find(f"]({href}")
    return inline.content.count("\n", 0, at) if at > 0 else 0


def _entity_reference(token: Token, href: str, env: RenderEnv, line: int) -> None:
    """Point an editor's entity reference at the entity page (keeping a `#fragment`), or report an unknown slug.

    Whether the fragment names an id of that page is `check`'s to tell, as for every internal link."""
    reference, _, fragment = href.partition("#")
    target = env.ask("entity", reference)
    if target:
        token.attrSet("href", urls.relative(env.page, target, portable=env.portable, fragment=fragment))
        token.attrSet("class", "mention")
        return
    kind, _, slug = reference.partition(":")
    known = sorted(key.partition(":")[2] for key, _ in env.ask("entities") if key.startswith(kind + ":"))
    near = get_close_matches(slug, known, n=1)
    name = " ".join(word.capitalize() for word in slug.split("-"))
    create = f'add content/{ENTITY_KINDS[kind]}/{slug}.md (python build.py new {kind} "{name}"; publish a draft)'
    hint = f" (did you mean '{near[0]}'?)" if near else f"; {create}"
    env.errors.append(ContentError(env.path, line, f"unknown {kind} '{slug}'{hint}"))


def _misspelt_reference(href: str, env: RenderEnv, line: int) -> None:
    """Report `persons:mark-rutte` and the like, suggesting the reference meant."""
    written, _, rest = href.partition(":")
    kind = KIND_MISSPELLINGS[written.casefold()]
    meant = f"{kind}:{rest}"
    hint = f"did you mean {meant}?" if env.ask("entity", meant.partition("#")[0]) else f"write it as {kind}:slug"
    message = (
        f"link to nowhere: '{href}' is no page of the dossier ({hint}; the kinds are person:, organisation:, place:)"
    )
    env.errors.append(ContentError(env.path, line, message))


def _nowhere_hint(href: str, env: RenderEnv) -> str:
    """' (did you mean person:mark-rutte?)' for a folder-style link to an entity page, such as
    ../personen/mark-rutte/; '' when the link names no page at all."""
    path, _, fragment = href.partition("#")
    while path.startswith(("../", "./")):
        path = path.partition("/")[2]
    found = _site_path(path, env)
    if found is None:
        return ""
    for reference, target in env.ask("entities"):
        if target == found[0]:
            return f" (did you mean {reference}{'#' + fragment if fragment else ''}?)"
    return f" (did you mean {path}{'#' + fragment if fragment else ''}, from the site's root?)"


def _mark_external_close(children: list[Token], link_open: Token) -> None:
    """Insert the hidden 'external link' note before the link_close matching `link_open`."""
    start = next(k for k, child in enumerate(children) if child is link_open)  # earlier notes shift indices
    for j in range(start + 1, len(children)):
        if children[j].type == "link_close":
            children.insert(j, _external_note())
            return


def make_markdown() -> MarkdownIt:
    """The dossier's grammar with ids on subheadings and the link rule."""
    md = grammar()
    md.use(anchors_plugin, min_level=2, max_level=3, slug_func=slugify)
    md.core.ruler.push("dossier_links", _link_rule)
    return md


_RENDERER = make_markdown()  # a MarkdownIt instance keeps no state between renders: `env` carries it


def render(text: str, env: RenderEnv) -> str:
    """HTML of one Markdown text; problems are appended to env.errors."""
    try:
        return _RENDERER.render(text, {"dossier": env})
    except NestedTooDeep as deep:
        env.errors.append(ContentError(env.path, env.line_offset + deep.line + 1, deep.message))
        return ""
