"""Every validation check, named and recorded: what passes, what fails and why (in French)."""

from __future__ import annotations

import pytest

from precepteur.errors import ModelError
from precepteur.learning.items.checks import KnownItem, validate
from precepteur.learning.items.types import Item, Source
from precepteur.llm import ScriptedModel

DOC = "## Routage\n\nLe protocole RIP s'appuie sur l'algorithme de Bellman-Ford.\nUne route RIP compte au plus 15 sauts.\n"
QUOTE = "Le protocole RIP s'appuie sur l'algorithme de Bellman-Ford."
NUMBER_QUOTE = "Une route RIP compte au plus 15 sauts."


def item(kind, prompt, key, *, choices=None, quote=QUOTE, variants=(), tolerance=None) -> Item:
    start = DOC.index(quote)
    return Item(0, "nsi", "cours.md:routage", kind, None, prompt, choices, key, list(variants), "", tolerance,
                Source("cours.md", "cours.md › Routage", quote, start, start + len(quote)), "draft", {},
                context=DOC.replace("## Routage\n\n", ""))


def run(candidate, model=None, known=()):
    return validate(candidate, document_text=DOC, known=known, model=model)


GOOD_MCQ = item("mcq", "Sur quel algorithme s'appuie le protocole RIP ?", "Bellman-Ford",
                choices=["Dijkstra", "Bellman-Ford", "Kruskal", "Prim"])


def test_a_good_mcq_passes_every_check_in_code():
    checked = run(GOOD_MCQ)
    assert checked.checks == {
        "schema": True, "well_formed": True, "quote_verbatim": True, "key_in_passage": True,
        "key_not_in_stem": True, "choices_distinct": True, "choices_same_type": True, "no_all_none": True,
        "distractors_not_in_quote": True, "not_duplicate": True,
    }
    assert checked.passed and checked.failed_reasons == {}


@pytest.mark.parametrize(("changes", "check", "reason"), [
    ({"choices": ["Dijkstra", "Bellman-Ford", "Kruskal"]}, "schema", "un QCM a exactement 4 choix"),
    ({"prompt": "Sur quel algorithme s'appuie le protocole RIP."}, "well_formed", "la question doit finir par « ? »"),
    ({"prompt": "Sur quel algorithme le protocole RIP ne s'appuie-t-il pas ?"}, "well_formed", "question tournée à la négative"),
    ({"prompt": "Le protocole RIP s'appuie-t-il sur Bellman-Ford ?"}, "key_not_in_stem", "l'énoncé donne déjà la réponse"),
    ({"choices": ["Bellman", "Bellman-Ford", "Kruskal", "Prim"]}, "choices_distinct", "deux choix sont presque identiques"),
    ({"choices": ["12", "Bellman-Ford", "Kruskal", "Prim"]}, "choices_same_type", "nombres et mots mêlés"),
    ({"choices": ["Dijkstra", "Bellman-Ford", "Kruskal", "Toutes ces réponses"]}, "no_all_none", "toutes / aucune"),
    ({"choices": ["algorithme", "Bellman-Ford", "Kruskal", "Prim"]}, "distractors_not_in_quote", "figure dans la phrase citée"),
    ({"key": "Dijkstra", "choices": ["Dijkstra", "Floyd", "Kruskal", "Prim"]}, "key_in_passage", "ne se trouve pas dans la citation"),
])
def test_mcq_flaws(changes, check, reason):
    checked = run(GOOD_MCQ.copy(**changes))
    assert checked.checks[check] is False
    assert reason in checked.failed_reasons[check]
    assert not checked.passed


def test_quote_must_be_verbatim():
    moved = GOOD_MCQ.copy(source=Source("cours.md", "x", QUOTE, 0, len(QUOTE)))
    assert run(moved).checks["quote_verbatim"] is False
    assert validate(GOOD_MCQ, document_text=None).failed_reasons["quote_verbatim"].startswith("le document source")


