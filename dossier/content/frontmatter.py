"""YAML front matter: split, parse with line numbers, and dump deterministically."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass, field

import yaml

try:  # the C loader is several times faster; fall back where libyaml is missing
    from yaml import CSafeLoader as _BaseLoader
except ImportError:  # pragma: no cover
    from yaml import SafeLoader as _BaseLoader  # type: ignore[assignment]

from ..errors import ContentError
from . import yaml_words


class _Loader(_BaseLoader):
    """The safe loader, except that a value that looks like a date but is no real day ('2024-02-30') stays
    the text it is, for the schema to explain with its key and line (PyYAML raises a bare ValueError)."""

    def construct_yaml_timestamp(self, node):
        try:
            return super().construct_yaml_timestamp(node)
        except ValueError:
            return str(node.value)


_Loader.add_constructor("tag:yaml.org,2002:timestamp", _Loader.construct_yaml_timestamp)

CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")  # C0 and C1 controls but tab and line feed
CONTROL_NAMES = {"\x00": "NUL", "\x1b": "ESCAPE", "\x7f": "DELETE", "\x0c": "FORM FEED", "\x0b": "VERTICAL TAB"}


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


def control_character(text: str, path: str) -> ContentError | None:
    """The first invisible control character (NUL, escape, …; tabs and line ends are fine), with its line."""
    found = CONTROL.search(text)
    if found is None:
        return None
    char, at = found.group(), found.start()
    line = text.count("\n", 0, at) + 1
    column = at - (text.rfind("\n", 0, at) + 1) + 1
    name = CONTROL_NAMES.get(char, "a control character")
    return ContentError(
        path,
        line,
        f"invisible control character U+{ord(char):04X} ({name}) at column {column}: delete it "
        "(most editors do not show it; retype the characters around it)",
    )


def _load(source: str, path: str) -> tuple[yaml.Node | None, object]:
    """The composed node and the value of the front matter; ContentError in plain words for broken or unsafe YAML."""
    loader = _Loader(source)
    try:
        node = loader.get_single_node()
        if node is None:
            return None, {}
        unsafe = yaml_words.refuse_unsafe(node, source)
        if unsafe:
            raise ContentError(path, unsafe[0] + 2, unsafe[1])
        return node, loader.construct_document(node)
    except yaml.MarkedYAMLError as exc:
        line, message = yaml_words.explain(exc, source)
        raise ContentError(path, line + 2, message) from None
    except yaml.reader.ReaderError as exc:  # a character YAML refuses (U+FFFE and the like)
        line = source.count("\n", 0, exc.position) + 2
        code = ord(exc.character) if isinstance(exc.character, str) else int(exc.character)
        message = f"broken YAML front matter: the character U+{code:04X} is not allowed here; delete it"
        raise ContentError(path, line, message) from None
    except (ValueError, TypeError, OverflowError) as exc:  # a value of a plain type that cannot be read
        raise ContentError(path, 2, f"broken YAML front matter: a value cannot be read ({exc})") from None
    except RecursionError:
        raise ContentError(path, 2, "broken YAML front matter: nested too deeply; write it flat") from None
    finally:
        loader.dispose()


def parse(text: str, path: str) -> Document:
    """Parse `---` front matter and body; raise ContentError with the line at fault."""
    text = normalize_text(text)
    control = control_character(text, path)
    if control:
        raise control
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
    node, meta = _load(source, path)
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
