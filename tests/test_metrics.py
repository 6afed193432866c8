import pytest

from eval.metrics import (
    dedupe,
    hit_at_k,
    key_fact_recall,
    mrr_at_k,
    ndcg_at_k,
    percentile,
    prf,
    recall_at_k,
    retrieval_summary,
)


def test_ranking_metrics_hand_computed() -> None:
    ranked = ["a", "b", "c", "d"]
    gold = {"c", "x"}
    assert hit_at_k(ranked, gold, 2) == 0.0 and hit_at_k(ranked, gold, 3) == 1.0
    assert recall_at_k(ranked, gold, 4) == 0.5
    assert mrr_at_k(ranked, gold, 10) == pytest.approx(1 / 3)
    assert mrr_at_k(ranked, gold, 2) == 0.0
    # dcg = 1/log2(4) = 0.5; ideal for two gold = 1 + 1/log2(3)
    assert ndcg_at_k(ranked, gold, 10) == pytest.approx(0.5 / (1 + 1 / 1.584962500721156))


def test_summary_and_dedupe() -> None:
    assert dedupe(["d1", "d1", "d2", "d1"]) == ["d1", "d2"]
    summary = retrieval_summary([["a", "b"], ["c"]], [{"b"}, {"z"}])
    assert summary["hit@1"] == 0.0 and summary["hit@3"] == 0.5 and summary["mrr@10"] == pytest.approx(0.25)


def test_percentile_prf_and_facts() -> None:
    assert percentile([5, 1, 3, 2, 4], 50) == 3
    assert percentile([1, 2, 3, 4], 95) == 4
    with pytest.raises(ValueError):
        percentile([], 50)
    assert prf(3, 1, 2) == pytest.approx({"precision": 0.75, "recall": 0.6, "f1": 2 * 0.75 * 0.6 / 1.35})
    assert prf(0, 0, 0)["f1"] == 0.0
    assert key_fact_recall("需要 身份证 和购房合同", ["身份证", "购房 合同", "借款合同"]) == pytest.approx(2 / 3)


def test_key_fact_recall_reads_a_date_in_any_spelling():
    assert key_fact_recall("有效期至2023年12月31日，已到期失效", ["2023-12-31"]) == 1.0
    assert key_fact_recall("已废止（自2024-07-01起）", ["2024年7月1日"]) == 1.0
    assert key_fact_recall("自2024年7月1日起施行", ["2024-07-02"]) == 0.0
