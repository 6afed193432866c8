"""Clarify-or-answer decisions on the sample graph (fake embedder: lexical linking only)."""

from collections.abc import Sequence

import pytest

from govqa.bootstrap import SAMPLE_PATHS, Container
from govqa.core.types import Answer, ClarifyingQuestion, ServiceItem
from govqa.dialogue.policy import pick_option
from knowledge_graph.linking import Candidate
from tests.conftest import fake_container


@pytest.fixture(scope="module")
def service(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    c: Container = fake_container(tmp_path_factory.mktemp("dlg"))
    c.ingest_pipeline().run(list(SAMPLE_PATHS))
    yield c.answer_service
    c.close()


def test_pick_option_prefers_exact_then_longest_then_abbreviation() -> None:
    options = ["偿还购买自住住房贷款本息", "购买自住住房", "租赁住房"]
    assert pick_option("购买自住住房", options) == "购买自住住房"
    assert pick_option("2", options) == "购买自住住房"
    assert pick_option("租房", options) == "租赁住房"
    assert pick_option("公司给员工办", ["个人", "法人"]) == "法人"
    assert pick_option("天气怎么样", options) is None


def test_vague_question_asks_then_reply_locks(service) -> None:  # type: ignore[no-untyped-def]
    first = service.handle("d1", "住房公积金提取怎么办理")
    assert isinstance(first, ClarifyingQuestion) and first.slot == "scenario"
    second = service.handle("d1", "租赁住房")
    assert isinstance(second, Answer) and second.item_codes == ("JL-GJJ-TQ-002",)


def test_question_naming_its_situation_is_answered_directly(service) -> None:  # type: ignore[no-untyped-def]
    reply = service.handle("d2", "租房怎么提取公积金")
    assert isinstance(reply, Answer) and reply.item_codes == ("JL-GJJ-TQ-002",)
    district = service.handle("d3", "东湖区孩子上小学要什么材料")
    assert isinstance(district, Answer) and district.item_codes == ("JL-DHJY-RX-001",)


def test_applicant_twins_ask_who_is_applying(service) -> None:  # type: ignore[no-untyped-def]
    reply = service.handle("d4", "社保登记怎么办")
    assert isinstance(reply, ClarifyingQuestion) and reply.slot == "applicant"
    assert set(reply.options) == {"个人", "法人"}


def test_rule_questions_are_not_forced_onto_an_item(service) -> None:  # type: ignore[no-untyped-def]
    reply = service.handle("d5", "公积金提取审核时限依据哪条规定")
    assert isinstance(reply, Answer)


def test_situation_stated_in_other_words_is_answered(service) -> None:  # type: ignore[no-untyped-def]
    """Words only one twin's own texts carry (退休, 辞职) lock it; a question stating nothing asks."""
    retired = service.handle("s1", "我刚退休了，提取公积金要什么材料")
    assert isinstance(retired, Answer) and retired.item_codes[0] == "JL-GJJ-TQ-003"
    quit_job = service.handle("s2", "辞职了，住房公积金提取怎么办理")
    assert isinstance(quit_job, Answer) and quit_job.item_codes[0] == "JL-GJJ-TQ-004"
    vague = service.handle("s3", "住房公积金提取怎么办理")
    assert isinstance(vague, ClarifyingQuestion) and vague.slot == "scenario"


def test_negated_situation_is_not_read_as_stated(service) -> None:  # type: ignore[no-untyped-def]
    reply = service.handle("s4", "没买房一直租房，提取公积金要什么")
    assert isinstance(reply, Answer) and reply.item_codes[0] == "JL-GJJ-TQ-002"


def test_non_answers_reask_then_best_effort_says_what_it_assumed(service) -> None:  # type: ignore[no-untyped-def]
    first = service.handle("s5", "住房公积金提取怎么办理")
    assert isinstance(first, ClarifyingQuestion)
    again = service.handle("s5", "不知道啊")
    assert isinstance(again, ClarifyingQuestion) and again.options == first.options
    third = service.handle("s5", "都行")
    assert isinstance(third, Answer) and third.text.startswith("（以下按")
    assert third.item_codes and third.item_codes[0].startswith("JL-GJJ-TQ-")


def test_followup_stays_on_item_and_new_topic_clears_it(service) -> None:  # type: ignore[no-untyped-def]
    locked = service.handle("s6", "租房提取公积金要什么材料")
    assert isinstance(locked, Answer) and locked.item_codes[0] == "JL-GJJ-TQ-002"
    fee = service.handle("s6", "收费吗")
    assert isinstance(fee, Answer) and fee.item_codes[0] == "JL-GJJ-TQ-002"
    other = service.handle("s6", "港澳通行证多少钱")
    assert isinstance(other, Answer) and other.item_codes[0] == "JL-GA-CRJ-001"


def test_reply_that_is_a_new_question_is_answered_as_one(service) -> None:  # type: ignore[no-untyped-def]
    asked = service.handle("s7", "办营业执照要什么")
    assert isinstance(asked, ClarifyingQuestion)
    other = service.handle("s7", "算了，先问下港澳通行证怎么办")
    assert isinstance(other, Answer) and other.item_codes[0] == "JL-GA-CRJ-001"


def test_particle_is_not_read_as_a_mistyped_name(service) -> None:  # type: ignore[no-untyped-def]
    linker = service._router._retriever.linker()
    assert linker.corrected("刚出生的宝宝怎么办医保") == "刚出生的宝宝怎么办医保"
    assert linker.corrected("住房公基金提取") == "住房公积金提取"


def test_mistyped_item_name_still_links(service) -> None:  # type: ignore[no-untyped-def]
    reply = service.handle("s8", "住房公基金提取怎么办理")
    assert isinstance(reply, ClarifyingQuestion) and reply.slot == "scenario"


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


def test_a_dictionary_word_is_not_read_as_a_commoner_name_misspelt(service) -> None:  # type: ignore[no-untyped-def]
    linker = service._router._retriever.linker()
    assert linker.corrected("新买的电动车去哪上牌") == "新买的电动车去哪上牌"  # not 机动车
    assert linker.corrected("身分证丢了") == "身份证丢了"  # a variant spelling, far rarer


def test_parts_asked_after_a_situation_the_item_does_not_cover_get_no_field_answer(service) -> None:  # type: ignore[no-untyped-def]
    # Every part is a field question, but the situation names something the 居住证申领 guide does
    # not (台湾同胞): its fee and time limit may be another case's.
    reply = service.handle("s-tw", "我是台湾同胞，在江临工作两年了，想申领居住证，要交多少钱，几天能拿到")
    assert "免收工本费" not in reply.text
    parts = service.handle("s-parts", "个体工商户设立登记多久能办下来？收不收钱")
    assert isinstance(parts, Answer) and "当场办结" in parts.text and "不收费" in parts.text


def test_a_modal_is_no_mistyped_character_of_a_name(service) -> None:  # type: ignore[no-untyped-def]
    assert "一年能取" in service._router._retriever.linker().corrected("公积金一年能取多少")
