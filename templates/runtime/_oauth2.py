"""OAuth2 tokens: the client-credentials and refresh-token grants, tokens cached until
shortly before they expire and fetched again after a 401 (static runtime, copied
verbatim). Secrets never appear in reprs, logs or exceptions.
"""

from __future__ import annotations

import base64
import threading
import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import httpx

from .errors import APIConnectionError, APIError, APITimeoutError

if TYPE_CHECKING:
    import asyncio

__all__ = [
    "OAuth2",
    "OAuth2ClientCredentials",
    "OAuth2RefreshToken",
    "OAuth2TokenError",
    "aprepare_tokens",
    "expire_tokens",
    "prepare_tokens",
]

# A token is fetched again this long before it expires: a tenth of its lifetime,
# at most a minute.
MAX_MARGIN = 60.0


class OAuth2TokenError(APIError):
    """The token endpoint refused (`error`, `error_description` per RFC 6749 5.2)."""

    def __init__(
        self,
        message: str,
        *,
        request: httpx.Request | None,
        status_code: int | None,
        error: str | None,
        error_description: str | None,
    ) -> None:
        super().__init__(message, request=request)
        self.status_code = status_code
        self.error = error
        self.error_description = error_description


class _TokenSource:
    """A grant whose token is cached; one fetch at a time across threads and tasks."""

    _secrets: tuple[str, ...] = ()

    def __init__(
        self, client_id: str, scopes: Iterable[str], token_url: str | None
    ) -> None:
        self.client_id = client_id
        self.scopes = tuple(scopes)
        self.token_url = token_url
        self._token: str | None = None
        self._expires_at = 0.0
        self._lock = threading.Lock()
        # one per event loop (an `asyncio.Lock` is bound to the loop it first waits in)
        self._async_locks: dict[asyncio.AbstractEventLoop, asyncio.Lock] = {}

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}(client_id={self.client_id!r}, "
            f"scopes={list(self.scopes)!r}, secrets=[REDACTED])"
        )

    def secret_texts(self) -> tuple[str, ...]:
        """What to redact from messages: the grant's secrets (and the basic
        authentication token a secret makes) and its current token."""
        basic = tuple(
            base64.b64encode(f"{self.client_id}:{secret}".encode()).decode("ascii")
            for secret in self._secrets
        )
        return (*self._secrets, *basic, *((self._token,) if self._token else ()))

    def _redacted(self, text: str | None) -> str | None:
        if text is not None:
            for secret in self.secret_texts():
                text = text.replace(secret, "[REDACTED]")
        return text

    def _form(self) -> dict[str, str]:
        raise NotImplementedError

    def _auth(self) -> httpx.Auth | None:
        return None

    def cached(self) -> str | None:
        """The token, when it is not about to expire."""
        if self._token is not None and time.monotonic() < self._expires_at:
            return self._token
        return None

    def expire(self, token: str) -> None:
        """Forget `token` (a 401 answered it), unless another was fetched since."""
        if self._token == token:
            self._token = None

    def _request(
        self, http_client: httpx.Client | httpx.AsyncClient, url: str
    ) -> httpx.Request:
        form = self._form()
        if self.scopes:
            form["scope"] = " ".join(self.scopes)
        return http_client.build_request(
            "POST", url, data=form, headers={"Accept": "application/json"}
        )

    def _accept(self, response: httpx.Response, started: float) -> str:
        try:
            data: Any = response.json()
        except ValueError:
            data = None
        data = data if isinstance(data, dict) else {}
        token = data.get("access_token")
        if not response.is_success or not isinstance(token, str) or not token:
            error = data.get("error") if isinstance(data.get("error"), str) else None
            description = data.get("error_description")
            description = description if isinstance(description, str) else None
            error, description = self._redacted(error), self._redacted(description)
            text = f"OAuth2 token request failed (HTTP {response.status_code})"
            if error:
                text += f": {error}" + (f": {description}" if description else "")
            raise OAuth2TokenError(
                text,
                request=response.request,
                status_code=response.status_code,
                error=error,
                error_description=description,
            )
        lifetime = data.get("expires_in")
        if isinstance(lifetime, (int, float)) and not isinstance(lifetime, bool):
            margin = min(lifetime / 10, MAX_MARGIN)
            self._expires_at = started + lifetime - margin
        else:
            self._expires_at = float("inf")  # until a 401 says otherwise
        refresh = data.get("refresh_token")
        if (
            isinstance(self, OAuth2RefreshToken)
            and isinstance(refresh, str)
            and refresh
        ):
            self.refresh_token = refresh  # a rotated refresh token
        self._token = token
        return token

    def fetch(self, http_client: httpx.Client, url: str) -> str:
        with self._lock:
            token = self.cached()
            if token is None:
                started = time.monotonic()
                request = self._request(http_client, url)
                try:
                    response = http_client.send(request, auth=self._auth())
                except httpx.TransportError as exc:
                    raise _transport_error(exc, request) from None
                token = self._accept(response, started)
            return token

    async def afetch(self, http_client: httpx.AsyncClient, url: str) -> str:
        import asyncio

        loop = asyncio.get_running_loop()
        lock = self._async_locks.get(loop)
        if lock is None:
            for done in [other for other in self._async_locks if other.is_closed()]:
                del self._async_locks[done]
            lock = self._async_locks[loop] = asyncio.Lock()
        async with lock:
            token = self.cached()
            if token is None:
                started = time.monotonic()
                request = self._request(http_client, url)
                try:
                    response = await http_client.send(request, auth=self._auth())
                except httpx.TransportError as exc:
                    raise _transport_error(exc, request) from None
                token = self._accept(response, started)
            return token


