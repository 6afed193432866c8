from govqa.generation.citations import check, facts_missing

SOURCES = {
    1: "江临市住房公积金提取管理办法 第二章 > 第八条\n第八条 租赁住房的，每人每年提取总额不超过24000元。",
    2: "第十条 缴存比例为5%至12%。",
}


def test_wrong_article_number_is_unsupported_even_when_words_overlap() -> None:
    (sentence,) = check("租赁住房每人每年提取总额不超过24000元，规定在第十八条[1]。", SOURCES)
    assert not sentence.supported
    assert facts_missing("规定在第十八条", SOURCES[1]) == ["第十八条"]


def test_supported_sentence_and_corrected_marker() -> None:
    first, second = check("租赁住房每人每年提取总额不超过24000元[1]。缴存比例为5%至12%[1]。", SOURCES)
    assert first.supported and first.best_source == 1
    assert second.supported and second.best_source == 2  # cited [1], supported by [2]


def test_unmarked_sentence_finds_its_source_and_short_ones_pass() -> None:
    a, b = check("缴存比例为5%至12%。资料未提及。", SOURCES)
    assert a.supported and a.best_source == 2
    assert b.supported