def test_true_false_statements_are_the_quote_or_one_change():
    true = item("true_false", f"Vrai ou faux ? {QUOTE}", "Vrai", choices=["Vrai", "Faux"])
    false = item("true_false", "Vrai ou faux ? Le protocole RIP s'appuie sur l'algorithme de Dijkstra.", "Faux",
                 choices=["Vrai", "Faux"])
    two_changes = item("true_false", "Vrai ou faux ? Le protocole OSPF s'appuie sur l'algorithme de Dijkstra.", "Faux",
                       choices=["Vrai", "Faux"])
    assert run(true).passed and run(false).passed
    assert run(two_changes).checks["key_in_passage"] is False
    assert run(true.copy(key="Faux")).checks["key_in_passage"] is False
    assert "key_not_in_stem" not in run(true).checks


def test_cloze_numeric_and_short_answer():
    cloze = item("cloze", "Le protocole RIP s'appuie sur l'algorithme de _____.", "Bellman-Ford")
    assert run(cloze).passed
    assert run(cloze.copy(prompt="Le protocole RIP s'appuie sur l'algorithme.")).failed_reasons["schema"].startswith(
        "un texte à trous a exactement un trou")
    numeric = item("numeric", "Combien de sauts au plus compte une route RIP ?", "15", quote=NUMBER_QUOTE)
    assert run(numeric).passed and run(numeric).checks["numeric_recomputed"]
    assert run(numeric.copy(key="16")).checks["numeric_recomputed"] is False
    assert run(numeric.copy(key="beaucoup")).checks["schema"] is False
    assert run(numeric.copy(key="quinze sauts")).passed  # a number with its noun is a number
    computed = item("numeric", "Combien font 3 × 5 sauts pour une route RIP ?", "15", quote=NUMBER_QUOTE)
    assert run(computed).checks["numeric_recomputed"] is True
    wrong = item("numeric", "Combien font 3 × 4 sauts pour une route RIP ?", "15", quote=NUMBER_QUOTE)
    assert run(wrong).failed_reasons["numeric_recomputed"] == "le calcul de l'énoncé ne donne pas la réponse"
    leak = item("numeric", "Une route RIP compte-t-elle 15 sauts au plus ?", "15", quote=NUMBER_QUOTE)
    assert run(leak).checks["key_not_in_stem"] is False
    short = item("short_answer", "Sur quel algorithme s'appuie le protocole RIP ?", "Bellman-Ford")
    assert run(short).passed
    spelled = item("short_answer", "Quel protocole (Routing Information Protocol) s'appuie sur Bellman-Ford ?", "RIP")
    assert run(spelled).failed_reasons["key_not_in_stem"] == "l'énoncé épelle déjà le sigle attendu"


def test_duplicates_of_the_bank_are_rejected():
    known = [KnownItem(7, "mcq", "Sur quel algorithme s'appuie le protocole  RIP ?", "Bellman-Ford", QUOTE)]
    assert run(GOOD_MCQ, known=known).failed_reasons["not_duplicate"] == "doublon d'un exercice existant"
    assert run(GOOD_MCQ, known=[KnownItem(7, "cloze", GOOD_MCQ.prompt, "x")]).checks["not_duplicate"]
    same_sentence = [KnownItem(8, "mcq", "Quel algorithme utilise RIP ?", "Bellman-Ford", QUOTE)]
    assert run(GOOD_MCQ, known=same_sentence).checks["not_duplicate"] is False


