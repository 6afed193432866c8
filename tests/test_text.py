from govqa.core.text import cn_to_int, int_to_cn, normalise


def test_chinese_numerals_round_trip() -> None:
    for n in (1, 9, 10, 11, 19, 20, 24, 100, 101, 110, 999, 1024):
        assert cn_to_int(int_to_cn(n)) == n
    assert int_to_cn(24) == "二十四"
    assert int_to_cn(10) == "十"
    assert int_to_cn(103) == "一百零三"
    assert cn_to_int("两") == 2
    assert cn_to_int("abc") is None


def test_normalise_folds_full_width_ascii_but_keeps_document_numbers() -> None:
    text = "京政发〔２０２４〕３号\r\n\r\n\r\n  第一条　ＡＢＣ  "
    assert normalise(text) == "京政发〔2024〕3号\n\n第一条 ABC"
