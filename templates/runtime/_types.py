"""Sentinels and shared type aliases of the client (static runtime, copied verbatim)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import IO, Any, Final, Literal, TypeAlias, Union

import httpx

__all__ = [
    "UNSET",
    "FileContent",
    "FileTypes",
    "Headers",
    "Query",
    "Timeout",
    "Unset",
]


class Unset:
    """Type of `UNSET`: marks an argument or field that was not given.

    `UNSET` is falsy, is never sent on the wire and is distinct from `None`, which
    means an explicit JSON `null`.
    """

    __slots__ = ()
    _instance: Unset | None = None

    def __new__(cls) -> Unset:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __bool__(self) -> Literal[False]:
        return False

    def __repr__(self) -> str:
        return "UNSET"

    def __copy__(self) -> Unset:
        return self

    def __deepcopy__(self, memo: dict[int, Any]) -> Unset:
        return self

    def __reduce__(self) -> str:
        return "UNSET"


UNSET: Final = Unset()

Headers: TypeAlias = Mapping[str, str]
Query: TypeAlias = Mapping[str, object]
Timeout: TypeAlias = Union[float, httpx.Timeout, None]
FileContent: TypeAlias = Union[bytes, IO[bytes]]
FileTypes: TypeAlias = Union[
    FileContent,
    tuple[Union[str, None], FileContent],
    tuple[Union[str, None], FileContent, Union[str, None]],
]
