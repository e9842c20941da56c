"""The report of `oagen diff`: changes, classified, as text or as Markdown."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

__all__ = ["Change", "OutputFormat", "render_report"]

OutputFormat = Literal["text", "markdown"]


@dataclass(frozen=True, slots=True)
class Change:
    """One change. `template` holds `{}` slots filled by `args`, which are code
    (names, types, values): plain in text output, code spans in markdown."""

    is_breaking: bool
    template: str
    args: tuple[str, ...]
    subject_index: int = 0  # which of `args` names the thing changed (for sorting)

    def render(self, markdown: bool = False) -> str:
        pieces = self.template.split("{}")
        out = [pieces[0]]
        for arg, piece in zip(self.args, pieces[1:], strict=True):
            out += [_code(arg) if markdown else arg, piece]
        return "".join(out)

    @property
    def sort_key(self) -> tuple[bool, str, str]:
        return (not self.is_breaking, self.args[self.subject_index], self.render())


def _code(text: str) -> str:
    fence = "``" if "`" in text else "`"
    pad = " " if fence == "``" else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def render_report(changes: Iterable[Change], package_name: str, output_format: OutputFormat) -> str:
    """The report: a summary line, then one line (text) or bullet (markdown) per change,
    breaking changes first, each group sorted by the name it concerns."""
    ordered = sorted(changes, key=lambda c: c.sort_key)
    breaking = [c for c in ordered if c.is_breaking]
    other = [c for c in ordered if not c.is_breaking]
    if not ordered:
        summary = "no API changes"
    else:
        noun = "change" if len(other) == 1 else "changes"
        summary = f"{len(breaking)} breaking, {len(other)} other {noun}"
    if output_format == "text":
        lines = [f"{package_name}: {summary}"]
        lines += [f"BREAKING  {c.render()}" for c in breaking]
        lines += [f"          {c.render()}" for c in other]
        return "\n".join(lines)
    lines = ["## API changes", "", f"{_code(package_name)}: {summary}"]
    for title, group in (("Breaking", breaking), ("Other", other)):
        if group:
            lines += ["", f"### {title}", "", *(f"- {c.render(markdown=True)}" for c in group)]
    return "\n".join(lines)
