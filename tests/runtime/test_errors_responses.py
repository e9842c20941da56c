"""The runtime's status errors, `APIResponse` and raw responses."""

from __future__ import annotations

import asyncio
import types
from typing import Any

import httpx
import pytest

from tests.runtime.direct import (
    Server,
    _config,
    _session_list,
    any_json,
    async_client,
    ep,
    sync_client,
)

pytestmark = pytest.mark.usefixtures("no_real_sleep")


# ======================================================================= status errors


def tagged(tag: str, m: types.SimpleNamespace):
    def decode(data: object) -> tuple[str, object]:
        d = m.serde.object_(data)
        return (tag, m.serde.req(d, "error", m.serde.str_))

    return decode


class TestStatusErrors:
    @pytest.mark.parametrize(
        ("status", "cls_name"),
        [
            (400, "BadRequestError"),
            (401, "AuthenticationError"),
            (403, "PermissionDeniedError"),
            (404, "NotFoundError"),
            (409, "ConflictError"),
            (422, "UnprocessableEntityError"),
            (429, "RateLimitError"),
            (500, "InternalServerError"),
            (502, "InternalServerError"),
            (503, "InternalServerError"),
            (599, "InternalServerError"),
            (408, "APIStatusError"),
            (418, "APIStatusError"),
            (302, "APIStatusError"),
        ],
    )
    def test_status_classes(self, m, status, cls_name):
        server = Server((status, {"json": {"error": "boom"}}))
        client = sync_client(m, server, max_retries=0)
        with pytest.raises(m.errors.APIStatusError) as info:
            client._request(ep(m))
        err = info.value
        assert type(err) is getattr(m.errors, cls_name)
        assert err.status_code == status
        assert err.response.status_code == status
        assert err.request is server.last
        assert err.body == {"error": "boom"}
        assert err.message == f'Error code: {status} - {{"error":"boom"}}'
        assert isinstance(err, m.errors.APIError)

    def test_error_decoder_selection(self, m):
        errors = {"404": tagged("404", m), "4XX": tagged("4XX", m), "default": tagged("default", m)}
        for status, tag in [
            (404, "404"),
            (400, "4XX"),
            (409, "4XX"),
            (500, "default"),
            (302, "default"),
        ]:
            server = Server((status, {"json": {"error": "e"}}))
            client = sync_client(m, server, max_retries=0)
            with pytest.raises(m.errors.APIStatusError) as info:
                client._request(ep(m, errors=errors))
            assert info.value.body == (tag, "e"), status

    def test_no_matching_error_decoder_keeps_json(self, m):
        server = Server((500, {"json": {"error": "e"}}))
        client = sync_client(m, server, max_retries=0)
        with pytest.raises(m.errors.InternalServerError) as info:
            client._request(ep(m, errors={"404": tagged("404", m)}))
        assert info.value.body == {"error": "e"}

    def test_failed_error_decoding_keeps_plain_json(self, m):
        server = Server((404, {"json": {"error": 5, "other": [1]}}))
        client = sync_client(m, server)
        with pytest.raises(m.errors.NotFoundError) as info:
            client._request(ep(m, errors={"404": tagged("404", m)}))
        assert info.value.body == {"error": 5, "other": [1]}

    def test_text_body(self, m):
        server = Server((502, {"text": "<html>Bad gateway</html>"}))
        client = sync_client(m, server, max_retries=0)
        with pytest.raises(m.errors.InternalServerError) as info:
            client._request(ep(m, errors={"default": tagged("d", m)}))
        assert info.value.body == "<html>Bad gateway</html>"
        assert info.value.message == "Error code: 502 - <html>Bad gateway</html>"

    def test_json_body_in_another_charset(self, m):
        """A JSON error in `iso-8859-1` is decoded by its charset first, as a
        success body is (it stayed the raw text)."""
        content = '{"error": "caf\u00e9"}'.encode("iso-8859-1")
        headers = {"content-type": "application/json; charset=iso-8859-1"}
        server = Server((404, {"content": content, "headers": headers}))
        client = sync_client(m, server)
        with pytest.raises(m.errors.NotFoundError) as info:
            client._request(ep(m, errors={"404": tagged("404", m)}))
        assert info.value.body == ("404", "caf\u00e9")

    def test_empty_body(self, m):
        server = Server((404, {}))
        client = sync_client(m, server)
        with pytest.raises(m.errors.NotFoundError) as info:
            client._request(ep(m))
        assert info.value.body is None
        assert info.value.message == "Error code: 404"

    async def test_async_status_error(self, m):
        server = Server((401, {"json": {"error": "nope"}}))
        client = async_client(m, server)
        with pytest.raises(m.errors.AuthenticationError) as info:
            await client._request(ep(m, errors={"401": tagged("401", m)}))
        assert info.value.body == ("401", "nope")
        assert server.calls == 1

    def test_2xx_body_mismatch(self, m):
        server = Server((200, {"json": {"sessions": [{"sessionId": "a", "createdAt": 5}]}}))
        client = sync_client(m, server)
        endpoint = ep(m, responses={"200": m.resp.json_response(lambda d: _session_list(m, d))})
        with pytest.raises(m.errors.APIResponseValidationError) as info:
            client._request(endpoint)
        assert str(info.value) == "$.sessions[0].createdAt: expected string, got integer"
        assert info.value.status_code == 200