def test_answerability_asks_the_model_with_the_passage():
    model = ScriptedModel()
    model.enqueue({"lettre": "B"}, {"lettre": "A"}, ModelError("model.bad_json", detail="{"))
    assert run(GOOD_MCQ, model).checks["answerable"] is True
    assert "Passage :\nLe protocole RIP" in model.calls[0][1]["content"]
    assert "B) Bellman-Ford" in model.calls[0][1]["content"]
    disagrees = run(GOOD_MCQ, model)
    assert disagrees.failed_reasons["answerable"] == "le modèle, avec le passage, répond « Dijkstra »"
    broken = run(GOOD_MCQ, model)
    assert broken.checks["answerable"] is False and "le modèle n'a pas pu répondre" in broken.failed_reasons["answerable"]
    # A candidate that fails a check in code never costs a model call.
    calls = len(model.calls)
    run(GOOD_MCQ.copy(prompt="Bellman-Ford ?"), model)
    assert len(model.calls) == calls


def test_teacher_items_without_a_source_skip_the_source_checks():
    own = GOOD_MCQ.copy(source=Source("", "", "", 0, 0))
    checked = validate(own, document_text=None, sourced=False)
    assert "quote_verbatim" not in checked.checks and "key_in_passage" not in checked.checks
    assert checked.passed


def test_a_question_must_stand_without_the_text():
    checked = run(GOOD_MCQ.copy(prompt="Quel algorithme est mentionné dans la phrase ?"))
    assert checked.failed_reasons["well_formed"].startswith("la question renvoie à un texte")


def test_a_word_of_the_same_family_gives_the_key_away():
    doc = "## Processus\n\nUn processus en attente d'une ressource est bloqué.\n"
    quote = "Un processus en attente d'une ressource est bloqué."
    start = doc.index(quote)
    candidate = Item(0, "nsi", "p", "short_answer", None, "Dans quel état est un processus en situation de blocage ?",
                     None, "bloqué", [], "", None, Source("p.md", "p.md › Processus", quote, start, start + len(quote)),
                     "draft", {})
    checked = validate(candidate, document_text=doc)
    assert checked.failed_reasons["key_not_in_stem"] == "l'énoncé donne la réponse par un mot de la même famille"
    fair = candidate.copy(prompt="Dans quel état est un processus qui attend une ressource ?")
    assert validate(fair, document_text=doc).passed


@pytest.mark.parametrize(("a", "b", "same"), [
    ("blocage", "bloqué", True), ("routage", "routeurs", True), ("récursivité", "récursif", True),
    ("programme", "protocole", False), ("pile", "piles", False), ("graphe", "graphique", True),
    ("compilateur", "contrôle", False),
])
def test_word_families(a, b, same):
    from precepteur.learning.items.checks import same_family

    assert same_family(a, b) is same


def test_a_question_names_what_the_quote_is_about():
    numeric = item("numeric", "Combien de sauts au plus compte une route ?", "15", quote=NUMBER_QUOTE)
    checked = run(numeric)
    assert checked.failed_reasons["key_not_in_stem"] == "l'énoncé ne nomme pas ce dont parle la citation"
    assert run(numeric.copy(prompt="Combien de sauts au plus compte une route RIP ?")).passed


def test_a_key_cut_out_of_a_longer_word_is_refused():
    doc = "## Dictionnaires\n\nUn dictionnaire associe des couples clé-valeur.\n"
    quote = "Un dictionnaire associe des couples clé-valeur."
    start = doc.index(quote)
    source = Source("d.md", "d.md › Dictionnaires", quote, start, start + len(quote))
    cut = Item(0, "nsi", "d", "mcq", None, "Qu'associe un dictionnaire en Python ?", ["couples clé", "listes triées",
               "entiers signés", "piles vides"], "couples clé", [], "", None, source, "draft", {})
    checked = validate(cut, document_text=doc)
    assert checked.failed_reasons["key_in_passage"] == "la réponse est un morceau d'un mot plus long de la citation"
    whole = cut.copy(key="couples clé-valeur", choices=["couples clé-valeur", "listes triées", "entiers signés",
                                                         "piles vides"])
    assert validate(whole, document_text=doc).checks["key_in_passage"] is True


