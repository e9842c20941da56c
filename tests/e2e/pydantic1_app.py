"""A FastAPI app on pydantic 1, served by tests/e2e/test_pydantic1_server.py from a venv
of its own (pydantic 1 and 2 cannot share one). pydantic 1 writes `tuple[int, str]`
as JSON Schema draft 4 does, `items: [{...}, {...}]` (with `minItems`/`maxItems`), in
a document that says `openapi: 3.1.0`: OpenAPI does not allow that form, and oagen
reads it as `prefixItems`."""

from fastapi import FastAPI
from pydantic import BaseModel


class Thing(BaseModel):
    pair: tuple[int, str]
    rest: tuple[int, ...]
    maybe: tuple[float, bool] | None = None
    nested: list[tuple[str, int]] = []


app = FastAPI(title="Pydantic one")


@app.post("/things", response_model=Thing, operation_id="echo_thing")
def echo_thing(thing: Thing) -> Thing:
    """Answer the thing with its pair changed, so that the reply is the server's."""
    return Thing(
        pair=(thing.pair[0] + 1, thing.pair[1].upper()),
        rest=thing.rest,
        maybe=thing.maybe,
        nested=thing.nested,
    )
