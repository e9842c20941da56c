"""The runtime's credentials, headers and request bodies, through MockTransport."""

from __future__ import annotations

import base64
import io
import json
import uuid
from datetime import UTC, date, datetime
from typing import Any
from urllib.parse import parse_qsl

import httpx
import pytest

from tests.runtime.direct import P, Server, async_client, ep, sync_client

pytestmark = pytest.mark.usefixtures("no_real_sleep")


# ============================================================================ security


SECRET_BEARER = "tok-SECRET-123"
SECRET_PASSWORD = "pw-SECRET-456"
SECRET_KEY = "key-SECRET-789"


def secured_client(m, server: Server, credentials: dict[str, object], **kw: Any) -> Any:
    schemes = {
        "bearer": m.bc.HttpBearer(),
        "basic": m.bc.HttpBasic(),
        "header_key": m.bc.ApiKey("header", "X-API-Key"),
        "query_key": m.bc.ApiKey("query", "api_key"),
        "cookie_key": m.bc.ApiKey("cookie", "sid"),
    }
    return sync_client(m, server, security_schemes=schemes, credentials=credentials, **kw)


class TestSecurity:
    def test_bearer(self, m):
        server = Server()
        client = secured_client(m, server, {"bearer": SECRET_BEARER})
        client._request(ep(m, security=(("bearer",),)))
        assert server.last.headers["Authorization"] == f"Bearer {SECRET_BEARER}"

    def test_basic(self, m):
        server = Server()
        client = secured_client(m, server, {"basic": ("alice", SECRET_PASSWORD)})
        client._request(ep(m, security=(("basic",),)))
        expected = base64.b64encode(f"alice:{SECRET_PASSWORD}".encode()).decode()
        assert server.last.headers["Authorization"] == f"Basic {expected}"

    def test_api_key_header_query_cookie(self, m):
        server = Server()
        client = secured_client(
            m, server, {"header_key": SECRET_KEY, "query_key": "q-key", "cookie_key": "c-key"}
        )
        client._request(ep(m, security=(("header_key", "query_key", "cookie_key"),)))
        request = server.last
        assert request.headers["X-API-Key"] == SECRET_KEY
        assert request.url.params.multi_items() == [("api_key", "q-key")]
        assert request.headers["Cookie"] == "sid=c-key"
        assert "Authorization" not in request.headers

    def test_first_satisfied_alternative_wins(self, m):
        security = (("bearer", "header_key"), ("basic",), ("query_key",))
        server = Server()
        client = secured_client(
            m, server, {"bearer": SECRET_BEARER, "basic": ("u", "p"), "query_key": "q"}
        )
        client._request(ep(m, security=security))
        # ("bearer", "header_key") is not satisfied (no header_key): basic wins, alone.
        assert server.last.headers["Authorization"].startswith("Basic ")
        assert "api_key" not in server.last.url.params
        assert "X-API-Key" not in server.last.headers

        client = secured_client(
            m, server, {"bearer": SECRET_BEARER, "header_key": SECRET_KEY, "basic": ("u", "p")}
        )
        client._request(ep(m, security=security))
        assert server.last.headers["Authorization"] == f"Bearer {SECRET_BEARER}"
        assert server.last.headers["X-API-Key"] == SECRET_KEY

    def test_an_empty_alternative_is_the_last_resort(self, m):
        """`security: [{}, {bearer: []}]`: the call may go without credentials, and
        goes with those the client was given (OpenAPI: any one alternative will do)."""
        server = Server()
        client = secured_client(m, server, {"bearer": SECRET_BEARER, "query_key": "q"})
        client._request(ep(m, security=((), ("bearer",))))
        assert server.last.headers["Authorization"] == f"Bearer {SECRET_BEARER}"
        client._request(ep(m, security=(("basic",), (), ("bearer",))))
        assert server.last.headers["Authorization"] == f"Bearer {SECRET_BEARER}"
        client._request(ep(m, security=((), ("basic",))))  # no basic credentials: none
        assert "Authorization" not in server.last.headers
        client._request(ep(m, security=()))
        assert "Authorization" not in server.last.headers
        assert "api_key" not in server.last.url.params

    def test_no_satisfied_alternative_sends_nothing(self, m):
        server = Server()
        client = secured_client(m, server, {"bearer": None})
        client._request(ep(m, security=(("bearer",), ("basic",))))
        assert "Authorization" not in server.last.headers

    def test_repr_hides_credentials(self, m):
        client = secured_client(
            m,
            Server(),
            {
                "bearer": SECRET_BEARER,
                "basic": ("alice", SECRET_PASSWORD),
                "header_key": SECRET_KEY,
            },
        )
        text = repr(client)
        assert text == "<SyncAPIClient base_url='https://api.test/v1'>"
        for secret in (SECRET_BEARER, SECRET_PASSWORD, SECRET_KEY):
            assert secret not in text
            assert secret not in str(client)