def test_a_statement_does_not_start_with_the_pages_label():
    doc = "## Routage\n\nProblème : un paquet peut boucler entre deux routeurs.\n"
    quote = "Problème : un paquet peut boucler entre deux routeurs."
    start = doc.index(quote)
    statement = Item(0, "nsi", "r", "true_false", None, f"Vrai ou faux ? {quote}", ["Vrai", "Faux"], "Vrai", [], "",
                     None, Source("r.md", "r.md › Routage", quote, start, start + len(quote)), "draft", {})
    checked = validate(statement, document_text=doc)
    assert checked.failed_reasons["well_formed"].startswith("la phrase commence par une étiquette")


def test_a_distractor_that_another_sentence_makes_right_is_refused():
    doc = ("## Routage\n\nLe protocole RIP choisit la route qui compte le moins de sauts.\n"
           "Le protocole OSPF choisit la route de plus grand débit.\n")
    quote = "Le protocole RIP choisit la route qui compte le moins de sauts."
    start = doc.index(quote)
    source = Source("r.md", "r.md › Routage", quote, start, start + len(quote))
    two_keys = Item(0, "nsi", "r", "mcq", None, "Quel protocole choisit une route ?", ["RIP", "OSPF", "HTTP", "DNS"],
                    "RIP", [], "", None, source, "draft", {})
    checked = validate(two_keys, document_text=doc)
    assert checked.failed_reasons["distractors_not_in_quote"] == (
        "un autre passage du document fait d'un mauvais choix une bonne réponse")
    one_key = two_keys.copy(prompt="Quel protocole choisit la route qui compte le moins de sauts ?")
    assert validate(one_key, document_text=doc).checks["distractors_not_in_quote"] is True


@pytest.mark.parametrize(("choices", "key", "reason"), [
    (["les branches", "les feuilles", "les racines", "arbres"], "arbres", "certains choix ont un article"),
    (["équations", "chiffres", "sommet", "graphes"], "graphes", "singulier et pluriel mêlés"),
    (["Dijkstra", "Bellman-Ford", "Kruskal", "rien"], "Bellman-Ford", "« rien »"),
])
def test_choices_that_give_the_key_away_or_answer_nothing(choices, key, reason):
    checked = run(GOOD_MCQ.copy(choices=choices, key=key))
    assert any(reason in r for r in checked.failed_reasons.values()), checked.failed_reasons


def test_a_question_about_a_figure_the_learner_does_not_see_is_refused():
    checked = run(GOOD_MCQ.copy(prompt="Sur quel algorithme s'appuie le protocole RIP du routeur A ?"))
    assert "une figure" in checked.failed_reasons["well_formed"]


def test_a_number_read_in_a_negative_sentence_is_refused():
    doc = "## Rendu de monnaie\n\nJe ne peux pas utiliser de pièce de 1 euro.\n"
    quote = "Je ne peux pas utiliser de pièce de 1 euro."
    start = doc.index(quote)
    numeric = Item(0, "nsi", "m", "numeric", None, "Quelle est la plus grande pièce que je peux utiliser pour rendre 72 cts ?",
                   None, "1", [], "", None, Source("m.md", "m.md › Rendu", quote, start, start + len(quote)), "draft", {})
    assert validate(numeric, document_text=doc).failed_reasons["numeric_recomputed"].startswith("la phrase citée est négative")


def test_a_distractor_stated_in_another_document_of_the_library_is_refused():
    corpus = DOC + "\nLe protocole OSPF s'appuie aussi sur un algorithme de plus court chemin.\n"
    two_keys = GOOD_MCQ.copy(prompt="Sur quel algorithme s'appuie un protocole ?", key="RIP",
                             choices=["RIP", "OSPF", "HTTP", "DNS"])
    assert validate(two_keys, document_text=DOC).checks["distractors_not_in_quote"] is True
    assert validate(two_keys, document_text=DOC, corpus=corpus).checks["distractors_not_in_quote"] is False


