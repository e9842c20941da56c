"""`make corpus-sweep`'s verdicts (tests/corpus/sweep.py), on small specs: the sweep
itself runs the whole directory and is not part of `make test`."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.corpus.sweep import REFUSALS, expected_refusals, judge, sweep_one

GOOD = """\
openapi: 3.0.3
info: {title: T, version: '1'}
paths:
  /a/{id}:
    get:
      operationId: getA
      parameters: [{name: id, in: path, required: true, schema: {type: string}}]
      responses: {'204': {description: none}}
"""


def test_a_spec_that_generates_is_ok_and_an_invalid_one_refused(tmp_path: Path) -> None:
    good, bad = tmp_path / "good.yaml", tmp_path / "bad.yaml"
    good.write_text(GOOD, encoding="utf-8")
    bad.write_text(GOOD.replace("name: id,", "name: other,"), encoding="utf-8")
    assert sweep_one(str(good)) == ("ok", "")
    verdict, detail = sweep_one(str(bad))
    assert verdict == "refused"
    assert "path template variable {id} has no path parameter" in detail


def test_only_failures_unlisted_refusals_and_stale_listings_are_problems() -> None:
    listed = {"d:listed.json": "why"}
    assert judge("d:a.json", "ok", "", listed) is None
    assert judge("d:listed.json", "refused", "x", listed) is None
    assert judge("d:a.json", "failed", "Traceback", listed) == "d:a.json: failed\nTraceback"
    assert judge("d:a.json", "refused", "x", listed) == (
        f"d:a.json: refused, and not in {REFUSALS.name}: x"
    )
    assert judge("d:listed.json", "ok", "", listed) == (
        f"d:listed.json: generates now; take it out of {REFUSALS.name}"
    )


def test_every_listed_refusal_says_why() -> None:
    refusals = expected_refusals()
    assert refusals and all(spec.endswith(".json") and why for spec, why in refusals.items())


def test_a_crash_is_a_failure(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import oagen.pipeline

    def crash(*args: object, **kwargs: object) -> None:
        raise KeyError("boom")

    monkeypatch.setattr(oagen.pipeline, "generate_files", crash)
    spec = tmp_path / "good.yaml"
    spec.write_text(GOOD, encoding="utf-8")
    verdict, detail = sweep_one(str(spec))
    assert verdict == "failed" and "KeyError: 'boom'" in detail
