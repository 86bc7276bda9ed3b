"""A teacher's own questions from CSV and Markdown: kinds inferred, every bad row reported by line."""

from __future__ import annotations

from precepteur.learning.items.importing import Draft, RowError, parse

CSV = """question;réponse;type;choix;variantes;notion
Sur quel algorithme s'appuie RIP ?;Bellman-Ford;qcm;Dijkstra | Bellman-Ford | Kruskal | Prim;;Le routage
Le protocole OSPF utilise le coût comme métrique.;vrai;;;;
Une route RIP compte au plus _____ sauts.;15;;;;
Combien de secondes entre deux mises à jour RIP ?;30;;;;
Quel principe suit une pile ?;LIFO;;;dernier entré premier sorti;
;sans question;;;;
Une question sans réponse ?;;;;;
Quel type ?;x;dissertation;;;
Un QCM à trois choix ?;a;qcm;a | b | c;;
Vrai ou faux ?;peut-être;vrai/faux;;;
"""

MARKDOWN = """# Mes questions

1. Sur quel algorithme s'appuie le protocole RIP ?
   - [ ] Dijkstra
   - [x] Bellman-Ford
   - [ ] Kruskal
   - [ ] Prim
2. Le protocole RIP utilise le nombre de sauts comme métrique.
   - [x] Vrai
   - [ ] Faux
3. Une pile suit le principe _____.
   Réponse : LIFO
   Explication : le dernier entré est le premier sorti.
4. Quel protocole utilise le coût ?
   Réponse : OSPF
   Variantes : le protocole OSPF | Open Shortest Path First
5. Deux bonnes réponses ?
   - [x] a
   - [x] b
   - [ ] c
   - [ ] d
6. Pas de réponse du tout ?
texte perdu
"""


def test_csv_rows_and_errors():
    rows = parse(CSV, "questions.csv")
    drafts = [r for r in rows if isinstance(r, Draft)]
    errors = [r for r in rows if isinstance(r, RowError)]
    assert [(d.line, d.kind, d.key) for d in drafts] == [
        (2, "mcq", "Bellman-Ford"), (3, "true_false", "Vrai"), (4, "cloze", "15"), (5, "numeric", "30"),
        (6, "short_answer", "LIFO"),
    ]
    assert drafts[0].choices == ["Dijkstra", "Bellman-Ford", "Kruskal", "Prim"] and drafts[0].skill == "Le routage"
    assert drafts[1].choices == ["Vrai", "Faux"] and drafts[4].variants == ["dernier entré premier sorti"]
    assert [(e.line, e.key) for e in errors] == [
        (7, "no_prompt"), (8, "no_answer"), (9, "unknown_kind"), (10, "four_choices"), (11, "true_false_answer"),
    ]


def test_markdown_questions_and_errors():
    rows = parse(MARKDOWN, "questions.md")
    drafts = [r for r in rows if isinstance(r, Draft)]
    errors = [r for r in rows if isinstance(r, RowError)]
    assert [(d.line, d.kind, d.key) for d in drafts] == [
        (3, "mcq", "Bellman-Ford"), (8, "true_false", "Vrai"), (11, "cloze", "LIFO"), (14, "short_answer", "OSPF"),
    ]
    assert drafts[2].explanation == "le dernier entré est le premier sorti."
    assert drafts[3].variants == ["le protocole OSPF", "Open Shortest Path First"]
    assert [(e.line, e.key) for e in errors] == [(17, "one_right_choice"), (22, "no_answer")]


def test_empty_and_headerless_files():
    assert [(e.line, e.key) for e in parse("", "a.csv")] == [(1, "empty_file")]
    assert [(e.line, e.key) for e in parse("a,b\n1,2\n", "a.csv")] == [(1, "csv_header")]
    assert [(e.line, e.key) for e in parse("du texte\n", "a.md")] == [(1, "outside_question")]
