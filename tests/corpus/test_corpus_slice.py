"""`make test` runs the first 10 specs of the corpus (all of them: `make corpus`)."""

from __future__ import annotations

import pytest

from tests.corpus import corpus


@pytest.mark.slow
def test_corpus_slice_passes() -> None:
    specs = corpus.sample_specs()[: corpus.SLICE]
    outcomes = corpus.run(specs, jobs=2)
    assert len(outcomes) == corpus.SLICE
    report = corpus.table(outcomes)
    assert corpus.failures(outcomes) == [], report
    assert all(o.generated == o.operations > 0 for o in outcomes if not o.invalid), report
