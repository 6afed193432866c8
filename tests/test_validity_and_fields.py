import datetime as dt

from govqa.core.ids import content_hash
from govqa.core.types import Document
from govqa.generation.structured import requested_fields
from govqa.generation.validity import is_validity_question, status_sentence, validity_answer


def policy(doc_id: str, number: str, **dates: dt.date | str | None) -> Document:
    return Document(
        id=doc_id,
        title="江临市住房公积金提取管理办法",
        text="x",
        content_hash=content_hash(doc_id),
        doc_type="policy",
        doc_number=number,
        **dates,
    )  # type: ignore[arg-type]


OLD = policy(
    "old", "江政发〔2019〕7号", published=dt.date(2019, 3, 1), repealed_on=dt.date(2024, 7, 1), superseded_by="new"
)
NEW = policy("new", "江政发〔2024〕8号", published=dt.date(2024, 5, 20), effective_from=dt.date(2024, 7, 1))
DAY = dt.date(2026, 11, 28)


def test_status_sentences() -> None:
    assert "已废止（自2024年7月1日起）" in status_sentence(OLD, DAY, lambda d: "《新办法》")
    assert "现行规定见《新办法》" in status_sentence(OLD, DAY, lambda d: "《新办法》")
    assert "现行有效" in status_sentence(NEW, DAY, str)
    expired = policy("e", "", expires_at=dt.date(2023, 12, 31))
    assert "已到期失效" in status_sentence(expired, DAY, str)
    assert "现行有效" in status_sentence(expired, dt.date(2023, 1, 1), str)


def test_year_in_question_picks_the_version() -> None:
    answer = validity_answer("2019年那版还有效吗", [OLD, NEW], [], DAY, str)
    assert answer is not None and [c.doc_id for c in answer.citations] == ["old"]
    both = validity_answer("这个办法还有效吗", [OLD, NEW], [], DAY, str)
    assert both is not None and len(both.citations) == 2 and both.warnings
    assert is_validity_question("这个文件废止了吗") and not is_validity_question("公积金怎么取")


def test_field_questions_versus_open_questions() -> None:
    assert requested_fields("公积金提取需要什么材料", ["公积金提取"]) == ("申请材料",)
    assert requested_fields("公积金提取需要什么材料", ["住房公积金提取（租赁住房）", "租房提公积金"]) == ("申请材料",)
    assert requested_fields("营业执照办理流程", ["营业执照"]) == ("办理流程", "申请材料")
    assert requested_fields("失业金最长能领多久", ["失业金"]) == ()
    assert requested_fields("专精特新对研发费用有什么要求", ["专精特新"]) == ()
    assert requested_fields("公积金提取政策", ["公积金提取"]) == ()


def test_superseded_warning_names_the_successor_once_bracketed() -> None:
    from govqa.generation.extractive import validity_warning

    warning = validity_warning(OLD, DAY, lambda d: "《江临市住房公积金提取管理办法》（江政发〔2024〕8号）")
    assert "已被《江临市住房公积金提取管理办法》（江政发〔2024〕8号）替代" in warning
    assert "《《" not in warning


def test_display_name_brackets_the_doc_number_only_when_there_is_one() -> None:
    from govqa.messages import display_name

    assert display_name(NEW) == "《江临市住房公积金提取管理办法》（江政发〔2024〕8号）"
    assert display_name(policy("x", "")) == "《江临市住房公积金提取管理办法》"
    # The validity sentence names the document the same way.
    assert status_sentence(NEW, DAY, str).startswith(display_name(NEW) + "自2024年7月1日起施行")


def test_quoted_and_faq_answers_name_the_successor_by_its_title() -> None:
    from govqa.core.types import Chunk, ScoredChunk
    from govqa.generation.extractive import RankedSentence, faq_answer, quoted_answer
    from govqa.messages import display_name

    chunk = Chunk(
        id="old#1", doc_id="old", ordinal=0, text="提取住房公积金应当提供身份证。", start=0, end=15, section=("第三条",)
    )
    hit = ScoredChunk(chunk=chunk, document=OLD, score=1.0)
    title_of = {"new": display_name(NEW)}.get
    quoted = quoted_answer([RankedSentence(1.0, 0, 0, chunk.text)], [hit], DAY, lambda d: title_of(d) or d)
    faq = faq_answer("提取要什么", hit, DAY, lambda d: title_of(d) or d)
    for answer in (quoted, faq):
        assert answer.warnings and "已被《江临市住房公积金提取管理办法》（江政发〔2024〕8号）替代" in answer.warnings[0]
        assert "已被new替代" not in answer.warnings[0]


def test_a_question_in_parts_asks_the_fields_of_each_part() -> None:
    from govqa.generation.structured import fields_by_part

    parts = fields_by_part("多久能办下来？收不收钱", ["个体工商户设立登记"])
    assert [fields for _, fields in parts] == [("承诺时限", "法定时限"), ("收费标准",)]
    # The situation stated first is no part; every asking part must be a field question.
    assert fields_by_part("刚辞职，要带什么材料？在哪办", ["公积金提取"])
    assert fields_by_part("在哪办？封存满多久才能取", ["公积金提取"]) == []
    assert fields_by_part("公积金提取需要什么材料", ["公积金提取"]) == []  # one part: requested_fields


def test_a_fee_waived_answers_whether_one_pays() -> None:
    from govqa.generation.verify import states_figure

    assert states_figure("首次申领免收工本费", "要不要交钱")
    assert states_figure("收费标准：不收费", "收不收钱")
