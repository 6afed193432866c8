"""Reading the situation a message states, and comparing twins' guide values (pure parts)."""

from collections.abc import Sequence

import numpy as np
import pytest

from govqa.core.types import ServiceItem
from govqa.dialogue.policy import core_value
from govqa.dialogue.situation import SituationMatcher, own_sentences, statements
from govqa.retrieval.tokenize import ChineseTokenizer


@pytest.fixture(scope="module")
def tagger() -> ChineseTokenizer:
    return ChineseTokenizer()


def _item(code: str, scenario: str, conditions: Sequence[str]) -> ServiceItem:
    return _twin(code, f"居民身份证（{scenario}）", scenario, ("身份证",), conditions)


def _twin(code: str, name: str, scenario: str, aliases: tuple[str, ...], conditions: Sequence[str] = ()) -> ServiceItem:
    return ServiceItem(
        code=code,
        name=name,
        aliases=aliases,
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


def test_a_stolen_card_is_a_lost_one(tagger: ChineseTokenizer) -> None:
    a = _item("A", "有效期满、证件损坏或者登记项目变更", ["公民姓名变更需要换发"])
    b = _item("B", "证件丢失", ["居民身份证丢失的公民"])
    # jieba cuts 小偷偷了 into 小 / 偷偷: the 偷 inside is read.
    assert SituationMatcher(tagger, None).narrow("身份证被小偷偷了，怎么补办", [a, b]) == ["B"]


def test_a_procedural_word_of_a_name_does_not_add_a_twin_beside_a_specific_word(tagger: ChineseTokenizer) -> None:
    retired = _twin("R", "住房公积金提取（离休、退休）", "离休、退休", ("取公积金",))
    left = _twin("L", "住房公积金提取（与单位终止劳动关系未再就业）", "与单位终止劳动关系未再就业", ("取公积金",))
    assert SituationMatcher(tagger, None).narrow("单位给办了退休，公积金能全部取出来吗", [retired, left]) == ["R"]


def test_an_alias_said_in_the_text_decides_though_jieba_cuts_it(tagger: ChineseTokenizer) -> None:
    first = _twin("F", "居住证申领", "申领", ("办居住证", "申请居住证"))
    yearly = _twin("Y", "居住证签注", "签注", ("居住证年审", "居住证续签"))
    assert SituationMatcher(tagger, None).narrow("居住证办了一年了，需要去年审吗", [first, yearly]) == ["Y"]
    assert SituationMatcher(tagger, None).narrow("居住证怎么办", [first, yearly]) == ["F", "Y"]
