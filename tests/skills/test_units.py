"""Unit conversion and speed problems."""

from fractions import Fraction

import pytest

from precepteur.skills import convert, detect

UNIT_CASES = [
    ("convertis 2,5 km en m", "fr", "2500 m"),
    ("combien de minutes dans 3 heures", "fr", "180 min"),
    ("how many grams in 3.2 kg?", "en", "3200 g"),
    ("Convert 5 km to meters", "en", "5000 m"),
    ("combien de centimètres dans 1,5 m ?", "fr", "150 cm"),
    ("combien de mL dans 2 L", "fr", "2000 mL"),
    ("combien de secondes dans une heure ?", "fr", "3600 s"),
    ("how many seconds in an hour", "en", "3600 s"),
    ("2,5 km = ? m", "fr", "2500 m"),
    ("1 L en cm3", "fr", "1000 cm³"),
    ("combien de litres dans 1 m³", "fr", "1000 L"),
    ("36 km/h en m/s", "fr", "10 m/s"),
    ("10 m/s en km/h", "fr", "36 km/h"),
    ("convertis 150 minutes en heures", "fr", "2,5 h"),
    ("Convert 90 minutes to hours", "en", "1.5 h"),
    ("3 t en kg", "fr", "3000 kg"),
    ("Combien de jours dans 3 semaines ?", "fr", "21 j"),
    ("Combien d'heures dans une semaine ?", "fr", "168 h"),
    ("Combien de m² dans un hectare ?", "fr", "10 000 m²"),
    ("1 heure et demie en minutes", "fr", "90 min"),
    ("combien de minutes dans 2h30", "fr", "150 min"),
    ("convertis 100 m en miles", "fr", "≈ 0,0621 mi"),
    ("à 90 km/h pendant 2 h 30, quelle distance ?", "fr", "225 km"),
    ("a car travels at 60 km/h for 45 minutes, how far does it go?", "en", "45 km"),
    ("Une voiture roule à 80 km/h pendant 3 heures. Quelle distance parcourt-elle ?", "fr", "240 km"),
    ("une voiture roule à 80 km/h pendant une heure et demie, quelle distance parcourt-elle ?", "fr", "120 km"),
    ("combien de temps pour parcourir 150 km à 100 km/h ?", "fr", "1,5 h"),
    ("Une voiture roule à 90 km/h. Combien de temps met-elle pour parcourir 270 km ?", "fr", "3 h"),
    ("Un cycliste parcourt 45 km en 1 h 30. Quelle est sa vitesse moyenne ?", "fr", "30 km/h"),
    ("If I drive at 50 mph for 3 hours, how far will I go?", "en", "150 mi"),
]


@pytest.mark.parametrize(("question", "lang", "expected"), UNIT_CASES)
def test_detect_units(question, lang, expected):
    assert [(f.name, f.result) for f in detect(question, lang)] == [("units", expected)]


def test_unit_statements():
    (fact,) = detect("convertis 2,5 km en m")
    assert fact.statement == "2,5 km = 2500 m."
    assert "2500" in fact.accept
    (fact,) = detect("à 90 km/h pendant 2 h 30, quelle distance ?")
    assert fact.statement == "À 90 km/h pendant 2 h 30 min, on parcourt 225 km (distance = vitesse × durée)."
    (fact,) = detect("combien de temps pour parcourir 150 km à 100 km/h ?")
    assert "1 h 30 min" in fact.statement and "1 h 30" in fact.accept


def test_convert_is_exact():
    assert convert(Fraction(5, 2), "km", "m") == 2500
    assert convert(1, "L", "dm³") == 1
    assert convert(36, "km/h", "m/s") == 10
    assert convert(1, "mile", "km") == Fraction(1609344, 1000000)
    assert convert(3, "heures", "minutes") == 180
    with pytest.raises(ValueError):
        convert(1, "kg", "m")
    with pytest.raises(ValueError):
        convert(1, "furlong", "m")
