"""Simulated learners: does the learner model recover hidden abilities, and do sessions sit in
the 0.6–0.9 success band?

50 learners (hidden ability a ~ N(0, 1); in each skill a + N(0, SKILL_SPREAD)) answer 40
sessions each over one simulated library (SKILLS skills × ITEMS_PER_SKILL items, hidden
difficulties ~ N(0, 1); 60 % open answers, 25 % four-choice MCQ, 15 % true/false). An
answer is right with the model's own law, P = g + (1 − g)·σ(θ* − d*), drawn with a seeded
generator. Everything else is the product's pure code: `learning.sessions.build` chooses
the items (due reviews, then P ≈ 0.8 in the weakest skills), `learning.mastery.update`
updates θ and d on first answers, `learning.review` schedules the reviews (fsrs), one
session every SESSION_GAP_DAYS days, learners taking turns so that items are calibrated
by everyone's answers as they would be in a class.

Printed: the Spearman rank correlation between each learner's hidden ability and her
mean estimated θ over the skills she practised (target ≥ 0.8), the same per (learner,
skill), and the share of session items whose true P(correct) lies in [0.6, 0.9] (target
≥ 70 %), overall, for new items only, and over the last half of the sessions.

    python bench/learners.py [--learners 50] [--sessions 40] [--size 7] [--seed 7] [--json]
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from datetime import datetime, timedelta, timezone

from precepteur.learning import review as reviews
from precepteur.learning.mastery import guess_rate, sigmoid, starting_item, starting_skill, update
from precepteur.learning.sessions import Candidate, LearnerState, build

SKILLS = 6
ITEMS_PER_SKILL = 60
SKILL_SPREAD = 0.3
SESSION_GAP_DAYS = 2
BAND = (0.6, 0.9)
START = datetime(2025, 9, 8, 8, 0, tzinfo=timezone.utc)


def ranks(values: list[float]) -> list[float]:
    order = sorted(range(len(values)), key=lambda i: values[i])
    out = [0.0] * len(values)
    i = 0
    while i < len(order):
        j = i
        while j + 1 < len(order) and values[order[j + 1]] == values[order[i]]:
            j += 1
        for k in range(i, j + 1):
            out[order[k]] = (i + j) / 2 + 1
        i = j + 1
    return out


def spearman(xs: list[float], ys: list[float]) -> float:
    rx, ry = ranks(xs), ranks(ys)
    n = len(xs)
    mx, my = sum(rx) / n, sum(ry) / n
    cov = sum((a - mx) * (b - my) for a, b in zip(rx, ry))
    sx = sum((a - mx) ** 2 for a in rx) ** 0.5
    sy = sum((b - my) ** 2 for b in ry) ** 0.5
    return cov / (sx * sy)


def make_bank(rng: random.Random) -> tuple[list[Candidate], dict[int, float]]:
    bank, difficulty = [], {}
    for skill in range(SKILLS):
        for index in range(ITEMS_PER_SKILL):
            item_id = skill * ITEMS_PER_SKILL + index + 1
            roll = rng.random()
            kind, choices = ("cloze", None) if roll < 0.6 else ("mcq", 4) if roll < 0.85 else ("true_false", 2)
            bank.append(Candidate(item_id, f"s{skill}", kind, choices))
            difficulty[item_id] = rng.gauss(0.0, 1.0)
    return bank, difficulty


def simulate(learners: int, sessions: int, size: int, seed: int) -> dict:
    rng = random.Random(seed)
    bank, true_d = make_bank(rng)
    by_id = {c.id: c for c in bank}
    ability = [rng.gauss(0.0, 1.0) for _ in range(learners)]
    true_theta = [{f"s{k}": a + rng.gauss(0.0, SKILL_SPREAD) for k in range(SKILLS)} for a in ability]
    items = {}  # item id -> ItemEstimate, from its first answer on (as in the store)
    skills = [dict() for _ in range(learners)]  # skill -> SkillEstimate
    cards = [dict() for _ in range(learners)]  # item id -> fsrs Card
    seen = [set() for _ in range(learners)]
    asked = in_band = new_asked = new_in_band = late_asked = late_in_band = 0
    for number in range(sessions):
        for learner in range(learners):
            now = START + timedelta(days=SESSION_GAP_DAYS * number, hours=learner % 10, minutes=rng.randrange(60))
            state = LearnerState(skills=skills[learner], items=items,
                                 due={item_id: card.due for item_id, card in cards[learner].items()})
            for item_id in build(bank, state, now, size):
                item = by_id[item_id]
                guess = guess_rate(item.kind, item.choices)
                p = guess + (1 - guess) * sigmoid(true_theta[learner][item.skill] - true_d[item_id])
                correct = rng.random() < p
                hit = BAND[0] <= p <= BAND[1]
                asked += 1
                in_band += hit
                if number >= sessions // 2:
                    late_asked += 1
                    late_in_band += hit
                if item_id not in seen[learner]:
                    new_asked += 1
                    new_in_band += hit
                    skill = skills[learner].get(item.skill) or starting_skill(skills[learner].values())
                    estimate = items.get(item_id) or starting_item(
                        items[c.id] for c in bank if c.skill == item.skill and c.kind == item.kind and c.id in items)
                    result = update(skill, estimate, correct, guess)
                    skills[learner][item.skill], items[item_id] = result.skill, result.item
                    seen[learner].add(item_id)
                card = cards[learner].get(item_id)
                if card is None or reviews.is_review(card.last_review, now):
                    card, _log = reviews.review(card or reviews.new_card(item_id, now), correct, now)
                    cards[learner][item_id] = card
    estimated = [sum(e.theta for e in skills[l].values()) / max(1, len(skills[l])) for l in range(learners)]
    pairs = [(true_theta[l][s], e.theta) for l in range(learners) for s, e in skills[l].items() if e.answers >= 5]
    return {
        "learners": learners, "sessions": sessions, "size": size, "seed": seed,
        "rank_correlation": round(spearman(ability, estimated), 4),
        "rank_correlation_skill": round(spearman([a for a, _ in pairs], [b for _, b in pairs]), 4) if pairs else None,
        "band_share": round(in_band / asked, 4), "band_share_new": round(new_in_band / max(1, new_asked), 4),
        "band_share_second_half": round(late_in_band / max(1, late_asked), 4),
        "items_asked": asked, "new_items_asked": new_asked,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--learners", type=int, default=50)
    parser.add_argument("--sessions", type=int, default=40)
    parser.add_argument("--size", type=int, default=7)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args(argv)
    started = time.monotonic()
    result = simulate(args.learners, args.sessions, args.size, args.seed)
    result["seconds"] = round(time.monotonic() - started, 1)
    if args.json:
        print(json.dumps(result))
        return 0
    print(f"{result['learners']} learners × {result['sessions']} sessions of {result['size']} items "
          f"(seed {result['seed']}, {result['items_asked']} items asked, {result['seconds']} s)")
    print(f"rank correlation, hidden ability vs mean θ: {result['rank_correlation']:.3f} (target ≥ 0.8)")
    print(f"rank correlation per learner and skill (≥ 5 answers): {result['rank_correlation_skill']:.3f}")
    print(f"share of session items with true P in [0.6, 0.9]: {100 * result['band_share']:.1f} % (target ≥ 70 %)")
    print(f"  new items only: {100 * result['band_share_new']:.1f} %; "
          f"second half of the sessions: {100 * result['band_share_second_half']:.1f} %")
    return 0


if __name__ == "__main__":
    sys.exit(main())
