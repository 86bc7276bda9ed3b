"""French analysis: elisions, accents, stems, stop words; English variant and glossary."""

from precepteur.library.analysis import analyse, fold, question_stems
from precepteur.library.glossary import expand


def test_elision_accents_and_stems():
    assert analyse("L'arbre binaire") == analyse("les arbres binaires") == ["arbre", "binair"]
    assert analyse("qu'est-ce qu'une clé étrangère ?") == analyse("cle etrangere")
    assert analyse("jusqu'à l'infini") == ["infin"]
    assert fold("Données Œuvre") == "donnees oeuvre"


def test_question_stems_drop_stop_words_of_both_languages():
    assert question_stems("what is a stack") == [{"stack"}]
    assert question_stems("c'est quoi une pile") == [{"pil", "pile"}]


def test_glossary_prefers_longest_phrase():
    assert expand("how does merge sort work?") == ["tri fusion"]
    assert expand("what is a binary search tree") == ["arbre binaire de recherche"]
    assert expand("bonjour") == []
