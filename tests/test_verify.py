"""Sentence verification: numbers, names and overlap must all come from the cited source."""

from govqa.generation.verify import (
    best_quote,
    names_missing,
    normalise_numbers,
    numbers_missing,
    supports,
    verify_sentence,
)

GUIDE = (
    "居民身份证补领 办理流程\n【办理流程】\n1. 申请：到公安派出所户籍窗口或者区政务服务中心公安户政窗口申请补领\n"
    "【收费标准】补领收取工本费40元；申领临时居民身份证收取工本费10元\n【承诺时限】15个工作日"
)
POLICY = "第八条 租赁住房的，每人每年提取总额不超过24000元。"


def test_a_faithful_sentence_is_supported() -> None:
    assert supports("补领身份证收取工本费40元。", GUIDE)
    assert supports("可以到公安派出所户籍窗口申请补领。", GUIDE)


def test_an_added_department_is_caught_although_bigrams_overlap() -> None:
    sentence = "可以到公安派出所户籍窗口或者市民政局申请补领。"
    assert names_missing(sentence, GUIDE) == ["市民政局"]
    assert not supports(sentence, GUIDE)


def test_a_wrong_amount_period_or_article_is_caught() -> None:
    assert numbers_missing("补领收取工本费50元。", GUIDE) == ["50元"]
    assert not supports("补领收取工本费50元。", GUIDE)
    assert not supports("承诺时限为15天。", GUIDE)  # the guide says 15个工作日
    assert not supports("依据第十八条，每人每年不超过24000元。", POLICY)


def test_chinese_numerals_compare_equal_to_digits() -> None:
    assert normalise_numbers("封存满六个月") == "封存满6个月"
    assert supports("账户封存满6个月的可以提取。", "住房公积金账户封存满六个月的，可以提取。")


def test_the_cited_source_is_tried_first_then_any_other() -> None:
    sources = {1: POLICY, 2: GUIDE}
    assert verify_sentence("补领收取工本费40元[1]。", sources).source == 2
    assert verify_sentence("天上掉馅饼[1]。", sources).source == 0


def test_quote_is_a_sentence_not_a_heading() -> None:
    quote = best_quote("补领要交40元工本费", GUIDE)
    assert "40元" in quote and quote != "【收费标准】"
    assert best_quote("办理流程", "申请材料：\n1. 居民户口簿（原件1份）") == "1. 居民户口簿（原件1份）"


def test_a_figure_question_wants_a_figure_of_its_kind() -> None:
    from govqa.generation.verify import states_figure

    assert states_figure("标准为本市月最低工资标准的90%", "失业金每个月发多少")
    assert not states_figure("领取失业保险金的期限最长为12个月", "失业金每个月发多少")
    assert states_figure("自终止之日起60日内申领", "最晚多少天内要去申请")
    assert not states_figure("窗口办理", "多久能办好")
    # Office hours and an age are no period: 工作日 9:00-12:00 and 未满16周岁 do not say how long.
    assert not states_figure("工作日 9:00-12:00，13:30-17:00", "几天能拿到证")
    assert not states_figure("未满16周岁的由监护人陪同", "几天能拿到证")
    assert states_figure("7个工作日", "几天能拿到证") and states_figure("当场办结", "多久能办好")
    assert states_figure("男方年满22周岁，女方年满20周岁", "结婚登记对年龄有什么要求")


def test_a_question_in_parts_is_asked_part_by_part_with_its_context() -> None:
    from govqa.generation.extractive import asking_parts

    assert asking_parts("驾照快过期了，提前多久可以去换，工本费多少") == [
        "驾照快过期了，提前多久可以去换",
        "驾照快过期了，工本费多少",
    ]
    assert asking_parts("被公司辞退了，最晚多少天内要去申请失业金") == ["被公司辞退了，最晚多少天内要去申请失业金"]
    assert asking_parts("公积金怎么取") == ["公积金怎么取"]


def test_a_lost_document_is_answered_from_what_its_source_says_of_loss() -> None:
    from govqa.generation.extractive import _fits

    issued = "冷静期届满后双方共同到场申请发给离婚证的，当场办结"
    assert not _fits("离婚证丢了怎么补", issued, "承诺时限", title="内地居民离婚登记")
    # A sentence of a reissue guide says it through its title.
    assert _fits("身份证丢了急着用怎么办", "急需使用身份证件的，可以同时申领临时居民身份证", title="居民身份证补领")
    assert _fits("离婚登记多久办结", issued, "承诺时限", title="内地居民离婚登记")
    # Reissuing what was never issued (补办首次签发) is no loss.
    assert _fits("出生证明没办，现在补办首次签发要等几天", "出院后申请的3个工作日", title="出生医学证明首次签发")
