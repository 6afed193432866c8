"""Reading the situation a message states, and when twins' answers are the same (pure parts and the
sample graph on fakes)."""

from collections.abc import Sequence

import numpy as np
import pytest

from govqa.bootstrap import SAMPLE_PATHS, Container
from govqa.core.types import Answer, ClarifyingQuestion, ServiceItem
from govqa.dialogue.policy import core_value
from govqa.dialogue.situation import SituationMatcher, own_sentences, statements
from govqa.retrieval.tokenize import ChineseTokenizer
from knowledge_graph.linking import Candidate
from tests.conftest import fake_container


@pytest.fixture(scope="module")
def tagger() -> ChineseTokenizer:
    return ChineseTokenizer()


@pytest.fixture(scope="module")
def service(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    c: Container = fake_container(tmp_path_factory.mktemp("situation"))
    c.ingest_pipeline().run(list(SAMPLE_PATHS))
    yield c.answer_service
    c.close()


def _item(code: str, scenario: str, conditions: Sequence[str]) -> ServiceItem:
    return ServiceItem(
        code=code,
        name=f"居民身份证（{scenario}）",
        aliases=("身份证",),
        department="公安局",
        region="江临市",
        applicant_types=("个人",),
        scenario=scenario,
        conditions=tuple(conditions),
        source_doc=code,
    )


class _KeywordEmbedder:
    """Vectors from the keywords a text contains: 姓名/名字 on one axis, 丢 on the other."""

    dim = 3
    model_id = "keyword"

    def _vector(self, text: str) -> np.ndarray:
        v = np.array([1.0 if ("姓名" in text or "名字" in text) else 0.0, 1.0 if "丢" in text else 0.0, 0.2])
        return v / np.linalg.norm(v)

    def embed_documents(self, texts: Sequence[str]) -> np.ndarray:
        return np.stack([self._vector(t) for t in texts])

    def embed_query(self, text: str) -> np.ndarray:
        return self._vector(text)


def test_core_value_drops_bracketed_qualifications_only() -> None:
    assert core_value("3个工作日（网上申请且信息实时核验通过的即时办结）") == "3个工作日"
    assert core_value("3个工作日") == "3个工作日"
    # A clause after "；" states something else (Saturday hours) and is kept.
    hours = "工作日 9:00-12:00，13:30-17:00（法定节假日除外）；周六 9:00-12:00 提供延时服务"
    assert core_value(hours) == "工作日 9:00-12:00，13:30-17:00；周六 9:00-12:00 提供延时服务"


def test_statements_keep_the_clauses_that_state() -> None:
    assert statements("身份证上的名字改了，证件要换吗") == "身份证上的名字改了"
    assert statements("社保登记在哪办") == ""
    assert statements("已经有了，快满一年了") == "已经有了，快满一年了"


def test_negated_text_is_recognised(tagger: ChineseTokenizer) -> None:
    matcher = SituationMatcher(tagger, None)
    assert matcher.negated("我不上班了")
    assert matcher.negated("没工作了")
    assert not matcher.negated("我上个月刚退休")


def test_own_sentences_leave_out_what_every_twin_says() -> None:
    a = _item("A", "有效期满、证件损坏或者登记项目变更", ["公民姓名变更需要换发", "本市户籍居民在任一窗口办理"])
    b = _item("B", "证件丢失", ["居民身份证丢失的公民", "本市户籍居民在任一窗口办理"])
    own = own_sentences([a, b])
    assert "本市户籍居民在任一窗口办理" not in own[0] + own[1]
    assert "公民姓名变更需要换发" in own[0] and "居民身份证丢失的公民" in own[1]


def test_everyday_words_of_a_stated_clause_pick_the_twin_by_its_own_sentences(tagger: ChineseTokenizer) -> None:
    a = _item("A", "有效期满、证件损坏或者登记项目变更", ["公民姓名变更需要换发"])
    b = _item("B", "证件丢失", ["居民身份证丢失的公民"])
    matcher = SituationMatcher(tagger, _KeywordEmbedder())  # type: ignore[arg-type]
    assert matcher.narrow("身份证上的名字改了，证件要换吗", [a, b]) == ["A"]
    # What a question asks is no situation: both stay, and the citizen is asked.
    assert matcher.narrow("身份证在哪办", [a, b]) == ["A", "B"]
    # Nor is what a text denies.
    assert matcher.narrow("名字没改", [a, b]) == ["A", "B"]


def test_twins_that_answer_alike_are_answered_not_asked(service) -> None:  # type: ignore[no-untyped-def]
    """承诺时限 reads "3个工作日" in every 公积金提取 guide, some with a bracketed note."""
    reply = service.handle("t1", "公积金提取多久到账")
    assert isinstance(reply, Answer) and reply.item_codes[0].startswith("JL-GJJ-TQ-")
    # 办理时间 differs by a Saturday service (after "；"): still asked who is applying.
    asked = service.handle("t2", "社保登记在哪办")
    assert isinstance(asked, ClarifyingQuestion) and asked.slot == "applicant"


def test_a_choice_made_for_other_items_is_not_read_for_a_new_topic(service) -> None:  # type: ignore[no-untyped-def]
    assert isinstance(service.handle("t3", "公积金怎么提"), ClarifyingQuestion)
    assert isinstance(service.handle("t3", "租房"), Answer)
    other = service.handle("t3", "另外问下医保异地备案咋弄")
    assert isinstance(other, ClarifyingQuestion) and other.slot == "scenario"


def test_short_question_naming_another_subject_leaves_the_locked_item(service) -> None:  # type: ignore[no-untyped-def]
    """公积金 names the 提取 items and not 失业保险金申领: a new topic, though the linker's lexical
    score (a shared 公积金, not a whole alias) is below the bar for a name written out."""
    router = service._router
    snap = router._snapshot()
    linked = [Candidate("JL-GJJ-TQ-004", 0.65, 0.55, 0.8)]
    assert router._new_topic(snap, linked, ("JL-RS-SY-001",), "公积金离职了能取吗")
    assert not router._new_topic(snap, linked, ("JL-RS-SY-001",), "那离职了能领吗")
    assert not router._new_topic(snap, linked, ("JL-GJJ-TQ-002",), "公积金离职了能取吗")  # a twin


def test_alias_of_one_namesake_does_not_hide_the_situation_of_another(service) -> None:  # type: ignore[no-untyped-def]
    reply = service.handle("t5", "小孩的出生证明找不到了，能补吗")
    assert isinstance(reply, Answer) and "JL-WJ-CS-002" in reply.item_codes


def test_a_namesake_for_other_applicants_is_no_twin(service, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    """住房公积金单位缴存登记 (for 法人) begins like 住房公积金提取 but is another service: it is not
    among the twins a reply about a company is read against."""
    router = service._router
    read: list[list[str]] = []

    class _Recorder:
        def narrow(self, text: str, items: Sequence[ServiceItem]) -> list[str]:
            read.append([i.code for i in items])
            return [i.code for i in items]

    monkeypatch.setattr(router, "_situation", _Recorder())
    assert router._twin_stated(router._snapshot(), "被公司裁了", "JL-GJJ-TQ-004") == "JL-GJJ-TQ-004"
    assert "JL-GJJ-JC-001" not in read[0] and "JL-GJJ-TQ-003" in read[0]
