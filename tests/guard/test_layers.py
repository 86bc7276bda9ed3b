"""The layers together: rules first, the semantic vote asks the judge, failures fail closed."""

from __future__ import annotations

import pytest

from precepteur.guard.layers import Guard
from precepteur.guard.semantic import SemanticVote
from precepteur.llm import ScriptedModel, StructuredText


class FakeSemantic:
    def __init__(self, vote=None, error=None):
        self.vote, self.error, self.calls = vote, error, []

    def classify(self, text):
        self.calls.append(text)
        if self.error:
            raise self.error
        return self.vote


VAGUE = "jpense que jvais pas tenir jusqu'aux vacances franchement"
WEAK_SELF_HARM = SemanticVote("self_harm", 0.65, 0.9)  # between ASK and DISTRESS probabilities
CONFIDENT_SELF_HARM = SemanticVote("self_harm", 0.9, 0.95)
BENIGN_VOTE = SemanticVote("hate", 0.05, 0.85)


def test_rules_decide_first_and_nothing_else_runs():
    semantic, model = FakeSemantic(WEAK_SELF_HARM), ScriptedModel()
    verdict = Guard(semantic=semantic, judge_model=model).inspect("je veux mourir", "college", "fr")
    assert verdict.layer == "rules" and "3114" in verdict.message
    assert semantic.calls == [] and model.calls == []


def test_a_weak_vote_asks_the_judge_and_its_category_stands():
    model = ScriptedModel()
    model.enqueue({"categorie": "self_harm", "action": "redirect"})
    verdict = Guard(semantic=FakeSemantic(WEAK_SELF_HARM), judge_model=model).inspect(VAGUE, "college", "fr")
    assert verdict.layer == "judge" and verdict.category == "self_harm" and verdict.flag
    assert "3114" in verdict.message and verdict.refused
    assert model.schemas[0]["required"] == ["categorie", "action"]
    assert model.schemas[0]["properties"]["categorie"]["enum"] == ["aucune", "self_harm"]


def test_the_judge_can_clear_a_weak_vote():
    model = ScriptedModel()
    model.enqueue({"categorie": "aucune", "action": "answer"})
    verdict = Guard(semantic=FakeSemantic(WEAK_SELF_HARM), judge_model=model).inspect(VAGUE, "college", "fr")
    assert verdict.action == "answer" and not verdict.refused


def test_no_vote_no_judge():
    model = ScriptedModel()
    verdict = Guard(semantic=FakeSemantic(BENIGN_VOTE), judge_model=model).inspect("Bonjour", "college", "fr")
    assert verdict.action == "answer" and model.calls == []


@pytest.mark.parametrize("broken", [StructuredText("pas du json"), ValueError("backend down")])
def test_a_broken_judge_fails_closed_on_distress(broken):
    model = ScriptedModel()
    model.enqueue(broken)
    verdict = Guard(semantic=FakeSemantic(WEAK_SELF_HARM), judge_model=model).inspect(VAGUE, "college", "fr")
    assert verdict.refused and "3114" in verdict.message and verdict.layer == "semantic"
    assert verdict.category == "distress"


def test_a_broken_judge_does_not_refuse_on_a_weak_hate_vote():
    model = ScriptedModel()
    model.enqueue(StructuredText("pas du json"))
    verdict = Guard(semantic=FakeSemantic(SemanticVote("hate", 0.65, 0.9)), judge_model=model).inspect(
        "Raconte une blague", "college", "fr")
    assert verdict.action == "answer"


def test_a_probable_distress_gets_every_help_line_without_asking_the_judge():
    model = ScriptedModel()
    verdict = Guard(semantic=FakeSemantic(CONFIDENT_SELF_HARM), judge_model=model).inspect(VAGUE, "college", "fr")
    assert verdict.refused and verdict.flag and verdict.layer == "semantic" and model.calls == []
    assert all(line in verdict.message for line in ("3114", "3018", "119"))


def test_a_probable_distress_told_by_a_friend_who_asks_how_to_help_is_answered_with_the_lines():
    model = ScriptedModel()
    text = "un garçon de ma classe se fait embêter tous les jours, comment je peux l'aider sans me faire embêter aussi"
    verdict = Guard(semantic=FakeSemantic(CONFIDENT_SELF_HARM), judge_model=model).inspect(text, "college", "fr")
    assert verdict.action == "answer" and verdict.layer == "semantic" and model.calls == []
    assert "3114" in verdict.footnote and "3018" in verdict.footnote
    about_me = "comment je peux l'aider ? enfin c'est moi en fait"
    assert Guard(semantic=FakeSemantic(CONFIDENT_SELF_HARM)).inspect(about_me, "college", "fr").refused


