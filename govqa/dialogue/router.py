"""The router: one function from (dialogue state, message) to an answer mode with its evidence.

Order matters and goes from the cheapest, most exact mode to the least: out of scope, a reply to a
pending clarifying question, validity from metadata, a named article's text, item linking (ask or
lock), guide fields, then retrieval, where coverage can refuse, a clear article or knowledge-base
entry is quoted, and only what is left goes to the LLM.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import Protocol

from govqa import messages
from govqa.core.errors import InvalidInputError
from govqa.core.guide import field_lines
from govqa.core.protocols import Embedder
from govqa.core.text import abbreviated_in, article_label_number, is_han
from govqa.core.types import (
    Answer,
    Chunk,
    ClarifyingQuestion,
    DialogueState,
    Document,
    Filters,
    ScoredChunk,
    ServiceItem,
)
from govqa.core.view import IndexView
from govqa.core.vocab import (
    INTERROGATIVES,
    NON_ANSWERS,
    QUESTION_WORDS,
    SERVICE_NOUN_ENDINGS,
    STOPWORDS,
    GuideField,
    Slot,
)
from govqa.dialogue.coverage import (
    COMMON_FREQUENCY,
    PROCEDURAL,
    Tagger,
    missing_terms,
    only_side_words,
    subject_term,
    topic_terms,
)
from govqa.dialogue.curated import CuratedMatcher
from govqa.dialogue.facets import (
    FacetConfig,
    chosen_option,
    departments,
    duplicate_entries,
    named_region,
    region_scope,
    region_split,
)
from govqa.dialogue.listing import asks_for_list, list_topic, listed_answer
from govqa.dialogue.policy import ClarifyPolicy, Decision, core_value
from govqa.dialogue.routes import (
    Clarify,
    ClauseAnswer,
    ExtractAnswer,
    FaqAnswer,
    FieldAnswer,
    Generate,
    OutOfScope,
    Refusal,
    Route,
    ValidityAnswer,
    locked_item,
    with_note,
)
from govqa.dialogue.scope import Scope, check_scope
from govqa.dialogue.situation import SituationMatcher
from govqa.generation.context import bigrams
from govqa.generation.extractive import (
    Ask,
    Extraction,
    RankedSentence,
    asking_parts,
    clause_answer,
    extract_sentences,
    faq_answer,
    faq_side_by_side,
    rank_by_meaning,
    refusal,
)
from govqa.generation.structured import (
    asks_other_period,
    fields_by_part,
    mentioned_fields,
    requested_fields,
    structured_answer,
)
from govqa.generation.validity import is_validity_question, validity_answer
from govqa.generation.verify import asks_figure, question_clauses
from govqa.policy.brief_types import TopicBrief
from govqa.retrieval.references import is_policy_question
from knowledge_graph.linking import Candidate, ItemLinker
from knowledge_graph.schema import base_name


@dataclass(frozen=True, slots=True)
class DialogueConfig:
    """Thresholds of the router (chosen on the committed dialogue and answer sets)."""

    short_followup_chars: int = 12  # a follow-up this short stays on the locked item
    option_margin: float = 0.02  # cosine margin for a free-text reply to pick an option
    relink_margin: float = 0.03  # linker margin for a free-text reply to pick a candidate
    evidence_k: int = 5  # hits looked at for coverage and extractive modes
    # Hits read for a sentence of the asked kind before refusing: the guide fields that share the
    # question's words (收费标准：不收费 for 比例最低多少) can fill the first five, and the article
    # that states the figure ranks just below them.
    further_k: int = 10
    context_k: int = 3  # hits handed to the LLM
    min_dense_score: float = 0.80  # below this, a dense-only hit is a guess
    max_questions: int = 2  # clarifying questions per topic; then the best guess, with what it assumed
    # A longer message describes the citizen's own case (a petition, a complaint), which is answered
    # or refused, never asked back which region's rule it means.
    facet_question_chars: int = 40
    home_region: str = ""  # answered for, saying so, when regions compete and the question names none
    new_topic_lexical: float = 0.6  # linker lexical score of another item for a reply to change topic
    clause_margin: float = 1.6  # the top article's fused score over the next hit's, to quote it alone
    faq_similarity: float = 0.6  # question/entry-title bigram Dice to quote the entry
    listed_sentences: int = 8  # sentences of the topic brief quoted for a question asking for a list
    # Question-to-entry-question cosine (embedder, both read as queries) above which the first
    # retrieved knowledge-base entry is taken to ask the same thing in other words; the LLM then
    # judges its sentences. On the committed checks the entries that answer scored 0.91-0.99 and the
    # nearest wrong entry up to 0.95, so the judge, not this bar, decides.
    faq_meaning: float = 0.93
    related_items: int = 2
    select_k: int = 6  # evidence sentences the LLM picks from
    select_min: float = 0.45  # a sentence scoring lower is not offered (near neighbours score 0.4-0.6)
    extract_confident: float = 0.7  # sentence score (terms and meaning) to quote it without the LLM
    judge_k: int = 2  # guide sentences per question part the LLM judges, best first
    related_score: float = 0.45  # linker score for an item to be named in a refusal


class RetrievalLookup(Protocol):
    """What the router needs of the retriever: hits, the item linker and named policies."""

    def retrieve(self, text: str, k: int, filters: Filters) -> list[ScoredChunk]:
        """Top k chunks."""

    def linker(self) -> ItemLinker:
        """The item linker of the live snapshot."""

    def named_policies(self, text: str, fuzzy: bool = False) -> list[str]:
        """Ids of policies the question names."""


class Router:
    """Decides the answer mode of each turn (see the module docstring)."""

    def __init__(
        self,
        snapshot: Callable[[], IndexView],
        retriever: RetrievalLookup,
        tagger: Tagger,
        policy: ClarifyPolicy = ClarifyPolicy(),
        config: DialogueConfig = DialogueConfig(),
        today: Callable[[], dt.date] = dt.date.today,
        embedder: Embedder | None = None,
        situation: SituationMatcher | None = None,
        curated: CuratedMatcher | None = None,
        brief: Callable[[str], TopicBrief] | None = None,
    ) -> None:
        """`brief(topic)` is the topic brief over the policies in force, for questions asking for a
        list of measures; without it they are answered like any other."""
        self._curated = curated
        self._brief = brief
        self._snapshot = snapshot
        self._retriever = retriever
        self._tagger = tagger
        self._policy = policy
        self._config = config
        self._today = today
        self._embedder = embedder
        self._situation = situation or SituationMatcher(tagger, embedder)
        self._facets = FacetConfig()
        self._corpus_text = ("", "")

    def route(self, state: DialogueState, text: str) -> Route:
        """The answer mode for `text` in the conversation `state`."""
        if state.pending is None and self._curated is not None and (pinned := self._curated.match(text)):
            return pinned  # an operator's standard answer to this very question comes first
        if state.pending is not None and is_non_answer(text):
            # "嗯", "不知道": no choice made. Asked again, or, once the topic has had its questions,
            # answered for the best guess.
            snap = self._snapshot()
            again = self._policy.ask(state.pending_candidates, snap.graph)
            return self._decided(snap, state.pending_question, again, state.asked, state.slots)
        scope = check_scope(text)
        if scope.scope is not Scope.IN_SCOPE:
            return OutOfScope(text, _fixed(scope.scope))
        snap = self._snapshot()
        linker = self._retriever.linker()
        # A mistyped item name (公基金) is read as the name, for linking, retrieval and the situation.
        question = linker.corrected(scope.question)
        # Questions already asked in this topic: a reply continues it, anything else starts a new one.
        asked = state.asked if state.pending is not None else 0
        candidates = linker.candidates(question)
        if state.pending is not None:
            replied = self._reply_turn(snap, state, question, candidates)
            if replied is not None:
                return replied
        named = self._retriever.named_policies(question)
        about_rules = self._about_rules(snap, question, named)
        if about_rules is not None:
            return about_rules
        if named or is_policy_question(question):
            # What a rule says is answered from the rule, not from an item's guide.
            return self._evidence_turn(snap, question, state.slots, asked, named=tuple(named))
        spelled = linker.contained_name_length(question, [c.code for c in candidates])
        short = len(question) <= self._config.short_followup_chars and not any(spelled.values())
        if state.locked_item and short and not self._new_topic(snap, candidates, (state.locked_item,), question):
            # A short follow-up ("那要多久能到账") that names no item stays on the locked one, unless
            # it states the situation of a near-twin ("弄丢了要补" after 首次签发).
            return self._on_item(snap, question, self._twin_stated(snap, question, state.locked_item), followup=True)
        if state.locked_doc and short and state.locked_doc in snap.documents and not self._new_topic(snap, candidates):
            title = snap.documents[state.locked_doc].title
            query = f"{title} {question}"
            return self._from_evidence(snap, question, "", self._retrieve(query), followup=True, query=query)
        decision = self._policy.decide(candidates, snap.graph, spelled, _with_slots(question, state.slots))
        return self._decided(snap, question, decision, asked, state.slots)

    def slots_read(self, state: DialogueState, text: str, route: Route) -> tuple[tuple[str, str], ...]:
        """The slot values this turn established: a region the text names, the region or department
        a reply chose, or the value of the attribute a clarifying question asked about, read from
        the item the reply chose."""
        if isinstance(route, Clarify):
            return ()
        if state.pending is not None and state.pending.slot in FACET_SLOTS:
            choice = chosen_option(text, state.pending.options)
            return ((str(state.pending.slot), choice),) if choice else ()
        if region := named_region(text):
            return ((str(Slot.REGION), region),)
        item = locked_item(route)
        if state.pending is None or not item or item not in state.pending_candidates:
            return ()
        slot = str(state.pending.slot)
        for name, options in self._snapshot().graph.distinguishing(list(state.pending_candidates)):
            if name == slot:
                return tuple((slot, value) for value, codes in options.items() if item in codes)[:1]
        return ()

    def _reply_turn(
        self, snap: IndexView, state: DialogueState, reply: str, candidates: Sequence[Candidate]
    ) -> Route | None:
        """A reply to the pending clarifying question; None when it is a new question instead."""
        assert state.pending is not None  # only called with a pending question
        if state.pending.slot in FACET_SLOTS:
            return None if self._new_topic(snap, candidates) else self._facet_reply(snap, state, reply)
        if self._new_topic(snap, candidates, state.pending_candidates):
            return None
        decision = self._policy.resolve(reply, state.pending, state.pending_candidates, snap.graph)
        decision = decision or self._relink(snap, state, reply)
        if decision is not None:
            return self._decided(snap, state.pending_question, decision, state.asked, state.slots, replied=True)
        if is_question(reply):
            return None
        # A statement that chose nothing ("跟公司解除合同了，在家待业") answers the question asked,
        # only not clearly enough: ask again rather than read it as a new topic.
        again = self._policy.ask(state.pending_candidates, snap.graph)
        return self._decided(snap, state.pending_question, again, state.asked, state.slots)

    def _decided(
        self,
        snap: IndexView,
        question: str,
        decision: Decision,
        asked: int = 0,
        slots: Sequence[tuple[str, str]] = (),
        replied: bool = False,
    ) -> Route:
        # An item chosen among twins the question linked to, or by a reply, is what it is about: the
        # situation words around it (待业, 小卖部) are no uncovered subject.
        chosen = replied or decision.question is not None
        if decision.question is not None:
            decision = self._by_situation(snap, question, decision, slots)
        if decision.question is not None:
            if asked >= self._config.max_questions:
                return self._best_effort(snap, question, decision)
            return self._clarify_or_answer(snap, question, decision)
        if not decision.item:
            hits = self._retrieve(question)
            twins = self._retrieved_twins(snap, hits)
            if twins and not replied:
                # The linker missed a colloquial name (房子过户) that retrieval found: the same choice.
                return self._decided(snap, question, self._policy.ask(twins, snap.graph), asked, slots)
            return self._evidence_turn(snap, question, slots, asked, hits=hits)
        # An alias only one of several twins carries (出生证明 of 出生医学证明首次签发) locks that one,
        # unless the question states the situation of another (出生证明丢了: 遗失补发).
        item = decision.item if replied else self._twin_stated(snap, question, decision.item)
        return self._on_item(snap, question, item, chosen=chosen, replied=replied)

    def _retrieved_twins(self, snap: IndexView, hits: Sequence[ScoredChunk]) -> list[str]:
        """The items of the best retrieved guides when they are near-twins of each other."""
        codes = list(dict.fromkeys(h.chunk.item_code for h in hits[:3] if h.chunk.item_code))
        if len(codes) < 2:
            return []
        twins = set(snap.graph.siblings(codes[0])) | {codes[0]}
        twins |= {c for c in codes[1:] if self._policy.namesakes(codes[0], c, snap.graph)}
        return [c for c in codes if c in twins] if all(c in twins for c in codes[:2]) else []

    def _by_situation(
        self, snap: IndexView, text: str, decision: Decision, slots: Sequence[tuple[str, str]]
    ) -> Decision:
        """Lock, or ask a narrower question, when the text states the situation in its own words."""
        items = [i for c in decision.candidates if (i := snap.item(c)) is not None]
        # A value the conversation chose for other items (租赁住房 for 公积金提取) says nothing about
        # these (异地就医备案): only values among the ones that tell these apart are read.
        values = {v for _slot, options in snap.graph.distinguishing(list(decision.candidates)) for v in options}
        narrowed = self._situation.narrow(_with_slots(text, [(k, v) for k, v in slots if v in values]), items)
        if len(narrowed) == 1:
            return Decision(item=narrowed[0])
        if len(narrowed) < len(items):
            return self._policy.ask(narrowed, snap.graph)
        return decision

    def _evidence_turn(
        self,
        snap: IndexView,
        question: str,
        slots: Sequence[tuple[str, str]],
        asked: int,
        named: tuple[str, ...] = (),
        hits: Sequence[ScoredChunk] | None = None,
    ) -> Route:
        """A question no item answers: from the region it names (or the one the conversation chose,
        when it is among the regions the evidence splits on); asked which region or department when
        the best documents differ on it; entries of one department that answer it side by side.
        `hits` are the question's unfiltered hits when the caller already retrieved them."""
        region = named_region(question)
        scoped = self._retrieve(question, region_scope(region)) if region else []
        hits = scoped or (list(hits) if hits is not None else self._retrieve(question))
        if not region and len(question) <= self._config.facet_question_chars:
            if named:
                # A title several regions use (优化营商环境条例, 北京市优化营商环境条例, …) names one
                # rule per region.
                titles = {snap.documents[d].title for d in named if d in snap.documents}
                same = [d.id for d in snap.documents.values() if d.region and any(d.title.endswith(t) for t in titles)]
                regions = [snap.documents[d].region for d in dict.fromkeys([*named, *same]) if d in snap.documents]
                found = tuple(dict.fromkeys(r for r in regions if r))
                split = found[: self._facets.max_options] if len(found) >= 2 else ()
            else:
                split = region_split(hits, self._subject_terms(question), self._facets)
            chosen = dict(slots).get(Slot.REGION, "")
            home = self._config.home_region
            if chosen in split:
                hits = self._retrieve(question, (chosen,)) or hits
            elif home and home in split:
                own = self._retrieve(question, (home,)) or hits
                return with_note(self._from_evidence(snap, question, "", own), messages.ASSUMED.format(choice=home))
            elif split:
                ask = Clarify(question, ClarifyingQuestion(messages.CLARIFY_REGION, Slot.REGION, split), split)
                if asked < self._config.max_questions:
                    return ask
                note = messages.ASSUMED.format(choice=split[0])
                return with_note(self._from_evidence(snap, question, "", self._retrieve(question, (split[0],))), note)
        entries = duplicate_entries(hits, lambda h: self._is_faq_match(question, h))
        if len(entries) >= 2:
            units = departments(entries)
            if len(units) >= 2 and asked < self._config.max_questions:
                reply = ClarifyingQuestion(messages.CLARIFY_DEPARTMENT, Slot.DEPARTMENT, units)
                return Clarify(question, reply, units)
            answer = faq_side_by_side(question, entries, self._today(), snap.display_title)
            return FaqAnswer(question, answer, tuple(entries))
        return self._from_evidence(snap, question, "", hits, named=bool(named))

    def _subject_terms(self, question: str) -> list[str]:
        """The character pairs of the question's content words (停车, 车收 of 停车收费): what a
        title must share with the question to be a rule on its subject."""
        out: list[str] = []
        for word, _flag in self._tagger.tagged(question):
            if len(word) < 2 or word in STOPWORDS or word in PROCEDURAL or word in QUESTION_WORDS:
                continue
            out += [word[i : i + 2] for i in range(len(word) - 1) if word[i : i + 2] not in out]
        return out

    def _facet_reply(self, snap: IndexView, state: DialogueState, reply: str) -> Route | None:
        """A reply to "which region" or "which department": the original question answered for
        the choice; None when the reply chooses nothing (it is then read as a new question)."""
        assert state.pending is not None  # only called with a pending facet question
        choice = chosen_option(reply, state.pending.options)
        if not choice:
            return None
        question = state.pending_question
        if state.pending.slot == Slot.REGION:
            hits = self._retrieve(question, (choice,)) or self._retrieve(question)
            return self._from_evidence(snap, question, "", hits)
        entries = [
            h for h in self._retrieve(question) if h.document.issuer == choice and self._is_faq_match(question, h)
        ]
        if not entries:
            return None
        return FaqAnswer(question, faq_answer(question, entries[0], self._today(), snap.display_title), (entries[0],))

    def _new_topic(
        self, snap: IndexView, candidates: Sequence[Candidate], current: Sequence[str] = (), text: str = ""
    ) -> bool:
        """The text links clearly to an item outside the current ones and their near-twins: by a
        name written out, or by a specific noun of `text` that the item's names have and the
        current items' names do not (公积金 of "公积金离职了能取吗" after 失业保险金申领)."""
        if not candidates or candidates[0].score < self._policy.threshold:
            return False
        twins = {t for c in current for t in self._policy.twins(c, candidates, snap.graph)}
        if candidates[0].code in twins:
            return False
        if candidates[0].lexical >= self._config.new_topic_lexical:
            return True
        # A word shared by chance (公司 of 有限责任公司) is no new subject; a specific noun only the
        # new item is named with is.
        if not text or not current:
            return False
        names = self._names(snap, [candidates[0].code])
        own = self._names(snap, list(twins))
        return any(t in names and t not in own for t in topic_terms(text, self._tagger))

    @staticmethod
    def _names(snap: IndexView, codes: Sequence[str]) -> str:
        """The names and aliases of the items `codes`, joined."""
        return " ".join(n for c in codes if (i := snap.item(c)) is not None for n in (i.name, *i.aliases))

    def _twin_stated(self, snap: IndexView, text: str, code: str) -> str:
        """The near-twin of `code` that `text` describes, else `code`. Every namesake the linker
        finds for the same applicants counts, however far below: an alias only one of them carries
        (出生证明) says nothing about which one the text describes (小孩的出生证明找不到了: 补发). A
        namesake for other applicants (住房公积金单位缴存登记 beside 住房公积金提取) is another service."""
        linked = self._retriever.linker().candidates(f"{snap.graph.item_label(code)} {text}", k=10)
        own = snap.item(code)
        applicants = set(own.applicant_types) if own is not None else set()
        namesakes = [
            c.code
            for c in linked
            if c.code != code
            and self._policy.namesakes(code, c.code, snap.graph)
            and (other := snap.item(c.code)) is not None
            and applicants & set(other.applicant_types)
        ]
        codes = dict.fromkeys([*self._policy.twins(code, linked, snap.graph), *namesakes])
        items = [i for c in codes if (i := snap.item(c)) is not None]
        narrowed = self._situation.narrow(text, items)
        return narrowed[0] if len(narrowed) == 1 else code

    def _best_effort(self, snap: IndexView, question: str, decision: Decision) -> Route:
        """The topic had its questions: answer the most likely candidate and say what was assumed."""
        code = decision.candidates[0]
        label = snap.graph.item_label(code)
        return with_note(self._on_item(snap, question, code), messages.ASSUMED.format(choice=label))

    def _clarify_or_answer(self, snap: IndexView, question: str, decision: Decision) -> Route:
        """Ask only if the answer depends on the choice. It does not when the field asked for reads the
        same in every candidate's guide, when a knowledge-base entry asks this very question, or when
        a figure question's best evidence sentence comes from none of the candidates' guides, or
        when the question's subject is in none of them (公积金密码 is no 提取 case)."""
        assert decision.question is not None  # only called for a clarifying decision
        items = [i for c in decision.candidates if (i := snap.item(c)) is not None]
        guides = [snap.documents[i.source_doc].text for i in items if i.source_doc in snap.documents]
        corpus = self._corpus(snap)
        if guides and any(t.lower() in corpus for t in missing_terms(question, guides, self._tagger)):
            # What the question is about is in none of the twins' guides but elsewhere in the corpus
            # (公积金密码 in a knowledge-base entry): no choice between them changes the answer. A word
            # the corpus never uses (房子 for 房屋) is the citizen's own, and the question stands.
            return self._from_evidence(snap, question, "", self._retrieve(question))
        names = tuple(n for i in items for n in (i.name, base_name(i.name), *i.aliases, i.scenario))
        # Any field the question mentions counts here: what reads the same in every guide is safe to
        # answer from one of them, whatever else the question says.
        fields = requested_fields(question, names) or mentioned_fields(question)
        if fields and items:
            # Compared without what they qualify in brackets: "3个工作日（网上申请…即时办结）" and
            # "3个工作日" answer 多久到账 alike; the plainest statement is the one answered from.
            values = {tuple(tuple(core_value(x) for x in field_lines(i).get(f, ())) for f in fields) for i in items}
            if len(values) == 1 and any(values.pop()):
                plainest = min(items, key=lambda i: sum(len(x) for f in fields for x in field_lines(i).get(f, ())))
                return self._on_item(snap, question, plainest.code)
        hits = self._retrieve(question)
        if hits and self._is_faq_match(question, hits[0]):
            return FaqAnswer(question, faq_answer(question, hits[0], self._today(), snap.display_title), (hits[0],))
        if not asks_figure(question):
            return Clarify(question, decision.question, decision.candidates)
        # A figure that none of the candidates' guides states (公积金贷款最长能贷多少年) does not depend
        # on the choice; a vague question ("办营业执照需要什么") does.
        own = {i.source_doc for i in items}
        extraction = self._extract(snap, question, hits)
        if (quoted := self._confident(extraction)) is not None and not {c.doc_id for c in quoted.citations} & own:
            answered = self._from_evidence(snap, question, "", hits, extraction=extraction)
            if isinstance(answered, (ExtractAnswer, ClauseAnswer, FaqAnswer)):
                return answered
        return Clarify(question, decision.question, decision.candidates)

    def _on_item(
        self,
        snap: IndexView,
        question: str,
        code: str,
        followup: bool = False,
        chosen: bool = False,
        replied: bool = False,
    ) -> Route:
        """A turn locked on one item: its guide fields, else the evidence retrieval finds for it."""
        item = snap.item(code)
        guide: list[Chunk] = []
        if item is not None and item.source_doc in snap.documents:
            guide = snap.catalog.chunks_of(item.source_doc)  # read once: fields, periods, the rest
            names = (item.name, base_name(item.name), *item.aliases, item.scenario, item.region)
            # An item the situation chose among twins the question linked to is still checked for
            # its subject: the twins themselves can be another thing's (离婚证丢了 -> 出生证明补发).
            foreign = not (followup or chosen) and self._foreign_subject(snap, question, names, guide)
            if foreign or (chosen and not replied and self._foreign_subject_word(snap, question, names, guide)):
                # The linker's nearest item is about something else (护照 → 驾驶证换证): its fields
                # would answer another question; the evidence turn refuses or finds the right source.
                return self._evidence_turn(snap, question, (), 0)
            fields = self._asked_fields(question, names, guide)
            if fields:
                answer = structured_answer(item, fields, snap.documents[item.source_doc], guide)
                if answer is not None:
                    return FieldAnswer(question, code, answer)
        # Not restricted to the item: the figure a guide only points to is often in the policy behind
        # it, and the linked item's chunks rank high through the graph leg anyway. A follow-up on the
        # locked item ("那要多久能到账") is searched together with the item's name.
        query = question
        if followup and item is not None:
            query = f"{item.name} {question}"
        wide = self._retrieve(query, k=self._config.further_k)
        hits = wide[: self._config.evidence_k]
        rest = _guide_rest(snap.documents[item.source_doc], guide, hits) if item is not None and guide else []
        # The graph leg lifts every field of the item's guide, which fills the first hits (服务对象：个人,
        # 收费标准：不收费); the guide is read whole anyway, so the other sources below them (the
        # policy article behind the guide) are read too.
        own = item.source_doc if item is not None else ""
        beyond = [h for h in wide[self._config.evidence_k :] if h.document.id != own]
        return self._from_evidence(
            snap, question, code, hits, followup=followup or chosen, more=[*rest, *beyond], read_below=False
        )

    def _foreign_subject(self, snap: IndexView, question: str, names: Sequence[str], guide: Sequence[Chunk]) -> bool:
        """The question names a thing (护照) that neither the item's names and guide nor any other
        document of the corpus mentions, and none of its specific nouns is in the item's names: the
        item cannot be what it asks about. A question that names the item keeps it, whatever side
        words it adds (身份证丢了急着坐高铁: 高铁 is in no document, 身份证 names the item)."""
        named = "".join(names)
        if any(term in named for term in topic_terms(question, self._tagger)):
            return False
        evidence = [*names, *(c.text for c in guide)]
        return bool(missing_terms(question, evidence, self._tagger, self._corpus(snap)))

    def _asked_fields(self, question: str, names: Sequence[str], guide: Sequence[Chunk]) -> tuple[GuideField, ...]:
        """The guide fields the question asks for: the whole question as one field question, else
        each of its parts ("在哪办？要带什么") as one; none when a part asks about a period other
        than the processing time (see _other_period)."""
        whole = requested_fields(question, names)
        parts = [(question, whole)] if whole else fields_by_part(question, names)
        if parts and not whole:
            clauses, asking = question_clauses(question)
            stated = "，".join(c for c in clauses if c not in asking)
            if missing_terms(stated, [*names, *(c.text for c in guide)], self._tagger):
                # The situation before the parts names something the item does not (想申领台湾居民
                # 居住证 for 居住证申领): its fields may be another case's.
                return ()
        if any(self._other_period(part, names, fields, guide) for part, fields in parts):
            return ()
        return tuple(dict.fromkeys(f for _, fields in parts for f in fields))

    def _foreign_subject_word(
        self, snap: IndexView, question: str, names: Sequence[str], guide: Sequence[Chunk]
    ) -> bool:
        """The thing asked about (离婚证 of 离婚证丢了怎么补) is one the corpus knows by that name, and
        neither the item's names nor its guide say it: the item is another's (出生医学证明补发). A
        word the corpus never uses (商铺) is the citizen's own for what the item covers (非住宅)."""
        subject = subject_term(question, self._tagger)
        if not subject.endswith(SERVICE_NOUN_ENDINGS):
            return False  # only a document, card or benefit (离婚证) names another item; 养老 does not
        if subject.lower() not in self._corpus(snap) or any(abbreviated_in(subject, n) for n in names):
            return False  # 出生证明 of 出生医学证明
        return bool(missing_terms(subject, [*names, *(c.text for c in guide)], self._tagger))

    def _other_period(
        self, question: str, names: Sequence[str], fields: Sequence[GuideField], guide: Sequence[Chunk]
    ) -> bool:
        """A "how long" question about a period other than the processing time: its own subject
        (冷静期, 备案有效期) is a word the item's names lack and the guide uses outside its time
        limits, where that period is stated. 承诺时限 answers only how long the handling takes."""
        if not set(fields) <= _TIME_LIMITS:
            return False
        if asks_other_period(question):
            return True
        named = "".join(names)
        own = [t for t, w in self._terms(question) if w >= 1.0 and t not in named]
        elsewhere = "".join(c.text for c in guide if c.label not in {str(f) for f in fields})
        return any(t in elsewhere for t in own)

    def _from_evidence(
        self,
        snap: IndexView,
        question: str,
        item: str,
        hits: Sequence[ScoredChunk],
        named: bool = False,
        extraction: Extraction | None = None,
        followup: bool = False,
        more: Sequence[ScoredChunk] = (),
        query: str = "",
        read_below: bool = True,
    ) -> Route:
        """Refuse what the evidence does not cover; quote a clear article or entry; else generate.

        `extraction` is the sentence extraction of these hits when the caller already made it;
        `more` is read for the answer after them but not for coverage (the rest of a locked item's
        guide, the sources ranked below its fields). Before refusing, the hits ranked below these
        for `query` (the question by default) are read too, unless `read_below` is False: the caller
        already passed them in `more`."""
        cfg = self._config
        linked = self._retriever.linker().candidates(question, k=3)
        related = self._related(snap, linked, hits, item)
        if _weak(hits, cfg.min_dense_score):
            return Refusal(question, refusal((), related), "no evidence", item)
        uncovered = self._uncovered(snap, question, item, hits, linked, related, not (named or followup))
        if uncovered is not None:
            return uncovered
        locked = snap.item(item) if item else None
        day = self._today()
        title_of = snap.display_title
        articles = self._named_article(hits) if named else ()
        if articles or self._clear_article(hits):
            chosen = articles or (hits[0],)
            return ClauseAnswer(question, clause_answer(chosen, day, title_of), tuple(chosen))
        entry = self._from_entry(snap, question, item, hits, related)
        if entry is not None:
            return entry
        # What is read after the hits (the rest of a locked item's guide …) answers; coverage above
        # looked at what retrieval found only, so a word the guide mentions in passing (公共租赁住房
        # in a 公积金 guide) does not make its topic covered.
        other_period = asks_other_period(question)
        hits = _answering([*hits, *more], other_period)
        extraction = extraction or self._extract(snap, question, hits)
        if (quoted := self._confident(extraction)) is not None:
            return ExtractAnswer(question, item, _about(quoted, item), tuple(hits))
        own = locked.source_doc if locked else ""
        # A follow-up ("去哪儿补") is judged as the question it continues, on the locked item.
        lead = locked.name if followup and locked else ""
        mine = [n for n, h in enumerate(hits) if h.document.id == own]
        first_entry = self._closest_entry(question, hits) if not own and hits[0].document.doc_type == "faq" else None
        if first_entry is not None and self._says_subject(
            question, [hits[first_entry].document.title, hits[first_entry].chunk.text]
        ):
            # A knowledge-base entry ranked first answers in its own sentences, whatever words the
            # citizen used (新国标电动车 for 电动自行车): the LLM judges them before it picks among the rest.
            mine = [first_entry]
        asks = self._asks(question, hits, mine, lead) if mine else ()
        if read_below and not self._offered(extraction) and not asks and self._embedder is not None:
            # Before refusing, the hits ranked below these are read too.
            hits = [*hits, *_answering(self._further(query or question, hits), other_period)]
            extraction = self._extract(snap, question, hits)
            if (quoted := self._confident(extraction)) is not None:
                return ExtractAnswer(question, item, _about(quoted, item), tuple(hits))
        # Below the threshold a quoted sentence is as often wrong as right (docs/EVALUATION.md), so
        # it is no fallback either: what the LLM cannot say from the sources is refused.
        subjects = tuple(topic_terms(question, self._tagger))
        choices = self._offered(extraction)
        if not choices and not asks and self._embedder is not None:
            # No source sentence of the asked kind is near the question: whatever the LLM wrote
            # would rest on words it shares with the sources, not on what they state (政府补贴500元
            # from a 500元 contribution level), so the sources do not answer it.
            return Refusal(question, refusal((), related), "no sentence states it", item)
        context = tuple(hits[: cfg.context_k])
        return Generate(question, item, context, refusal((), related), subjects, choices, tuple(hits), asks=asks)

    def _uncovered(
        self,
        snap: IndexView,
        question: str,
        item: str,
        hits: Sequence[ScoredChunk],
        linked: Sequence[Candidate],
        related: Sequence[ServiceItem],
        check: bool,
    ) -> Route | None:
        """The refusal when the thing asked about is in none of the hits (nor the locked item's names),
        else None; `check` False skips the check (a named policy, a follow-up on a locked document).
        `linked` are the question's nearest items, `related` those a refusal names."""
        locked = snap.item(item) if item else None
        names = (locked.name, *locked.aliases) if locked else ()
        evidence = [h.document.title for h in hits] + [h.chunk.text for h in hits] + list(names)
        # A named policy or an item spelled out in the question is what it asks about.
        spelled = any(c.lexical >= 0.9 for c in linked[:1])
        # A follow-up on a locked document is searched with its title, which covers its subject, and
        # an item chosen among its twins is the subject (see _decided).
        checked = check and not spelled
        missing = missing_terms(question, evidence, self._tagger, self._corpus(snap)) if checked else []
        if only_side_words(question, missing, " ".join([hits[0].document.title, *names]), self._tagger):
            missing = []  # 身份证芯片磨坏了: the card is the subject, the chip the citizen's own word
        if missing:
            refused = refusal(missing, related)
            entry = self._closest_entry(question, hits) if hits[0].document.doc_type == "faq" else None
            if entry is not None:
                # A knowledge-base entry asked in other words (煤气味 for 燃气出问题, 电瓶车 for 电动自行车):
                # the entry's own sentences, if the LLM judges one to answer; else the refusal naming the word.
                asks = self._asks(question, hits, [entry])
                if asks:
                    return Generate(question, item, (hits[entry],), refused, (), (), tuple(hits), asks=asks)
            return Refusal(question, refused, "not covered: " + "、".join(missing), item)
        return None

    def _closest_entry(self, question: str, hits: Sequence[ScoredChunk]) -> int | None:
        """The knowledge-base entry among the hits whose question (its title) is closest in meaning to
        this one: a citizen's question is matched to an entry's question, whatever words ranked the
        entries (收费吗 lifts an entry on 停车场乱收费 above the one on 电动自行车上牌)."""
        entries = [n for n, h in enumerate(hits) if h.document.doc_type == "faq"]
        similarity = self._similarity(question)
        if len(entries) < 2 or similarity is None:
            return entries[0] if entries else None
        cosines = similarity([hits[n].document.title for n in entries])
        return max(zip(cosines, entries), key=lambda pair: (pair[0], -pair[1]))[1]

    def _extract(self, snap: IndexView, question: str, hits: Sequence[ScoredChunk]) -> Extraction:
        """The evidence sentences of `hits` that answer the question, best first (see extract_sentences)."""
        terms = self._terms(question)
        return extract_sentences(question, terms, hits, self._today(), snap.display_title, self._similarity(question))

    def _confident(self, extraction: Extraction) -> Answer | None:
        """The quoted answer when its best sentence scores high enough to need no LLM, else None."""
        return extraction.answer if extraction.score >= self._config.extract_confident else None

    def _offered(self, extraction: Extraction) -> tuple[RankedSentence, ...]:
        """The sentences good enough for the LLM to pick from, best first."""
        cfg = self._config
        return tuple(r for r in extraction.ranked if r.score >= cfg.select_min)[: cfg.select_k]

    def _further(self, query: str, hits: Sequence[ScoredChunk]) -> list[ScoredChunk]:
        """The hits ranked below `hits` for the same query (not read yet), from the documents and
        regions the evidence already reads (a region chosen or named stays chosen): where a sentence
        of the asked kind is looked for before the question is refused."""
        seen = {h.chunk.id for h in hits}
        docs = {h.document.id for h in hits}
        regions = {h.document.region for h in hits}
        wider = self._retrieve(query, k=self._config.further_k)
        return [
            h
            for h in wider
            if h.chunk.id not in seen
            and (h.document.id in docs or not h.document.region or h.document.region in regions)
        ]

    def _asks(
        self, question: str, hits: Sequence[ScoredChunk], own: Sequence[int], context: str = ""
    ) -> tuple[Ask, ...]:
        """Each part of the question, with the sentences of `hits[own]` closest in meaning (a locked
        item's guide, or one knowledge-base entry), for the LLM to judge; the judge reads the part
        after `context` (the locked item a follow-up continues), the ranking the part alone."""
        if self._embedder is None or not own:
            return ()
        asks = []
        title = hits[own[0]].document.title
        parts = asking_parts(question)
        for part in parts:
            similarity = self._similarity(part)
            assert similarity is not None  # there is an embedder
            ranked = rank_by_meaning(part, hits, own, similarity)
            # A sentence using the part's own specific word (登报 of 补办还要登报吗), one the title does
            # not, is judged first: meaning alone ranks the source's general sentences above it. The
            # words of the situation before the part (刚拿到营业执照，) are not what it asks about.
            asked = part.rsplit("，", 1)[-1] if len(parts) > 1 else part
            own_words = [t for t, w in self._terms(asked) if w >= 1.0 and t not in title]
            ranked.sort(key=lambda r: not any(t in r.text for t in own_words))
            ranked = ranked[: self._config.judge_k]
            if ranked:
                asks.append(Ask(f"{context}，{part}" if context else part, tuple(ranked)))
        return tuple(asks)

    def _similarity(self, question: str) -> Callable[[Sequence[str]], Sequence[float]] | None:
        """Question-to-sentence cosines from the embedder (sentence vectors are cached by text)."""
        embedder = self._embedder
        if embedder is None:
            return None
        return lambda texts: [float(x) for x in embedder.embed_documents(list(texts)) @ embedder.embed_query(question)]

    def _corpus(self, snap: IndexView) -> str:
        """All titles and texts of the live generation, lower-cased, built once per generation."""
        if self._corpus_text[0] != snap.generation:
            docs = snap.documents.values()
            self._corpus_text = (snap.generation, "\n".join(f"{d.title}\n{d.text}" for d in docs).lower())
        return self._corpus_text[1]

    def _terms(self, question: str) -> list[tuple[str, float]]:
        """The question's words weighted by how much they say: specific nouns 1, everyday words
        0.5, the procedural vocabulary every question shares 0.2."""
        out: dict[str, float] = {}
        for word, _flag in self._tagger.tagged(question):
            if (
                len(word) < 2
                or word in STOPWORDS
                or word in QUESTION_WORDS
                or not any(is_han(c) or c.isalnum() for c in word)
            ):
                continue
            if word in PROCEDURAL:
                weight = 0.2
            elif self._tagger.general_frequency(word) >= COMMON_FREQUENCY:
                weight = 0.5
            else:
                weight = 1.0
            out[word] = max(out.get(word, 0.0), weight)
        return list(out.items())

    def _from_entry(
        self,
        snap: IndexView,
        question: str,
        item: str,
        hits: Sequence[ScoredChunk],
        related: Sequence[ServiceItem],
    ) -> Route | None:
        """The answer from the first hit when it is a knowledge-base entry asking this question (in its
        words or in others), else None."""
        if self._is_faq_match(question, hits[0]):
            return FaqAnswer(question, faq_answer(question, hits[0], self._today(), snap.display_title), (hits[0],))
        if self._asks_entry(question, hits[0]):
            # The entry's question is this one in other words (名下有几套房 for 名下有没有房产): its
            # sentences answer, quoted when one clearly does, else those the LLM judges to answer,
            # else the refusal; never the other sources' sentences.
            if (quoted := self._confident(self._extract(snap, question, hits[:1]))) is not None:
                return ExtractAnswer(question, item, quoted, tuple(hits[:1]))
            asks = self._asks(question, hits, [0])
            if asks:
                return Generate(question, item, (hits[0],), refusal((), related), (), (), tuple(hits), asks=asks)
        return None

    def _asks_entry(self, question: str, hit: ScoredChunk) -> bool:
        """A knowledge-base entry whose question (its title) means what this one asks."""
        embedder = self._embedder
        if embedder is None or hit.document.doc_type != "faq":
            return False
        cosine = float(embedder.embed_query(hit.document.title) @ embedder.embed_query(question))
        return cosine >= self._config.faq_meaning and self._says_subject(question, [hit.document.title, hit.chunk.text])

    def _is_faq_match(self, question: str, hit: ScoredChunk) -> bool:
        """A knowledge-base entry whose title asks what the question asks, about the same thing: a
        title one character off (结婚证丢了怎么补办 for 离婚证丢了怎么补) shares most of its pairs."""
        if hit.document.doc_type != "faq" or _dice(question, hit.document.title) < self._config.faq_similarity:
            return False
        return self._says_subject(question, [hit.document.title, hit.chunk.text])

    def _says_subject(self, question: str, texts: Sequence[str]) -> bool:
        """The texts name what the question is about (its subject term), or it names nothing."""
        subject = subject_term(question, self._tagger)
        return not subject or not missing_terms(subject, texts, self._tagger)

    def _named_article(self, hits: Sequence[ScoredChunk]) -> tuple[ScoredChunk, ...]:
        """The chunks the exact-reference leg found for a named policy's named article."""
        exact = [h for h in hits if any(name == "exact" for name, _ in h.leg_ranks)]
        if not exact:
            return ()
        label = exact[0].chunk.section[-1] if exact[0].chunk.section else ""
        return tuple(h for h in exact if h.document.id == exact[0].document.id and h.chunk.section[-1:] == (label,))

    def _clear_article(self, hits: Sequence[ScoredChunk]) -> bool:
        """One policy article ranks first by a clear margin: its text is the answer."""
        if len(hits) < 2 or hits[0].document.doc_type != "policy":
            return False
        label = hits[0].chunk.section[-1] if hits[0].chunk.section else ""
        if article_label_number(label) is None:
            return False
        return hits[0].score >= self._config.clause_margin * hits[1].score

    def _retrieve(self, question: str, regions: tuple[str, ...] = (), k: int = 0) -> list[ScoredChunk]:
        """The top `k` hits (the evidence size by default), within `regions` when given."""
        return self._retriever.retrieve(question, k or self._config.evidence_k, Filters(regions=regions))

    def _related(
        self, snap: IndexView, linked: Sequence[Candidate], hits: Sequence[ScoredChunk], item: str
    ) -> tuple[ServiceItem, ...]:
        """The closest items the corpus does cover, to name in a refusal."""
        codes = [item] if item else []
        codes += [c.code for c in linked if c.score >= self._config.related_score]
        codes += [h.chunk.item_code for h in hits[:1] if h.chunk.item_code]
        found = [snap.item(c) for c in dict.fromkeys(codes)]
        return tuple(i for i in found if i is not None)[: self._config.related_items]

    def _about_rules(self, snap: IndexView, question: str, named: list[str]) -> Route | None:
        """Whether a rule still applies, from metadata; which measures the policies in force state
        on a topic, from the topic brief; else None."""
        if is_validity_question(question):
            validity = self._validity(snap, question, named or self._retriever.named_policies(question, fuzzy=True))
            if validity is None:
                validity = self._found_validity(snap, question)
            if validity is not None:
                return ValidityAnswer(question, validity)
        if self._brief is not None and not named and asks_for_list(question):
            return self._listed(snap, question)
        return None

    def _listed(self, snap: IndexView, question: str) -> Route | None:
        """The measures the policies in force state on the question's topic (from the topic brief),
        or None when none does (the question is then answered like any other)."""
        assert self._brief is not None  # only called with a brief
        region = named_region(question)
        if not region and region_split(self._retrieve(question), self._subject_terms(question), self._facets):
            return None  # the regions' rules differ: which region is asked first, as for any question
        try:
            brief = self._brief(list_topic(question))
        except InvalidInputError:
            return None  # a topic the brief cannot take (too long) is no list question
        if region:
            scope = region_scope(region)
            brief = replace(brief, policies=tuple(p for p in brief.policies if p.document.region in scope))
        ids = [s.chunk_id for p in brief.policies for sec in p.sections for s in sec.sentences]
        chunks = snap.catalog.chunks(dict.fromkeys(ids))
        listed = listed_answer(brief, chunks, self._today(), snap.display_title, self._config.listed_sentences)
        return ExtractAnswer(question, "", *listed) if listed is not None else None

    def _validity(self, snap: IndexView, text: str, named: list[str]) -> Answer | None:
        docs = [snap.documents[d] for d in named if d in snap.documents]
        first = [c for d in docs for c in snap.catalog.chunks_of(d.id)[:1]]
        return validity_answer(text, docs, first, self._today(), snap.display_title)

    def _found_validity(self, snap: IndexView, question: str) -> Answer | None:
        """A question whether a rule it describes but does not name still applies ("那个一次性5000块的
        创业补贴现在还有效吗"): when the best evidence is an article of a policy no longer in force,
        that is the answer, with the article cited. A rule in force is answered from its text as usual.
        Retrieval ranks rules no longer in force low, so theirs are searched on their own too."""
        day = self._today()
        stale = tuple(d.id for d in snap.documents.values() if d.doc_type == "policy" and not d.is_valid_on(day))
        old = self._retriever.retrieve(question, self._config.evidence_k, Filters(doc_ids=stale)) if stale else []
        hits = [*self._retrieve(question), *old]
        extraction = self._extract(snap, question, hits)
        if not extraction.ranked:
            return None
        best = extraction.ranked[0]
        # A figure the citizen quotes (听说每月能领1500) that the sentence states identifies the rule as
        # well as a high score does.
        quoted = re.findall(r"\d+(?:\.\d+)?", question)
        cites_it = bool(quoted) and all(n in best.text for n in quoted)
        if extraction.score < (self._config.select_min if cites_it else self._config.extract_confident):
            return None
        hit = hits[best.hit]  # the article that states the rule the question describes
        if hit.document.doc_type != "policy" or hit.document.is_valid_on(day):
            return None
        return validity_answer(question, [hit.document], [hit.chunk], day, snap.display_title)

    def _relink(self, snap: IndexView, state: DialogueState, reply: str) -> Decision | None:
        """A free-text reply to a clarifying question ("买了套二手房"): rank only the pending
        candidates against the original question plus the reply; lock the clear winner."""
        assert state.pending is not None  # only called with a pending question
        linker = self._retriever.linker()
        options = linker.closest_phrases(reply, state.pending.options)
        # A negated reply (没工作了) is as close to what it denies as to what it states: the options
        # this near the closest one are what it is about, and which of them is still open.
        near = self._situation.near_options(options)
        band = self._situation.negated(reply) and 1 < len(near) < len(options)
        if not band and len(options) >= 2 and options[0][1] - options[1][1] >= self._config.option_margin:
            chosen = self._policy.resolve(options[0][0], state.pending, state.pending_candidates, snap.graph)
            if chosen is not None:
                return chosen
        items = [i for c in state.pending_candidates if (i := snap.item(c)) is not None]
        narrowed = self._situation.narrow(reply, items)
        if len(narrowed) == 1:
            return Decision(item=narrowed[0])
        if 1 < len(narrowed) < len(items):
            return self._policy.ask(narrowed, snap.graph)
        if band:
            # "没工作了" between 购房, 租房, 还贷, 退休 and 离职: 退休 and 离职 are left to choose from.
            kept = self._option_candidates(snap, state, near)
            if len(kept) == 1:
                return Decision(item=kept[0])
            if 1 < len(kept) < len(state.pending_candidates):
                return self._policy.ask(kept, snap.graph)
        pending = set(state.pending_candidates)
        ranked = [c for c in linker.candidates(f"{state.pending_question} {reply}", k=50) if c.code in pending]
        if len(ranked) >= 2 and ranked[0].score - ranked[1].score >= self._config.relink_margin:
            return Decision(item=ranked[0].code)
        return None

    def _option_candidates(self, snap: IndexView, state: DialogueState, options: Sequence[str]) -> list[str]:
        """The pending candidates whose value (or name) on the pending question is one of `options`."""
        assert state.pending is not None  # only called with a pending question
        codes = list(state.pending_candidates)
        if state.pending.slot == Slot.ITEM:
            return [c for c in codes if snap.graph.item_label(c) in options]
        values = dict(snap.graph.distinguishing(codes)).get(str(state.pending.slot), {})
        return list(dict.fromkeys(c for o in options for c in values.get(o, ())))


