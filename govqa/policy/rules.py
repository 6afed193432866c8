"""The type of a clause by rules: one vote per sentence, with a confidence and an "unsure" verdict.

A clause's type is its main purpose, counted as the guidelines count it: the type most of its
sentences serve, ties to the type listed first (`CLAUSE_TYPES`). Each sentence serves the type of
its strongest cues (`vocab.TYPE_CUES`); the 项 of a list count as part of the sentence that
introduces them, and a sentence's "…的，" conditions say when rather than what, so apart from
eligibility cues they count for little.
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
_LEAD_CUES: dict[ClauseType, tuple[tuple[re.Pattern[str], float], ...]] = {
    kind: tuple((re.compile(rx), w) for rx, w in cues) for kind, cues in vocab.LEAD_CUES.items()
}
_ORDER = {kind: i for i, kind in enumerate(CLAUSE_TYPES)}
# The type a sanction's object (收回补贴, 取消…享受优惠的资格) is blanked for: what is taken away is no support.
SUPPORT_TYPE: ClauseType = "支持措施"
# The type whose cues a condition (…的，) may carry in full: conditions are what eligibility is.
CONDITION_TYPE: ClauseType = "申报条件"
ITEM_WEIGHT = 0.3
# A winning sentence weaker than this, or closer to its runner-up, is not trusted (the LLM decides).
MIN_SCORE = 1.5
MIN_MARGIN = 0.3


@dataclass(frozen=True, slots=True)
class RuleVerdict:
    """The rules' type for a clause, the votes behind it and whether they trust it.

    `confidence` is the winner's share of the sentence votes (0 when no cue fired); `unsure` is True
    when the votes tie, or when no sentence voting for the winner holds a cue strong enough and clear
    enough of its runner-up to trust; `scores` are the votes per type; `candidates` are the types
    worth choosing between when unsure: the winner and its runner-up by votes, then by cue weight
    over all sentences (only the winner, or none, when fewer types have a cue).
    """

    type: ClauseType
    confidence: float
    unsure: bool
    scores: tuple[tuple[ClauseType, float], ...]
    candidates: tuple[ClauseType, ...] = ()


@dataclass(frozen=True, slots=True)
class SentenceVote:
    """The type one sentence serves, its cue score and the runner-up type's score in that sentence."""

    type: ClauseType
    score: float
    runner_up: float

    @property
    def clear(self) -> bool:
        """Whether the cue is strong and leads the runner-up by enough to trust."""
        return self.score >= MIN_SCORE and (self.score - self.runner_up) / self.score >= MIN_MARGIN


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


def _cue_scores(
    text: str, cues: dict[ClauseType, tuple[tuple[re.Pattern[str], float], ...]]
) -> dict[ClauseType, float]:
    """Each type's summed cue weights in `text`; what a sanction takes away is no support cue."""
    masked = vocab.SANCTION_OBJECT_RE.sub(lambda m: " " * len(m[0]), text)
    scores: dict[ClauseType, float] = {}
    for kind, patterns in cues.items():
        read = masked if kind == SUPPORT_TYPE else text
        if (total := sum(w for rx, w in patterns if rx.search(read))) > 0:
            scores[kind] = total
    return scores


def _sentence_scores(sentence: str) -> dict[ClauseType, float]:
    return _cue_scores(sentence, _CUES)


def sentence_scores(sentence: str) -> dict[ClauseType, float]:
    """Each type's cue score in one sentence: its main clause in full, its list items and its
    "…的，" conditions at `ITEM_WEIGHT` (eligibility cues in a condition in full).

    In a sentence that announces a list (有下列情形之一的，不予认定：（一）…), the lead-in says what
    the list is for; a 失信 item does not make it a 罚则. A condition says when: a 享受 in
    "享受补贴的企业没有履行义务的，由…收回补贴" does not make the sanction a support.
    """
    lead, items = _split_items(sentence)
    main, conditions = _split_conditions(lead)
    scores = _sentence_scores(main)
    for kind, score in _sentence_scores(conditions).items():
        scores[kind] = scores.get(kind, 0.0) + (score if kind == CONDITION_TYPE else ITEM_WEIGHT * score)
    for kind, score in _sentence_scores(items).items():
        scores[kind] = scores.get(kind, 0.0) + ITEM_WEIGHT * score
    for kind, score in _cue_scores(lead, _LEAD_CUES).items():
        scores[kind] = scores.get(kind, 0.0) + score
    return scores


