"""The generated README prints the spec's Markdown as Markdown (links, emphasis, code),
never raw HTML, images, script links, headings, tables, fences or link definitions."""

from __future__ import annotations

import pytest
from oagen.plan.readme import _markdown_text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Find out more at [swagger.io](http://swagger.io), *really* `now`",
            "Find out more at [swagger.io](http://swagger.io), *really* `now`",
        ),
        ("[relative](/docs/pets) and [mail](mailto:a@b.c)", None),
        ("<b>bold</b> & <!-- hidden -->", "&lt;b&gt;bold&lt;/b&gt; &amp; &lt;!-- hidden --&gt;"),
        ("![pixel](https://tracker.example/p.png)", "!\\[pixel](https://tracker.example/p.png)"),
        ("[x](javascript:alert(1))", "[x\\]\\(javascript:alert(1))"),
        ("[x]( JavaScript:alert(1))", "[x\\]\\( JavaScript:alert(1))"),
        ("[1]: https://evil.example", "\\[1]: https://evil.example"),
        ("```python", "\\```python"),
        ("C# | F#", "C\\# \\| F\\#"),
        ("two\nlines\u202e", "two lines\\u202e"),
    ],
)
def test_readme_text_keeps_markdown_and_drops_what_is_unsafe(
    text: str, expected: str | None
) -> None:
    assert _markdown_text(text) == (text if expected is None else expected)
