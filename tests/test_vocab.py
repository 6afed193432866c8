import ast
import json
import re
from pathlib import Path
from typing import get_args

import pytest

from govqa.core import vocab
from govqa.core.text import article_label_number, cn_to_int, int_to_cn
from govqa.core.types import ApplicantType
from govqa.core.vocab import ARTICLE_RE, DOC_NUMBER_RE, NUMERAL, GuideField, doc_number_text

SAMPLE_GUIDES = Path(__file__).resolve().parents[1] / "govqa" / "sample_corpus" / "guides"


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("第十二条", 12),
        ("第一百零五条", 105),
        ("第12条", 12),
        ("第两千零一条", 2001),
        ("第〇条", 0),
        ("第二十四条", 24),
    ],
)
def test_article_regex_reads_chinese_and_arabic_numerals(text: str, number: int) -> None:
    m = ARTICLE_RE.search(f"依照《条例》{text}规定")
    assert m is not None and m[0] == text
    assert cn_to_int(m[1]) == number


def test_article_regex_rejects_what_is_not_an_article() -> None:
    assert ARTICLE_RE.search("第条") is None
    assert ARTICLE_RE.search("第三章") is None
    assert ARTICLE_RE.search("第甲条") is None
    assert re.fullmatch(NUMERAL, "十二a") is None


@pytest.mark.parametrize(
    ("text", "canonical"),
    [
        ("京政发〔2024〕3号", "京政发〔2024〕3号"),
        ("京政发[2024]第3号", "京政发〔2024〕3号"),
        ("国办发（2023）12号", "国办发〔2023〕12号"),
        ("江临政办发［2019］ 7 号", "江临政办发〔2019〕7号"),
    ],
)
def test_doc_number_regex_and_canonical_spelling(text: str, canonical: str) -> None:
    m = DOC_NUMBER_RE.search(text)
    assert m is not None
    assert doc_number_text(m[1], m[2], m[3]) == canonical


def test_doc_number_regex_needs_a_year_and_a_number() -> None:
    assert DOC_NUMBER_RE.search("京政发〔24〕3号") is None
    assert DOC_NUMBER_RE.search("京政发〔2024〕号") is None


def test_article_label_number_only_reads_whole_article_labels() -> None:
    assert article_label_number("第一百零五条") == 105
    assert article_label_number("第三章") is None
    assert article_label_number("见第三条") is None


def test_numeral_values_cover_the_numeral_class() -> None:
    for n in range(1, 3000, 7):
        written = int_to_cn(n)
        assert re.fullmatch(NUMERAL, written), written
        assert cn_to_int(written) == n


def test_guide_fields_are_the_keys_of_the_sample_guides() -> None:
    values = {f.value for f in GuideField}
    keys: set[str] = set()
    for path in SAMPLE_GUIDES.glob("*.json"):
        keys |= set(json.loads(path.read_text(encoding="utf-8")))
    assert keys and keys <= values, sorted(keys - values)


def test_applicant_words_name_exactly_the_applicant_types() -> None:
    assert set(vocab.APPLICANT_WORDS) == set(get_args(ApplicantType))
    everywhere = [w for words in vocab.APPLICANT_WORDS.values() for w in words]
    assert len(everywhere) == len(set(everywhere)), "a word may name only one applicant type"


def test_portal_headings_map_every_field_name_to_itself() -> None:
    for heading, field in vocab.PORTAL_HEADINGS.items():
        if heading in {f.value for f in GuideField}:
            assert field == heading


def test_cues() -> None:
    assert vocab.POLICY_CUES.search("住房公积金管理条例第二十四条怎么规定")
    assert vocab.POLICY_CUES.search("京政发〔2024〕3号说了什么")
    assert not vocab.POLICY_CUES.search("公积金提取需要什么材料")
    assert vocab.VALIDITY_CUES.search("这个办法现在还有效吗")
    assert not vocab.VALIDITY_CUES.search("这个办法怎么办理")


def test_vocab_imports_no_engine() -> None:
    source = Path(vocab.__file__).read_text(encoding="utf-8")
    imported = {
        (node.module or "") if isinstance(node, ast.ImportFrom) else alias.name
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.Import | ast.ImportFrom)
        for alias in node.names
    }
    assert imported <= {"__future__", "re", "enum"}, imported
