"""End-to-end: a client generated from a Swagger 2.0 spec (the petstore of
@readme/oas-examples 8.2.2, fetched with npm) against Prism serving the 2.0 file itself.

Every operation is called; Prism validates each request against the 2.0 document and
must report no violation (`sl-violations`, 401, 422). The petstore declares only error
statuses for several operations: those answers are raised as `APIStatusError`, which is
what the spec promises.

Prism gap: five petstore operations take an `in: body` parameter but declare no
`consumes` (neither does the document). The 2.0 convention, swagger2openapi and oagen
send JSON there; Prism 5.14 allows no body at all for them ("No supported content
types", 415). For those the test asserts exactly that violation and nothing else.
"""

from __future__ import annotations

import contextlib
import importlib
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from oagen.pipeline import generate_files
from oagen.write import write

from ._prism import prism_mock
from .test_prism_e2e import Recorder

pytestmark = [pytest.mark.prism, pytest.mark.slow]


@pytest.fixture(scope="module")
def petstore_spec() -> Path:
    from tests.corpus.swagger2 import specs

    return specs()["yaml-petstore.yaml"]


@pytest.fixture(scope="module")
def prism_petstore(petstore_spec: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with prism_mock(petstore_spec, tmp_path_factory.mktemp("prism2")) as url:
        yield url


@pytest.fixture(scope="module")
def petstore(petstore_spec: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    root = tmp_path_factory.mktemp("pkgs2")
    write(
        root / "petstore2_client",
        generate_files(petstore_spec, package_name="petstore2_client").files,
    )
    sys.path.insert(0, str(root))
    importlib.invalidate_caches()
    yield importlib.import_module("petstore2_client")
    sys.path.remove(str(root))


def _pet(m: Any) -> Any:
    return m.models.Pet(name="doggie", photo_urls=["https://x/1.png"], id=1, status="available")


def _user(m: Any) -> Any:
    return m.models.User(id=1, username="u", email="u@example.com")


CALLS: dict[str, Callable[[Any, Any], Any]] = {
    "pet.add_pet": lambda c, m: c.pet.add_pet(body=_pet(m)),
    "pet.update_pet": lambda c, m: c.pet.update_pet(body=_pet(m)),
    "pet.find_pets_by_status": lambda c, m: c.pet.find_pets_by_status(status=["available", "sold"]),
    "pet.find_pets_by_tags": lambda c, m: c.pet.find_pets_by_tags(tags=["a", "b"]),
    "pet.get_pet_by_id": lambda c, m: c.pet.get_pet_by_id(1),
    "pet.update_pet_with_form": lambda c, m: c.pet.update_pet_with_form(
        1, body={"name": "rex", "status": "sold"}
    ),
    "pet.delete_pet": lambda c, m: c.pet.delete_pet(1, api_key="k"),
    "pet.upload_file": lambda c, m: c.pet.upload_file(
        1, body={"additionalMetadata": "m", "file": b"\x89PNG"}
    ),
    "store.get_inventory": lambda c, m: c.store.get_inventory(),
    "store.place_order": lambda c, m: c.store.place_order(
        body=m.models.Order(id=1, pet_id=1, quantity=2)
    ),
    "store.get_order_by_id": lambda c, m: c.store.get_order_by_id(5),
    "store.delete_order": lambda c, m: c.store.delete_order(5),
    "user.create_user": lambda c, m: c.user.create_user(body=_user(m)),
    "user.create_users_with_array_input": lambda c, m: c.user.create_users_with_array_input(
        body=[_user(m)]
    ),
    "user.create_users_with_list_input": lambda c, m: c.user.create_users_with_list_input(
        body=[_user(m)]
    ),
    "user.login_user": lambda c, m: c.user.login_user(username="u", password="p"),
    "user.logout_user": lambda c, m: c.user.logout_user(),
    "user.get_user_by_name": lambda c, m: c.user.get_user_by_name("u"),
    "user.update_user": lambda c, m: c.user.update_user("u", body=_user(m)),
    "user.delete_user": lambda c, m: c.user.delete_user("u"),
}


NO_CONSUMES = {
    "store.place_order",
    "user.create_user",
    "user.create_users_with_array_input",
    "user.create_users_with_list_input",
    "user.update_user",
}
_NO_CONSUMES_VIOLATION = (
    '[{"location":["request"],"severity":"Error","code":415,'
    '"message":"No supported content types, but request included a non-empty body"}]'
)


def test_calls_cover_every_operation(petstore: Any) -> None:
    from petstore2_client import Client

    client = Client(base_url="http://127.0.0.1:1")
    found = {
        f"{name}.{method}"
        for name in ("pet", "store", "user")
        for method in dir(getattr(client, name))
        if not method.startswith("_") and method != "with_raw_response"
    }
    assert found == set(CALLS)


@pytest.mark.parametrize("op", sorted(CALLS))
def test_operation_against_prism(op: str, petstore: Any, prism_petstore: str) -> None:
    recorder = Recorder()
    with httpx.Client(event_hooks={"response": [recorder.hook]}) as http:
        client = petstore.Client(
            base_url=prism_petstore, petstore_auth="t", api_key="k", max_retries=0, http_client=http
        )
        # a declared error status is raised: what such an operation's spec promises
        with contextlib.suppress(petstore.errors.APIStatusError):
            CALLS[op](client, petstore)
    (response,) = recorder.take()
    seen = f"{response.request.method} {response.request.url} -> {response.status_code}: "
    seen += str(response.headers.get("sl-violations"))
    if op in NO_CONSUMES:  # the Prism gap above: its only complaint is the media type
        assert response.headers.get("sl-violations") == _NO_CONSUMES_VIOLATION, seen
        assert response.request.headers["content-type"] == "application/json"
        return
    assert "sl-violations" not in response.headers, seen
    assert response.status_code not in (401, 422), seen