def sentence_vote(sentence: str) -> SentenceVote | None:
    """The type one sentence serves (its strongest cues, ties to the guidelines' order), or None."""
    return _vote(sentence_scores(sentence))


def _vote(scores: dict[ClauseType, float]) -> SentenceVote | None:
    if not scores:
        return None
    ranked = sorted(scores.items(), key=lambda kv: (-kv[1], _ORDER[kv[0]]))
    return SentenceVote(ranked[0][0], ranked[0][1], ranked[1][1] if len(ranked) > 1 else 0.0)


def sentence_votes(text: str) -> list[SentenceVote]:
    """The vote of each sentence of `text` that holds a cue, in text order."""
    return [vote for sentence in sentences(text) if (vote := sentence_vote(sentence)) is not None]


def _split_items(sentence: str) -> tuple[str, str]:
    """A sentence's lead-in and its list items (empty when it has none): a list opens after a colon,
    so a reference written inline (条例第四条第（二）项) is not a list."""
    at = vocab.LIST_OPEN_RE.search(sentence)
    return (sentence[: at.end()], sentence[at.end() :]) if at else (sentence, "")


def _split_conditions(sentence: str) -> tuple[str, str]:
    """A sentence without its "…的，" conditions, and the conditions joined."""
    spans = [m.span(1) for m in vocab.CONDITION_RE.finditer(sentence)]
    if not spans:
        return sentence, ""
    main, conditions, at = [], [], 0
    for start, end in spans:
        main.append(sentence[at:start])
        conditions.append(sentence[start:end])
        at = end
    main.append(sentence[at:])
    return "".join(main), "，".join(conditions)


def heading_type(headings: tuple[str, ...]) -> ClauseType | None:
    """The type the innermost heading that names exactly one type gives its articles (法律责任: 罚则)."""
    for title in reversed(headings):
        if vocab.HEADING_JOINS.search(title):
            continue
        kinds = {kind for rx, kind in vocab.HEADING_TYPES if rx.search(title)}
        if len(kinds) == 1:
            return kinds.pop()
    return None


def rule_type(text: str, headings: tuple[str, ...] = ()) -> RuleVerdict:
    """The type the rules give `text` (an article under the section titles `headings`), how sure they
    are, and the votes per type; a heading that names a type votes like one clear sentence and wins
    a tie."""
    per_sentence = [sentence_scores(s) for s in sentences(text)]
    votes = [vote for scores in per_sentence if (vote := _vote(scores)) is not None]
    totals: dict[ClauseType, float] = dict.fromkeys(CLAUSE_TYPES, 0.0)
    cues: dict[ClauseType, float] = dict.fromkeys(CLAUSE_TYPES, 0.0)
    for vote in votes:
        totals[vote.type] += 1.0
    for scores in per_sentence:
        for kind, score in scores.items():
            cues[kind] += score
    titled = heading_type(headings)
    if titled is not None:
        totals[titled] += 1.0
        cues[titled] += MIN_SCORE
    # Ties go to the heading's type, then to the type listed first.
    ranked = sorted(totals.items(), key=lambda kv: (-kv[1], kv[0] != titled, _ORDER[kv[0]]))
    (best, top), (_, second) = ranked[0], ranked[1]
    if top <= 0:
        return RuleVerdict(vocab.FALLBACK_TYPE, 0.0, True, tuple(ranked))
    clear = best == titled or any(v.clear for v in votes if v.type == best)
    unsure = (top == second and best != titled) or not clear
    cued = (k for k in CLAUSE_TYPES if k != best and cues[k] > 0)
    others = sorted(cued, key=lambda k: (-totals[k], -cues[k], _ORDER[k]))
    confidence = round(top / (len(votes) + (titled is not None)), 3)
    return RuleVerdict(best, confidence, unsure, tuple(ranked), (best, *others[:1]))
