"""The LLM reranker: ordering rules with a stand-in scorer, the contract and wiring with the real LLM."""

import math

import pytest

from govqa.bootstrap import Container
from govqa.core.ids import chunk_id, content_hash
from govqa.core.types import Chunk, Document, Filters, ScoredChunk
from govqa.retrieval.rerank import QuestionLikelihoodReranker, RerankConfig
from govqa.testing.contracts import check_continuation_scorer
from govqa.testing.fakes import ScriptedGenerator


class TableScorer:
    """Log-probabilities looked up by the passage the prompt carries."""

    def __init__(self, table: dict[str, float]) -> None:
        self.table = table
        self.calls = 0

    def continuation_logprob(self, system: str, user: str, continuation: str, reply_prefix: str = "") -> float:
        self.calls += 1
        return next(v for k, v in self.table.items() if k in user)


def _hit(name: str, score: float) -> ScoredChunk:
    doc = Document(id=name, title=name, text=name, content_hash=content_hash(name), doc_type="kb")
    chunk = Chunk(id=chunk_id(name, 0, name), doc_id=name, ordinal=0, text=f"资料{name}", start=0, end=len(name))
    return ScoredChunk(chunk=chunk, document=doc, score=score, leg_ranks=(("dense", 1),))


def test_reranker_moves_a_clear_llm_favourite_up_and_keeps_scores_descending() -> None:
    hits = [_hit(n, s) for n, s in zip("ABCDEF", (0.9, 0.8, 0.7, 0.6, 0.5, 0.4))]
    scorer = TableScorer({"资料A": -3.0, "资料B": -2.9, "资料C": -0.5, "资料D": -3.5, "资料E": -4.0})
    out = QuestionLikelihoodReranker(scorer, RerankConfig(top=5, weight=2.0)).rerank("问", hits)
    assert next(h.document.id for h in out) == "C"
    assert [h.score for h in out] == sorted((h.score for h in out), reverse=True)
    assert [h.score for h in out[:5]] == [0.9, 0.8, 0.7, 0.6, 0.5]
    assert out[5] is hits[5] and scorer.calls == 5  # only the first `top` are read
    assert dict(out[0].leg_ranks)["rerank"] == 1 and math.isclose(dict(out[0].leg_scores)["rerank"], -0.5)
    assert {h.document.id for h in out} == set("ABCDEF")


def test_equal_weight_ties_keep_the_retrievers_order() -> None:
    hits = [_hit("A", 0.9), _hit("B", 0.8)]
    scorer = TableScorer({"资料A": -2.0, "资料B": -1.0})  # LLM prefers B, retriever A: a tie at weight 1
    out = QuestionLikelihoodReranker(scorer, RerankConfig(weight=1.0)).rerank("问", hits)
    assert [h.document.id for h in out] == ["A", "B"]
    assert [h.document.id for h in QuestionLikelihoodReranker(scorer, RerankConfig(weight=0.0)).rerank("问", hits)] == [
        "A",
        "B",
    ]


def test_fewer_than_two_hits_are_returned_unscored() -> None:
    scorer = TableScorer({"资料": -1.0})
    one = [_hit("A", 0.9)]
    assert QuestionLikelihoodReranker(scorer).rerank("问", one) == one
    assert QuestionLikelihoodReranker(scorer).rerank("问", []) == []
    assert scorer.calls == 0


def test_passages_are_cut_to_the_configured_length() -> None:
    seen: list[str] = []

    class Recorder:
        def continuation_logprob(self, system: str, user: str, continuation: str, reply_prefix: str = "") -> float:
            seen.append(user)
            return -1.0

    reranker = QuestionLikelihoodReranker(Recorder(), RerankConfig(passage_chars=20))
    reranker.likelihood("问", "甲" * 500 + "乙")
    assert "甲" * 20 in seen[0] and "甲" * 21 not in seen[0] and "乙" not in seen[0]


def test_scripted_generator_passes_the_scorer_contract() -> None:
    check_continuation_scorer(ScriptedGenerator())


@pytest.mark.slow
def test_bundled_llm_passes_the_scorer_contract_and_still_generates(real_container: Container) -> None:
    generator = real_container.generator
    check_continuation_scorer(generator)  # type: ignore[arg-type]
    text = generator.generate("你是政务服务助手。", "用一句话说明什么是住房公积金。", 40)
    assert any("\u4e00" <= ch <= "\u9fff" for ch in text)


@pytest.mark.slow
def test_reranking_retriever_reorders_only_the_hybrids_first_hits(real_container: Container) -> None:
    question = "公积金提取需要什么材料"
    plain = real_container.retriever(rerank=False).retrieve(question, 8, Filters())
    reranked = real_container.retriever(rerank=True).retrieve(question, 8, Filters())
    top = real_container.settings.retrieval.rerank_top
    assert {h.chunk.id for h in reranked[:top]} == {h.chunk.id for h in plain[:top]}
    assert [h.chunk.id for h in reranked[top:]] == [h.chunk.id for h in plain[top:]]
    assert all("rerank" in dict(h.leg_ranks) for h in reranked[:top])


def test_reranking_with_an_llm_that_cannot_score_is_a_configuration_error(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from govqa.config import RetrievalSettings, Settings
    from govqa.core.errors import ConfigError
    from govqa.testing.fakes import HashEmbedder

    class ChatOnly:
        model_id = "chat-only"

        def generate(self, system: str, user: str, max_tokens: int) -> str:
            return ""

        def stream(self, system: str, user: str, max_tokens: int):  # type: ignore[no-untyped-def]
            yield ""

    settings = Settings(data_dir=tmp_path, model_dir=tmp_path, retrieval=RetrievalSettings(rerank=True))
    c = Container(settings, embedder=HashEmbedder(16), generator=ChatOnly())  # type: ignore[arg-type]
    with pytest.raises(ConfigError, match="chat-only"):
        c.retriever()
    assert c.retriever(rerank=False).reranker is None
    scripted = Container(settings, embedder=HashEmbedder(16), generator=ScriptedGenerator())
    assert scripted.retriever().reranker is not None