# The guide fields that state how long the handling takes.
_TIME_LIMITS = frozenset({str(GuideField.TIME_LIMIT), str(GuideField.LEGAL_TIME_LIMIT)})
# Clarifying questions about the evidence rather than about items.
FACET_SLOTS = (Slot.REGION, Slot.DEPARTMENT)


def is_question(text: str) -> bool:
    """The text asks something (a question mark or an interrogative), rather than states."""
    return any(w in text for w in INTERROGATIVES)


def is_non_answer(reply: str) -> bool:
    """A reply that declines to choose ("不知道", "都行")."""
    # Chinese kept here: the punctuation and particles a short reply may end with.
    text = reply.strip().rstrip("。.!！?？~～，,")
    return text in NON_ANSWERS or text.rstrip("啊呀吧呢哦嘛") in NON_ANSWERS


def _with_slots(text: str, slots: Sequence[tuple[str, str]]) -> str:
    """The text with what the conversation already established (a district, 个人/单位, a situation)."""
    values = [v for _, v in slots if v and v not in text]
    return " ".join([text, *values]) if values else text


def _fixed(scope: Scope) -> Answer:
    text = {
        Scope.GREETING: messages.GREETING,
        Scope.INJECTION: messages.INJECTION_REPLY,
        Scope.PERSONAL_RECORD: messages.PERSONAL_RECORD_REPLY,
    }.get(scope, messages.OFF_TOPIC_REPLY)
    return Answer(text=text, grounded=False)


