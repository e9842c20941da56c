"""Spec text -> Python source text: literals and docstring bodies, escaped.

Every string from a spec reaches generated code through `py_literal` (a Python
literal) or `docstring` (the escaped body of a triple-quoted docstring); nothing else
turns spec text into source.
"""

from __future__ import annotations

import functools
import json
import math
import re
import textwrap
from collections.abc import Iterable

from .ir import JsonScalar, JsonValue

__all__ = [
    "base_decoder",
    "docblock",
    "docstring",
    "enum_needs_cast",
    "enum_type",
    "is_literal_enum",
    "py_literal",
    "py_tuple",
    "toml_string",
]

_QUOTE_RUN = re.compile(r'"{2,}')
_LIST_LINE = re.compile(r"^\s*([-*+|>#]|\d+[.)]|```)")


def py_literal(value: JsonValue) -> str:
    """A Python expression equal to the JSON value `value`."""
    if type(value) is str:  # the usual case first
        return repr(value)  # escapes quotes, backslashes and every non-printable
    if isinstance(value, bool) or value is None:
        return repr(value)
    if isinstance(value, int):
        return repr(value)
    if isinstance(value, float):
        if math.isnan(value):
            return 'float("nan")'
        if math.isinf(value):
            return 'float("inf")' if value > 0 else 'float("-inf")'
        return repr(value)
    if isinstance(value, str):
        return repr(value)  # escapes quotes, backslashes and every non-printable
    if isinstance(value, list):
        return "[" + ", ".join(py_literal(v) for v in value) + "]"
    if isinstance(value, dict):
        items = ", ".join(f"{py_literal(k)}: {py_literal(v)}" for k, v in value.items())
        return "{" + items + "}"
    raise TypeError(f"not a JSON value: {type(value).__name__}")


def py_tuple(items: Iterable[str]) -> str:
    """The tuple display of the expressions `items`: `()`, `(a,)` or `(a, b)` (no
    magic trailing comma)."""
    listed = list(items)
    return f"({', '.join(listed)}{',' if len(listed) == 1 else ''})"


def _escape_char(ch: str) -> str:
    if ch == "\t":
        return "\\t"
    if ch == "\r":
        return "\\r"
    code = ord(ch)
    if code < 0x100:
        return f"\\x{code:02x}"
    if code < 0x10000:
        return f"\\u{code:04x}"
    return f"\\U{code:08x}"


_MAYBE_UNPRINTABLE = re.compile(r"[^\n\x20-\x7e]")  # only these need a closer look


def _escape_match(match: re.Match[str]) -> str:
    ch = match.group()
    return ch if ch.isprintable() else _escape_char(ch)


def _escape(text: str) -> str:
    text = text.replace("\\", "\\\\")
    text = _MAYBE_UNPRINTABLE.sub(_escape_match, text)
    text = _QUOTE_RUN.sub(lambda m: '\\"' * len(m.group()), text)
    return text


def docstring(text: str, indent: int, width: int = 88) -> str:
    """The body of a `\"\"\"...\"\"\"` docstring indented by `indent` spaces.

    Paragraphs are wrapped at `width`; lines that look like lists, tables, headings or
    code keep their shape. The result never closes the docstring early, never ends
    with a quote or a backslash escape, and has no trailing whitespace, so black and
    ruff leave it as it is.
    """
    wrap_width = max(40, width - indent)
    if (  # the common case, one short plain line: what the general path gives, faster
        len(text) <= wrap_width
        and text.isascii()
        and text.isprintable()
        and '"' not in text
        and "\\" not in text
        and not text.startswith(" ")
        and not _LIST_LINE.match(text)
    ):
        return text.rstrip()
    return _docstring(text, indent, wrap_width)


@functools.lru_cache(maxsize=4096)  # field docs repeat across models
def _docstring(text: str, indent: int, wrap_width: int) -> str:
    pad = " " * indent
    out: list[str] = []
    paragraph: list[str] = []

    def flush() -> None:
        if paragraph:
            joined = " ".join(part.strip() for part in paragraph)
            if len(joined) <= wrap_width and joined.isprintable():
                out.append(joined.strip())  # what textwrap would give, without its cost
            else:
                out.extend(_wrap(joined, wrap_width) or [""])
            paragraph.clear()

    in_code = False
    for raw_line in text.replace("\r\n", "\n").split("\n"):
        line = raw_line.rstrip()
        if line.lstrip().startswith("```"):
            flush()
            in_code = not in_code
            out.append(line)
        elif in_code or _LIST_LINE.match(line) or line.startswith((" ", "\t")):
            flush()
            out.append(line)
        elif not line:
            flush()
            if out and out[-1] != "":
                out.append("")
        else:
            paragraph.append(line)
    flush()
    while out and not out[-1]:
        out.pop()
    # escaped at once (escapes never span or make a line break, nor end in whitespace)
    lines = _escape("\n".join(out)).split("\n")
    body = "\n".join((pad + line).rstrip() if line else "" for line in lines).strip()
    # A closing quote is spelled `\x22`: black and ruff format a docstring that ends
    # with a quote (escaped or not) differently, and neither touches an escape.
    if body.endswith('"'):
        backslashes = len(body[:-1]) - len(body[:-1].rstrip("\\"))
        body = body[: -1 if backslashes % 2 == 0 else -2] + "\\x22"
    return body


