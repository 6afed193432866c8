"""Chinese tokenisation for the lexical leg: jieba words, with legal references kept whole.

`第二十四条` and `第24条` both become the token `第24条`, 文号 such as 京政发〔2024〕3号 stay one token,
and a user dictionary (item names, aliases, policy titles) keeps domain terms whole.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable

from govqa.core.text import cn_to_int, fold_query
from govqa.core.vocab import ARTICLE_PREFIX, DOC_NUMBER_TAIL, NUMERAL, REFERENCE_UNITS, STOPWORDS, doc_number_text

# Groups: 1 numeral and 2 unit of 第X条/款/…; 3 year and 4 number of a 文号's bracketed part.
_SPECIAL = re.compile(rf"{ARTICLE_PREFIX}({NUMERAL})({'|'.join(REFERENCE_UNITS)})|{DOC_NUMBER_TAIL}")
_WORD = re.compile(r"[\w\u4e00-\u9fff]")


class ChineseTokenizer:
    """jieba-based tokenizer with its own dictionary instance (no global jieba state is touched)."""

    def __init__(self, user_words: Iterable[str] = ()) -> None:
        import jieba

        jieba.setLogLevel(logging.WARNING)
        self._jieba = jieba.Tokenizer()
        self._jieba.initialize()
        self._tagger: object | None = None
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
                tokens.append(doc_number_text("", m[3], m[4]))
            else:
                number = cn_to_int(m[1])
                tokens.append(f"{ARTICLE_PREFIX}{number}{m[2]}" if number is not None else m[0])
            last = m.end()
        tokens.extend(self._plain(text[last:]))
        return tokens

    def tagged(self, text: str) -> list[tuple[str, str]]:
        """(word, part-of-speech flag) pairs from jieba's tagger over this tokenizer's dictionary."""
        if self._tagger is None:
            import jieba.posseg

            self._tagger = jieba.posseg.POSTokenizer(self._jieba)
        return [(p.word, p.flag) for p in self._tagger.cut(fold_query(text))]  # type: ignore[attr-defined]

    def general_frequency(self, word: str) -> int:
        """How often jieba's general-language dictionary has seen the word (0 when unknown)."""
        return int(self._jieba.FREQ.get(word, 0) or 0)
