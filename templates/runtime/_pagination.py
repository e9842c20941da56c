"""Iterating over the items of a paginated operation, page after page (static
runtime, copied verbatim).

A generated `name_iter(...)` method returns `iterate(...)` (sync) or `aiterate(...)`
(async): a lazy iterator that sends the operation's first request when its first item
is asked for, and the next only when the items of a page run out. Every page goes
through the client's `_request` (same credentials, retries and errors).
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Callable, Iterator, Mapping
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any, Generic, Literal, TypeVar

import httpx

from ._auth import _same_origin
from ._request import Endpoint
from ._response import RAW_RESPONSE, APIResponse, _json_body, _where
from ._types import UNSET, Headers, Query, Timeout, Unset
from .errors import APIError, APIResponseValidationError

__all__ = ["NEXT_URL", "Pager", "PaginationError", "aiterate", "iterate"]

ItemT = TypeVar("ItemT")

# Set while a page found through a next link is requested: `_build_request` sends
# the request to this URL (its query replacing the call's query parameters).
NEXT_URL: ContextVar[str | None] = ContextVar("next_url", default=None)


class PaginationError(APIError):
    """The pages do not advance (a cursor or next link seen before), or a next link
    leads to another origin (credentials are never sent there)."""


@dataclass(frozen=True)
class Pager(Generic[ItemT]):
    """How an operation's pages follow each other. Paths are JSON names in the body."""

    style: Literal["cursor", "offset", "page", "next_link"]
    decode_item: Callable[[Any], ItemT]
    items: tuple[str, ...] = ()  # where the items are: () the body is the array
    param: str | None = None  # cursor / offset / page query parameter
    size_param: str | None = None  # limit / page size query parameter
    first: int = 0  # offset / page number the server starts at when `param` is not sent
    cursor: tuple[str, ...] | None = None  # the next cursor in the body
    cursor_item_field: str | None = None  # ... or this field of the last item
    has_more: tuple[str, ...] | None = None  # false on the last page
    next_url: tuple[str, ...] | None = None  # a URL field (else `Link` header)


def _relations(link: Mapping[str, str]) -> list[str]:
    """A `Link` header entry's relation types: RFC 8288 makes `rel` a space-separated
    list, its name and the registered types case-insensitive (`REL="Next last"`)."""
    rel = next((v for k, v in link.items() if k.lower() == "rel"), "")
    return rel.lower().split()


def _dig(data: Any, path: tuple[str, ...]) -> Any:
    for part in path:
        if not isinstance(data, dict):
            return None
        data = data.get(part)
    return data


