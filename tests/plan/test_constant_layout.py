"""The first line of a resource module's typed constants (`Endpoint`, `Pager`, `Items`):
annotated where it fits, else the layout black and ruff agree on (the slow test
`tests/format` checks that the formatters agree on both)."""

from __future__ import annotations

import ast
from pathlib import Path

from oagen.plan.common import generic_opening, opening_overflows
from oagen.plan.contexts import ResourceContext

from .conftest import build_api, contexts

STREAMS = Path(__file__).resolve().parents[1] / "streams"


def test_a_constant_is_annotated_while_its_first_line_fits() -> None:
    name = "_" + "N" * 58  # 59 characters: `name: Endpoint[Model] = Endpoint(` is 88
    assert not opening_overflows(name, "Endpoint", "Model")
    assert generic_opening(name, "Endpoint", "Model") == f"{name}: Endpoint[Model] = Endpoint("


def test_a_constant_whose_first_line_does_not_fit_is_declared_on_a_line_of_its_own() -> None:
    name = "_" + "N" * 59
    assert opening_overflows(name, "Endpoint", "Model")
    opening = generic_opening(name, "Endpoint", "Model")
    assert opening == f"{name}: Endpoint[Model]\n{name} = Endpoint("
    declaration, assignment = ast.parse(opening + ")").body
    assert isinstance(declaration, ast.AnnAssign) and declaration.value is None
    assert isinstance(assignment, ast.Assign)  # `Endpoint(...)`: nothing evaluated at import
    assert isinstance(assignment.value, ast.Call) and isinstance(assignment.value.func, ast.Name)


def test_a_streamed_operation_declares_its_items_one_argument_a_line(tmp_path: Path) -> None:
    """`Items` is laid out as `Endpoint` and `Pager` are: its arguments one a line
    (a trailing comma keeps black and ruff from joining them), from the stream."""
    spec = (STREAMS / "chat31.yaml").read_text(encoding="utf-8")
    resources = contexts(build_api(tmp_path, spec))
    chat, events = resources["resources/chat.py"], resources["resources/events.py"]
    assert isinstance(chat, ResourceContext) and isinstance(events, ResourceContext)
    items = {op.name: op.stream_items for op in (*chat.operations, *events.operations)}
    assert items["create_chat_completion"] is None  # the operation's JSON method
    sse = items["create_chat_completion_stream"]
    assert sse is not None
    assert sse.opening == (
        "_CREATE_CHAT_COMPLETION_STREAM_ITEMS: Items[ChatCompletionChunk] = Items("
    )
    assert sse.items_fields == (("framing", "'sse'"), ("decode", "_d_ChatCompletionChunk"))
    lines = items["list_ticks"]
    assert lines is not None
    assert lines.items_fields == (("framing", "'jsonl'"), ("decode", "_d_Tick"))
