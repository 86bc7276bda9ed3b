"""The draw: weights toward few votes (capped at 3×), modes, and fair sides."""

from __future__ import annotations

import random
from collections import Counter

import pytest

from precepteur.arena.pairing import Entry, PairingError, draw, weights


def test_weights_lean_toward_few_votes_and_are_capped():
    w = weights([Entry("new", votes=0), Entry("mid", votes=150), Entry("old", votes=1000)])
    assert w[1] == pytest.approx(1 / 200 ** 0.4)
    assert w[2] == pytest.approx(1 / 1050 ** 0.4)
    assert w[0] == pytest.approx(3 * w[2])  # 1/50**0.4 would be 3.38 times the smallest: capped
    assert w[0] > w[1] > w[2]
    uncapped = weights([Entry("a", votes=0), Entry("b", votes=200)])
    assert uncapped == pytest.approx([1 / 50 ** 0.4, 1 / 250 ** 0.4])
    assert weights([]) == []


def test_each_contestant_is_in_slot_a_half_the_time():
    rng = random.Random(12)
    entries = [Entry("alpha", votes=10), Entry("beta", votes=400)]
    slots = Counter(draw(entries, "random", rng).a for _ in range(2000))
    for name in ("alpha", "beta"):
        assert 0.47 <= slots[name] / 2000 <= 0.53


def test_random_draws_favour_the_newcomer_but_meet_everyone():
    rng = random.Random(3)
    entries = [Entry("new"), Entry("old1", votes=5000), Entry("old2", votes=5000), Entry("old3", votes=5000)]
    seen = Counter()
    for _ in range(3000):
        pairing = draw(entries, "random", rng)
        assert pairing.a != pairing.b
        seen.update([pairing.a, pairing.b])
    assert seen["new"] > seen["old1"] and min(seen.values()) > 0


def test_same_model_pairs_two_versions_of_one_model():
    rng = random.Random(5)
    entries = [Entry("q-v1", model="qwen"), Entry("q-v2", model="qwen"), Entry("s-v1", model="smol")]
    for _ in range(200):
        pairing = draw(entries, "same-model", rng)
        assert {pairing.a, pairing.b} == {"q-v1", "q-v2"}
    with pytest.raises(PairingError):
        draw([Entry("a", model="x"), Entry("b", model="y")], "same-model", rng)


def test_challenger_meets_the_leader():
    rng = random.Random(9)
    entries = [Entry("leader", votes=900, score=1100.0), Entry("second", votes=900, score=1000.0),
               Entry("newcomer", votes=0)]
    sides = Counter()
    for _ in range(400):
        pairing = draw(entries, "challenger", rng, challenger="newcomer")
        assert {pairing.a, pairing.b} == {"leader", "newcomer"}
        sides[pairing.a] += 1
    assert 150 < sides["leader"] < 250
    assert {draw(entries, "challenger", rng).a, draw(entries, "challenger", rng).b} <= {"leader", "newcomer"}


def test_refusals_name_the_reason():
    rng = random.Random(0)
    with pytest.raises(PairingError) as too_few:
        draw([Entry("only")], "random", rng)
    assert too_few.value.key == "arena.error.too_few_contestants"
    with pytest.raises(PairingError) as mode:
        draw([Entry("a"), Entry("b")], "swiss", rng)
    assert mode.value.key == "arena.error.unknown_mode"
    with pytest.raises(PairingError) as leader:
        draw([Entry("a"), Entry("b")], "challenger", rng, challenger="a")
    assert leader.value.key == "arena.error.no_leader"
