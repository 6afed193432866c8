"""Questions that ask for a list across policies ("对专精特新企业的资金支持有哪些"), answered from the
topic brief: the sentences of the policies in force that state the support, conditions or steps,
each quoted whole and cited to its article. A chat question of this kind is what a civil servant
asks the workbench's brief; one policy's nearest sentence would answer for one measure as if it
were all of them.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping
from dataclasses import replace

from govqa import messages
from govqa.core.types import Answer, Chunk, Document, ScoredChunk
from govqa.generation.extractive import RankedSentence, quoted_answer
from govqa.policy.brief_types import TopicBrief

# Chinese kept here: what a question asking for a list of measures looks like, and its asking tail.
_KINDS = r"(?:支持|补贴|补助|奖励|扶持|优惠|政策|措施|待遇)"
_ASKS_LIST = re.compile(rf"(?:哪些|什么){_KINDS}|{_KINDS}(?:都|主要|一共)?(?:有|包括)(?:哪些|什么)")
_ASKING = re.compile(r"(?:都|主要|一共)?(?:有|包括)?(?:哪些|什么)|[？?。！!\s]+$")


def asks_for_list(question: str) -> bool:
    """True when the question asks which measures (support, subsidies, policies) there are."""
    return bool(_ASKS_LIST.search(question))


def list_topic(question: str) -> str:
    """The question without its asking words (有哪些): what the brief is to be about."""
    return _ASKING.sub("", question).strip() or question


def listed_answer(
    brief: TopicBrief,
    chunks: Mapping[str, Chunk],
    day: dt.date,
    title_of: Callable[[str], str],
    limit: int,
) -> tuple[Answer, tuple[ScoredChunk, ...]] | None:
    """The brief's first `limit` sentences quoted whole, each marked with its article, and the
    articles quoted; None when the brief quotes nothing (no policy in force on the topic) or its
    articles are gone."""
    hits: list[ScoredChunk] = []
    index: dict[str, int] = {}
    chosen: list[RankedSentence] = []
    for policy in brief.policies:
        for section in policy.sections:
            for sentence in section.sentences:
                chunk = chunks.get(sentence.chunk_id)
                if chunk is None or len(chosen) >= limit:
                    continue
                if chunk.id not in index:
                    index[chunk.id] = len(hits)
                    hits.append(ScoredChunk(chunk, policy.document, 1.0))
                chosen.append(RankedSentence(1.0, index[chunk.id], sentence.start, sentence.text))
    if not chosen:
        return None
    answer = quoted_answer(chosen, hits, day, title_of)
    documents: dict[str, Document] = {h.document.id: h.document for h in hits}
    head = messages.LISTED_HEAD.format(n=len(documents), m=len(chosen))
    more = messages.LISTED_MORE if brief.sentence_count > len(chosen) else ""
    return replace(answer, text=head + answer.text + more), tuple(hits)
