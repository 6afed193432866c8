import pytest
from hypothesis import given
from hypothesis import strategies as st

from govqa.retrieval.fusion import weighted_rrf, weighted_scores

ids = st.sampled_from([f"c{i}" for i in range(12)])
leg = st.lists(st.tuples(ids, st.floats(0, 1)), max_size=10)


@given(st.dictionaries(st.sampled_from(["dense", "bm25", "graph"]), leg, min_size=1))
def test_rrf_is_order_independent_and_unique(legs: dict[str, list[tuple[str, float]]]) -> None:
    weights = {"dense": 1.0, "bm25": 0.7, "graph": 0.3}
    forward = weighted_rrf(legs, weights)
    backward = weighted_rrf(dict(reversed(list(legs.items()))), weights)
    assert forward == backward
    assert len({cid for cid, _ in forward}) == len(forward)
    assert {cid for cid, _ in forward} == {cid for hits in legs.values() for cid, _ in hits}


@given(st.dictionaries(st.sampled_from(["dense", "bm25"]), leg, min_size=1))
def test_weighted_scores_unique(legs: dict[str, list[tuple[str, float]]]) -> None:
    fused = weighted_scores(legs, {"dense": 1.0, "bm25": 1.0})
    assert len({cid for cid, _ in fused}) == len(fused)


def test_rrf_hand_computed() -> None:
    fused = dict(weighted_rrf({"a": [("x", 9), ("y", 8)], "b": [("y", 1)]}, {"a": 1.0, "b": 2.0}, k=1))
    assert fused["x"] == pytest.approx(1 / 2)
    assert fused["y"] == pytest.approx(1 / 3 + 2 / 2)


def test_rrf_rejects_bad_k() -> None:
    with pytest.raises(ValueError, match="k must be at least 1"):
        weighted_rrf({}, {}, k=0)
