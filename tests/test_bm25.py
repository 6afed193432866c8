import random

import numpy as np
from rank_bm25 import BM25Okapi

from govqa.retrieval.tokenize import ChineseTokenizer
from govqa.stores.bm25 import BM25Index


def test_scores_equal_rank_bm25() -> None:
    rng = random.Random(3)
    vocab = [f"w{i}" for i in range(40)]
    docs = [[rng.choice(vocab) for _ in range(rng.randint(1, 30))] for _ in range(200)]
    index = BM25Index()
    index.add([str(i) for i in range(len(docs))], docs)
    reference = BM25Okapi(docs)
    for _ in range(20):
        query = [rng.choice(vocab) for _ in range(rng.randint(1, 5))]
        _, ours = index.scores(query)
        assert np.allclose(ours, reference.get_scores(query))


def test_delete_and_allowed_filter() -> None:
    index = BM25Index()
    index.add(["a", "b", "c"], [["公积金", "提取"], ["公积金", "缴存"], ["户口"]])
    assert [cid for cid, _ in index.search(["公积金"], 5)] in (["a", "b"], ["b", "a"])
    assert [cid for cid, _ in index.search(["公积金"], 5, allowed={"b"})] == ["b"]
    index.delete(["a"])
    assert [cid for cid, _ in index.search(["提取"], 5)] == []
    assert index.count() == 2


def test_tokenizer_keeps_item_names_and_canonicalises_articles() -> None:
    tok = ChineseTokenizer(["住房公积金提取"])
    tokens = tok.tokenize("住房公积金提取要什么？见《住房公积金管理条例》第二十四条和京政发〔2024〕3号")
    assert "住房公积金提取" in tokens
    assert "第24条" in tokens
    assert "〔2024〕3号" in tokens
    assert "〔2024〕3号" in tok.tokenize("京政发[2024]3号")
    assert tok.tokenize("第24条") == ["第24条"]
    assert "的" not in tok.tokenize("公积金的提取")