class _Pages(Generic[ItemT]):
    """The state of one iteration: the arguments of the next request (or its URL)."""

    def __init__(
        self, pager: Pager[ItemT], endpoint: Endpoint[Any], args: tuple[object, ...]
    ) -> None:
        self.pager = pager
        self.args = list(args)
        self.url: str | None = None
        self._seen: set[str] = set()
        names = [p.name for p in endpoint.params]
        self._param = names.index(pager.param) if pager.param in names else None
        self._size = (
            names.index(pager.size_param) if pager.size_param in names else None
        )
        self._page_size: int | None = None

    def advance(self, response: httpx.Response) -> tuple[list[ItemT], bool]:
        """The decoded items of `response`, and whether another page follows (the
        next request's arguments or URL are set)."""
        data = _json_body(response)
        raw = _dig(data, self.pager.items)
        if not isinstance(raw, list):
            where = ".".join(self.pager.items) or "the body"
            raise APIResponseValidationError(
                "page has no list of items",
                response=response,
                detail=_where(response, f": expected an array at {where}"),
            )
        try:
            items = [self.pager.decode_item(item) for item in raw]
        except APIResponseValidationError as exc:
            raise exc.with_response(response, data) from None
        if not raw:
            return items, False
        has_more = _dig(data, self.pager.has_more) if self.pager.has_more else None
        if has_more is False:
            return items, False
        style = self.pager.style
        if style == "next_link":
            return items, self._next_link(response, data)
        if style == "cursor":
            return items, self._next_cursor(response, data, raw)
        return items, self._next_number(len(raw), has_more is True)

    def _next_link(self, response: httpx.Response, data: Any) -> bool:
        if self.pager.next_url is not None:
            found = _dig(data, self.pager.next_url)
        else:
            found = next(
                (
                    link.get("url")
                    for link in response.links.values()
                    if "next" in _relations(link)
                ),
                None,
            )
        if not isinstance(found, str) or not found:
            return False
        url = response.request.url.join(found)
        # against the origin the page was asked of (a redirect may have left it)
        first = (
            response.history[0].request.url
            if response.history
            else response.request.url
        )
        if not _same_origin(first, url):
            raise PaginationError(
                f"next page link leads to another origin ({url.scheme}://{url.host}): not followed",
                request=response.request,
            )
        self._repeat_check(str(url), response)
        self.url = str(url)
        return True

    def _next_cursor(self, response: httpx.Response, data: Any, raw: list[Any]) -> bool:
        if self.pager.cursor is not None:
            cursor = _dig(data, self.pager.cursor)
        else:
            last = raw[-1]
            field = self.pager.cursor_item_field or "id"
            cursor = last.get(field) if isinstance(last, dict) else None
        if cursor is None or cursor == "" or self._param is None:
            return False
        self._repeat_check(str(cursor), response)
        self.args[self._param] = cursor
        return True

    def _next_number(self, count: int, has_more: bool) -> bool:
        if self._param is None:
            return False
        size = self.args[self._size] if self._size is not None else UNSET
        if not isinstance(size, int) or isinstance(size, bool):
            size = self._page_size = self._page_size or count  # the server's page size
        if count < size and not has_more:
            return False  # a short page is the last one
        current = self.args[self._param]
        start = current if isinstance(current, int) else self.pager.first
        self.args[self._param] = start + (count if self.pager.style == "offset" else 1)
        return True

    def _repeat_check(self, key: str, response: httpx.Response) -> None:
        if key in self._seen:
            raise PaginationError(
                "pagination does not advance: a page repeats an earlier cursor or"
                " next link; stopped instead of looping",
                request=response.request,
            )
        self._seen.add(key)


@contextlib.contextmanager
def _page_request(url: str | None) -> Iterator[None]:
    """Around one page's `_request`: the raw response asked for (its headers tell
    the next page), the next page's link (`url`) sent as it is when there is one."""
    raw_token = RAW_RESPONSE.set(True)
    url_token = NEXT_URL.set(url)
    try:
        yield
    finally:
        NEXT_URL.reset(url_token)
        RAW_RESPONSE.reset(raw_token)


def _response_of(result: object) -> httpx.Response:
    assert isinstance(result, APIResponse)
    return result.http_response


def iterate(
    client: Any,
    endpoint: Endpoint[Any],
    pager: Pager[ItemT],
    args: tuple[object, ...],
    *,
    body: object = UNSET,
    max_items: int | None = None,
    extra_headers: Headers | None = None,
    extra_query: Query | None = None,
    timeout: Timeout | Unset = UNSET,
) -> Iterator[ItemT]:
    """The items of every page, requested lazily; at most `max_items` of them."""
    pages = _Pages(pager, endpoint, args)
    count = 0
    while max_items is None or count < max_items:
        with _page_request(pages.url):
            result = client._request(
                endpoint,
                tuple(pages.args),
                body=body,
                extra_headers=extra_headers,
                extra_query=extra_query,
                timeout=timeout,
            )
        items, more = pages.advance(_response_of(result))
        for item in items:
            if max_items is not None and count >= max_items:
                return
            yield item
            count += 1
        if not more:
            return


async def aiterate(
    client: Any,
    endpoint: Endpoint[Any],
    pager: Pager[ItemT],
    args: tuple[object, ...],
    *,
    body: object = UNSET,
    max_items: int | None = None,
    extra_headers: Headers | None = None,
    extra_query: Query | None = None,
    timeout: Timeout | Unset = UNSET,
) -> AsyncIterator[ItemT]:
    """The items of every page, requested lazily; at most `max_items` of them."""
    pages = _Pages(pager, endpoint, args)
    count = 0
    while max_items is None or count < max_items:
        with _page_request(pages.url):
            result = await client._request(
                endpoint,
                tuple(pages.args),
                body=body,
                extra_headers=extra_headers,
                extra_query=extra_query,
                timeout=timeout,
            )
        items, more = pages.advance(_response_of(result))
        for item in items:
            if max_items is not None and count >= max_items:
                return
            yield item
            count += 1
        if not more:
            return