# =================================================================== headers & request


class TestHeaders:
    def test_defaults(self, m):
        server = Server()
        client = sync_client(m, server)
        client._request(ep(m, path="/x"))
        request = server.last
        assert str(request.url) == "https://api.test/v1/x"
        assert request.headers["User-Agent"] == "runtime-tests/1.0"
        # the endpoint declares no response media type: httpx's `*/*`
        assert request.headers["Accept"] == "*/*"
        assert request.method == "GET"

    def test_precedence(self, m):
        server = Server()
        client = secured_client(
            m,
            server,
            {"bearer": SECRET_BEARER},
            default_headers={
                "X-A": "default",
                "X-B": "default",
                "X-C": "default",
                "Authorization": "default",
            },
        )
        params = (
            P(m, "X-B", "header", "simple", False),
            P(m, "X-C", "header", "simple", False),
        )
        endpoint = ep(m, params=params, security=(("bearer",),))
        client._request(endpoint, ("param", "param"), extra_headers={"X-C": "extra"})
        h = server.last.headers
        assert h["X-A"] == "default"
        assert h["X-B"] == "param"
        assert h["X-C"] == "extra"
        assert h["Authorization"] == f"Bearer {SECRET_BEARER}"  # auth > defaults
        assert h.get_list("X-C") == ["extra"]

    def test_param_beats_auth_and_extra_beats_param(self, m):
        server = Server()
        client = secured_client(m, server, {"header_key": SECRET_KEY})
        endpoint = ep(
            m,
            params=(P(m, "X-API-Key", "header", "simple", False),),
            security=(("header_key",),),
        )
        client._request(endpoint, ("from-param",))
        assert server.last.headers.get_list("X-API-Key") == ["from-param"]
        client._request(endpoint, ("from-param",), extra_headers={"X-API-Key": "from-extra"})
        assert server.last.headers.get_list("X-API-Key") == ["from-extra"]
        client._request(endpoint, (m.UNSET,))
        assert server.last.headers.get_list("X-API-Key") == [SECRET_KEY]

    def test_extra_headers_cookie_wins(self, m):
        """`extra_headers` win over all other headers, the Cookie header included."""
        server = Server()
        client = secured_client(m, server, {"cookie_key": "c-secret"})
        client._request(ep(m, security=(("cookie_key",),)), extra_headers={"Cookie": "sid=mine"})
        assert server.last.headers.get_list("Cookie") == ["sid=mine"]

    def test_idempotency_key_generated_once_per_call(self, m):
        server = Server()
        client = sync_client(m, server)
        endpoint = ep(
            m,
            "POST",
            params=(P(m, "Idempotency-Key", "header", "simple", False),),
            idempotency_header="Idempotency-Key",
        )
        client._request(endpoint, (m.UNSET,))
        client._request(endpoint, (m.UNSET,))
        first, second = (r.headers.get_list("Idempotency-Key") for r in server.requests)
        assert len(first) == 1 and len(second) == 1
        assert uuid.UUID(first[0]).version == 4
        assert uuid.UUID(second[0]).version == 4
        assert first != second

    def test_idempotency_key_from_caller_kept(self, m):
        server = Server()
        client = sync_client(m, server)
        endpoint = ep(
            m,
            "POST",
            params=(P(m, "Idempotency-Key", "header", "simple", False),),
            idempotency_header="Idempotency-Key",
        )
        client._request(endpoint, ("mine",))
        assert server.last.headers.get_list("Idempotency-Key") == ["mine"]
        client._request(endpoint, (m.UNSET,), extra_headers={"Idempotency-Key": "extra"})
        assert server.last.headers.get_list("Idempotency-Key") == ["extra"]
        client._request(endpoint, ("mine",), extra_headers={"idempotency-key": "extra"})
        assert server.last.headers.get_list("Idempotency-Key") == ["extra"]

    def test_idempotency_key_from_default_headers_kept(self, m):
        server = Server()
        client = sync_client(m, server, default_headers={"Idempotency-Key": "dflt"})
        client._request(ep(m, "POST", idempotency_header="Idempotency-Key"))
        assert server.last.headers.get_list("Idempotency-Key") == ["dflt"]

    def test_timeout_override(self, m):
        server = Server()
        client = sync_client(m, server, timeout=7.0)
        client._request(ep(m))
        assert server.last.extensions["timeout"]["read"] == 7.0
        client._request(ep(m), timeout=1.5)
        assert server.last.extensions["timeout"]["read"] == 1.5

    def test_base_url_required(self, m):
        with pytest.raises(ValueError):
            sync_client(m, Server(), base_url=None)


