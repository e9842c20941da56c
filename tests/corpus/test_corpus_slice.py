"""`make test` runs the first 10 specs of the corpus and a few @readme/oas-examples
documents (all of them: `make corpus`)."""

from __future__ import annotations

import pytest

from tests.corpus import corpus


@pytest.mark.slow
def test_corpus_slice_passes() -> None:
    specs = corpus.sample_specs()[: corpus.SLICE] + corpus.SLICE_OAS_EXAMPLES
    outcomes = corpus.run(specs, jobs=2)
    assert len(outcomes) == len(specs)
    report = corpus.table(outcomes)
    assert corpus.failures(outcomes) == [], report
    counted = [o for o in outcomes if not o.invalid and not o.skipped]
    assert all(o.generated == o.operations > 0 for o in counted), report
    # Swagger 2.0 (the petstore of the slice) is read too: nothing is skipped
    assert [o.spec for o in outcomes if o.skipped] == []
    assert any(o.spec == "oas-examples:2.0/json/petstore.json" for o in counted)
