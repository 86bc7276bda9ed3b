"""Progress rows and the class dashboard as plain data: heat map, struggling skills, bad items."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from precepteur.learning.mastery import SkillEstimate
from precepteur.learning.progress import CardInfo, FirstAnswer, dashboard, iso, skill_progress

NOW = datetime(2025, 3, 10, 9, 0, tzinfo=timezone.utc)


def test_skill_progress_rows_weakest_first_with_next_due_in_utc():
    estimates = {("nsi", "piles"): SkillEstimate(1.0, 6), ("nsi", "files"): SkillEstimate(-1.0, 2)}
    cards = [CardInfo(1, "nsi", "piles", NOW + timedelta(days=2), 1), CardInfo(2, "nsi", "piles", NOW - timedelta(hours=1), 2),
             CardInfo(3, "nsi", "files", NOW + timedelta(days=1), 1)]
    rows = skill_progress(estimates, cards, NOW, {("nsi", "piles"): "Les piles"})
    assert [r["skill"] for r in rows] == ["files", "piles"]
    piles = rows[1]
    assert piles["label"] == "Les piles" and piles["rated"] and piles["mastery"] == 0.7311
    assert piles["due"] == "2025-03-10T08:00:00Z" and piles["due_now"] == 1 and piles["reviews"] == 3
    assert [i["id"] for i in piles["items"]] == [2, 1]
    assert rows[0]["rated"] is False and iso(None) is None


def test_dashboard_heat_map_struggling_skills_and_bad_items():
    learners = [(1, "ana"), (2, "bo"), (3, "cy"), (4, "di"), (5, "ed")]
    skills = [("piles", "Les piles"), ("files", "Les files")]
    thetas = {1: -2.0, 2: -1.0, 3: 0.0, 4: 1.0, 5: 2.0}
    estimates = {(lid, "piles"): SkillEstimate(theta, 6) for lid, theta in thetas.items()}
    estimates[(1, "files")] = SkillEstimate(-1.5, 5)
    answers = ([FirstAnswer(lid, 10, "piles", True) for lid in thetas]  # everyone right: too easy
               + [FirstAnswer(lid, 11, "piles", False) for lid in thetas]  # everyone wrong: too hard
               + [FirstAnswer(lid, 12, "piles", thetas[lid] < 0) for lid in thetas]  # weak right, strong wrong
               + [FirstAnswer(lid, 13, "piles", thetas[lid] > 0) for lid in thetas]  # behaves well
               + [FirstAnswer(1, 14, "files", False)])  # too few answers to judge
    out = dashboard(learners, skills, estimates, answers)
    assert out["heatmap"][0] == {"learner": "ana", "cells": [{"mastery": 0.1192, "answers": 6},
                                                              {"mastery": 0.1824, "answers": 5}]}
    assert out["heatmap"][1]["cells"][1] is None
    assert out["struggling"] == [{"skill": "files", "label": "Les files", "mastery": 0.1824, "learners": 1},
                                 {"skill": "piles", "label": "Les piles", "mastery": 0.5, "learners": 5}]
    problems = {row["item"]: row["problem"] for row in out["items"]}
    assert problems == {10: "too_easy", 11: "too_hard", 12: "inverted"}
