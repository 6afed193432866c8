"""Clarify-or-answer decisions on the sample graph (fake embedder: lexical linking only)."""

import pytest

from govqa.bootstrap import SAMPLE_PATHS, Container
from govqa.core.types import Answer, ClarifyingQuestion
from govqa.dialogue.policy import pick_option
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