def _about(answer: Answer, item: str) -> Answer:
    """A quoted answer on a locked item is about that item, whichever of the sources read for it
    (the policy article behind its guide) it quotes."""
    return replace(answer, item_codes=(item,)) if item and not answer.item_codes else answer


def _weak(hits: Sequence[ScoredChunk], min_dense: float) -> bool:
    """No hit, or nothing but a distant dense match: answering would mean guessing."""
    for hit in hits:
        scores = dict(hit.leg_scores)
        if "exact" in scores or "graph" in scores or scores.get("dense", 0.0) >= min_dense:
            return False
    return True


def _dice(a: str, b: str) -> float:
    """Bigram Dice similarity of two short texts."""
    x, y = bigrams(a), bigrams(b)
    return 2 * len(x & y) / (len(x) + len(y)) if x and y else 0.0


def _answering(hits: Sequence[ScoredChunk], other_period: bool) -> list[ScoredChunk]:
    """The hits that may answer: for a question about a period other than the processing time
    (等多久才能取), none of the guides' 承诺时限 fields."""
    return [h for h in hits if not (other_period and h.chunk.label in _TIME_LIMITS)]


def _guide_rest(doc: Document, guide: Sequence[Chunk], hits: Sequence[ScoredChunk]) -> list[ScoredChunk]:
    """The locked item's guide chunks that retrieval did not return, after the hits: a guide is a
    dozen short fields, and the sentence that answers (有效期满前90日内 in 申请条件) is often in one
    the question's words do not retrieve. Only sentence extraction reads them; the hits keep
    their ranks for everything else."""
    seen = {h.chunk.id for h in hits}
    return [ScoredChunk(c, doc, 0.0) for c in guide if c.id not in seen]
