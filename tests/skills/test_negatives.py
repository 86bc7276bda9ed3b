"""Questions that are not computations get no verified fact: a wrong skill is worse than none."""

import pytest

from precepteur.skills import detect

NOT_COMPUTATIONS = [
    "Qu'est-ce qu'une liste chaînée ?",
    "Explique la récursivité",
    "Combien de temps dure la Première Guerre mondiale ?",
    "Combien de lettres dans l'alphabet ?",
    "how many letters are in the English alphabet?",
    "Quelle est la capitale de la France ?",
    "Combien de pattes a une araignée ?",
    "Comment résoudre une équation du second degré ?",
    "Qu'est-ce qu'une fraction ?",
    "Combien de joueurs dans une équipe de football ?",
    "What is a linked list?",
    "How many planets are in the solar system?",
    "En quelle année a eu lieu la Révolution française ?",
    "Combien de temps faut-il pour apprendre Python ?",
    "Quel est le résultat de print(2 + 3) en Python ?",
    "Combien de mots faut-il écrire pour la dissertation ?",
    "Pourquoi 0,1 + 0,2 ne fait pas 0,3 en Python ?",
    "La Seconde Guerre mondiale (1939-1945)",
    "1914-1918",
    "Combien de syllabes dans « chocolat » ?",
    "J'ai 3 pommes et j'en mange 2, combien m'en reste-t-il ?",
    "un enfant de 30 kg doit prendre combien de mg de paracétamol",
    "combien de kilomètres entre Paris et Lyon",
    "Combien de lettres dans un mot de passe sécurisé ?",
    "Écris une fonction qui compte les lettres d'un mot",
    "Que vaut x dans x = x + 1 en Python ?",
    "Quelle est la dérivée de x² ?",
    "Combien de lettres faut-il pour écrire le mot chat en morse",
    "Que s'est-il passé le 14/07/1789 ?",
    "Pourquoi 2 + 2 = 4 ?",
    "Le chapitre 3 parle de quoi ?",
    "Donne-moi 3 exemples de listes",
    "Mon code affiche 0.30000000000000004, pourquoi ?",
    "Que fait 5 // 2 en Python ?",
    "Combien de lettres a l'alphabet grec ?",
    "combien de mots dans le dictionnaire",
    "How many words does the average person know?",
    "how many letters does your name have",
    "how many letters in a word",
    "La fonction f(x) = 2x + 3 est-elle affine ?",
    "Un rectangle mesure 5 cm sur 3 cm, quelle est son aire ?",
    "Ma note est de 12 sur 20, c'est bien ?",
    "Combien font 3 pommes + 2 pommes ?",
    "for i in range(10): print(i * 2)",
    "How many bits in a byte?",
    "Combien de côtés a un hexagone ?",
    "",
]


@pytest.mark.parametrize("question", NOT_COMPUTATIONS)
def test_no_skill_for_non_computations(question):
    assert detect(question) == []


def test_several_questions_in_one_message():
    facts = detect("combien de lettres a le mot lettre et combien font 2+2 ?")
    assert [(f.name, f.result) for f in facts] == [("count", "6"), ("arithmetic", "4")]
