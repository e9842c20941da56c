"""JSON spec text: strict parsing (duplicate keys, lone surrogates, NaN refused) and
source positions of values, computed only when a diagnostic needs one."""

from __future__ import annotations

import bisect
import codecs
import json
import re
import sys
from collections.abc import Callable, Iterator
from typing import Any

__all__ = [
    "NO_ESCAPES",
    "SKIPPER",
    "WHITESPACE",
    "Escapes",
    "JsonLocator",
    "LoadError",
    "Offsets",
    "ascii_text",
    "parse_json",
]


class LoadError(Exception):
    """A file cannot be loaded: a message, its 1-based line and column, and the JSON
    pointer of the value at fault when known ("" when not)."""

    def __init__(self, message: str, line: int, column: int, pointer: str = "") -> None:
        super().__init__(message)
        self.message, self.line, self.column, self.pointer = message, line, column, pointer


class Escapes:
    """Where `ascii_text` wrote non-ASCII characters as JSON escapes: each span of the
    text (start, end) and how many characters of the file it stands for. Positions
    are reported in the file's characters."""

    def __init__(self, spans: list[tuple[int, int, int]]) -> None:
        self.spans = spans
        self.starts = [start for start, _, _ in spans]

    def column(self, line_start: int, offset: int) -> int:
        """The 1-based column, in the file's characters, of `offset` on the line that
        starts at `line_start` (an offset inside a span: its first character)."""
        column = offset - line_start + 1
        index = bisect.bisect_left(self.starts, line_start)
        while index < len(self.spans) and self.spans[index][0] < offset:
            start, end, chars = self.spans[index]
            column -= min(end, offset) - start - (chars if offset >= end else 0)
            index += 1
        return column


NO_ESCAPES = Escapes([])
_ASCII = bytes(range(128))
MAX_ESCAPED = 4096  # non-ASCII bytes written as escapes at most (else decoded as they are)


def ascii_text(raw: bytes) -> tuple[str, Escapes] | None:
    """The UTF-8 JSON text `raw` (its BOM dropped) with its non-ASCII characters
    written as JSON escapes (`\\u00e9`; a surrogate pair above U+FFFF), and where.

    The same JSON value in a string of one byte per character: one emoji makes
    Python store a whole 13 MB spec at four bytes a character, which decoding,
    parsing and locating pay for (GitHub's: 0.05 s). None when `raw` has more than
    `MAX_ESCAPED` such bytes (a text in another script: decoded as it is), or is not
    valid UTF-8 (the usual decoding reports where)."""
    body = raw[3:] if raw.startswith(codecs.BOM_UTF8) else raw
    if body.isascii():
        return body.decode("ascii"), NO_ESCAPES
    others = body.translate(None, _ASCII)
    if len(others) > MAX_ESCAPED:
        return None
    offsets = sorted(i for byte in set(others) for i in _offsets(body, byte))
    view = memoryview(body)
    pieces: list[bytes | memoryview] = []
    spans: list[tuple[int, int, int]] = []
    done = length = index = 0
    while index < len(offsets):
        start = end = offsets[index]
        while index < len(offsets) and offsets[index] == end:  # a run of them
            end, index = end + 1, index + 1
        try:
            chars = body[start:end].decode("utf-8")
        except UnicodeDecodeError:
            return None
        escaped = json.dumps(chars).encode("ascii")[1:-1]
        pieces += (view[done:start], escaped)
        length += start - done
        spans.append((length, length + len(escaped), len(chars)))
        length += len(escaped)
        done = end
    pieces.append(view[done:])
    return b"".join(pieces).decode("ascii"), Escapes(spans)


def _offsets(data: bytes, byte: int) -> Iterator[int]:
    """Every offset of `byte` in `data`."""
    needle = bytes((byte,))
    index = data.find(needle)
    while index != -1:
        yield index
        index = data.find(needle, index + 1)


def _position(text: str, offset: int, escapes: Escapes) -> tuple[int, int]:
    """The line and column (1-based, in the file's characters) of `offset`."""
    line_start = text.rfind("\n", 0, offset) + 1
    return text.count("\n", 0, offset) + 1, escapes.column(line_start, offset)


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not valid JSON")