_OTHER_SPACE = re.compile(r"[^\S ]")  # whitespace other than the space


def _wrap(text: str, width: int) -> list[str]:
    """`textwrap.wrap(text, width, break_long_words=False, break_on_hyphens=False)`,
    several times faster: for text whose only whitespace is the space, and which does
    not start with one (paragraphs), each line is cut at the last space run that
    keeps it within `width` (a longer word stands alone), not chunk by chunk."""
    if text.startswith(" ") or _OTHER_SPACE.search(text):
        return textwrap.wrap(text, width, break_long_words=False, break_on_hyphens=False)
    lines: list[str] = []
    pos, size = 0, len(text)
    while pos < size:
        end = pos + width
        if end >= size:
            lines.append(text[pos:].rstrip(" "))
            break
        if text[end] == " ":  # the line ends in the space run at `end`
            line = text[pos:end].rstrip(" ")
        else:
            space = text.rfind(" ", pos, end)
            if space < 0:  # a word longer than a line, kept whole
                space = text.find(" ", pos)
                if space < 0:
                    lines.append(text[pos:])
                    break
            line = text[pos:space].rstrip(" ")
            end = space
        lines.append(line)
        pos = len(text) - len(text[end:].lstrip(" "))
    return lines


def docblock(text: str, indent: int) -> str:
    """A complete docstring (quotes included) whose continuation lines are indented."""
    body = docstring(text, indent)
    if "\n" in body:
        return f'"""{body}\n{" " * indent}"""'
    return f'"""{body}"""'


def toml_string(text: str) -> str:
    """A TOML basic string equal to `text` (JSON string escapes are valid TOML)."""
    return json.dumps(text, ensure_ascii=True)


def is_literal_enum(values: tuple[JsonScalar, ...]) -> bool:
    """Whether an enum of `values` is typed `Literal[...]` alone (no float among
    them, no integer beyond 64 bits, not both booleans)."""
    return not any(isinstance(v, float) or _wide(v) for v in values) and not {
        True,
        False,
    } <= {v for v in values if isinstance(v, bool)}


_INT64 = range(1 - 2**63, 2**63)  # (mypy reads `-N` as minus N: N below 2**63)


def _wide(value: JsonScalar) -> bool:
    """An integer beyond 64 bits: mypy takes no such `Literal` ("cannot contain
    arbitrary expressions")."""
    return isinstance(value, int) and not isinstance(value, bool) and value not in _INT64


def enum_type(values: tuple[JsonScalar, ...]) -> tuple[str, bool]:
    """The annotation of an enum, and whether it uses `Literal`: `Literal[...]` of
    its values, except that a float among them types the numbers `float` (a float
    Literal is not valid typing), an integer beyond 64 bits types itself `int` (nor
    is that), and both booleans are `bool` (what mypy makes of `Literal[False,
    True]`, so that a cast to it would be redundant)."""
    floats = any(isinstance(v, float) for v in values)
    wide = not floats and any(map(_wide, values))
    both = {True, False} <= {v for v in values if isinstance(v, bool)}
    literal = [
        v
        for v in values
        if not (both and isinstance(v, bool))
        and not (floats and isinstance(v, (int, float)) and not isinstance(v, bool))
        and not _wide(v)
    ]
    parts = ["bool"] if both else []
    if floats:
        parts.append("float")
    if wide:
        parts.append("int")
    if literal:
        parts.insert(0, f"Literal[{', '.join(py_literal(v) for v in literal)}]")
    return " | ".join(parts), bool(literal)


def enum_needs_cast(values: tuple[JsonScalar, ...]) -> bool:
    """Whether the decoded value of an enum of `values` is cast to its type: a
    `Literal`, or values of several JSON types (decoded by `any_`, typed `Any`)."""
    return is_literal_enum(values) or base_decoder(values) == "any_"


def base_decoder(values: tuple[JsonScalar, ...]) -> str:
    """The `_serde` decoder of the JSON type of an enum's values."""
    kinds = {type(v) for v in values if v is not None}
    if kinds == {str}:
        return "str_"
    if kinds == {bool}:
        return "bool_"
    if kinds == {int}:
        return "int_"
    if kinds <= {int, float}:
        return "float_"
    return "any_"
