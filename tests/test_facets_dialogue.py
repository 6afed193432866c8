"""Evidence facets (region split, duplicated entries), facet replies and the dialogue state."""

import datetime as dt

from govqa.core.regions import NATIONAL
from govqa.core.types import Answer, Chunk, ClarifyingQuestion, DialogueState, Document, LoadedDocument, ScoredChunk
from govqa.core.vocab import Slot
from govqa.dialogue.facets import chosen_option, departments, duplicate_entries, region_scope, region_split
from govqa.dialogue.routes import Clarify, FieldAnswer, OutOfScope
from govqa.dialogue.state import advance
from govqa.generation.extractive import faq_side_by_side


def _hit(doc_id: str, score: float, region: str = "", doc_type: str = "policy", issuer: str = "") -> ScoredChunk:
    doc = Document(doc_id, doc_id, "正文", "h", doc_type=doc_type, region=region, issuer=issuer)  # type: ignore[arg-type]
    return ScoredChunk(Chunk(f"{doc_id}#0", doc_id, 0, f"{doc_id}的答复内容。", 0, 10), doc, score)


def test_region_split_needs_two_competing_policy_regions_on_the_subject() -> None:
    hits = [
        _hit("北京市机动车停车条例", 1.0, "北京市"),
        _hit("济南市停车场建设和管理条例", 0.8, "济南市"),
        _hit("停车场管理办法", 0.6, NATIONAL),
        _hit("上海市停车场管理办法", 0.2, "上海市"),
        _hit("北京市城乡规划条例", 0.9, "北京市"),
    ]
    assert region_split(hits, ["停车"]) == ("北京市", "济南市", NATIONAL)  # 上海 scores too far below
    assert region_split(hits, ["规划"]) == ()  # only one region's law is on that subject
    assert region_split(hits, []) == ()
    assert region_split([_hit("北京停车", 1.0, "北京市"), _hit("北京停车2", 0.9, "北京市")], ["停车"]) == ()
    assert region_split([_hit("停车kb", 1.0, "", "faq"), _hit("济南停车", 0.9, "济南市")], ["停车"]) == ()


def test_region_reply_forms() -> None:
    options = ("北京市", "济南市", NATIONAL)
    assert chosen_option("北京", options) == "北京市"
    assert chosen_option("2", options) == "济南市"
    assert chosen_option("国家的规定", options) == NATIONAL
    assert chosen_option("郑州那边", options) == "郑州市"  # named, though not offered
    assert chosen_option("随便", options) == ""
    assert region_scope("北京市") == ("北京市", NATIONAL, "")


def test_duplicate_entries_and_side_by_side_answer() -> None:
    a, b = _hit("kb1", 1.0, doc_type="faq", issuer="医保局"), _hit("kb2", 0.9, doc_type="faq", issuer="医保局")
    entries = duplicate_entries([a, a, b, _hit("p", 0.8)], lambda h: h.document.doc_type == "faq")
    assert [e.document.id for e in entries] == ["kb1", "kb2"] and departments(entries) == ("医保局",)
    answer = faq_side_by_side("问题", entries, dt.date(2026, 1, 1), lambda d: d)
    assert [c.marker for c in answer.citations] == [1, 2]
    assert "[1]" in answer.text and "[2]" in answer.text and answer.text.count("医保局") == 2


def test_state_counts_questions_per_topic_and_resets_the_lock() -> None:
    ask = ClarifyingQuestion("您要办理的是哪种情形？", Slot.SCENARIO, ("A", "B"))
    clarify = Clarify("公积金怎么取", ask, ("c1", "c2"))
    s1 = advance(DialogueState("s"), "公积金怎么取", clarify, ask)
    assert s1.asked == 1 and s1.pending == ask
    s2 = advance(s1, "不知道", clarify, ask)
    assert s2.asked == 2
    answer = Answer("答复")
    s3 = advance(s2, "都行", FieldAnswer("公积金怎么取", "c1", answer), answer, (("scenario", "A"),))
    assert s3.asked == 0 and s3.pending is None and s3.locked_item == "c1" and s3.slot("scenario") == "A"
    thanks = advance(s3, "谢谢", OutOfScope("谢谢", answer), answer)
    assert thanks.locked_item == "c1" and len(thanks.turns) == 4
    fresh = advance(s3, "新问题", Clarify("新问题", ask, ("d1", "d2")), ask)
    assert fresh.locked_item == "" and fresh.asked == 1  # a new topic's question starts its own count


def _law(doc_id: str, title: str, body: str) -> LoadedDocument:
    from ingest.loaders import text_document

    text = f"# {title}\n\n第一条 {body}\n\n第二条 本条例自公布之日起施行。"
    return LoadedDocument(text_document(text, doc_id=doc_id, title=title, doc_type="policy"))


