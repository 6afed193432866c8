"""The whole path on the real bundled models and the real Qdrant engine (sample corpus)."""

import pytest

from govqa.bootstrap import Container
from govqa.core.errors import InvalidInputError
from govqa.core.types import Answer, ClarifyingQuestion

pytestmark = pytest.mark.slow


def test_vague_question_gets_options_then_a_cited_structured_answer(real_container: Container) -> None:
    service = real_container.answer_service
    first = service.handle("s-materials", "公积金提取需要什么材料")
    assert isinstance(first, ClarifyingQuestion)
    assert first.slot == "scenario" and len(first.options) >= 4
    option = next(o for o in first.options if o.startswith("购买"))
    second = service.handle("s-materials", option)
    assert isinstance(second, Answer)
    assert "JL-GJJ-TQ-001" in second.item_codes
    assert second.citations and second.citations[0].doc_id == "JL-GJJ-TQ-001"
    assert "身份证" in second.text and "申请材料" in second.text


def test_named_article_is_answered_with_its_own_text(real_container: Container) -> None:
    answer = real_container.answer_service.handle("s-clause", "江临市住房公积金管理办法第二十四条规定了什么？")
    assert isinstance(answer, Answer) and answer.mode == "clause"
    assert answer.text and answer.citations, answer
    cited = {(c.doc_id, c.section.split(" > ")[-1]) for c in answer.citations}
    assert ("jlzf-2021-12", "第二十四条") in cited, cited


def test_out_of_scope_question_is_refused_without_guessing(real_container: Container) -> None:
    answer = real_container.answer_service.handle("s-refuse", "火星移民签证怎么申请")
    assert isinstance(answer, Answer)
    assert not answer.grounded and not answer.citations


def test_empty_question_is_rejected(real_container: Container) -> None:
    with pytest.raises(InvalidInputError):
        real_container.answer_service.handle("s-empty", "   ")


def test_repealed_policy_is_demoted_and_flagged(real_container: Container) -> None:
    hits = real_container.retriever().retrieve("江临市住房公积金提取管理办法 租赁住房提取", 5)
    ids = [h.document.id for h in hits]
    assert "jlzf-2024-08" in ids
    if "jlzf-2019-07" in ids:
        assert ids.index("jlzf-2024-08") < ids.index("jlzf-2019-07")


def test_generated_answer_shows_only_verified_sentences(real_container: Container) -> None:
    """The real LLM on an open question: whatever it writes, every shown sentence is in its source."""
    from govqa.generation.verify import MARKER, split_sentences, supports

    service = real_container.answer_service
    question = "失业金每个月发多少"
    parts = list(service.stream("s-gen", question))
    final = parts[-1]
    assert isinstance(final, Answer) and final.mode in ("generated", "extracted", "refusal", "clause")
    if final.citations:
        chunks = real_container.snapshot().catalog.chunks([c.chunk_id for c in final.citations])
        by_marker = {c.marker: chunks[c.chunk_id].text for c in final.citations}
        for sentence in split_sentences(final.text):
            cited = [by_marker[int(m)] for m in MARKER.findall(sentence) if int(m) in by_marker]
            assert cited and any(supports(MARKER.sub("", sentence), t) for t in cited), sentence


def test_the_evidence_is_read_further_before_a_figure_is_refused(real_container: Container) -> None:
    """The guides' fee fields (收费标准：不收费) share the question's words and fill the first hits;
    the article that states the ratio ranks below them and is still quoted (no LLM call)."""
    route = real_container.answer_service.route("s-further", "单位交公积金的比例最低多少最高多少")
    assert route.mode == "extracted", route
    assert "5%" in route.reply.text and "12%" in route.reply.text
    assert route.reply.citations[0].doc_id == "jlzf-2021-12"


def test_a_rule_described_by_its_figure_is_found_expired(real_container: Container) -> None:
    """Retrieval ranks a measure no longer in force low; a question quoting its figure still finds
    it and is told that it expired (no LLM call)."""
    route = real_container.answer_service.route(
        "s-stale", "听说本科毕业来江临工作每月能领1000的租房补贴，现在还能申请吗"
    )
    assert route.mode == "validity", route
    assert "已到期失效" in route.reply.text and route.reply.citations[0].doc_id == "jlzb-2021-30"
