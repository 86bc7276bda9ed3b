"""Key terms, cloze and true/false made by code, on a small real course (exact outputs)."""

from __future__ import annotations

import pytest

from precepteur.learning.items._build import Context
from precepteur.learning.items.cloze import make_cloze
from precepteur.learning.items.generate import term_index, usable
from precepteur.learning.items.model_kinds import key_candidates, numbers_of
from precepteur.learning.items.terms import candidates, inflect, lemma
from precepteur.learning.items.true_false import antonym_change, negation_change, number_change

TOPIC = "cours.md:3-le-routage"


@pytest.fixture
def terms(topics):
    return term_index(topics)


def sentence(topics, startswith: str):
    return next(s for t in topics for p in t.passages for s in usable(p) if s.display.startswith(startswith))


def test_terms_by_shape(terms):
    assert sorted((t.text, t.kind, t.count) for t in terms.terms.values()) == [
        ("Bellman-Ford", "name", 1), ("DNS", "acronym", 1), ("Dijkstra", "name", 1), ("FIFO", "acronym", 2),
        ("HTTP", "acronym", 1), ("LIFO", "acronym", 2), ("OSPF", "acronym", 2), ("RIP", "acronym", 4),
        ("file", "word", 3), ("pile", "word", 3), ("protocole", "word", 7), ("table de routage", "phrase", 2),
    ]
    assert terms.get("tables de routage").text == "table de routage" and terms.get("table de routage").gender == "f"
    assert candidates('la notion de "clé primaire" et le protocole RIP') == [
        ("clé primaire", "quoted", ""), ("protocole", "word", "m"), ("RIP", "acronym", ""),
    ]  # "notion" is too general a word to be a key
    assert lemma("Les arbres binaires") == "arbre binaire" and inflect("arbre binaire", True) == "arbres binaires"


def test_siblings_follow_the_word_before(terms):
    rip = terms.get("RIP")
    assert [t.text for t in terms.siblings(rip, TOPIC, left="protocole")] == ["OSPF", "DNS", "HTTP", "FIFO", "LIFO"]
    lifo = terms.get("LIFO")
    assert [t.text for t in terms.siblings(lifo, "cours.md:1-les-piles", left="principe")][:1] == ["FIFO"]


def test_cloze_blanks_the_defined_term_first(topics, terms):
    s = sentence(topics, "Une pile est")
    items = make_cloze(s, terms, Context("nsi", "cours.md:1-les-piles", "Terminale"), limit=2)
    assert [(i.prompt, i.key) for i in items] == [
        ("Une _____ est une structure de données qui suit le principe LIFO (le dernier entré est le premier sorti).", "pile"),
        ("Une pile est une structure de données qui suit le principe _____ (le dernier entré est le premier sorti).", "LIFO"),
    ]
    first = items[0]
    assert first.kind == "cloze" and first.generator == "cloze.terms" and first.level == "Terminale"
    assert first.source.quote == s.text and first.source.locator == "cours.md › 1) Les piles"
    assert first.hint == "On retrouve souvent ce principe en informatique."
    assert "pile" not in first.hint


def test_true_false_changes(topics, terms):
    from precepteur.learning.items.true_false import make_true_false

    context = Context("nsi", TOPIC)
    made = make_true_false(sentence(topics, "Le protocole RIP s'appuie"), terms, context)
    assert [(i.generator, i.key, i.prompt) for i in made] == [
        ("true_false.copy", "Vrai", "Vrai ou faux ? Le protocole RIP s'appuie sur l'algorithme de Bellman-Ford."),
        ("true_false.swap", "Faux", "Vrai ou faux ? Le protocole OSPF s'appuie sur l'algorithme de Bellman-Ford."),
    ]
    assert made[1].explanation == "L'affirmation dit « OSPF » là où le document dit « RIP »."
    assert make_true_false(sentence(topics, "Chaque routeur"), terms, context)[1].prompt == (
        "Vrai ou faux ? Chaque routeur ne possède pas de table de routage.")
    assert antonym_change("Une pile suit le principe LIFO.") == ("Une pile suit le principe FIFO.", "LIFO", "FIFO")
    assert number_change("Une route RIP compte au plus 15 sauts.") == ("Une route RIP compte au plus 30 sauts.", "15", "30")
    assert number_change("Codd publie son modèle en 1970.")[0] == "Codd publie son modèle en 1980."
    assert negation_change("Le protocole OSPF est souvent utilisé.") is None  # a hedge: not clearly false
    assert negation_change("Un arbre est un graphe.") == ("Un arbre n'est pas un graphe.", "est", "n'est pas")


def test_model_kinds_keys(topics, terms):
    s = sentence(topics, "Une route RIP")
    assert key_candidates(s, terms, TOPIC) == ["RIP"] and numbers_of(s) == ["15"]
    assert numbers_of(sentence(topics, "La table de routage est mise")) == ["30"]


def test_a_changed_word_keeps_french_elision():
    from precepteur.learning.items.true_false import antonym_change, join_words

    assert antonym_change("La commande kill permet de supprimer un processus.")[0] == (
        "La commande kill permet d'ajouter un processus.")
    assert join_words("permet d'", "supprimer", " un processus") == "permet de supprimer un processus"
    assert join_words("qu'", "le", " reste") == "que le reste"
    assert join_words("l'", "pile", " vide") is None  # "le" or "la"? the change does not know


def test_a_swap_only_puts_a_noun_phrase_in_place_of_a_term():
    from precepteur.learning.items.true_false import _names_a_thing

    assert _names_a_thing("algorithme de Dijkstra") and _names_a_thing("table de routage")
    assert not _names_a_thing("plus proche") and not _names_a_thing("chacun son tour")


def test_no_swap_of_an_acronym_followed_by_its_expansion_nor_of_a_quoted_term():
    from precepteur.learning.items.terms import TermIndex
    from precepteur.learning.items.true_false import swap_change

    terms = TermIndex.build({"t": ["Le PID identifie le processus.", "Le SGBD gère les données.",
                                   "Le PID est un nombre.", "Le SGBD est un logiciel.",
                                   "On dit « arbres » et « proche » dans ce cours."]})
    assert swap_change("Chaque processus possède un identifiant : le PID (Process Identification).", terms, "t") is None
    assert swap_change("Les arbres sont des types abstraits très utilisés en informatique.", terms, "t") is None
    changed = swap_change("Le PID identifie chaque processus du système.", terms, "t")
    assert changed is not None and changed[2] == "SGBD"
