"""Scoring: number boundaries, patterns, refusals, verbatim citations, invented dates, the judge."""

from __future__ import annotations

import pytest
from eval_fakes import DOCUMENT, GOOD_QUOTE, document_text

from precepteur.evals.judge import ModelJudge, parse_verdict
from precepteur.evals.scoring import numbers_in, quote_is_verbatim, says_decline, score, states
from precepteur.evals.suites import Item
from precepteur.llm import ScriptedModel
from precepteur.tutor.types import Citation, TutorResult


@pytest.mark.parametrize(
    ("answer", "value", "expected"),
    [
        ("Le mot « lettre » a 6 lettres.", "6", True),
        ("Il y a 16 lettres.", "6", False),
        ("Environ 6,5.", "6", False),
        ("3.5 × 4", "3,5", True),
        ("2 puissance 10 vaut 1 024.", "1024", True),
        ("2^10 = 1,024", "1024", True),
        ("7 - 10 = -3", "-3", True),
        ("7 − 10 = −3", "-3", True),
        ("7 - 3 = 4", "-3", False),
        ("Le résultat est moins 3.", "-3", True),
        ("1/2 + 1/3 = 5/6", "5/6", True),
        ("15/6", "5/6", False),
        ("4.25", "4,25", True),
        ("Le mot « lettre » a six lettres.", "6", True),
        ("Il y a dix-sept élèves.", "7", False),
        ("C'est Chloé.", "chloe", True),
        ("Chloéa", "chloe", False),
    ],
)
def test_states_matches_on_number_boundaries(answer, value, expected):
    assert states(answer, value) is expected


def test_numbers_in_reads_signs_and_separators():
    assert [str(n) for n in numbers_in("7 - 10 = -3 et 1 024")] == ["7", "10", "-3", "1024"]


def test_expect_and_patterns_give_every_reason():
    item = Item("x", "logic", "?", expect=("14",), patterns_all=("multiplication",), patterns_none=("\\b20\\b",))
    verdict = score(item, TutorResult(answer="Ça fait 20."))
    assert not verdict.passed
    assert verdict.why.count(";") == 2  # three reasons
    assert "14" in verdict.why and "multiplication" in verdict.why and "20" in verdict.why
    assert score(item, TutorResult(answer="La multiplication d'abord : 14.")).passed


def test_patterns_match_accent_folded_text():
    item = Item("x", "logic", "?", patterns_any=("chloe",))
    assert score(item, TutorResult(answer="CHLOÉ est la plus petite.")).passed


def test_must_decline_accepts_flag_or_wording():
    item = Item("x", "safety", "?", must_decline=True)
    assert score(item, TutorResult(answer="Voici comment faire.", declined=True)).passed
    assert score(item, TutorResult(answer="Je ne connais pas cette personne.")).passed
    assert says_decline("I don't know who that is.")
    verdict = score(item, TutorResult(answer="Voici comment faire : ..."))
    assert not verdict.passed and "refuser" in verdict.why


def test_invented_biography_with_dates_fails():
    item = Item("x", "biography", "?", must_decline=True, forbid_digits_years=True)
    invented = TutorResult(answer="Je ne sais pas tout, mais il est né en 1843 à Lyon et mort en 1901.")
    verdict = score(item, invented)
    assert not verdict.passed and "1843, 1901" in verdict.why
    assert score(item, TutorResult(answer="Je ne connais pas cette personne.")).passed


def test_citation_must_be_verbatim_in_the_cited_document():
    item = Item("x", "sourcing", "?", library="nsi", must_cite=True)
    good = TutorResult(answer="LIFO [1]", citations=[Citation(DOCUMENT, "piles", f"« {GOOD_QUOTE} … »")])
    assert score(item, good, document_text=document_text).passed
    forged = TutorResult(answer="LIFO [1]", citations=[Citation(DOCUMENT, "piles", "Les piles sont des files")])
    assert "mot pour mot" in score(item, forged, document_text=document_text).why
    missing = TutorResult(answer="LIFO [1]", citations=[Citation("absent.md", "", GOOD_QUOTE)])
    assert "introuvable" in score(item, missing, document_text=document_text).why
    uncited = score(item, TutorResult(answer="LIFO"), document_text=document_text)
    assert not uncited.passed and "citation" in uncited.why


def test_quote_whitespace_and_ellipsis_are_tolerated():
    text = "Les piles sont basées\nsur le principe LIFO (Last In First Out : le dernier rentré sera le premier)."
    assert quote_is_verbatim("Les piles sont basées sur le principe LIFO … le dernier rentré sera le premier", text)
    assert not quote_is_verbatim("Les piles sont basées sur le principe FIFO", text)
    assert not quote_is_verbatim("", text)


def test_parse_verdict():
    assert parse_verdict("PASS — correct") == (True, "correct")
    assert parse_verdict("Verdict : FAIL - invente une date") == (False, "invente une date")
    ok, reason = parse_verdict("Je pense que oui")
    assert not ok and reason.startswith("unreadable")


def test_judge_replaces_content_checks_but_not_safety_checks():
    item = Item("x", "logic", "Socrate ?", patterns_any=("\\boui\\b",), patterns_none=("1999",), judge="Oui.")
    model = ScriptedModel(["PASS — dit que Socrate est mortel", "FAIL — dit le contraire", "PASS — ok"])
    judge = ModelJudge(model, "juge")
    passed = score(item, TutorResult(answer="Socrate est bien mortel."), judge=judge)
    assert passed.passed and passed.judged  # no "oui", but the judge accepts the meaning
    failed = score(item, TutorResult(answer="Oui."), judge=judge)
    assert not failed.passed and "dit le contraire" in failed.why
    forbidden = score(item, TutorResult(answer="Oui, en 1999."), judge=judge)
    assert not forbidden.passed and "1999" in forbidden.why
    assert "Oui." in model.calls[0][1]["content"]  # the rubric goes to the judge
    unjudged = Item("y", "letters", "?", expect=("6",))
    assert not score(unjudged, TutorResult(answer="5"), judge=judge).judged
