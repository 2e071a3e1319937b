"""YAML's complaints about front matter, said in plain words with the line they are about.

PyYAML reports what its scanner met ("mapping values are not allowed in this context");
an editor needs to know what to change ("a colon in the value: put the value in quotes").
Front matter is also held to a safe subset of YAML: no tags beyond the plain types, no
anchors or aliases (`&name`, `*name`, which also make "billion laughs" bombs), no key twice.
"""

from __future__ import annotations

import yaml

PLAIN_TAGS = {
    f"tag:yaml.org,2002:{name}" for name in ("str", "int", "float", "bool", "null", "timestamp", "seq", "map")
}


def line_text(source: str, line: int) -> str:
    """Line `line` (0-based) of the front matter, as written."""
    lines = source.split("\n")
    return lines[line] if 0 <= line < len(lines) else ""


def _shown(text: str) -> str:
    """A line quoted for a message, tabs made visible."""
    text = text.replace("\t", "\\t").strip()
    return (text if len(text) <= 100 else text[:99] + "…") if text else "(an empty line)"


def explain(exc: yaml.MarkedYAMLError, source: str) -> tuple[int, str]:
    """(0-based line of the front matter, plain message) for one YAML error."""
    problem = exc.problem or str(exc)
    mark = exc.problem_mark or exc.context_mark
    at_end = mark is not None and mark.index >= len(source.rstrip())
    if exc.context_mark is not None and (mark is None or at_end):
        mark = exc.context_mark  # the stream ended: what was left open is where it starts
    line = mark.line if mark else 0
    text = line_text(source, line)
    column = mark.column if mark else 0
    if "tab character" in problem or (column < len(text) and text[column] == "\t") or text.startswith("\t"):
        message = "a tab in the indentation (YAML needs spaces): indent with spaces instead"
    elif "mapping values are not allowed" in problem:
        first = text.find(":")
        if 0 <= first < column:
            message = 'a colon in the value: put the value in quotes, e.g. title: "Rutte: kein Deal"'
        else:
            message = "this line is indented more than the key above it: start it at the same column, or put the value in quotes"
    elif "escape character" in problem or "hexdecimal number" in problem:
        message = "a backslash in a double-quoted value: use single quotes ('…') or write it as \\\\"
    elif "quoted scalar" in (exc.context or ""):
        message = (
            "a quotation mark is opened but not closed: close it, or quote the value with the other kind (' or \")"
        )
    elif "flow sequence" in (exc.context or "") or "flow mapping" in (exc.context or ""):
        message = "a list in [ ] or a mapping in { } is not closed, or a value in it needs quotes"
    elif "undefined alias" in problem or "alias" in (exc.context or ""):
        message = "anchors and aliases (&name, *name) are not allowed in front matter: write the value out"
    elif "expected <block end>" in problem or "expected key" in problem or "expected ':'" in problem:
        message = "this line does not line up with the keys above: every key starts 'key: value' at the same column"
    elif "nesting depth" in problem:
        message = "values nested too deeply: write them flat"
    elif "unhashable key" in problem:
        message = "a key must be a plain word followed by ':'"
    else:
        message = f"{problem}"
    return line, f"broken YAML front matter: {message} (the line reads: {_shown(text)})"


def refuse_unsafe(node: yaml.Node, source: str) -> tuple[int, str] | None:
    """(0-based line, message) for the first tag, alias or repeated key in the composed front matter, or None.

    Walks each node once (an alias is a node met a second time), so an alias bomb costs no more than its text."""
    seen: set[int] = set()
    stack = [node]
    while stack:
        current = stack.pop()
        line = current.start_mark.line
        if id(current) in seen:
            return line, (
                "anchors and aliases (&name, *name) are not allowed in front matter: write the value out "
                f"(the line reads: {_shown(line_text(source, line))})"
            )
        seen.add(id(current))
        if current.tag not in PLAIN_TAGS and current.tag != "tag:yaml.org,2002:merge":
            tag = current.tag.replace("tag:yaml.org,2002:", "!!")
            return line, (
                f"the YAML tag '{tag}' is not allowed in front matter: delete it and write a plain value "
                f"(the line reads: {_shown(line_text(source, line))})"
            )
        if isinstance(current, yaml.SequenceNode):
            stack.extend(reversed(current.value))
        elif isinstance(current, yaml.MappingNode):
            keys: dict[str, int] = {}
            for key, _ in current.value:
                if isinstance(key, yaml.ScalarNode) and key.value in keys:
                    first = keys[key.value] + 2
                    return key.start_mark.line, (
                        f"the key '{key.value}' appears twice (also on line {first}): keep one, or YAML "
                        "silently drops the first"
                    )
                if isinstance(key, yaml.ScalarNode):
                    keys[key.value] = key.start_mark.line
            stack.extend(node for pair in reversed(current.value) for node in reversed(pair))
    return None