def _transport_error(
    exc: httpx.TransportError, request: httpx.Request
) -> APIConnectionError:
    """A token request that got no response, as a call's: typed, never httpx's."""
    if isinstance(exc, httpx.TimeoutException):
        return APITimeoutError(request=request)
    return APIConnectionError(f"OAuth2 token request failed: {exc}", request=request)


class OAuth2ClientCredentials(_TokenSource):
    """The `clientCredentials` flow: the client's own id and secret buy the token
    (sent with HTTP basic authentication, RFC 6749 2.3.1)."""

    def __init__(
        self,
        client_id: str,
        client_secret: str,
        *,
        scopes: Sequence[str] = (),
        token_url: str | None = None,
    ) -> None:
        super().__init__(client_id, scopes, token_url)
        self._client_secret = client_secret
        self._secrets = (client_secret,)

    def _form(self) -> dict[str, str]:
        return {"grant_type": "client_credentials"}

    def _auth(self) -> httpx.Auth:
        return httpx.BasicAuth(self.client_id, self._client_secret)


class OAuth2RefreshToken(_TokenSource):
    """A refresh token (from an earlier authorization) buys access tokens."""

    def __init__(
        self,
        refresh_token: str,
        client_id: str,
        client_secret: str | None = None,
        *,
        scopes: Sequence[str] = (),
        token_url: str | None = None,
    ) -> None:
        super().__init__(client_id, scopes, token_url)
        self.refresh_token = refresh_token
        self._client_secret = client_secret
        self._secrets = (refresh_token,) + ((client_secret,) if client_secret else ())

    def _form(self) -> dict[str, str]:
        form = {"grant_type": "refresh_token", "refresh_token": self.refresh_token}
        if self._client_secret is None:
            form["client_id"] = self.client_id
        return form

    def _auth(self) -> httpx.Auth | None:
        if self._client_secret is None:
            return None
        return httpx.BasicAuth(self.client_id, self._client_secret)


