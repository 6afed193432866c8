"""Chinese tokenisation for the lexical leg: jieba words, with legal references kept whole.

`第二十四条` and `第24条` both become the token `第24条`, 文号 such as 京政发〔2024〕3号 stay one token,
and a user dictionary (item names, aliases, policy titles) keeps domain terms whole.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable
from typing import Protocol

from govqa.core.text import cn_to_int, fold_query

_NUM = "零〇一二三四五六七八九十百千两\\d"
_SPECIAL = re.compile(rf"第([{_NUM}]+)(条|款|项|章|节|编)|([〔\[(（]\d{{4}}[〕\])）]第?\d{{1,4}}号)")
_WORD = re.compile(r"[\w\u4e00-\u9fff]")
STOPWORDS = frozenset(
    "的 了 是 在 和 与 及 或 等 吗 呢 啊 吧 呀 么 怎么 怎样 如何 什么 哪些 哪个 哪里 请问 我 我的 你 你们 您 "
    "这个 那个 一下 可以 能否 能 要 想 有 没有 是否 还 都 就 也 对 把 被 为 从 到 之 其 该 此 个".split()
)


class _TaggedWord(Protocol):
    word: str
    flag: str


class _Tagger(Protocol):
    """What jieba.posseg.POSTokenizer offers (jieba ships no type information)."""

    def cut(self, sentence: str) -> Iterable[_TaggedWord]: ...


class ChineseTokenizer:
    """jieba-based tokenizer with its own dictionary instance (no global jieba state is touched)."""

    def __init__(self, user_words: Iterable[str] = ()) -> None:
        import jieba

        jieba.setLogLevel(logging.WARNING)
        self._jieba = jieba.Tokenizer()
        self._jieba.initialize()
        self._tagger: _Tagger | None = None
        self._words: set[str] = set()
        self.add_words(user_words)

    def add_words(self, words: Iterable[str]) -> None:
        """Keep these terms whole (item names, aliases, policy titles)."""
        for word in words:
            word = fold_query(word).replace(" ", "")
            if 2 <= len(word) <= 30 and word not in self._words:
                self._words.add(word)
                self._jieba.add_word(word, freq=20000)

    def _plain(self, text: str) -> list[str]:
        return [t for t in self._jieba.cut(text, HMM=True) if _WORD.search(t) and t not in STOPWORDS]

    def tokenize(self, text: str) -> list[str]:
        """Return lower-cased tokens; legal references become canonical single tokens."""
        text = fold_query(text)
        tokens: list[str] = []
        last = 0
        for m in _SPECIAL.finditer(text):
            tokens.extend(self._plain(text[last : m.start()]))
            if m[3]:
                # The issuer prefix (京政发) goes through jieba with the text before it; the
                # year-and-number part is one token in a canonical bracket form.
                tokens.append("〔" + m[3][1:5] + "〕" + m[3][6:].removeprefix("第"))
            else:
                number = cn_to_int(m[1])
                tokens.append(f"第{number}{m[2]}" if number is not None else m[0])
            last = m.end()
        tokens.extend(self._plain(text[last:]))
        return tokens

    def tagged(self, text: str) -> list[tuple[str, str]]:
        """(word, part-of-speech flag) pairs from jieba's tagger over this tokenizer's dictionary."""
        if self._tagger is None:
            import jieba.posseg

            self._tagger = jieba.posseg.POSTokenizer(self._jieba)
        return [(p.word, p.flag) for p in self._tagger.cut(fold_query(text))]

    def general_frequency(self, word: str) -> int:
        """How often jieba's general-language dictionary has seen the word (0 when unknown)."""
        return int(self._jieba.FREQ.get(word, 0) or 0)
