"""Chinese tokenisation for the lexical leg: jieba words, with legal references kept whole.

`第二十四条` and `第24条` both become the token `第24条`, 文号 such as 京政发〔2024〕3号 stay one token,
and a user dictionary (item names and aliases) keeps domain terms whole.

The dictionary is part of what an index generation is built with: ingest and query must tokenise
with the same words, or a term glued into one token on one side is missing on the other. The
generation's manifest records `dictionary_id`, and a query-side tokenizer that differs is refused.
Adding a word leaves jieba's frequency total as it was, so text that does not contain the word is
cut exactly as before.

Item names are deliberately not dictionary words: glued into one token (「租房提取公积金」) they hide
their parts from every question worded otherwise (「租房怎么取公积金」). On the sample set, BM25 with
item names on both sides reached hit@1 0.415 against 0.683 with the general dictionary alone
(docs/EVALUATION.md, "One tokenizer dictionary").
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable
from typing import Protocol

from govqa.core.ids import content_hash
from govqa.core.text import cn_to_int, fold_query
from govqa.core.vocab import ARTICLE_PREFIX, DOC_NUMBER_TAIL, NUMERAL, REFERENCE_UNITS, STOPWORDS, doc_number_text

# Bumped whenever tokenize() changes its output for the same text and words: recorded in the
# manifest through `dictionary_id`, so an index tokenised otherwise is reported, not searched.
TOKENIZER_VERSION = "jieba-refs-v2"

# Groups: 1 numeral and 2 unit of 第X条/款/…; 3 year and 4 number of a 文号's bracketed part.
_SPECIAL = re.compile(rf"{ARTICLE_PREFIX}({NUMERAL})({'|'.join(REFERENCE_UNITS)})|{DOC_NUMBER_TAIL}")
_WORD = re.compile(r"[\w\u4e00-\u9fff]")


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
        self._total = self._jieba.total  # the general dictionary's, kept while words are added
        self._tagger: _Tagger | None = None
        self._words: set[str] = set()
        self.add_words(user_words)

    def add_words(self, words: Iterable[str]) -> None:
        """Keep these terms whole (an index must be built and searched with the same words)."""
        for word in words:
            word = fold_query(word).replace(" ", "")
            if 2 <= len(word) <= 30 and word not in self._words:
                self._words.add(word)
                self._jieba.add_word(word, freq=20000)
                self._jieba.total = self._total

    @property
    def dictionary_id(self) -> str:
        """Names this tokenizer's behaviour: code version, jieba version and the user words."""
        import jieba

        return content_hash(TOKENIZER_VERSION, str(getattr(jieba, "__version__", "?")), *sorted(self._words))[:16]

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
        return [(p.word, p.flag) for p in self._tagger.cut(fold_query(text))]

    def general_frequency(self, word: str) -> int:
        """How often jieba's general-language dictionary has seen the word (0 when unknown)."""
        return int(self._jieba.FREQ.get(word, 0) or 0)
