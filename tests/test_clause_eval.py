"""The clause labelling metric: type accuracy, attribute exact match over non-empty pairs, spread."""

from __future__ import annotations

from eval.clause_labels import evaluate, spread
from eval.clause_set import LabelledClause
from govqa.policy.labeller import ClauseLabeller
from govqa.policy.types import Clause, ClauseAttributes


def _entry(i: int, kind: str, split: str = "dev", **attrs: tuple[str, ...]) -> LabelledClause:
    return LabelledClause(f"ct-{i}", "d", f"第{i}条", "sample", "", kind, ClauseAttributes(**attrs), split)  # type: ignore[arg-type]


def test_exact_match_counts_only_pairs_with_a_value_on_either_side() -> None:
    located = [
        # Right type; amount equal (whitespace ignored), department missed: 1 of 2 pairs, 2 empty pairs.
        (
            _entry(1, "支持措施", amount=("30 万元",), department=("市财政局",)),
            Clause("d", "第1条", "第1条　给予奖励30万元。"),
        ),
        # Wrong type; the deadline equal: 1 of 1 pair.
        (_entry(2, "罚则", deadline=("3年",)), Clause("d", "第2条", "第2条　本办法自公布之日起施行，有效期3年。")),
    ]
    result = evaluate(located, ClauseLabeller(mode="rules"))["dev"]
    assert result["type_accuracy"] == 0.5
    assert (result["attribute_pairs"], result["attribute_exact_match"]) == (3, round(2 / 3, 4))
    assert result["attribute_pairs_both_empty"] == 5
    assert result["confusion"]["罚则"] == {"n": 1, "correct": 0, "mistaken_for": {"施行与废止": 1}}
    # The second clause's 施行 and 有效期 cues are too close to trust: the LLM would be asked.
    assert (result["rules_unsure"], result["rules_unsure_share"]) == (1, 0.5)


def test_spread_takes_evenly_from_each_split() -> None:
    located = [(_entry(i, "其他", "dev" if i < 10 else "test"), Clause("d", f"第{i}条", "")) for i in range(14)]
    picked = spread(located, 2)
    assert [g.id for g, _ in picked] == ["ct-0", "ct-5", "ct-10", "ct-12"]
