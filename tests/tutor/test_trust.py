"""Answers with no document behind them: no stray marker, a visible label, the admin's and
the class's policy. The pipeline runs with the scripted model and a real SQLite library."""

from __future__ import annotations

import random

import pytest

from precepteur.config import Settings
from precepteur.library import LibraryService
from precepteur.llm import ScriptedModel
from precepteur.i18n import t
from precepteur.tutor import Tutor, TutorRequest, trust

COURSE = "## Les piles\n\nUne pile est une structure de données LIFO : le dernier élément empilé est le premier dépilé.\n"


@pytest.fixture
def settings(tmp_path):
    return Settings(home=tmp_path / "home", guard_semantic=False, guard_judge="off")


@pytest.fixture
def library(settings, tmp_path):
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "piles.md").write_text(COURSE, encoding="utf-8")
    service = LibraryService(settings)
    assert service.add("nsi", [str(tmp_path / "docs")], embed=False).ok
    return service


def run(tutor, **request):
    events = list(tutor.stream(TutorRequest(**request)))
    shown = ""
    for event in events:  # what a page shows: deltas, a replace overrides everything before it
        if event["type"] == "delta":
            shown += event["text"]
        elif event["type"] == "replace":
            shown = event["text"]
    return events[-1]["result"], shown


def test_strip_markers_keeps_only_verified_numbers():
    assert trust.strip_markers("Bleu [1]. Vrai [2, 3] ; faux [4].", {2}) == "Bleu. Vrai [2] ; faux."
    assert trust.strip_markers("Un tableau [i] et prix [1 €]", set()) == "Un tableau [i] et prix [1 €]"


@pytest.mark.parametrize("seed", range(20))
def test_marker_filter_is_split_anywhere_like_the_whole(seed):
    text = "Le ciel [1] est bleu [2]. La mer [1, 3] aussi [ok] et t[0] reste [12]."
    rng = random.Random(seed)
    cuts = sorted(rng.sample(range(1, len(text)), 6))
    chunks = [text[a:b] for a, b in zip([0, *cuts], [*cuts, len(text)])]
    for sources in (0, 1, 2):
        markers = trust.MarkerFilter(sources)
        out = "".join(markers.feed(c) for c in chunks) + markers.flush()
        assert out == trust.strip_markers(text, set(range(1, sources + 1)))


def test_no_library_no_marker_and_a_label_everywhere(settings):
    model = ScriptedModel(["Le ciel est bleu à cause de la lumière [1]."])
    result, shown = run(Tutor(settings, model), question="Pourquoi le ciel est-il bleu ?", level="CP")
    assert "[1]" not in shown and "[1]" not in result.answer
    assert result.answer == "Le ciel est bleu à cause de la lumière.\n\n" + trust.label("fr")
    assert shown == result.answer
    assert result.sourced is False and result.to_dict()["sourced"] is False and not result.declined


def test_label_kept_out_of_the_history_the_model_reads(settings):
    model = ScriptedModel(["Oui."])
    earlier = "Le ciel est bleu.\n\n" + trust.label("fr")
    Tutor(settings, model).answer(TutorRequest(question="Et la mer ?", history=[
        {"role": "user", "content": "Pourquoi le ciel est-il bleu ?"}, {"role": "assistant", "content": earlier}]))
    assert model.calls[-1][2] == {"role": "assistant", "content": "Le ciel est bleu."}


def test_a_cited_answer_keeps_its_marker_and_no_label(settings, library):
    model = ScriptedModel(["Une pile est LIFO : le dernier élément empilé est le premier dépilé [1]. Voir [3]."])
    result, shown = run(Tutor(settings, model, library), question="Qu'est-ce qu'une pile LIFO ?", library="nsi")
    assert result.citations and result.sourced
    assert "[1]" in result.answer and "[3]" not in result.answer and "[3]" not in shown
    assert trust.label("fr") not in result.answer


def test_a_computed_fact_is_sourced(settings):
    result, _ = run(Tutor(settings, ScriptedModel()), question="Combien de lettres dans le mot « lettre » ?")
    assert result.sourced and trust.label("fr") not in result.answer


def test_declines_are_not_labelled(settings, library):
    result, _ = run(Tutor(settings, ScriptedModel(), library), question="Qui a gagné la coupe du monde 1998 ?",
                    library="nsi")
    assert result.declined and not result.sourced and trust.label("fr") not in result.answer


def test_admin_default_decline_names_the_library_that_covers_it(settings, library):
    settings = settings.model_copy(update={"unsourced_answers": "decline"})
    model = ScriptedModel(["jamais lu"])
    result, _ = run(Tutor(settings, model, library), question="Qu'est-ce qu'une pile LIFO ?", libraries=("nsi",))
    assert result.declined and "« nsi »" in result.answer and not model.calls
    result, _ = run(Tutor(settings, model, library), question="Pourquoi le ciel est-il bleu ?", libraries=("nsi",))
    assert result.answer == t("trust.declined", "fr") and not model.calls


def test_request_override_beats_library_policy_beats_default(settings):
    strict = settings.model_copy(update={"unsourced_by_library": {"nsi": "decline"}})
    assert trust.may_answer_unsourced(strict, None) and not trust.may_answer_unsourced(strict, "nsi")
    assert trust.may_answer_unsourced(strict, "nsi", override=True)
    closed = settings.model_copy(update={"unsourced_answers": "decline"})
    assert not trust.may_answer_unsourced(closed, "maths") and trust.may_answer_unsourced(closed, "maths", True)
    result, _ = run(Tutor(closed, ScriptedModel(["Parce que."])), question="Pourquoi ?", unsourced=True)
    assert not result.declined and result.answer.endswith(trust.label("fr"))


def test_general_answers_follow_the_policy(settings, library):
    closed = settings.model_copy(update={"unsourced_answers": "decline"})
    result, _ = run(Tutor(closed, ScriptedModel(["Parce que."]), library), question="Qui a peint la Joconde ?",
                    library="nsi", allow_general=True)
    assert result.declined and not result.general


def test_english_label(settings):
    result, _ = run(Tutor(settings, ScriptedModel(["Because of scattering."])), question="Why is the sky blue?")
    assert result.answer.endswith(trust.label("en")) and "course document" in trust.label("en")