# ============================================================================== bodies


class JsonModel:
    def __init__(self, name: str, when: datetime) -> None:
        self.name = name
        self.when = when
        self.validated = 0

    def validate(self, path: str = "JsonModel") -> None:
        self.validated += 1

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "when": self.when.isoformat()}


class TestBodies:
    def test_json_model(self, m):
        server = Server()
        client = sync_client(m, server)
        endpoint = ep(m, "POST", body=m.Body("application/json", "json"))
        model = JsonModel("caf\u00e9", datetime(2024, 5, 1, tzinfo=UTC))
        client._request(endpoint, body=model)
        assert model.validated == 1
        assert server.last.headers["Content-Type"] == "application/json"
        assert server.bodies[-1] == (
            '{"name":"caf\u00e9","when":"2024-05-01T00:00:00+00:00"}'.encode()
        )

    def test_json_model_validation_blocks_sending(self, m):
        errors = m.errors

        class Strict:
            def validate(self, path: str = "Strict") -> None:
                raise errors.RequestValidationError(f"{path}.n", "must be >= 1, got 0")

            def to_dict(self) -> dict[str, Any]:
                return {"n": 0}

        server = Server()
        client = sync_client(m, server)
        endpoint = ep(m, "POST", body=m.Body("application/json", "json"))
        with pytest.raises(m.errors.RequestValidationError) as info:
            client._request(endpoint, body=Strict())
        assert info.value.field == "Strict.n"
        assert server.calls == 0

        with pytest.raises(m.errors.RequestValidationError) as info:
            client._request(endpoint, body={"items": [Strict()]})
        assert info.value.field == "body['items'][0].n"
        assert server.calls == 0

    def test_json_dict(self, m):
        server = Server()
        client = sync_client(m, server)
        endpoint = ep(m, "PUT", body=m.Body("application/merge-patch+json", "json"))
        u = uuid.UUID("12345678-1234-5678-1234-567812345678")
        client._request(
            endpoint,
            body={
                "id": u,
                "at": date(2024, 1, 2),
                "gone": m.UNSET,
                "null": None,
                "l": [1, {"x": True}],
            },
        )
        assert server.last.headers["Content-Type"] == "application/merge-patch+json"
        assert json.loads(server.bodies[-1]) == {
            "id": str(u),
            "at": "2024-01-02",
            "null": None,
            "l": [1, {"x": True}],
        }

    def test_json_rejects_nan(self, m):
        server = Server()
        client = sync_client(m, server)
        endpoint = ep(m, "POST", body=m.Body("application/json", "json"))
        with pytest.raises(ValueError):
            client._request(endpoint, body={"x": float("nan")})
        assert server.calls == 0

    def test_extra_content_type_wins(self, m):
        server = Server()
        client = sync_client(m, server)
        endpoint = ep(m, "POST", body=m.Body("application/json", "json"))
        client._request(
            endpoint, body={"a": 1}, extra_headers={"Content-Type": "application/vnd.x+json"}
        )
        assert server.last.headers.get_list("Content-Type") == ["application/vnd.x+json"]

    def test_form(self, m):
        server = Server()
        client = sync_client(m, server)
        endpoint = ep(m, "POST", body=m.Body("application/x-www-form-urlencoded", "form"))
        client._request(
            endpoint,
            body={"a": "x y&z", "b": True, "c": [1, 2], "d": {"k": 1}, "e": m.UNSET, "f": 2.5},
        )
        assert server.last.headers["Content-Type"] == "application/x-www-form-urlencoded"
        assert parse_qsl(server.bodies[-1].decode(), keep_blank_values=True) == [
            ("a", "x y&z"),
            ("b", "true"),
            ("c", "1"),
            ("c", "2"),
            ("d", '{"k":1}'),  # compact, as a JSON body
            ("f", "2.5"),
        ]

    @pytest.mark.parametrize(
        ("media", "kind"),
        [("application/x-www-form-urlencoded", "form"), ("multipart/form-data", "multipart")],
    )
    def test_json_in_a_form_or_a_part_that_json_cannot_carry_is_refused(self, m, media, kind):
        """A field or part written as JSON text follows JSON's rules, as a JSON body
        does: no NaN (it was sent as `NaN`, which no JSON parser reads)."""
        server = Server()
        client = sync_client(m, server)
        endpoint = ep(m, "POST", body=m.Body(media, kind))
        with pytest.raises(m.errors.RequestValidationError) as info:
            client._request(endpoint, body={"d": {"ratio": float("nan")}})
        assert info.value.field == "body.d"
        assert info.value.problem.startswith("cannot be sent as JSON")
        assert server.requests == []

    def test_form_rejects_non_mapping(self, m):
        client = sync_client(m, Server())
        endpoint = ep(m, "POST", body=m.Body("application/x-www-form-urlencoded", "form"))
        with pytest.raises(TypeError):
            client._request(endpoint, body=[1, 2])

    def test_multipart_files(self, m):
        server = Server()
        client = sync_client(m, server)
        endpoint = ep(m, "POST", body=m.Body("multipart/form-data", "multipart"))
        client._request(
            endpoint,
            body={
                "raw": b"RAWBYTES",
                "doc": ("report.csv", b"a,b\n1,2\n", "text/csv"),
                "skip": m.UNSET,
            },
        )
        content_type = server.last.headers["Content-Type"]
        assert content_type.startswith("multipart/form-data; boundary=")
        body = server.bodies[-1]
        assert b'Content-Disposition: form-data; name="raw"; filename="upload"' in body
        assert b"RAWBYTES" in body
        assert (
            b'name="doc"; filename="report.csv"\r\nContent-Type: text/csv\r\n\r\na,b\n1,2\n' in body
        )
        assert b'name="skip"' not in body

    def test_multipart_with_text_fields(self, m):
        """Text fields go next to the files (`data=`), as form-data parts."""
        server = Server()
        client = sync_client(m, server)
        endpoint = ep(m, "POST", body=m.Body("multipart/form-data", "multipart"))
        client._request(
            endpoint,
            body={"file": ("a.txt", b"abc", "text/plain"), "name": "x", "public": True, "n": 3},
        )
        body = server.bodies[-1]
        assert server.last.headers["Content-Type"].startswith("multipart/form-data; boundary=")
        assert b'name="name"\r\n\r\nx\r\n' in body
        assert b'name="public"\r\n\r\ntrue\r\n' in body
        assert b'name="n"\r\n\r\n3\r\n' in body
        assert b'filename="a.txt"' in body

    def test_text(self, m):
        server = Server()
        client = sync_client(m, server)
        endpoint = ep(m, "POST", body=m.Body("text/plain", "text"))
        client._request(endpoint, body="h\u00e9llo")
        assert server.last.headers["Content-Type"] == "text/plain"
        assert server.bodies[-1] == "h\u00e9llo".encode()

    @pytest.mark.parametrize("payload", [b"\x00\x01\xff", bytearray(b"\x00\x01\xff")])
    def test_binary(self, m, payload):
        server = Server()
        client = sync_client(m, server)
        endpoint = ep(m, "PUT", body=m.Body("application/octet-stream", "binary"))
        client._request(endpoint, body=payload)
        assert server.last.headers["Content-Type"] == "application/octet-stream"
        assert server.bodies[-1] == b"\x00\x01\xff"

    def test_no_body(self, m):
        server = Server()
        client = sync_client(m, server)
        endpoint = ep(m, "POST", body=m.Body("application/json", "json"))
        client._request(endpoint)
        assert server.bodies[-1] == b""
        assert "Content-Type" not in server.last.headers

    @pytest.mark.parametrize(
        ("payload", "sent_as"),
        [
            ({"op": "add"}, "application/merge-patch+json"),
            ([{"op": "add"}], "application/json-patch+json"),
            (({"op": "add"},), "application/json-patch+json"),
        ],
    )
    def test_a_list_goes_as_the_media_type_whose_schema_is_an_array(self, m, payload, sent_as):
        server = Server()
        client = sync_client(m, server)
        endpoint = ep(
            m,
            "PATCH",
            body=m.Body("application/merge-patch+json", "json"),
            other_bodies=(m.Body("application/json-patch+json", "json", takes_list=True),),
        )
        client._request(endpoint, body=payload)
        assert server.last.headers["Content-Type"] == sent_as
        assert json.loads(server.bodies[-1]) == json.loads(json.dumps(payload))

    @pytest.mark.parametrize(
        "make", [lambda: io.BytesIO(b"\x00raw"), lambda: iter([b"\x00", b"raw"])]
    )
    async def test_async_client_sends_a_file_object_or_sync_iterable(self, m, make):
        """httpx's AsyncClient sends async streams only (a file object raised
        RuntimeError there): the runtime reads it a chunk at a time."""
        server = Server()
        client = async_client(m, server)
        endpoint = ep(m, "PUT", body=m.Body("application/octet-stream", "binary"))
        await client._request(endpoint, body=make())
        assert server.bodies[-1] == b"\x00raw"

    async def test_a_files_length_is_what_is_left_of_it_sync_or_async(self, m, tmp_path):
        """A file's length goes as `Content-Length` (servers that need one, S3's
        presigned PUTs, refuse a chunked upload): what is left of it from where it
        is; an iterable of chunks, whose length is unknown, goes chunked."""
        endpoint = ep(m, "PUT", body=m.Body("application/octet-stream", "binary"))
        path = tmp_path / "upload.bin"
        path.write_bytes(b"0123456789")
        moved = io.BytesIO(b"0123456789")
        moved.seek(4)
        for make_client in (sync_client, async_client):
            server = Server()
            client = make_client(m, server)
            with path.open("rb") as file:
                for body in (io.BytesIO(b"0123456789"), file, moved):
                    sent = client._request(endpoint, body=body)
                    if make_client is async_client:
                        await sent
                    assert server.last.headers.get("transfer-encoding") is None
            lengths = [r.headers["content-length"] for r in server.requests]
            assert lengths == ["10", "10", "6"] and server.bodies[-1] == b"456789"
            moved.seek(4)
        server = Server()
        await async_client(m, server)._request(endpoint, body=iter([b"a", b"b"]))
        assert server.last.headers["transfer-encoding"] == "chunked"


@pytest.mark.parametrize(
    ("timeout", "bounded"),
    [
        (httpx.Timeout(5.0), True),
        (httpx.Timeout(None, connect=1.0), False),  # only connecting is bounded
        (httpx.Timeout(5.0, read=None), False),
        (None, False),
    ],
)
def test_an_attempt_is_bounded_only_when_every_phase_is(m, timeout, bounded):
    from archal_client import _reading

    request = httpx.Request("GET", "https://x.test", extensions={"timeout": {}})
    if timeout is not None:
        request.extensions["timeout"] = timeout.as_dict()
    assert (_reading.attempt_deadline(request) is not None) == bounded
