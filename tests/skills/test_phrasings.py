"""Learners' own phrasings: word problems with a little context, labels, colloquial forms.

Each case is what `detect` must return, exactly (skill name and verified result),
in French and English. The brief's held-out battery is made of such questions.
"""

import pytest

from precepteur.skills import detect

PHRASINGS = [
    # conversions inside a tiny story: a subject, a measuring verb, the quantity, the target
    ("Il pèse 3 kg, c'est combien en grammes ?", "fr", "units", "3000 g"),
    ("Il pèse 3 kg, combien de grammes ça fait ?", "fr", "units", "3000 g"),
    ("Mon chat pèse 4,5 kg. Combien ça fait en grammes ?", "fr", "units", "4500 g"),
    ("Un film dure 135 minutes, ça fait combien d'heures ?", "fr", "units", "2,25 h"),
    ("Un film dure 2 h, combien de minutes ?", "fr", "units", "120 min"),
    ("Le film dure 1h30, combien de minutes ?", "fr", "units", "90 min"),
    ("Le match dure 90 minutes. Combien d'heures ?", "fr", "units", "1,5 h"),
    ("Une bouteille contient 1,5 L, combien de cL ?", "fr", "units", "150 cL"),
    ("Ma gourde contient 75 cL, c'est combien en litres ?", "fr", "units", "0,75 L"),
    ("Un sac pèse 2,5 kg. Combien de grammes ?", "fr", "units", "2500 g"),
    ("Le trajet fait 12 km, combien de mètres ça fait ?", "fr", "units", "12 000 m"),
    ("La route mesure 3 km de long, combien de mètres ?", "fr", "units", "3000 m"),
    ("J'ai couru 5 km, combien de mètres ?", "fr", "units", "5000 m"),
    ("A film lasts 135 minutes, how many hours is that?", "en", "units", "2.25 h"),
    ("The bag weighs 2.5 kg, how many grams?", "en", "units", "2500 g"),
    ("It weighs 3 kg, how much is that in grams?", "en", "units", "3000 g"),
    # one-step word problems (CP-CM2): has N, gains or loses M, how many now / left
    ("J'ai 3 pommes et j'en achète 5, combien j'en ai ?", "fr", "arithmetic", "8"),
    ("J'ai 3 pommes et j'en achète 5, combien j'en ai en tout ?", "fr", "arithmetic", "8"),
    ("J'ai 3 pommes et j'en achète encore 5, combien j'en ai ?", "fr", "arithmetic", "8"),
    ("J'ai 3 pommes, j'en achète 5 autres. Combien ai-je de pommes ?", "fr", "arithmetic", "8"),
    ("J'ai trois pommes et j'en achète cinq. Combien en ai-je ?", "fr", "arithmetic", "8"),
    ("J'ai 3 pommes et j'en mange 2, combien m'en reste-t-il ?", "fr", "arithmetic", "1"),
    ("J'ai 10 bonbons, j'en donne 4, combien m'en reste-t-il ?", "fr", "arithmetic", "6"),
    ("j'ai 12 billes, j'en perds 4, combien il m'en reste", "fr", "arithmetic", "8"),
    ("J'ai 5 billes et j'en gagne 3. Combien de billes ai-je maintenant ?", "fr", "arithmetic", "8"),
    ("J'avais 8 euros, j'en dépense 3, combien m'en reste-t-il ?", "fr", "arithmetic", "5"),
    ("J'ai 4 crayons et ma mère m'en donne 3, combien j'en ai maintenant ?", "fr", "arithmetic", "7"),
    ("Paul a 12 billes, il en perd 5. Combien lui en reste-t-il ?", "fr", "arithmetic", "7"),
    ("Léa a 7 images. Elle en donne 2 à son frère. Combien lui en reste-t-il ?", "fr", "arithmetic", "5"),
    ("Tom a 5 billes, il en gagne 7, combien en a-t-il maintenant ?", "fr", "arithmetic", "12"),
    ("Il y a 12 oiseaux sur un arbre, 5 s'envolent. Combien en reste-t-il ?", "fr", "arithmetic", "7"),
    ("Il y a 8 enfants dans le bus, 3 montent. Combien y en a-t-il maintenant ?", "fr", "arithmetic", "11"),
    ("Il y a 8 enfants dans le bus, 3 descendent. Combien d'enfants reste-t-il dans le bus ?", "fr",
     "arithmetic", "5"),
    ("I have 5 apples and I eat 2, how many are left?", "en", "arithmetic", "3"),
    ("I have 3 apples and I buy 5 more. How many apples do I have?", "en", "arithmetic", "8"),
    ("Tom has 8 marbles and gives 3 to Sam. How many does he have left?", "en", "arithmetic", "5"),
    ("Sarah had 10 stickers. She gave away 4. How many stickers does she have now?", "en", "arithmetic", "6"),
    ("I have 4 pens and my mum gives me 3. How many pens do I have now?", "en", "arithmetic", "7"),
    ("There are 12 birds in a tree, 5 fly away. How many are left?", "en", "arithmetic", "7"),
    ("There are 6 ducks on the pond and 4 more arrive. How many ducks are there now?", "en", "arithmetic", "10"),
    # an exercise label before the question
    ("Exercice 2 : calcule 3 + 4", "fr", "arithmetic", "7"),
    ("Exercice 1 - Calcule 45 + 38", "fr", "arithmetic", "83"),
    ("exo 5 : 7 x 9", "fr", "arithmetic", "63"),
    ("b) 12 - 5", "fr", "arithmetic", "7"),
    ("Question 2 : convertis 3 km en m", "fr", "units", "3000 m"),
    ("Ex. 4 : combien de lettres dans « école » ?", "fr", "count", "5"),
    ("Exercise 1: what is 7 times 8?", "en", "arithmetic", "56"),
    # arithmetic in words and symbols
    ("calcule 15 × 4 stp", "fr", "arithmetic", "60"),
    ("calcule 15 × 4 svp merci", "fr", "arithmetic", "60"),
    ("Combien font 15 % de 240 ?", "fr", "arithmetic", "36"),
    ("15% de 240 ça fait combien ?", "fr", "arithmetic", "36"),
    ("Combien représente 20 % de 50 ?", "fr", "arithmetic", "10"),
    ("quel est le double de 17 ?", "fr", "arithmetic", "34"),
    ("Double de 17 ?", "fr", "arithmetic", "34"),
    ("la moitié de 50", "fr", "arithmetic", "25"),
    ("C'est quoi la moitié de 50 ?", "fr", "arithmetic", "25"),
    ("le triple de 12", "fr", "arithmetic", "36"),
    ("le carré de 9", "fr", "arithmetic", "81"),
    ("le carré de -3", "fr", "arithmetic", "9"),
    ("Quel est le cube de 3 ?", "fr", "arithmetic", "27"),
    ("Combien font trois quarts de 20 ?", "fr", "arithmetic", "15"),
    ("quel est le reste de la division de 17 par 5 ?", "fr", "arithmetic", "2"),
    ("le quotient entier de 17 par 5", "fr", "arithmetic", "3"),
    ("quelle est la racine de 81", "fr", "arithmetic", "9"),
    ("2 puissance 8 ça fait combien", "fr", "arithmetic", "256"),
    ("2 à la puissance 8", "fr", "arithmetic", "256"),
    ("5!", "fr", "arithmetic", "120"),
    ("5 factorielle", "fr", "arithmetic", "120"),
    ("1/3 + 1/3", "fr", "arithmetic", "2/3"),
    ("0,1 + 0,2", "fr", "arithmetic", "0,3"),
    ("0,1 + 0,2 = ?", "fr", "arithmetic", "0,3"),
    ("10 - 2 x 3", "fr", "arithmetic", "4"),
    ("(4+6)/2", "fr", "arithmetic", "5"),
    ("(4+6):2", "fr", "arithmetic", "5"),
    ("quel est le résultat de 7 + 8 x 2", "fr", "arithmetic", "23"),
    ("what is half of 50", "en", "arithmetic", "25"),
    ("What is the triple of 12?", "en", "arithmetic", "36"),
    ("what's one third of 90", "en", "arithmetic", "30"),
    ("what is three quarters of 80", "en", "arithmetic", "60"),
    ("What is 0.1 + 0.2?", "en", "arithmetic", "0.3"),
    # counting
    ("combien de lettres dans le mot lettres", "fr", "count", "7"),
    ("combien de lettres dans le mot mots", "fr", "count", "4"),
    ("Combien y a-t-il de lettres dans « anticonstitutionnellement » ?", "fr", "count", "25"),
    ("cb de lettres ds lettre", "fr", "count", "6"),
    ("Compte les voyelles de « bonjour »", "fr", "count", "3"),
    ("Compte les voyelles du mot bonjour", "fr", "count", "3"),
    ("Compte les consonnes de « bonjour »", "fr", "count", "4"),
    ("nombre de mots dans : le petit chat boit du lait", "fr", "count", "6"),
    ("compte les mots de la phrase : le petit chat boit du lait", "fr", "count", "6"),
    ("combien de fois la lettre s apparaît dans « saucisson »", "fr", "count", "3"),
    ("La lettre s apparaît combien de fois dans saucisson ?", "fr", "count", "3"),
    ("Dans le mot « ananas », combien y a-t-il de a ?", "fr", "count", "3"),
    ("Dans ananas, combien de a ?", "fr", "count", "3"),
    ("How many vowels does 'education' have?", "en", "count", "5"),
    ("How many vowels in education?", "en", "count", "5"),
    ("How many words are in this sentence: the cat sat on the mat", "en", "count", "6"),
    ("How many e's in excellence", "en", "count", "4"),
    ("How many times does e appear in excellence?", "en", "count", "4"),
    ("How many letters does elephant have?", "en", "count", "8"),
    ("How many letters does the word elephant have?", "en", "count", "8"),
    ("In the word banana, how many a's are there?", "en", "count", "3"),
    # conversions
    ("convertis 5 heures en secondes", "fr", "units", "18 000 s"),
    ("5 h = combien de secondes ?", "fr", "units", "18 000 s"),
    ("combien de cm dans 2,5 m", "fr", "units", "250 cm"),
    ("combien de jours dans 3 semaines", "fr", "units", "21 j"),
    ("3 semaines = combien de jours", "fr", "units", "21 j"),
    ("1,5 L en cL", "fr", "units", "150 cL"),
    ("1,5 litre en centilitres", "fr", "units", "150 cL"),
    ("how many minutes in 2.5 hours", "en", "units", "150 min"),
    ("convert 10 miles to km", "en", "units", "16.09344 km"),
    ("How many km in 10 miles?", "en", "units", "16.09344 km"),
    # temperatures (affine, not in the factor table)
    ("30 °C en °F", "fr", "units", "86 °F"),
    ("30°C en Fahrenheit", "fr", "units", "86 °F"),
    ("Combien font 30 degrés Celsius en Fahrenheit ?", "fr", "units", "86 °F"),
    ("-40 °C en °F", "fr", "units", "-40 °F"),
    ("100 °F en °C", "fr", "units", "≈ 37,778 °C"),
    ("10 °C en kelvin", "fr", "units", "283,15 K"),
    ("convert 100 fahrenheit to celsius", "en", "units", "≈ 37.778 °C"),
    ("what is 30 celsius in fahrenheit", "en", "units", "86 °F"),
]


