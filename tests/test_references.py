"""Policies named in a question by 文号, by title, or by most of a title (pure functions)."""

from govqa.core.types import Document
from govqa.retrieval.references import TitleIndex


def _policy(doc_id: str, title: str, number: str = "") -> Document:
    return Document(doc_id, title, "", "h", "policy", doc_number=number)


INDEX = TitleIndex(
    [
        _policy("old", "江临市住房公积金提取管理办法", "江政发〔2019〕7号"),
        _policy("new", "江临市住房公积金提取管理办法", "江政发〔2024〕8号"),
        _policy("grad", "江临市促进高校毕业生就业创业若干措施", "江政办发〔2021〕30号"),
    ]
)


def test_a_title_or_number_is_found_whole() -> None:
    assert INDEX.find("江政发〔2019〕7号现在还能用吗") == ["old"]
    assert sorted(INDEX.find("江临市住房公积金提取管理办法第八条")) == ["new", "old"]


def test_a_title_said_without_its_place_and_some_words_is_found_when_loose() -> None:
    # 公积金提取办法 says 7 of the 11 characters of 住房公积金提取管理办法, in order, with the kind 办法.
    assert sorted(INDEX.find_fuzzy("19年那版公积金提取办法第七条现在还是按这个吗")) == ["new", "old"]
    # A topic without the kind of document names no rule.
    assert INDEX.find_fuzzy("公积金提取要带什么材料") == []
    # Too few of the title's characters.
    assert INDEX.find_fuzzy("毕业生创业措施还有效吗") == []