def _pairs_hook(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out = dict(pairs)
    if len(out) != len(pairs):
        seen: set[str] = set()
        for key, _ in pairs:
            if key in seen:
                raise ValueError(f"duplicate key {key!r}")
            seen.add(key)
    return out


def _recording_hook(file_refs: list[str]) -> Any:
    """`_pairs_hook` that also collects the `$ref`s naming other files (and the values
    of a `mapping`, which may: the loader tells which do, `load.names_file`)."""

    def hook(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        out = dict(pairs)
        if len(out) != len(pairs):
            _pairs_hook(pairs)  # raises naming the duplicate key
        ref = out.get("$ref")
        if ref is not None and isinstance(ref, str) and not ref.startswith("#"):
            file_refs.append(ref)
        elif "mapping" in out and isinstance(mapping := out["mapping"], dict):
            # a discriminator's mapping may name a schema in another file
            file_refs.extend(
                v for v in mapping.values() if isinstance(v, str) and not v.startswith("#")
            )
        return out

    return hook


_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F][0-9a-fA-F]{2}")
_HIGH_SURROGATE = re.compile(r"\\u[dD][89abAB][0-9a-fA-F]{2}")
_LOW_SURROGATE = re.compile(r"\\u[dD][c-fC-F][0-9a-fA-F]{2}")


# A container's offset -> where each of its members starts (by key; by index, as
# text, in an array) and the offset of its closing bracket: see `parse_json`.
Offsets = dict[int, tuple[dict[str, int], int]]

# How many levels of containers `parse_json` reads member by member when asked for
# their offsets: the spec's sections, their entries and those entries' members
# (`#/paths/~1pets/get`, `#/components/schemas/Pet`). A diagnostic is located from
# the nearest of them, not by decoding all that comes before it in the file
# (GitHub's 34 warnings: 0.09 s; the offsets cost 0.01 s more to parse).
INDEXED_LEVELS = 3


def parse_json(
    text: str,
    file_refs: list[str] | None = None,
    escapes: Escapes = NO_ESCAPES,
    offsets: Offsets | None = None,
) -> Any:
    """The JSON value of `text`; `$ref`s naming other files are appended to `file_refs`.
    `escapes`: where `ascii_text` wrote the file's characters as escapes (errors are
    located in the file's characters). `offsets`, when given, receives where the
    members of the top `INDEXED_LEVELS` levels of containers start (`JsonLocator`
    starts from them)."""
    hook = _pairs_hook if file_refs is None else _recording_hook(file_refs)

    def error(message: str, offset: int) -> LoadError:
        return LoadError(message, *_position(text, offset, escapes))

    try:
        data = _parse(text, hook, offsets)
    except json.JSONDecodeError as exc:
        raise error(f"invalid JSON: {exc.msg}", exc.pos) from None
    except RecursionError:
        raise LoadError("the document is nested too deeply", 1, 1) from None
    except ValueError as exc:
        if "integer string conversion" in str(exc):  # Python's bound on int("9" * 5000)
            message = f"invalid JSON: an integer of more than {_MAX_DIGITS} digits"
            raise error(message, _long_integer(text)) from None
        raise error(f"invalid JSON: {exc}", _find_duplicate(text)) from None
    lone = _lone_surrogate(text)
    if lone is not None:
        raise error("a string holds a lone surrogate (not Unicode)", lone)
    return data


def _parse(text: str, hook: Callable[[list[tuple[str, Any]]], Any], offsets: Offsets | None) -> Any:
    """`json.loads`, strict, with `offsets` noted (see `parse_json`). Invalid text is
    parsed again by `json.loads` alone, whose error (message and position) is the
    one reported."""
    decoder = json.JSONDecoder(object_pairs_hook=hook, parse_constant=_reject_constant)
    if offsets is None:
        return decoder.decode(text)
    try:
        start = WHITESPACE.match(text, 0).end()  # type: ignore[union-attr]
        data, end = _members(text, start, INDEXED_LEVELS, decoder, hook, offsets)
        if WHITESPACE.match(text, end).end() == len(text):  # type: ignore[union-attr]
            return data
    except (ValueError, IndexError):  # JSONDecodeError included
        pass
    offsets.clear()
    return decoder.decode(text)  # raises what is wrong


def _members(
    text: str,
    start: int,
    levels: int,
    decoder: json.JSONDecoder,
    hook: Callable[[list[tuple[str, Any]]], Any],
    offsets: Offsets,
) -> tuple[Any, int]:
    """The value at `start` (its first character) and the offset just past it, as
    `decoder` reads it; a container `levels` or fewer deep is read member by member
    (each one by `decoder`), where they start noted in `offsets`. A mistake raises
    `ValueError` or `IndexError` (for `_parse` to report as `json.loads` does)."""
    opener = text[start]
    if levels == 0 or opener not in "{[":
        try:
            return decoder.scan_once(text, start)  # type: ignore[attr-defined,no-any-return]
        except StopIteration:  # no value there
            raise ValueError("a value") from None
    ws = WHITESPACE.match
    closer = "}" if opener == "{" else "]"
    found: dict[str, int] = {}
    pairs: list[tuple[str, Any]] = []
    items: list[Any] = []
    position = ws(text, start + 1).end()  # type: ignore[union-attr]
    while text[position] != closer:
        if opener == "{":
            if text[position] != '"':
                raise ValueError("a key")
            key, position = json.decoder.scanstring(text, position + 1)  # type: ignore[attr-defined]
            position = ws(text, position).end()  # type: ignore[union-attr]
            if text[position] != ":":
                raise ValueError("a colon")
            position = ws(text, position + 1).end()  # type: ignore[union-attr]
            found.setdefault(key, position)
            value, position = _members(text, position, levels - 1, decoder, hook, offsets)
            pairs.append((key, value))
        else:
            found[str(len(items))] = position
            value, position = _members(text, position, levels - 1, decoder, hook, offsets)
            items.append(value)
        position = ws(text, position).end()  # type: ignore[union-attr]
        if text[position] == ",":
            position = ws(text, position + 1).end()  # type: ignore[union-attr]
            if text[position] == closer:
                raise ValueError("a trailing comma")
        elif text[position] != closer:
            raise ValueError("a comma")
    offsets[start] = (found, position)
    return (hook(pairs) if opener == "{" else items), position + 1


def _lone_surrogate(text: str) -> int | None:
    """The offset of the first `\\uXXXX` escape of a surrogate that no other one
    pairs with, if any. Only escapes count: in `"[\\\\uD800-\\\\uDBFF]"` (a regular
    expression, as AWS's specs have them) the backslash is escaped and `uD800` is text."""
    for match in _SURROGATE_ESCAPE.finditer(text):  # rare: only then look closer
        start = match.start()
        if not _is_escape(text, start):
            continue
        if _HIGH_SURROGATE.match(text, start):
            if not _LOW_SURROGATE.match(text, start + 6):
                return start
        elif not (
            start >= 6 and _HIGH_SURROGATE.match(text, start - 6) and _is_escape(text, start - 6)
        ):
            return start
    return None


def _is_escape(text: str, start: int) -> bool:
    """Whether the backslash at `start` begins an escape (an even number of
    backslashes before it: they escape each other, not it)."""
    index = start
    while index > 0 and text[index - 1] == "\\":
        index -= 1
    return (start - index) % 2 == 0


_MAX_DIGITS = sys.get_int_max_str_digits() or 4300
# a number's digits outside strings: a string is matched whole, so a digit run within
# one is never taken for a number
_LONG_INTEGER = re.compile(rf'(?<![0-9.eE+-])-?[0-9]{{{_MAX_DIGITS + 1},}}|"(?:[^"\\]|\\.)*"')


def _long_integer(text: str) -> int:
    """The offset of the first integer too long for `int` (0: none found)."""
    for match in _LONG_INTEGER.finditer(text):
        if match.group()[0] != '"':
            return match.start()
    return 0


def _find_duplicate(text: str) -> int:
    """The offset of the first key repeated within one JSON object."""
    stack: list[set[str] | None] = []
    index, size = 0, len(text)
    while index < size:
        char = text[index]
        if char == '"':
            key, end = json.decoder.scanstring(text, index + 1)  # type: ignore[attr-defined]
            after = WHITESPACE.match(text, end)
            is_key = after is not None and text[after.end() : after.end() + 1] == ":"
            keys = stack[-1] if stack else None
            if is_key and keys is not None:
                if key in keys:
                    return index
                keys.add(key)
            index = end
            continue
        if char == "{":
            stack.append(set())
        elif char == "[":
            stack.append(None)
        elif char in "}]" and stack:
            stack.pop()
        index += 1
    return 0


WHITESPACE = re.compile(r"[ \t\n\r]*")
# skips values: each object is dropped as soon as it is decoded (half the cost of keeping
# them), through a hook the C decoder calls without a Python frame (`len`: a third
# faster than a lambda; the values are never read)
SKIPPER = json.JSONDecoder(object_hook=len)


class JsonLocator:
    """Source positions of JSON values by pointer, for error messages.

    A container's children are indexed as far as a lookup needs (values skipped
    with the C decoder) and the index resumes there for the next one, so any number
    of lookups costs at most one decode of the parts of the document before the
    values they find.
    """

    def __init__(
        self, text: str, escapes: Escapes = NO_ESCAPES, offsets: Offsets | None = None
    ) -> None:
        self.text = text
        self.escapes = escapes  # see `ascii_text`
        self.children: dict[int, _Children] = {}
        # the containers whose members `parse_json` noted, made into `_Children` when
        # a lookup reaches them (GitHub's: 9,000, most of which none does)
        self.offsets = offsets or {}
        self.counted = [0]  # offsets whose line is known, ascending, and their lines
        self.lines = [1]

    def locate(self, segments: list[str]) -> tuple[int, int]:
        text = self.text
        offset = WHITESPACE.match(text, 0).end()  # type: ignore[union-attr]
        try:
            for segment in segments:
                children = self.children.get(offset)
                if children is None:
                    known = self.offsets.get(offset)
                    children = self.children[offset] = (
                        _Children(text, offset, self.children)
                        if known is None
                        else _Children(text, offset, self.children, *known)
                    )
                found = children.find(segment)
                if found is None:
                    break
                offset = found
        except (ValueError, IndexError):
            pass
        return self._line_column(offset)

    def _line_column(self, offset: int) -> tuple[int, int]:
        """Counted from the nearest offset counted before (a few findings in a big
        document cost a pass over its text, not an index of every line)."""
        index = bisect.bisect_right(self.counted, offset) - 1
        start, line = self.counted[index], self.lines[index]
        line += self.text.count("\n", start, offset)
        self.counted.insert(index + 1, offset)
        self.lines.insert(index + 1, line)
        return line, self.escapes.column(self.text.rfind("\n", 0, offset) + 1, offset)


class _Children:
    """The values directly inside the container at `idx` (none for a scalar):
    their offsets by key (by index, as text, in an array), read on demand.

    `index` holds the containers of the document indexed so far, by offset: a value
    that a lookup went on inside is passed over through its own index, not decoded
    again (each part of the text is decoded at most once)."""

    def __init__(
        self,
        text: str,
        idx: int,
        index: dict[int, _Children],
        found: dict[str, int] | None = None,
        closer: int = 0,
    ) -> None:
        """`found`: all of the container's members and `closer`, where it ends, when
        they are known (from `parse_json`)."""
        self.text = text
        self.index = index
        self.found: dict[str, int] = found if found is not None else {}
        self.start = idx
        self.opener = text[idx]
        self.done = self.opener not in "{[" or found is not None
        self.at_value = False  # whether `position` is at a value (else at a key or the end)
        if self.opener in "{[":
            self.closer = "}" if self.opener == "{" else "]"
            if found is not None:
                self.position = closer
            else:
                self.position = WHITESPACE.match(text, idx + 1).end()  # type: ignore[union-attr]

    def find(self, segment: str | None) -> int | None:
        """The offset of the value `segment` (None: there is none)."""
        if segment is not None and segment in self.found:
            return self.found[segment]
        text, ws, found = self.text, WHITESPACE.match, self.found
        while not self.done:
            position = self.position
            if self.at_value:  # the value found last, passed over only now (a lookup
                # usually goes on inside it)
                inner = self.index.get(position)
                if inner is not None:
                    position = inner.end()
                else:
                    _, position = SKIPPER.raw_decode(text, position)
                position = ws(text, position).end()  # type: ignore[union-attr]
                if text[position] == ",":
                    position = ws(text, position + 1).end()  # type: ignore[union-attr]
                self.at_value = False
            if text[position] == self.closer:
                self.position, self.done = position, True
                break
            if self.opener == "{":
                key, position = json.decoder.scanstring(text, position + 1)  # type: ignore[attr-defined]
                position = ws(text, ws(text, position).end() + 1).end()  # type: ignore[union-attr]
                found.setdefault(key, position)  # the first of repeated keys
            else:
                key = str(len(found))
                found[key] = position
            self.position, self.at_value = position, True
            if key == segment:
                return found[key]
        return found.get(segment) if segment is not None else None

    def end(self) -> int:
        """The offset just past this value."""
        if self.opener not in "{[":
            return SKIPPER.raw_decode(self.text, self.start)[1]
        self.find(None)  # indexes the rest, to the closer
        return self.position + 1
