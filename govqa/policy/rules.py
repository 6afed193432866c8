"""The type of a clause by rules: cue words scored per sentence, with a confidence and an "unsure" verdict.

A clause's type is its main purpose: the type most of its sentences serve, ties to the type listed
first (the guidelines' order, `CLAUSE_TYPES`). Each sentence scores every type by the cues it holds
(`vocab.TYPE_CUES`); the lead sentence counts more because it usually states what the clause is about,
and the 项 of a list count as part of the sentence that introduces them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from govqa.policy import vocab
from govqa.policy.types import CLAUSE_TYPES, ClauseType

# Sentence ends; a 项 line (（一）…；) belongs to the sentence that announces the list.
_SENTENCE = re.compile(r"[^。！？\n]+[。！？]?")
_CUES: dict[ClauseType, tuple[tuple[re.Pattern[str], float], ...]] = {
    kind: tuple((re.compile(rx), w) for rx, w in cues) for kind, cues in vocab.TYPE_CUES.items()
}
LEAD_WEIGHT = 1.5
ITEM_WEIGHT = 0.3
# Below these the rules say "unsure" and the LLM decides (tuned on the dev split of the labelled set).
MIN_SCORE = 1.5
MIN_MARGIN = 0.3


@dataclass(frozen=True, slots=True)
class RuleVerdict:
    """The rules' type for a clause, the scores behind it and whether they trust it.

    `confidence` is the winner's share of all scores (0 when no cue fired); `unsure` is True when the
    winner's score or its lead over the runner-up is too small to trust.
    """

    type: ClauseType
    confidence: float
    unsure: bool
    scores: tuple[tuple[ClauseType, float], ...]


def sentences(text: str) -> list[str]:
    """The clause's sentences without its article number; list items joined to their lead-in."""
    body = vocab.ARTICLE_HEAD_RE.sub("", text, count=1)
    out: list[str] = []
    for line in body.split("\n"):
        if not line.strip():
            continue
        if vocab.ITEM_RE.match(line) and out:
            out[-1] += line.strip()
            continue
        out += [s.strip() for s in _SENTENCE.findall(line) if s.strip()]
    return out


def _sentence_scores(sentence: str) -> dict[ClauseType, float]:
    return {
        kind: total for kind, cues in _CUES.items() if (total := sum(w for rx, w in cues if rx.search(sentence))) > 0
    }


def type_scores(text: str) -> dict[ClauseType, float]:
    """Each type's score: the sentences' votes, each sentence voting for its strongest types.

    In a sentence that announces a list (有下列情形之一的，不予认定：（一）…), the lead-in says what
    the list is for; the items' own cues count for little (a 失信 item does not make it a 罚则).
    """
    totals: dict[ClauseType, float] = dict.fromkeys(CLAUSE_TYPES, 0.0)
    for i, sentence in enumerate(sentences(text)):
        lead, items = _split_items(sentence)
        scores = _sentence_scores(lead)
        for kind, score in _sentence_scores(items).items():
            scores[kind] = scores.get(kind, 0.0) + ITEM_WEIGHT * score
        if not scores:
            continue
        weight = LEAD_WEIGHT if i == 0 else 1.0
        best = max(scores.values())
        for kind, score in scores.items():
            # A sentence serves its best type; its other cues count for a little (mixed sentences).
            totals[kind] += weight * (score if score == best else 0.25 * score)
    return totals


def _split_items(sentence: str) -> tuple[str, str]:
    """A sentence's lead-in and its list items (empty when it has none)."""
    at = vocab.ITEM_MARK_RE.search(sentence)
    return (sentence[: at.start()], sentence[at.start() :]) if at and at.start() > 0 else (sentence, "")


def rule_type(text: str) -> RuleVerdict:
    """The type the rules give `text`, how sure they are, and the per-type scores."""
    totals = type_scores(text)
    order = {kind: i for i, kind in enumerate(CLAUSE_TYPES)}
    ranked = sorted(totals.items(), key=lambda kv: (-kv[1], order[kv[0]]))
    (best, top), (_, second) = ranked[0], ranked[1]
    if top <= 0:
        return RuleVerdict(vocab.FALLBACK_TYPE, 0.0, True, tuple(ranked))
    share = top / sum(s for _, s in ranked)
    unsure = top < MIN_SCORE or (top - second) / top < MIN_MARGIN
    return RuleVerdict(best, round(share, 3), unsure, tuple(ranked))
