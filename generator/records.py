"""`record`: the dataclass decorator of the IR and of the template contexts.

To the type checker a record is a frozen dataclass: `mypy --strict` rejects any
assignment to its fields (`dataclass_transform(frozen_default=True)`). At run time
it is a slotted dataclass with a value hash (`unsafe_hash`), not a frozen one: a
frozen dataclass's `__init__` sets each field through `object.__setattr__`, and the
builder and the planner make a few hundred thousand records for a spec like
GitHub's (measured: 0.3 s of a 3 s generation, a tenth). Records are made once and
never changed; equality and hashing are by value, as for a frozen dataclass.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TypeVar, dataclass_transform

__all__ = ["record"]

T = TypeVar("T")


@dataclass_transform(frozen_default=True)
def record(cls: type[T]) -> type[T]:
    made = dataclass(slots=True, unsafe_hash=True)(cls)
    # The generated `__repr__` without the guard dataclasses wrap it in against a
    # record that holds itself (none can: records are made bottom-up, never changed).
    # Plan keys are digests of reprs (`plan.reuse`): the guard was a third of their
    # cost (GitHub: 0.05 s of every generation and regeneration).
    made.__repr__ = getattr(made.__repr__, "__wrapped__", made.__repr__)  # type: ignore[method-assign]
    return made
