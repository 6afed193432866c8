"""The answer checks stay true to the corpus: every key fact is a verbatim string of one of its
sources, every source exists, and a refusal check names no fact."""

import json

import pytest

from eval.datasets import FRESH_ANSWERS, HELDOUT_ANSWERS, INJECTION_CORPUS, SAMPLE_ANSWERS, load_answer_checks
from govqa.bootstrap import SAMPLE_CORPUS


def _source_texts() -> dict[str, str]:
    texts: dict[str, str] = {}
    for root in (SAMPLE_CORPUS, INJECTION_CORPUS):
        for path in root.rglob("*.json"):
            texts[path.stem] = path.read_text(encoding="utf-8")
        for path in root.rglob("*.md"):
            texts[path.stem] = path.read_text(encoding="utf-8")
        for path in root.rglob("*.jsonl"):
            for line in path.read_text(encoding="utf-8").splitlines():
                record = json.loads(line)
                texts[record["id"]] = f"{record.get('title', '')}\n{record.get('text', '')}"
    return texts


@pytest.mark.parametrize(
    "path", [SAMPLE_ANSWERS, HELDOUT_ANSWERS, FRESH_ANSWERS], ids=["committed", "heldout", "fresh"]
)
def test_key_facts_are_verbatim_in_a_source(path) -> None:  # type: ignore[no-untyped-def]
    texts = _source_texts()
    checks = load_answer_checks(path)
    assert len({c.id for c in checks}) == len(checks), "duplicate ids"
    for check in checks:
        assert all(s in texts for s in check.source_ids), (check.id, check.source_ids)
        if check.expect_refusal:
            assert not check.key_facts and not check.source_ids, check.id
            continue
        assert check.source_ids, check.id
        for fact in check.key_facts:
            # JSON escapes nothing Chinese here, so the file text holds the field values as written.
            assert any(fact in texts[s] for s in check.source_ids), (check.id, fact)