@pytest.mark.parametrize(("question", "lang", "name", "result"), PHRASINGS)
def test_learner_phrasings(question, lang, name, result):
    assert [(f.name, f.result) for f in detect(question, lang)] == [(name, result)]


@pytest.mark.parametrize(("question", "lang", "name", "result"), PHRASINGS)
def test_language_need_not_be_given(question, lang, name, result):
    assert [(f.name, f.result) for f in detect(question)] == [(name, result)]


@pytest.mark.parametrize(
    ("question", "lang", "statement"),
    [
        ("J'ai 3 pommes et j'en achète 5, combien j'en ai ?", "fr", "3 + 5 = 8 : il y en a 8 en tout."),
        ("J'ai 3 pommes et j'en mange 2, combien m'en reste-t-il ?", "fr", "3 - 2 = 1 : il en reste 1."),
        ("I have 5 apples and I eat 2, how many are left?", "en", "5 - 2 = 3: 3 left."),
        ("I have 3 apples and I buy 5 more. How many apples do I have?", "en", "3 + 5 = 8: 8 in all."),
        ("Un film dure 135 minutes, ça fait combien d'heures ?", "fr", "135 min = 2,25 h, soit 2 h 15 min."),
        ("Il pèse 3 kg, c'est combien en grammes ?", "fr", "3 kg = 3000 g."),
        ("30 °C en °F", "fr", "30 °C = 86 °F."),
        ("100 °F en °C", "fr", "100 °F ≈ 37,778 °C (valeur arrondie)."),
        ("le carré de 9", "fr", "9² = 81."),
        ("le carré de -3", "fr", "(-3)² = 9."),
        ("combien de lettres dans le mot lettres", "fr", "Le mot « lettres » compte 7 lettres. Lettre par lettre : l-e-t-t-r-e-s."),
        ("Dans le mot « ananas », combien y a-t-il de a ?", "fr", "La lettre « a » apparaît 3 fois dans « ananas ». Lettre par lettre : A-n-A-n-A-s."),
    ],
)
def test_statements(question, lang, statement):
    assert [f.statement for f in detect(question, lang)] == [statement]


def test_story_answers_are_checked_like_arithmetic():
    from precepteur.skills import answer_states, contradicts

    fact = detect("J'ai 3 pommes et j'en achète 5, combien j'en ai ?")[0]
    assert answer_states("Tu as maintenant 8 pommes.", fact)
    assert contradicts("Tu as maintenant 9 pommes, soit 9 en tout.", fact)
