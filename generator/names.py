"""THE name sanitizer: every identifier in generated code comes from here.

`snake` and `pascal` turn spec text into ASCII Python identifiers (never keywords);
a `NameTable` per scope makes them unique, in spec order, with a fixed suffix rule, and
keeps them clear of the names the generated code itself uses.
"""

from __future__ import annotations

import builtins
import hashlib
import keyword
import re
import unicodedata
from collections.abc import Iterable
from functools import cache
from typing import NewType

__all__ = [
    "CLIENT_RESERVED",
    "FIELD_RESERVED",
    "METHOD_RESERVED",
    "MODEL_RESERVED",
    "PARAM_RESERVED",
    "NameTable",
    "PyIdent",
    "file_stem",
    "pascal",
    "snake",
]

# An identifier of generated code, made here (the IR holds only such names).
PyIdent = NewType("PyIdent", str)

_BOUNDARY_1 = re.compile(r"([a-z0-9])([A-Z])")
# before the last capital of a run followed by a small letter (`HTMLParser`); lookarounds
# keep it linear on long runs of capitals
_BOUNDARY_2 = re.compile(r"(?<=[A-Z])(?=[A-Z][a-z])")
_NON_WORD = re.compile(r"[^A-Za-z0-9]+")

# Names the generated modules define or import, which a model name must not shadow.
MODEL_RESERVED = frozenset(
    {"Any", "Literal", "TypeAlias", "Unset", "UNSET", "UUID", "cast", "dataclass",
     "date", "datetime", "time", "field", "annotations", "httpx", "Client",
     "AsyncClient", "APIResponse", "Endpoint", "Param", "Body", "Mapping",
     "SyncResource", "AsyncResource", "Headers", "Query", "Timeout", "FileTypes",
     "RAW", "NO_CONTENT", "ClientWithRawResponse", "AsyncClientWithRawResponse",
     "RootResource", "AsyncRootResource", "SecurityScheme", "HttpBearer", "HttpBasic",
     "ApiKey", "SyncAPIClient", "AsyncAPIClient", "TYPE_CHECKING"}
    | {name for name in dir(builtins) if name[:1].isupper()}
)  # fmt: skip
# Names a dataclass field must not take: its methods, and the types its
# annotations use (a field named `str` would shadow `str` in later annotations).
FIELD_RESERVED = frozenset(
    {"from_dict", "to_dict", "validate", "additional_properties", "self", "cls",
     "str", "int", "float", "bool", "bytes", "list", "dict", "object", "datetime",
     "date", "time", "Any", "Literal", "Unset", "UNSET", "UUID", "None",
     # evaluated in the class body when the class is created
     "field", "frozenset", "classmethod", "_KEYS"}
)  # fmt: skip
# Keyword arguments every operation method has, and the functions a method calls.
PARAM_RESERVED = frozenset(
    {"self", "body", "extra_headers", "extra_query", "timeout", "max_items", "iterate", "aiterate"}
)
# Attributes of the resource classes themselves.
METHOD_RESERVED = frozenset({"_client", "with_raw_response", "cached_property"})
# File names Windows reserves (with any extension): resource modules are named after
# their attribute, so these never become one.
WINDOWS_DEVICES = frozenset(
    {"con", "prn", "aux", "nul"}
    | {f"com{i}" for i in range(1, 10)}
    | {f"lpt{i}" for i in range(1, 10)}
)
# Attributes of Client/AsyncClient (resources, credentials and constructor keywords).
CLIENT_RESERVED = WINDOWS_DEVICES | frozenset(
    {"base_url", "timeout", "max_retries", "default_headers", "http_client",
     "close", "with_raw_response", "self", "_client", "_request"}
)  # fmt: skip


def _ascii_words(text: str) -> list[str]:
    if text.isascii():  # NFKD leaves ASCII as it is
        ascii_text = text
    else:
        decomposed = unicodedata.normalize("NFKD", text)
        ascii_text = "".join(
            ch if ch.isascii() else ("" if unicodedata.combining(ch) else " ") for ch in decomposed
        )
    spaced = _BOUNDARY_2.sub(" ", _BOUNDARY_1.sub(r"\1 \2", ascii_text))
    return [w for w in _NON_WORD.split(spaced) if w]


MAX_FILE_STEM = 80  # file names are shortened (never identifiers): well under 255 bytes


def file_stem(name: str) -> str:
    """A module's file name for the identifier `name`: `name` itself, or for a long
    one its start and a digest of the whole (still an identifier, still distinct)."""
    if len(name) <= MAX_FILE_STEM:
        return name
    digest = hashlib.sha256(name.encode("utf-8", "surrogatepass")).hexdigest()[:10]
    return f"{name[: MAX_FILE_STEM - 11]}_{digest}"


def _codepoints(text: str) -> str:
    """A spelling of a name with no ASCII letters: `u540d_u524d`."""
    return "_".join(f"u{ord(ch):x}" for ch in text if ch.isalnum())


@cache
def snake(text: str, fallback: str = "value") -> PyIdent:
    """`getCurrentCliUser` -> `get_current_cli_user`; `x-api-key` -> `x_api_key`."""
    words = [w.lower() for w in _ascii_words(text)]
    name = "_".join(words) or _codepoints(text) or fallback
    if name[0].isdigit():
        name = f"n_{name}"
    if keyword.iskeyword(name):
        name += "_"
    return PyIdent(name)


@cache
def pascal(text: str, fallback: str = "Model") -> PyIdent:
    """`session summary` -> `SessionSummary`; valid names keep their acronyms."""
    if text.isascii() and text.isidentifier() and "_" not in text:
        name = text[0].upper() + text[1:]
    else:
        words = _ascii_words(text) or _codepoints(text).split("_")
        name = "".join(w[0].upper() + w[1:] for w in words if w) or fallback
    if name[0].isdigit():
        name = f"{fallback}{name}"
    if keyword.iskeyword(name):
        name += "_"
    return PyIdent(name)


class NameTable:
    """Unique names in one scope, claimed in spec order.

    A name in `reserved` gets `reserved_suffix`; a name already taken gets `2`, `3`,
    ... (after `_` for snake_case names).
    """

    def __init__(self, reserved: Iterable[str] = (), *, reserved_suffix: str = "_") -> None:
        self._reserved = frozenset(reserved)
        self._taken: set[str] = set()
        self._suffix = reserved_suffix

    def claim(self, candidate: str) -> PyIdent:
        if candidate not in self._taken and candidate not in self._reserved:
            self._taken.add(candidate)  # most names: free as they are
            return PyIdent(candidate)
        name = candidate
        if name in self._reserved:
            name += self._suffix
        base = name
        counter = 2
        sep = "_" if base.islower() or not base[:1].isupper() else ""
        while name in self._taken or name in self._reserved:
            name = f"{base}{sep}{counter}" if not base.endswith("_") else f"{base}{counter}"
            counter += 1
        self._taken.add(name)
        return PyIdent(name)

    def __contains__(self, name: str) -> bool:
        """Whether `name` is unavailable (taken or reserved)."""
        return name in self._taken or name in self._reserved
