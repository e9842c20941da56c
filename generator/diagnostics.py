"""Diagnostics: located, user-facing findings about a spec, and the exception that carries them."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Literal, NamedTuple

__all__ = [
    "Diagnostic",
    "Diagnostics",
    "GenerationError",
    "Severity",
    "SourceLocation",
    "SpecError",
    "Where",
    "pointer_join",
]

Severity = Literal["error", "warning"]


@dataclass(frozen=True, slots=True)
class SourceLocation:
    """A 1-based line and column in a file, as printed."""

    file: str
    line: int
    column: int


class Where(NamedTuple):
    """A place in a loaded document: the document's key and a JSON pointer (`#/a/b`).

    A named tuple: the builder makes one per schema it visits, and a tuple is built
    several times faster than a frozen dataclass."""

    document: str
    pointer: str

    def child(self, *segments: str | int) -> Where:
        """The place `segments` below this one (`pointer_join`, inlined: the builder
        makes tens of thousands)."""
        pointer = self.pointer
        for segment in segments:
            text = segment if type(segment) is str else str(segment)
            if "~" in text or "/" in text:
                text = text.replace("~", "~0").replace("/", "~1")
            pointer += "/" + text
        return _make_where(Where, (self.document, pointer))  # Where(...) without its __new__


_make_where = tuple.__new__


def pointer_join(pointer: str, *segments: str | int) -> str:
    """`pointer` extended by `segments`, escaped per RFC 6901."""
    out = pointer
    for segment in segments:
        text = str(segment)
        if "~" in text or "/" in text:
            text = text.replace("~", "~0").replace("/", "~1")
        out += "/" + text
    return out


@dataclass(frozen=True, slots=True)
class Diagnostic:
    """One finding: `FILE:LINE:COL: severity: message (#/pointer)`."""

    severity: Severity
    message: str
    pointer: str
    location: SourceLocation | None

    def __str__(self) -> str:
        where = "<unknown>"
        if self.location is not None:
            loc = self.location
            where = f"{loc.file}:{loc.line}:{loc.column}"
        suffix = f" ({self.pointer})" if self.pointer else ""
        return f"{where}: {self.severity}: {_one_line(self.message)}{suffix}"

    def sort_key(self) -> tuple[str, int, int, str, str]:
        loc = self.location or SourceLocation("", 0, 0)
        return (loc.file, loc.line, loc.column, self.severity, self.message)


def _one_line(text: str) -> str:
    """Messages may quote spec text: keep them on one printable line."""
    return "".join(
        ch if ch.isprintable() else ch.encode("unicode_escape").decode("ascii") for ch in text
    )


class GenerationError(Exception):
    """A stage after building failed (a formatter, an overriding template): reported
    as one message, exit 1, nothing written."""


class SpecError(Exception):
    """A phase failed; `diagnostics` holds every finding of it, errors and warnings."""

    def __init__(self, diagnostics: Iterable[Diagnostic]) -> None:
        self.diagnostics = tuple(sorted(diagnostics, key=Diagnostic.sort_key))
        super().__init__("\n".join(str(d) for d in self.diagnostics))


Locator = Callable[[Where], SourceLocation | None]


class Diagnostics:
    """The sink a phase reports into; locations are looked up when the findings are
    read (`items`), so a run can do that while it waits for other work."""

    def __init__(self, locate: Locator) -> None:
        self._locate: Locator | None = locate
        self._translate: Callable[[Where], Where] | None = None
        self._items: dict[tuple[Severity, str, str, str], Diagnostic | Where] = {}

    def error(self, message: str, where: Where) -> None:
        self._add("error", message, where)

    def warning(self, message: str, where: Where) -> None:
        self._add("warning", message, where)

    def relocate(self, locate: Locator) -> None:
        """Locations are looked up with `locate` from now on (the same places, from
        a lighter source: see `Spec.texts`)."""
        if self._locate is not None:
            self._locate = locate

    def translate(self, translate: Callable[[Where], Where]) -> None:
        """Findings from now on are about documents rewritten in memory (Swagger 2.0
        upgraded to 3.0): `translate` gives each its place in the file as written."""
        self._translate = translate

    def _add(self, severity: Severity, message: str, where: Where) -> None:
        if self._translate is not None:
            where = self._translate(where)
        key = (severity, message, where.document, where.pointer)
        if key not in self._items:
            self._items[key] = where

    def _located(self) -> list[Diagnostic]:
        out: list[Diagnostic] = []
        for key, item in self._items.items():
            if isinstance(item, Where):
                locate = self._locate
                location = locate(item) if locate is not None else None
                found = self._items[key] = Diagnostic(key[0], key[1], item.pointer, location)
                out.append(found)
            else:
                out.append(item)
        return out

    @property
    def items(self) -> tuple[Diagnostic, ...]:
        return tuple(sorted(self._located(), key=Diagnostic.sort_key))

    def release(self) -> None:
        """Locate every finding now and drop the locator (and the documents it holds)."""
        self._located()
        self._locate = None

    @property
    def has_errors(self) -> bool:
        return any(key[0] == "error" for key in self._items)

    def raise_if_errors(self) -> None:
        """End of a phase: raise `SpecError` with everything when any error was found."""
        if self.has_errors:
            raise SpecError(self.items)
