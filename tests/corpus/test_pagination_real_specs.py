"""Pagination recognised on real specs (issue 17, acceptance 2): GitHub's Link-paged
`repos.list_for_org_iter` and Stripe's `starting_after` + `has_more` list of charges,
each paging through a MockTransport replay of three pages."""

from __future__ import annotations

import copy
import importlib
import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from oagen.options import Options
from oagen.pipeline import generate_files
from oagen.write import write

from tests.corpus import corpus

pytestmark = pytest.mark.slow


def _client(tmp_path: Path, key: str, operation: str, package: str) -> Any:
    spec = corpus.fetch([key])[key]
    options = Options(package_name=package, include_operations=(operation,), formatter="none")
    write(tmp_path / package, generate_files(spec, options=options).files)
    sys.path.insert(0, str(tmp_path))
    try:
        return importlib.import_module(package)
    finally:
        sys.path.remove(str(tmp_path))


@pytest.fixture
def purge() -> Iterator[None]:
    yield
    for name in [
        m for m in sys.modules if m.startswith(("gh_pages_client", "stripe_pages_client"))
    ]:
        del sys.modules[name]


def test_github_link_header_pages(tmp_path: Path, purge: None) -> None:
    pkg = _client(tmp_path, corpus.GITHUB, "repos/list-for-org", "gh_pages_client")
    data = json.loads(corpus.fetch([corpus.GITHUB])[corpus.GITHUB].read_text(encoding="utf-8"))
    example = data["components"]["examples"]["minimal-repository-items"]["value"][0]
    pages = [
        [dict(copy.deepcopy(example), id=page * 10 + i) for i in range(3)] for page in (1, 2, 3)
    ]
    seen: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(str(request.url))
        page = int(parse_qs(urlsplit(str(request.url)).query).get("page", ["1"])[0])
        headers = {}
        if page < 3:
            link = f"https://api.github.com/orgs/octo-org/repos?per_page=3&page={page + 1}"
            headers["Link"] = f'<{link}>; rel="next", <https://api.github.com/x>; rel="last"'
        return httpx.Response(200, json=pages[page - 1], headers=headers)

    http = httpx.Client(transport=httpx.MockTransport(handler))
    with pkg.Client(base_url="https://api.github.com", http_client=http) as client:
        ids = [repo.id for repo in client.repos.list_for_org_iter("octo-org", per_page=3)]
    assert ids == [10, 11, 12, 20, 21, 22, 30, 31, 32]
    assert seen[0] == "https://api.github.com/orgs/octo-org/repos?per_page=3"
    assert [parse_qs(urlsplit(u).query)["page"] for u in seen[1:]] == [["2"], ["3"]]


def test_stripe_starting_after_pages(tmp_path: Path, purge: None) -> None:
    pkg = _client(tmp_path, corpus.STRIPE, "GetCharges", "stripe_pages_client")
    charge = {
        "object": "charge", "amount": 100, "amount_captured": 100, "amount_refunded": 0,
        "billing_details": {"address": None, "email": None, "name": None, "phone": None},
        "captured": True, "created": 1700000000, "currency": "usd", "disputed": False,
        "livemode": False, "metadata": {}, "paid": True, "refunded": False,
        "status": "succeeded",
    }  # fmt: skip
    ids = [f"ch_{n}" for n in range(7)]
    seen: list[dict[str, list[str]]] = []

    def handler(request: httpx.Request) -> httpx.Response:
        query = parse_qs(urlsplit(str(request.url)).query)
        seen.append(query)
        start = ids.index(query["starting_after"][0]) + 1 if "starting_after" in query else 0
        chunk = ids[start : start + 3]
        body = {
            "object": "list",
            "url": "/v1/charges",
            "has_more": start + 3 < len(ids),
            "data": [dict(charge, id=i) for i in chunk],
        }
        return httpx.Response(200, json=body)

    http = httpx.Client(transport=httpx.MockTransport(handler))
    with pkg.Client(base_url="https://api.stripe.com", http_client=http) as client:
        got = [c.id for c in client.get_charges_iter(limit=3)]
    assert got == ids
    assert [q.get("starting_after") for q in seen] == [None, ["ch_2"], ["ch_5"]]
