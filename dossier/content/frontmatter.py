"""YAML front matter: split, parse with line numbers, and dump deterministically."""

from __future__ import annotations

import datetime as dt
import unicodedata
from dataclasses import dataclass, field

import yaml

try:  # the C loader is several times faster; fall back where libyaml is missing
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

from ..errors import ContentError


@dataclass
class Document:
    """A content file split into front matter and Markdown body."""

    meta: dict
    body: str
    body_line: int  # 1-based line of the body's first line in the file
    key_lines: dict[str, int] = field(default_factory=dict)  # top-level key -> line
    item_lines: dict[str, list[int]] = field(default_factory=dict)  # top-level list key -> line of each item

    def line_of(self, key: str) -> int:
        """Line of a front-matter key, or 1 when it is absent."""
        return self.key_lines.get(key, 1)


def normalize_text(raw: bytes | str) -> str:
    """Decode, drop a BOM, turn CRLF/CR into LF, strip trailing spaces, NFC."""
    text = raw.decode("utf-8") if isinstance(raw, bytes) else raw
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    text = "\n".join(line.rstrip() for line in text.split("\n"))
    return unicodedata.normalize("NFC", text)


def parse(text: str, path: str) -> Document:
    """Parse `---` front matter and body; raise ContentError with the line at fault."""
    text = normalize_text(text)
    if not text.startswith("---\n"):
        raise ContentError(path, 1, "missing front matter: the file must start with a line '---'")
    end = text.find("\n---\n", 3)
    if end == -1:
        if text.endswith("\n---"):
            end = len(text) - 4
        else:
            raise ContentError(path, 1, "front matter is not closed: add a line '---' after it")
    source = text[4 : end + 1]
    body = text[end + 5 :]
    body_line = source.count("\n") + 3
    try:
        node = yaml.compose(source, Loader=_Loader)
        meta = yaml.load(source, Loader=_Loader) if node is not None else {}
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 2 if mark else 1
        problem = exc.problem or str(exc)
        raise ContentError(path, line, f"broken YAML front matter: {problem}") from None
    if meta is None:
        meta = {}
    if not isinstance(meta, dict):
        raise ContentError(path, 2, "front matter must be a mapping of 'key: value' lines")
    key_lines, item_lines = {}, {}
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            key_lines[str(key_node.value)] = key_node.start_mark.line + 2
            if isinstance(value_node, yaml.SequenceNode):
                item_lines[str(key_node.value)] = [item.start_mark.line + 2 for item in value_node.value]
    return Document(meta=meta, body=body, body_line=body_line, key_lines=key_lines, item_lines=item_lines)


class _Dumper(yaml.SafeDumper):
    """Block style, unicode kept, no aliases, no line folding."""

    def ignore_aliases(self, data):
        return True


def _str(dumper, value: str):
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _str)
_Dumper.add_representer(dt.date, lambda d, v: d.represent_scalar("tag:yaml.org,2002:timestamp", v.isoformat()))


def dump(meta: dict, body: str) -> str:
    """Render front matter (keys in the given order) and body; stable byte for byte."""
    head = yaml.dump(meta, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=10_000, default_flow_style=False)
    body = body.strip("\n")
    return f"---\n{head}---\n\n{body}\n" if body else f"---\n{head}---\n"