@dataclass(frozen=True)
class OAuth2:
    """`Authorization: Bearer <token>`: a token string, or one fetched by a grant
    from `token_url` (relative to the client's base URL)."""

    token_url: str | None = None
    refresh_url: str | None = None
    # What the spec says besides (OpenAPI 3.2), for reference: its device
    # authorization endpoint (RFC 8628) and authorization server metadata (RFC 8414).
    device_authorization_url: str | None = None
    metadata_url: str | None = None

    def apply(
        self,
        credential: object,
        headers: httpx.Headers,
        query: list[tuple[str, str]],
        cookies: dict[str, str],
    ) -> None:
        if isinstance(credential, _TokenSource):
            # the one `prepare_tokens` made sure of: fetched for this call if need be
            # (even when its server gave it no lifetime left, `expires_in: 0`)
            token = credential._token
            if token is not None:
                headers["Authorization"] = f"Bearer {token}"
        else:
            headers["Authorization"] = f"Bearer {credential}"

    def url(self, source: _TokenSource, base_url: str) -> str:
        given = source.token_url
        if given is None:
            given = self.refresh_url if isinstance(source, OAuth2RefreshToken) else None
            given = given or self.token_url
        if given is None:
            raise ValueError(
                "the spec declares no tokenUrl: pass token_url= to the grant"
            )
        return str(httpx.URL(base_url + "/").join(given))


def chosen(
    security: tuple[tuple[str, ...], ...],
    credentials: Mapping[str, object],
    schemes: Mapping[str, object],
) -> tuple[str, ...]:
    """The schemes of `security` a call uses: those given of its first alternative
    whose every credential was given (the empty one, `{}`: the call may go without,
    tried last, so that an optional security uses what the client was given).
    Schemes that write the same place (two OAuth2 schemes of other scopes, as
    Google's specs require together: one `Authorization` header) stand for one
    another: one of them given is enough."""
    for alternative in sorted(security, key=lambda alternative: not alternative):
        places: dict[tuple[str, str], bool] = {}
        for name in alternative:
            place = getattr(schemes.get(name), "place", _AUTHORIZATION)
            places[place] = places.get(place, False) or name in credentials
        if all(places.values()):
            return tuple(name for name in alternative if name in credentials)
    return ()


# Where every scheme but an API key puts its credential (`ApiKey.place`: its own)
_AUTHORIZATION = ("header", "authorization")


def _sources(
    client: Any, security: tuple[tuple[str, ...], ...]
) -> list[tuple[OAuth2, _TokenSource]]:
    """The grants `security` may use: (scheme, grant) of the schemes it uses."""
    credentials = client._credentials
    found: list[tuple[OAuth2, _TokenSource]] = []
    for name in chosen(security, credentials, client._security_schemes):
        scheme = client._security_schemes.get(name)
        credential = credentials[name]
        if isinstance(scheme, OAuth2) and isinstance(credential, _TokenSource):
            found.append((scheme, credential))
    return found


def prepare_tokens(client: Any, security: tuple[tuple[str, ...], ...]) -> None:
    """Fetch the tokens a call with `security` needs (sync client)."""
    for scheme, source in _sources(client, security):
        if source.cached() is None:
            source.fetch(client._http_client, scheme.url(source, client.base_url))


async def aprepare_tokens(client: Any, security: tuple[tuple[str, ...], ...]) -> None:
    """Fetch the tokens a call with `security` needs (async client)."""
    for scheme, source in _sources(client, security):
        if source.cached() is None:
            await source.afetch(
                client._http_client, scheme.url(source, client.base_url)
            )


def expire_tokens(
    client: Any, security: tuple[tuple[str, ...], ...], request: httpx.Request
) -> bool:
    """After a 401 to `request`: forget the fetched tokens it carried; whether any."""
    sent = request.headers.get("authorization", "")
    sources = _sources(client, security)
    for _, source in sources:
        token = source._token
        if token is not None and sent == f"Bearer {token}":
            source.expire(token)
    return bool(sources)