# ========================================================================= APIResponse


def _resp(status: int, **kw: Any) -> httpx.Response:
    return httpx.Response(status, request=httpx.Request("GET", "https://api.test/x"), **kw)


class TestAPIResponse:
    def test_parse_selection(self, m):
        decoders = {
            "200": lambda r: "200",
            "201": lambda r: "201",
            "2XX": lambda r: "2XX",
            "default": lambda r: "default",
        }
        assert m.resp.APIResponse(_resp(200), decoders).parse() == "200"
        assert m.resp.APIResponse(_resp(201), decoders).parse() == "201"
        assert m.resp.APIResponse(_resp(204), decoders).parse() == "2XX"
        without_range = {"200": lambda r: "200", "default": lambda r: "default"}
        assert m.resp.APIResponse(_resp(202), without_range).parse() == "default"
        only_201 = {"201": lambda r: "201", "202": lambda r: "202"}
        assert m.resp.APIResponse(_resp(200), only_201).parse() == "201"

    def test_select_decoder(self, m):
        table = {"404": "a", "4XX": "b", "default": "c"}
        assert m.resp.select_decoder(table, 404) == "a"
        assert m.resp.select_decoder(table, 410) == "b"
        assert m.resp.select_decoder(table, 500) == "c"
        assert m.resp.select_decoder({"404": "a"}, 500) is None

    def test_properties_and_builtin_decoders(self, m):
        response = _resp(201, headers={"X-R": "1"}, content=b"raw-bytes")
        api = m.resp.APIResponse(response, {"201": m.resp.bytes_response})
        assert api.status_code == 201
        assert api.headers["X-R"] == "1"
        assert api.content == b"raw-bytes"
        assert api.http_response is response
        assert api.parse() == b"raw-bytes"
        assert repr(api) == "<APIResponse [201]>"
        assert m.resp.text_response(_resp(200, text="h\u00e9")) == "h\u00e9"
        assert m.resp.NO_CONTENT(_resp(204)) is None
        assert m.resp.RAW(response) is response


class TestRawResponse:
    def test_sync_wrapper(self, m):
        server = Server((201, {"json": {"id": 7}, "headers": {"X-Req": "r1"}}))
        client = sync_client(m, server)
        endpoint = ep(m, "POST", responses={"201": any_json(m)})

        def create() -> Any:
            return client._request(endpoint)

        raw = m.resp.to_raw_response_wrapper(create)()
        assert isinstance(raw, m.resp.APIResponse)
        assert raw.status_code == 201
        assert raw.headers["X-Req"] == "r1"
        assert raw.parse() == {"id": 7}
        assert m.resp.RAW_RESPONSE.get() is False
        assert create() == {"id": 7}
        assert m.resp.to_raw_response_wrapper(create).__name__ == "create"

    def test_sync_wrapper_resets_on_error(self, m):
        server = Server((404, {"json": {}}))
        client = sync_client(m, server)
        wrapped = m.resp.to_raw_response_wrapper(lambda: client._request(ep(m)))
        with pytest.raises(m.errors.NotFoundError):
            wrapped()
        assert m.resp.RAW_RESPONSE.get() is False

    async def test_async_wrapper(self, m):
        server = Server((200, {"json": {"ok": True}}))
        client = async_client(m, server)
        endpoint = ep(m)

        async def get() -> Any:
            return await client._request(endpoint)

        raw = await m.resp.async_to_raw_response_wrapper(get)()
        assert isinstance(raw, m.resp.APIResponse)
        assert raw.status_code == 200
        assert raw.parse() == {"ok": True}
        assert m.resp.RAW_RESPONSE.get() is False
        assert await get() == {"ok": True}

    async def test_async_wrappers_keep_concurrent_calls_apart(self, m):
        gate = asyncio.Event()

        async def handler(request: httpx.Request) -> httpx.Response:
            await gate.wait()
            return httpx.Response(200, json={"path": request.url.path})

        client = m.bc.AsyncAPIClient(
            http_client=httpx.AsyncClient(transport=httpx.MockTransport(handler)), **_config(m)
        )

        async def get(path: str) -> Any:
            return await client._request(ep(m, path=path))

        raw_task = asyncio.ensure_future(m.resp.async_to_raw_response_wrapper(get)("/raw"))
        plain_task = asyncio.ensure_future(get("/plain"))
        await asyncio.sleep(0)
        gate.set()
        raw, plain = await asyncio.gather(raw_task, plain_task)
        assert isinstance(raw, m.resp.APIResponse)
        assert raw.parse() == {"path": "/v1/raw"}
        assert plain == {"path": "/v1/plain"}

    async def test_async_client_context_manager_closes_owned_client_only(self, m):
        http = httpx.AsyncClient(transport=httpx.MockTransport(Server()))
        async with m.bc.AsyncAPIClient(http_client=http, **_config(m)):
            pass
        assert not http.is_closed
        await http.aclose()

    def test_sync_client_context_manager_closes_owned_client_only(self, m):
        http = httpx.Client(transport=httpx.MockTransport(Server()))
        with m.bc.SyncAPIClient(http_client=http, **_config(m)):
            pass
        assert not http.is_closed
        with m.bc.SyncAPIClient(http_client=None, **_config(m)) as own:
            inner = own._http_client
        assert inner.is_closed
