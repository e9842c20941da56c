"""Plans of streamed operations: the `Items` declaration beside the `Endpoint` (one
argument a line, as the `Endpoint`'s), and methods returning `Stream[T]` (sync) or
`AsyncStream[T]` (async, awaited first)."""

from __future__ import annotations

from dataclasses import replace

from ..ir import Operation, Prim
from ..literals import py_literal, py_tuple
from ..pytypes import Types
from .common import generic_opening
from .contexts import ItemsContext, OperationContext

__all__ = ["stream_returns", "with_stream"]


def stream_returns(types: Types, op: Operation) -> tuple[str, str] | None:
    """What the sync and async methods of a streamed operation return (None: `op`
    is not streamed)."""
    if op.stream is None:
        return None
    item = types.annotation(op.stream.item)
    types.imports.add(".._streams", "AsyncStream", "Stream")
    return f"Stream[{item}]", f"AsyncStream[{item}]"


def with_stream(types: Types, op: Operation, ctx: OperationContext) -> OperationContext:
    """`ctx` of `op`, its `_request` call wrapped in its stream when `op` is a
    streamed operation (the return annotations are `stream_returns`')."""
    stream = op.stream
    if stream is None:
        return ctx
    item = types.annotation(stream.item)
    types.imports.add(".._streams", "Items")
    constant = ctx.constant + "_ITEMS"
    if not stream.is_event and not stream.data_json and stream.item == Prim("any"):
        types.imports.add(".._streams", "json_or_text")  # SSE data the spec gives no schema
        decode = "json_or_text"
    else:  # (asked only here: a decoder records the imports it uses)
        decode = types.decoder(stream.item)
    arguments = [("framing", py_literal(stream.framing)), ("decode", decode)]
    if stream.is_event:
        arguments.append(("event", "True"))
    if not stream.data_json:
        arguments.append(("data_json", "False"))
    if stream.json_events:
        arguments.append(("json_events", py_tuple([py_literal(e) for e in stream.json_events])))
    if stream.integer_id:
        arguments.append(("integer_id", "True"))
    items = ItemsContext(generic_opening(constant, "Items", item), tuple(arguments))
    body = "body"
    if stream.sets_stream_flag and op.body is not None and op.body.kind == "json":
        types.imports.add(".._streams", "with_stream_flag")
        body = "with_stream_flag(body)"
    kept = [(key, value) for key, value in ctx.endpoint_fields if key != "stream_media"]
    fields = (*kept, ("stream_media", py_literal(stream.media_type)))
    return replace(
        ctx,
        endpoint_fields=fields,
        stream_items=items,
        sync_open="Stream(",
        async_open="AsyncStream(",
        call_close=f", {constant})",
        body_expr=body,
    )
