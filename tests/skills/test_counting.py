"""Counting skill: pure functions and the French/English phrasings learners type."""

import pytest

from precepteur.skills import (
    count_characters,
    count_consonants,
    count_digits,
    count_letter,
    count_letters,
    count_vowels,
    count_words,
    detect,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [("lettre", 6), ("strawberry", 10), ("élève", 5), ("arc-en-ciel", 9), ("aujourd'hui", 10),
     ("cœur", 5), ("Anticonstitutionnellement", 25), ("", 0), ("R2-D2", 2)],
)
def test_count_letters(text, expected):
    assert count_letters(text) == expected


def test_count_vowels_consonants_words_letter_characters_digits():
    assert count_vowels("oiseau") == 5
    assert count_vowels("rythme") == 2  # French: y is a vowel
    assert count_vowels("rhythm", "en") == 0
    assert count_vowels("été") == 2
    assert count_consonants("bonjour") == 4
    assert count_words("Le chat dort sur le tapis") == 6
    assert count_words("l'arbre est grand") == 4  # l' + arbre
    assert count_words("aujourd'hui il pleut") == 3  # not an elision
    assert count_words("un arc-en-ciel - magnifique !") == 3
    assert count_letter("strawberry", "r") == 3
    assert count_letter("élève", "e") == 3
    assert count_letter("élève", "é") == 1
    assert count_letter("Mississippi", "S") == 4
    assert count_characters("bonjour !") == 9
    assert count_digits("2 024") == 4


COUNT_CASES = [
    ("Combien de lettres comporte le mot « lettre » ?", "6"),
    ("combien de lettres dans lettre", "6"),
    ("Combien y a-t-il de lettres dans le mot \"lettre\" ?", "6"),
    ("le mot lettre contient combien de lettres", "6"),
    ("Le mot « bonjour » a combien de lettres ?", "7"),
    ("Combien de lettres a le mot anticonstitutionnellement ?", "25"),
    ("COMBIEN DE LETTRES DANS ELEVE", "5"),
    ("combien de lettres dans « élève »", "5"),
    ("Combien de lettres dans arc-en-ciel ?", "9"),
    ("Peux-tu compter les lettres du mot « ordinateur » stp ?", "10"),
    ("Compte le nombre de lettres dans hippopotame", "11"),
    ("nombre de lettres du mot chat", "4"),
    ("Combien de lettres dans le prénom Maximilien", "10"),
    ("how many letters in strawberry", "10"),
    ("How many letters are in the word strawberry?", "10"),
    ("How many letters does \"banana\" have?", "6"),
    ("how many letters does the word necessary have", "9"),
    ("Count the number of letters in 'bookkeeper'", "10"),
    ("what is the number of letters in 'hello'", "5"),
    ("strawberry has how many letters?", "10"),
    ("count the letters in 'aujourd'hui'", "10"),
    ("Combien de voyelles dans « oiseau » ?", "5"),
    ("Combien de voyelles y a-t-il dans le mot oiseau ?", "5"),
    ("Quel est le nombre de voyelles dans « aéroport » ?", "4"),
    ("how many vowels are in \"education\"", "5"),
    ("Combien de consonnes dans « chocolat » ?", "5"),
    ("Combien de mots dans la phrase « Le chat dort sur le tapis » ?", "6"),
    ("combien de mots y a-t-il dans : \"Je suis allé à l'école\"", "6"),
    ("combien de mots dans cette phrase : je mange une pomme", "4"),
    ("how many words in \"The cat sat on the mat\"?", "6"),
    ("How many words are in this sentence: I love learning French", "4"),
    ("combien de r dans strawberry ?", "3"),
    ("combien de fois la lettre r apparait dans strawberry", "3"),
    ("la lettre r apparaît combien de fois dans strawberry ?", "3"),
    ("combien y a-t-il de r dans strawberry ?", "3"),
    ("How many r's are in strawberry?", "3"),
    ("how many Rs in strawberry", "3"),
    ("how many r in strawberry", "3"),
    ("combien de 'r' dans 'strawberry'", "3"),
    ("How many times does the letter \"e\" appear in \"excellence\"?", "4"),
    ("how many e's in 'excellence'", "4"),
    ("Combien de « s » dans « Mississippi » ?", "4"),
    ("combien de e dans « élève »", "3"),
    ("combien de fois la lettre e apparaît dans élève ?", "3"),
    ("combien d'a dans banane", "2"),
    ("combien de lettres a dans banane", "2"),
    ("Combien de fois trouve-t-on la lettre « n » dans « anticonstitutionnellement » ?", "5"),
    ("Combien y a-t-il de 'l' dans 'parallèle'", "3"),
    ("How many characters are in 'hello world'?", "11"),
    ("combien de chiffres dans 2024", "4"),
    ("Le mot lettre a-t-il 5 lettres ?", "6"),
]


@pytest.mark.parametrize(("question", "expected"), COUNT_CASES)
def test_detect_counts(question, expected):
    facts = detect(question)
    assert [(f.name, f.result) for f in facts] == [("count", expected)]
    assert expected in facts[0].accept


def test_statements_state_the_convention():
    (fact,) = detect("Combien de lettres comporte le mot « lettre » ?")
    assert fact.statement == "Le mot « lettre » compte 6 lettres. Lettre par lettre : l-e-t-t-r-e."
    assert fact.accept[:2] == ["6", "six"]
    (fact,) = detect("How many letters are in the word 'lettre'?")
    assert fact.statement == 'The word "lettre" has 6 letters. Letter by letter: l-e-t-t-r-e.'
    (fact,) = detect("combien de lettres dans arc-en-ciel")
    assert "traits d'union" in fact.statement
    (fact,) = detect("combien de mots dans « l'arbre est grand »")
    assert fact.result == "4" and "deux mots" in fact.statement
    (fact,) = detect("Le mot lettre a-t-il 5 lettres ?")
    assert fact.statement.startswith("Non : ")
    (fact,) = detect("combien de z dans « banane »")
    assert fact.result == "0" and "n'apparaît pas" in fact.statement


def test_long_words_are_not_spelled_and_vowels_are_listed_in_order():
    from precepteur.skills import detect

    long_word = "a" * 31
    assert "par lettre" not in detect(f"combien de lettres dans « {long_word} »")[0].statement
    assert detect("combien de voyelles dans « oiseau »")[0].statement.endswith("Dans l’ordre : o, i, e, a, u.")