def test_the_other_categories_need_a_higher_probability():
    guard = Guard(semantic=FakeSemantic(SemanticVote("hate", 0.7, 0.95)), judge_mode="off")
    assert guard.inspect("Raconte une blague", "college", "fr").action == "answer"
    guard = Guard(semantic=FakeSemantic(SemanticVote("hate", 0.9, 0.95)), judge_mode="off")
    assert guard.inspect("Raconte une blague", "college", "fr").category == "hate"
    guard = Guard(semantic=FakeSemantic(SemanticVote("sexual", 0.75, 0.95)), judge_mode="off")
    assert guard.inspect("une fanfic très explicite", "college", "fr").category == "sexual"
    guard = Guard(semantic=FakeSemantic(WEAK_SELF_HARM), judge_mode="off")
    assert guard.inspect(VAGUE, "college", "fr").action == "answer"


def test_judge_always_asks_about_every_message():
    model = ScriptedModel()
    model.enqueue({"categorie": "drugs", "action": "inform"})
    guard = Guard(semantic=FakeSemantic(SemanticVote("drugs", 0.1, 0.8)), judge_model=model, judge_mode="always")
    verdict = guard.inspect("salut, ça roule ?", "college", "fr")
    assert verdict.category == "drugs" and "0 800 235 236" in verdict.message


def test_a_failing_semantic_layer_leaves_the_rules_standing():
    guard = Guard(semantic=FakeSemantic(error=RuntimeError("no embedder")), judge_model=ScriptedModel())
    assert guard.inspect("Bonjour", "college", "fr").action == "answer"
    assert guard.inspect("je veux mourir", "college", "fr").refused


def test_adults_are_not_sent_to_hint_mode_by_the_judge():
    model = ScriptedModel()
    model.enqueue({"categorie": "cheating", "action": "hint"}, {"categorie": "cheating", "action": "hint"})
    guard = Guard(semantic=FakeSemantic(SemanticVote("cheating", 0.1, 0.8)), judge_model=model, judge_mode="always")
    assert guard.inspect("écris ma lettre", "adulte", "fr").action == "answer"
    assert guard.inspect("écris ma lettre", "college", "fr").action == "hint"


def test_unknown_judge_mode_is_refused():
    with pytest.raises(ValueError):
        Guard(judge_mode="sometimes")


@pytest.mark.parametrize("message, read", [
    ("je suis mort de rire t'as vu ta réponse d'avant", "t as vu ta reponse d avant"),
    ("ce contrôle va me tuer, c'est quoi un vecteur ?", "c est quoi un vecteur"),
])
def test_the_semantic_layer_reads_the_message_without_its_idioms(message, read):
    semantic = FakeSemantic(BENIGN_VOTE)
    Guard(semantic=semantic).inspect(message, "college", "fr")
    assert semantic.calls == [read]


def test_a_message_without_idioms_is_read_as_written():
    semantic = FakeSemantic(BENIGN_VOTE)
    Guard(semantic=semantic).inspect(VAGUE, "college", "fr")
    assert semantic.calls == [VAGUE]


def test_an_ordinary_question_below_the_judge_band_costs_no_model_call():
    model = ScriptedModel()
    verdict = Guard(semantic=FakeSemantic(SemanticVote("sexual", 0.37, 0.85)), judge_model=model).inspect(
        "Parle-moi des volcans", "college", "fr")
    assert verdict.action == "answer" and model.calls == []


@pytest.mark.parametrize("text", ["Bonne nuit !", "Merci", "Ciao", "je craque"])
def test_a_message_of_one_or_two_words_is_left_to_the_rules(text):
    semantic, model = FakeSemantic(SemanticVote("child_danger", 0.55, 0.9)), ScriptedModel()
    verdict = Guard(semantic=semantic, judge_model=model).inspect(text, "college", "fr")
    assert verdict.action == "answer" and semantic.calls == [] and model.calls == []
    assert Guard(semantic=semantic).inspect("je veux mourir", "college", "fr").refused  # the rules still read it
