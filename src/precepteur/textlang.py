"""Guess whether a learner wrote in French or in English (the two product languages).

A cheap, deterministic vote on function words and accented letters: good enough to
answer in the learner's language, and never a reason to refuse a question.
"""

from __future__ import annotations

import re

_WORD = re.compile(r"[a-zàâäçéèêëîïôöùûüÿœæ']+", re.I)
_FR = set(
    "le la les un une des du de d l qu que qui quoi quel quelle quels quelles est sont et ou où "
    "combien comment pourquoi dans pour avec sans sur mot mots lettre lettres fait font je tu il "
    "elle nous vous ils elles ce cette ces mon ma mes ton ta tes son sa ses au aux pas ne plus "
    "moins fois divisé égal égale calcule calculer résous résoudre convertis convertir en c'est "
    "qu'est quelle voyelles heure heures minutes kilomètres mètres litres explique donne".split()
)
_EN = set(
    "the a an of to is are and or how many much what which who why when where in for with without "
    "on word words letter letters does do i you he she we they this that these my your his her "
    "times divided equal equals calculate compute solve convert into it's explain give vowels "
    "hours minutes kilometers meters metres litres liters there".split()
)


def detect_language(text: str, default: str = "fr") -> str:
    """'fr' or 'en' for `text`; `default` when the text gives no clue."""
    words = [w.lower().strip("'") for w in _WORD.findall(text)]
    fr = sum(w in _FR for w in words) + 2 * len(re.findall(r"[àâçéèêëîïôûùœ«»]", text))
    en = sum(w in _EN for w in words)
    if fr == en:
        return default
    return "fr" if fr > en else "en"
