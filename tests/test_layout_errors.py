"""A broken layout fails the build at its file and line, with what to do, never with a traceback; site/ stays."""

from __future__ import annotations

import pytest
from test_errors_battery import built, project, refused  # noqa: F401  (fixtures, and the refusal check)

MAIN = b"{% block main %}\n"  # line 3 of layouts/article.html: a line put after it is line 4


def after_main(text: bytes):
    return lambda data: data.replace(MAIN, MAIN + text, 1)


@pytest.mark.parametrize(
    ("layout", "change", "where", "says"),
    [
        (
            "article.html",
            after_main(b"{{ no_such_variable }}\n"),
            "article.html:4: ",
            "'no_such_variable' is undefined",
        ),
        ("base.html", lambda d: d.replace(b"</body>", b"{{ nope() }}</body>", 1), "base.html:", "'nope' is undefined"),
        ("article.html", after_main(b"{{ 1 // 0 }}\n"), "article.html:4: ", "ZeroDivisionError"),
        ("article.html", after_main(b"{% include 'fehlt.html' %}\n"), "article.html:4: ", "no layout 'fehlt.html'"),
        ("article.html", after_main(b"{% include 'article.html' %}\n"), "base.html:", "itself without end"),
        (
            "article.html",
            after_main(b"{% macro m() %}{{ m() }}{% endmacro %}{{ m() }}\n"),
            "article.html:4: ",
            "itself",
        ),
        ("article.html", after_main(b"Gr\xfc\xdfe\n"), "article.html:4: ", "not UTF-8 text: byte 0xFC at column 3"),
        ("article.html", lambda d: d.decode().encode("utf-16"), "article.html:1: ", "not UTF-8 text"),
        ("base.html", lambda d: d + b"\n\xff\n", "base.html:", "save the file as UTF-8"),
        ("article.html", after_main(b"{% if %}\n"), "article.html:4: ", "Expected an expression"),
        ("article.html", None, "article.html:1: ", "no layout 'article.html'"),
    ],
)
def test_a_broken_layout_is_named_at_its_line(project, layout, change, where, says):  # noqa: F811
    path = project / "layouts" / layout
    if change is None:
        path.unlink()
    else:
        path.write_bytes(change(path.read_bytes()))
    for command in ((), ("check",)):
        err = refused(project, *command, where=f"layouts/{where}", says=(says,))
        assert 'File "' not in err, err
