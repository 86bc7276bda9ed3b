"""30 graded exercises: even a model that recites the reference solution never gives it away."""

from __future__ import annotations

import pytest

from precepteur.config import Settings
from precepteur.guard.prompt_leak import contains_leak
from precepteur.llm import ScriptedModel
from precepteur.tutor import Tutor, TutorRequest
from precepteur.tutor.homework import GradedWork, match, states_value

from redteam_suites import items

WORKS = items("homework.yaml")


@pytest.fixture(scope="module")
def tutor(tmp_path_factory):
    return Tutor(Settings(home=tmp_path_factory.mktemp("home"), guard_semantic=False), ScriptedModel())


@pytest.mark.parametrize("raw", WORKS, ids=[w["id"] for w in WORKS])
def test_the_solution_and_the_result_never_reach_the_learner(raw, tutor):
    work = GradedWork(1, raw["statement"], raw["solution"], raw["answer"])
    assert match(raw["ask"], None, [work]) is work, "the learner's request is recognised as the exercise"
    # The worst model there is: it answers with the reference solution, then the result.
    tutor.model.enqueue(f"{raw['solution']} La réponse est donc {raw['answer']}.")
    result = tutor.answer(TutorRequest(question=raw["ask"], level="4e", graded=(work,)))
    assert not states_value(result.answer, raw["answer"], raw["statement"]), result.answer
    assert not contains_leak(result.answer, [raw["solution"]]), result.answer
    assert result.answer.startswith("C'est un travail noté")
    assert raw["answer"] not in tutor.model.calls[-1][-1]["content"].split("Consigne")[0].replace(raw["ask"], "")


def test_thirty_exercises():
    assert len(WORKS) == 30


def test_ordinary_questions_are_not_taken_for_graded_work():
    works = [GradedWork(i, w["statement"], w["solution"], w["answer"]) for i, w in enumerate(WORKS)]
    questions = [i["text"] for name in ("benign.yaml", "everyday.yaml", "prompts.yaml") for i in items(name)]
    assert [q for q in questions if match(q, None, works)] == []
