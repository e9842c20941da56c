"""Streamed responses: an operation whose 2xx declares `text/event-stream`, JSON Lines
(`application/jsonl`, `application/x-ndjson`) or `application/json-seq` returns a
stream of items; with JSON offered as well it gets a second, `_stream` method."""

from __future__ import annotations

import copy
from dataclasses import replace
from typing import TYPE_CHECKING, Any, Literal

from ..diagnostics import Where
from ..ir import ItemStream, Prim, Response, TypeExpr
from ..names import pascal
from ..resolve import Resolver
from .media import json_media
from .schemas import SchemaBuilder

if TYPE_CHECKING:  # operations imports this module
    from .operations import DraftOperation

__all__ = ["STREAM_MEDIA_TYPES", "StreamBuilder"]

Framing = Literal["sse", "jsonl", "json-seq"]
STREAM_MEDIA_TYPES: dict[str, Framing] = {
    "text/event-stream": "sse",
    "application/jsonl": "jsonl",
    "application/x-ndjson": "jsonl",
    "application/json-seq": "json-seq",
}
_MAX_DEPTH = 8  # allOf nesting followed when looking for a body's `stream` property


def _base(media: str) -> str:
    return media.split(";", maxsplit=1)[0].strip().lower()


class StreamBuilder:
    """Finds an operation's streamed response and builds its `ItemStream`."""

    def __init__(self, resolver: Resolver, schemas: SchemaBuilder) -> None:
        self._resolver = resolver
        self._schemas = schemas

    def drafts(
        self, draft: DraftOperation, op: dict[str, Any], where: Where
    ) -> list[DraftOperation]:
        """`draft` as built, or as a stream operation when its 2xx is a stream only;
        with JSON offered too, `draft` and a second `<name>_stream` operation."""
        from .operations import DraftOperation

        found = self.split(op, where, pascal(draft.name_hint, "Operation"))
        if found is None:
            return [draft]
        stream, response, has_json = found
        operation = replace(draft.operation, successes=(response,), stream=stream)
        if not has_json:
            return [DraftOperation(draft.tag, draft.name_hint, operation)]
        # the JSON method cannot read a stream: its `Accept` names none (a server that
        # picks by `Accept` answers it with JSON)
        accept = tuple(m for m in draft.operation.accept if _base(m) not in STREAM_MEDIA_TYPES)
        plain = replace(draft, operation=replace(draft.operation, accept=accept))
        return [plain, DraftOperation(draft.tag, draft.name_hint + " stream", operation)]

    def split(
        self, op: dict[str, Any], where: Where, op_name: str
    ) -> tuple[ItemStream, Response, bool] | None:
        """The stream of `op` (at `where`), its success response, and whether a JSON
        response is offered too; None when no 2xx response is a stream."""
        responses = op.get("responses")
        if not isinstance(responses, dict):
            return None
        for status, value in responses.items():
            code = str(status).upper()
            if not code.startswith("2"):
                continue
            found = self._resolver.deref(value, where.child("responses", str(status)))
            if found is None or not isinstance(found[0], dict):
                continue
            resp, resp_where = found
            content = resp.get("content")
            if not isinstance(content, dict):
                continue
            for media, declared in content.items():
                framing = STREAM_MEDIA_TYPES.get(_base(str(media)))
                # 3.2: the Media Type Object may be a reference (`components.mediaTypes`)
                got = self._resolver.deref(declared, resp_where.child("content", str(media)))
                if framing is None or got is None or not isinstance(got[0], dict):
                    continue
                entry, media_where = got
                stream = self._stream(str(media), framing, entry, media_where, op_name, op)
                description = resp.get("description")
                response = Response(
                    code,
                    description if isinstance(description, str) else None,
                    str(media),
                    "raw",
                    None,
                )
                has_json = any(json_media(str(m)) for m in content)
                return stream, response, has_json
        return None

    def _stream(
        self,
        media: str,
        framing: Framing,
        entry: dict[str, Any],
        where: Where,
        op_name: str,
        op: dict[str, Any],
    ) -> ItemStream:
        flag = self._has_stream_flag(op.get("requestBody"), where, 0)
        if "itemSchema" in entry:
            return self._item_schema(media, framing, entry["itemSchema"], where, op_name, flag)
        schema = entry.get("schema")
        item: TypeExpr = Prim("any")
        # SSE data with no schema may be any text: JSON when it parses (see plan.streams)
        data_json = framing != "sse" or schema is not None
        if schema is not None:
            item = self._schemas.type_of(schema, where.child("schema"), op_name + "StreamItem")
            found = self._resolver.deref(schema, where.child("schema"))
            resolved = found[0] if found is not None else None
            if framing == "sse" and isinstance(resolved, dict) and resolved.get("type") == "string":
                data_json = "contentSchema" in resolved  # else: an item is the data text
        return ItemStream(media, framing, item, False, data_json, flag)

    def _item_schema(
        self,
        media: str,
        framing: Framing,
        schema: Any,
        where: Where,
        op_name: str,
        flag: bool,
    ) -> ItemStream:
        item_where = where.child("itemSchema")
        if framing != "sse":
            item = self._schemas.type_of(schema, item_where, op_name + "Item")
            return ItemStream(media, framing, item, False, True, flag)
        found = self._resolver.deref(schema, item_where)
        resolved = found[0] if found is not None else None
        data_json = False
        if isinstance(resolved, dict) and isinstance(resolved.get("properties"), dict):
            data = resolved["properties"].get("data")
            found_data = self._resolver.deref(data, item_where.child("properties", "data"))
            data_schema = found_data[0] if found_data is not None else None
            if (
                isinstance(data_schema, dict)
                and json_media(str(data_schema.get("contentMediaType", "")))
                and "contentSchema" in data_schema
            ):
                # the event as the item, its `data` typed by `contentSchema`
                data_json = True
                schema = copy.copy(resolved)
                schema["properties"] = {
                    **resolved["properties"],
                    "data": data_schema["contentSchema"],
                }
        json_events: tuple[str, ...] = ()
        if not data_json and isinstance(resolved, dict):
            schema, json_events = self._event_variants(schema, resolved, item_where)
        item = self._schemas.type_of(schema, item_where, op_name + "Item")
        integer_id = self._integer_id(resolved, item_where)
        return ItemStream(media, framing, item, True, data_json, flag, json_events, integer_id)

    def _integer_id(self, event: Any, where: Where, depth: int = 0) -> bool:
        """Whether the event schema `event` (or one of its `oneOf`/`anyOf`/`allOf`
        parts) types `id` an integer: an SSE `id` is text, made an integer of when it
        is one."""
        found = self._resolver.deref(event, where) if depth <= _MAX_DEPTH else None
        if found is None or not isinstance(found[0], dict):
            return False
        resolved, where = found
        props = resolved.get("properties")
        if isinstance(props, dict) and "id" in props:
            typed = self._resolver.deref(props["id"], where.child("properties", "id"))
            kind = typed[0].get("type") if typed and isinstance(typed[0], dict) else None
            return kind == "integer" or (isinstance(kind, list) and "integer" in kind)
        return any(
            self._integer_id(option, where.child(keyword, index), depth + 1)
            for keyword in ("oneOf", "anyOf", "allOf")
            if isinstance(resolved.get(keyword), list)
            for index, option in enumerate(resolved[keyword])
        )

    def _event_variants(
        self, schema: Any, resolved: dict[str, Any], where: Where
    ) -> tuple[Any, tuple[str, ...]]:
        """An event union whose variants say how their `data` is encoded (the 3.2
        spec's own example: `oneOf` variants by `event` const, one's `data` JSON by
        `contentSchema`, another's base64): the schema with each variant's `data`
        typed so, and the events whose `data` is JSON text."""
        keyword = next((k for k in ("oneOf", "anyOf") if isinstance(resolved.get(k), list)), None)
        shared = resolved.get("properties") if isinstance(resolved.get("properties"), dict) else {}
        if keyword is None or not isinstance(shared, dict):
            return schema, ()
        options: list[Any] = []
        json_events: list[str] = []
        for index, option in enumerate(resolved[keyword]):
            found = self._resolver.deref(option, where.child(keyword, index))
            props = found[0].get("properties") if found and isinstance(found[0], dict) else None
            if not isinstance(props, dict) or found is None:
                options.append(option)
                continue
            data = self._resolver.deref(props.get("data"), found[1])
            event = self._resolver.deref(props.get("event"), found[1])
            tag = event[0].get("const") if event and isinstance(event[0], dict) else None
            declared = data[0] if data is not None and isinstance(data[0], dict) else {}
            typed = props.get("data", shared.get("data"))  # as declared, or the shared one
            if (
                json_media(str(declared.get("contentMediaType", "")))
                and "contentSchema" in declared
            ):
                if not isinstance(tag, str):
                    options.append(option)  # no event tells its events apart
                    continue
                typed = declared["contentSchema"]
                json_events.append(tag)
            elif declared.get("contentEncoding") == "base64":
                typed = {"type": "string", "contentEncoding": "base64"}
            options.append({**found[0], "properties": {**props, "data": typed}})
        if not json_events and options == list(resolved[keyword]):
            return schema, ()
        rest = {key: value for key, value in shared.items() if key != "data"}
        return {**resolved, "properties": rest, keyword: options}, tuple(json_events)

    def _has_stream_flag(self, value: Any, where: Where, depth: int) -> bool:
        """Whether the JSON request body has a boolean `stream` property."""
        if value is None or depth > _MAX_DEPTH:
            return False
        found = self._resolver.deref(value, where)
        if found is None or not isinstance(found[0], dict):
            return False
        node = found[0]
        if depth == 0:  # the request body object: its JSON schema
            content = node.get("content")
            if not isinstance(content, dict):
                return False
            media = next((m for m in content if json_media(str(m))), None)
            got = self._resolver.deref(content[media], where) if media is not None else None
            if got is None or not isinstance(got[0], dict):
                return False
            return self._has_stream_flag(got[0].get("schema"), where, 1)
        properties = node.get("properties")
        if isinstance(properties, dict) and "stream" in properties:
            found_flag = self._resolver.deref(properties["stream"], where)
            flag = found_flag[0] if found_flag is not None else None
            if isinstance(flag, dict):
                kinds = flag.get("type")
                return kinds == "boolean" or (isinstance(kinds, list) and "boolean" in kinds)
        parts = node.get("allOf")
        if isinstance(parts, list):
            return any(self._has_stream_flag(part, where, depth + 1) for part in parts)
        return False
