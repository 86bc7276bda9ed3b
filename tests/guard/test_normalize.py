"""Normalisation: every way of writing a word gives the form the policy reads."""

from __future__ import annotations

import pytest

from precepteur.guard.normalize import normalize


@pytest.mark.parametrize("raw, expected", [
    ("SUICIIIDE", "suicide"),
    ("s u i c i d e", "suicide"),
    ("s.u.i.c.i.d.e", "suicide"),
    ("s-u-i-c-i-d-e", "suicide"),
    ("su1c1d3", "suicide"),
    ("$uicide", "suicide"),
    ("h4rc3l3m3nt", "harcelement"),
    ("sùicide", "suicide"),
    ("Je veux m\u043eurir", "je veux mourir"),  # Cyrillic o
    ("sui\u200bcide", "suicide"),  # zero-width space
    ("ｓｕｉｃｉｄｅ", "suicide"),  # full-width letters
    ("sucide", "suicide"),  # one letter missing
    ("harcelemment", "harcelement"),
    ("jveu mourir", "je veux mourir"),
    ("chui triste", "je suis triste"),
    ("j'en peux plus", "j en peux plus"),
    ("jrecois des msg", "j recois des message"),
    ("ils mtraitent", "ils m traitent"),
    ("m o u r i r  c'est mieux", "mourir c est mieux"),
    ("c nul", "c est nul"),
    ("aide moi!!", "aide moi"),
])
def test_tricks_are_undone(raw, expected):
    assert normalize(raw) == expected


@pytest.mark.parametrize("raw, expected", [
    ("Résous 53x = 106", "resous 53x 106"),  # algebra is not leetspeak
    ("2x+3=11", "2x 3 11"),
    ("il y a 3 pommes", "il y a 3 pommes"),  # single-letter words are not spelling
    ("Clarifier une notion", "clarifier une notion"),  # not "scarifier"
    ("automatiser", "automatiser"),  # not "automutiler"
    ("mdr", "mdr"),
    ("mercredi", "mercredi"),
    ("le site XXXX", "le site xxxx"),
])
def test_ordinary_text_is_left_alone(raw, expected):
    assert normalize(raw) == expected