def test_router_asks_which_region_then_answers_from_the_chosen_one() -> None:
    """Two cities regulate parking fees and the question names neither: ask, then answer the reply's
    city from its own regulation; a question naming a city is answered without asking."""
    from govqa.dialogue.policy import ClarifyPolicy
    from govqa.dialogue.router import DialogueConfig, Router
    from govqa.dialogue.routes import ClauseAnswer, ExtractAnswer, FaqAnswer, Generate
    from govqa.retrieval.hybrid import HybridRetriever
    from govqa.testing.fakes import HashEmbedder
    from govqa.testing.memory import memory_view

    docs = [
        _law("bj", "北京市机动车停车条例", "停车收费实行政府定价和市场调节价，收费标准应当在停车场显著位置公示。"),
        _law("jn", "济南市停车场建设和管理条例", "停车场收费标准由价格主管部门核定，停车收费应当明码标价。"),
    ]
    assert {d.document.region for d in docs} == {"北京市", "济南市"}
    embedder = HashEmbedder(64)
    view = memory_view(docs, embedder)
    retriever = HybridRetriever(lambda: view, embedder)
    # The hash embedder's cosines mean nothing, so no dense score is too weak here.
    config = DialogueConfig(min_dense_score=-1.0)
    router = Router(lambda: view, retriever, view.tokenizer, ClarifyPolicy(), config, embedder=embedder)
    question = "停车收费标准怎么规定的"
    first = router.route(DialogueState("r"), question)
    assert isinstance(first, Clarify) and first.reply.slot == Slot.REGION
    assert set(first.reply.options) == {"北京市", "济南市"}
    state = advance(DialogueState("r"), question, first, first.reply)
    second = router.route(state, "济南的")
    assert isinstance(second, (ClauseAnswer, ExtractAnswer, FaqAnswer, Generate))
    assert second.evidence and {h.document.id for h in second.evidence} == {"jn"}
    assert router.slots_read(state, "济南的", second) == (("region", "济南市"),)
    named = router.route(DialogueState("r2"), "北京停车收费标准怎么规定的")
    assert not isinstance(named, Clarify)
    # A service configured for its own city answers for it, saying so, instead of asking.
    home = Router(
        lambda: view,
        retriever,
        view.tokenizer,
        ClarifyPolicy(),
        DialogueConfig(min_dense_score=-1.0, home_region="济南市"),
        embedder=embedder,
    ).route(DialogueState("r3"), question)
    assert isinstance(home, (ClauseAnswer, ExtractAnswer, FaqAnswer, Generate))
    assert {h.document.id for h in home.evidence} == {"jn"}
    assert (home.note if isinstance(home, Generate) else home.reply.text).startswith("（以下按“济南市”")


def test_a_list_question_over_rules_of_several_regions_asks_the_region_first() -> None:
    """「…有哪些政策」 is answered from the topic brief only when the regions do not compete: with two
    cities' parking rules and no city named, the region is asked and the brief not consulted."""
    from govqa.dialogue.policy import ClarifyPolicy
    from govqa.dialogue.router import DialogueConfig, Router
    from govqa.policy.brief_types import TopicBrief
    from govqa.retrieval.hybrid import HybridRetriever
    from govqa.testing.fakes import HashEmbedder
    from govqa.testing.memory import memory_view

    docs = [
        _law("bj", "北京市机动车停车条例", "停车收费实行政府定价和市场调节价，收费标准应当在停车场显著位置公示。"),
        _law("jn", "济南市停车场建设和管理条例", "停车场收费标准由价格主管部门核定，停车收费应当明码标价。"),
    ]
    embedder = HashEmbedder(64)
    view = memory_view(docs, embedder)
    asked_for: list[str] = []

    def brief(topic: str) -> TopicBrief:
        asked_for.append(topic)
        return TopicBrief(topic, dt.date(2026, 1, 1), (), ())

    router = Router(
        lambda: view,
        HybridRetriever(lambda: view, embedder),
        view.tokenizer,
        ClarifyPolicy(),
        DialogueConfig(min_dense_score=-1.0),
        embedder=embedder,
        brief=brief,
    )
    first = router.route(DialogueState("l1"), "停车收费有哪些政策")
    assert isinstance(first, Clarify) and first.reply.slot == Slot.REGION, first
    assert asked_for == []
    # A city named: the brief is asked, and an empty one leaves the question to the usual modes.
    named = router.route(DialogueState("l2"), "北京停车收费有哪些政策")
    assert asked_for == ["北京停车收费政策"] and not isinstance(named, Clarify)
