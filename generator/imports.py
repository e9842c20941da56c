"""ImportSet: the imports of one generated module, de-duplicated and sorted."""

from __future__ import annotations

__all__ = ["ImportSet"]

_THIRD_PARTY = frozenset({"httpx"})


class ImportSet:
    """Collects `from module import name` and `import module`; renders isort-style."""

    def __init__(self) -> None:
        self._names: dict[str, set[str]] = {}
        self._modules: set[str] = set()

    def add(self, module: str, *names: str) -> None:
        known = self._names.get(module)  # called for every field: no set made per call
        if known is None:
            self._names[module] = set(names)
        else:
            known.update(names)

    def add_module(self, module: str) -> None:
        self._modules.add(module)

    def update(self, other: ImportSet) -> None:
        for module, names in other._names.items():
            self.add(module, *names)
        self._modules |= other._modules

    def names(self, module: str) -> tuple[str, ...]:
        return tuple(sorted(self._names.get(module, ())))

    def lines(self) -> tuple[str, ...]:
        """Import lines in three groups (stdlib, third party, local), blank-separated."""
        groups: list[list[str]] = [[], [], []]
        entries = [(m, f"import {m}") for m in self._modules]
        entries += [
            (m, f"from {m} import " + ", ".join(sorted(names, key=_name_key)))
            for m, names in self._names.items()
            if names
        ]
        for module, line in sorted(entries, key=lambda e: (e[1].startswith("from"), e[0])):
            group = (
                2 if module.startswith(".") else 1 if module.split(".")[0] in _THIRD_PARTY else 0
            )
            groups[group].append(line)
        out: list[str] = []
        for group_lines in groups:
            if group_lines:
                if out:
                    out.append("")
                out.extend(group_lines)
        return tuple(out)


def _name_key(name: str) -> tuple[int, str]:
    """isort's force-sort-within-sections order: CONSTANTS, Classes, functions."""
    if name.isupper():
        return (0, name)
    return (1 if name[:1].isupper() else 2, name)
