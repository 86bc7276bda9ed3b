"""The French PII scrubber: 25 samples masked, ordinary numbers left alone, idempotent."""

from __future__ import annotations

import pytest

from precepteur.guard.pii import MASKS, scrub

SAMPLES = [
    ("appelle-moi au 06 12 34 56 78 stp", "phone", "06 12 34 56 78"),
    ("mon tel 0612345678", "phone", "0612345678"),
    ("mon num: 07.81.22.33.44", "phone", "07.81.22.33.44"),
    ("c'est le +33 6 12 34 56 78", "phone", "+33 6 12 34 56 78"),
    ("fixe : 01-45-67-89-10", "phone", "01-45-67-89-10"),
    ("0033 7 11 22 33 44 whatsapp", "phone", "0033 7 11 22 33 44"),
    ("écris à lea.martin@gmail.com", "email", "lea.martin@gmail.com"),
    ("mail : kevin_du_93@hotmail.fr", "email", "kevin_du_93@hotmail.fr"),
    ("prof.dupont@ac-lyon.fr pour le devoir", "email", "prof.dupont@ac-lyon.fr"),
    ("moi c'est tom (at) laposte (dot) net", "email", "tom (at) laposte (dot) net"),
    ("j'habite au 12 rue des Lilas 75011 Paris", "address", "12 rue des Lilas"),
    ("viens au 3 bis avenue Jean Jaurès", "address", "avenue Jean Jaurès"),
    ("notre adresse : 45 boulevard Voltaire, 13001 Marseille", "address", "45 boulevard Voltaire"),
    ("au 7 impasse du Moulin", "address", "impasse du Moulin"),
    ("chez ma grand-mère 18 chemin des Vignes", "address", "chemin des Vignes"),
    ("le code postal c'est 69003 Lyon", "address", "69003 Lyon"),
    ("ma sécu 1 85 05 78 006 084 36", "nir", "1 85 05 78 006 084 36"),
    ("NIR 2850578006084 36", "nir", "2850578006084"),
    ("numéro de sécu : 185057800608436", "nir", "185057800608436"),
    ("mon INE c'est 1234567890A", "ine", "1234567890A"),
    ("INE 123456789AB sur pronote", "ine", "123456789AB"),
    ("iban FR76 3000 6000 0112 3456 7890 189", "iban", "FR76 3000 6000 0112 3456 7890 189"),
    ("carte 4970 1012 3456 7890", "card", "4970 1012 3456 7890"),
    ("Léa Martin m'a dit que", "name", "Léa Martin"),
    ("je suis assise à côté de lea martin en SVT", "name", "lea martin"),
]
NAMES = ["Léa Martin", "kevin93", "Tom"]


@pytest.mark.parametrize("text, kind, value", SAMPLES)
def test_each_sample_is_masked(text, kind, value):
    result = scrub(text, NAMES)
    assert kind in result.kinds
    assert value not in result.text
    assert MASKS[kind] in result.text
    assert scrub(result.text, NAMES).text == result.text  # idempotent


def test_there_are_at_least_25_samples():
    assert len(SAMPLES) >= 25


@pytest.mark.parametrize("text", [
    "Résous 3x + 12 = 45", "En 1789, 12 000 personnes", "Calcule 1234 × 5678", "la page 106 du livre",
    "2 + 2 = 4", "Le 14 juillet 1789", "un nombre entre 0 et 100", "tom a 3 pommes",
])
def test_ordinary_numbers_and_short_names_are_kept(text):
    assert scrub(text, NAMES).text == text