def test_a_number_needs_its_unit_and_a_key_is_not_cut_at_a_colon():
    doc = "## RIP\n\nChaque routeur envoie périodiquement (toutes les 30 secondes) un message.\nUn dictionnaire contient des couples clé:valeur.\n"
    quote = "Chaque routeur envoie périodiquement (toutes les 30 secondes) un message."
    start = doc.index(quote)
    numeric = Item(0, "nsi", "r", "numeric", None, "Quel est le temps entre deux messages d'un routeur ?", None, "30", [], "",
                   None, Source("r.md", "r.md › RIP", quote, start, start + len(quote)), "draft", {})
    assert validate(numeric, document_text=doc).failed_reasons["numeric_recomputed"].startswith("le nombre a une unité")
    said = numeric.copy(prompt="Toutes les combien de secondes un routeur envoie-t-il un message ?")
    assert validate(said, document_text=doc).passed
    quote = "Un dictionnaire contient des couples clé:valeur."
    start = doc.index(quote)
    cut = Item(0, "nsi", "d", "short_answer", None, "Que contient un dictionnaire Python ?", None, "couples clé", [], "", None,
               Source("r.md", "r.md › RIP", quote, start, start + len(quote)), "draft", {})
    assert validate(cut, document_text=doc).checks["key_in_passage"] is False


@pytest.mark.parametrize(("key", "choice", "same"), [
    ("SGBD", "DBMS", True), ("IA", "AI", True),
    ("SGBD", "système de gestion de base de données", True), ("SGBD", "Système de Gestion de Bases de Données", True),
    ("LIFO", "FIFO", False), ("RAM", "ROM", False), ("HTTP", "HTTPS", False), ("TCP", "UDP", False),
    ("PHP", "HTTP", False), ("CPU", "GPU", False), ("pile", "file", False),
])
def test_a_wrong_choice_that_names_the_key_in_other_words(key, choice, same):
    from precepteur.learning.items.model_kinds import acceptable_distractor, names_the_same

    assert names_the_same(key, choice) is same
    if same:  # the generator replaces it (other near-keys, "HTTPS" for "HTTP", fail other tests there)
        assert not acceptable_distractor(choice, key, [], "Une phrase sans ces mots.")


def test_an_mcq_offering_the_key_in_english_is_refused():
    doc = "## Bases\n\nPour manipuler les données, on utilise un logiciel abrégé en SGBD.\n"
    quote = "Pour manipuler les données, on utilise un logiciel abrégé en SGBD."
    start = doc.index(quote)
    item = Item(0, "nsi", "b", "mcq", None, "Quel logiciel utilise-t-on pour manipuler les données d'une base ?",
                ["SGBD", "DBMS", "tableur", "compilateur"], "SGBD", [], "", None,
                Source("b.md", "b.md › Bases", quote, start, start + len(quote)), "draft", {})
    reason = validate(item, document_text=doc).failed_reasons["distractors_not_in_quote"]
    assert reason.startswith("un mauvais choix nomme la bonne réponse autrement")


@pytest.mark.parametrize(("choices", "key", "mixed"), [
    (["algorithme de recherche", "algorithmes non structurés", "algorithme glouton", "algorithmes récursifs"],
     "algorithmes récursifs", True),
    (["domaine", "classiques", "élu", "clé primaire"], "clé primaire", True),
    (["matrices de distances", "matrices de poids", "matrices d'incidence", "matrices d'adjacence"],
     "matrices d'adjacence", False),
    (["processus", "thread", "tâche", "programme"], "processus", False),  # "processus" is singular too
    (["Python", "Java", "Pandas", "SQL"], "SQL", False),  # names: their number is not read
])
def test_choices_whose_head_nouns_mix_singular_and_plural(choices, key, mixed):
    from precepteur.learning.items.model_kinds import same_number

    checked = run(GOOD_MCQ.copy(choices=choices, key=key))
    assert ("singulier et pluriel mêlés" in checked.failed_reasons.get("choices_same_type", "")) is mixed
    assert all(same_number(c, key) for c in choices) is not mixed
