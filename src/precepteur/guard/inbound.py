"""Inbound checks: requests a school assistant must refuse or redirect, before any model runs.

Deterministic patterns, French first, English second. A match never shames the
learner: it answers kindly and, for distress, points to help (3114 is the French
national suicide-prevention line, free, 24/7; 119 is the child-protection line).
Also flags questions about a person's life (`biography`): Précepteur only tells a
life from the teacher's documents, never from the model's memory, because
inventing biographies was one of LUCIE's public failures.

Constants: CATEGORIES (ordered, first match wins), BIOGRAPHY_PATTERNS.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from ..i18n import t


def fold(text: str) -> str:
    """Lower-case, accents removed, apostrophes unified: what the patterns match against."""
    text = unicodedata.normalize("NFKD", text.lower().replace("’", "'"))
    return "".join(c for c in text if not unicodedata.combining(c))


def _rx(*patterns: str) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{p})" for p in patterns))


# Ordered: distress first, so a learner in danger always gets the help line.
CATEGORIES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("self_harm", _rx(
        r"\b(me|se|te) (suicider|tuer|faire du mal|mutiler|scarifier|pendre|jeter sous)",
        r"\bsuicid", r"\bmettre fin a (mes|ma|tes|sa) (jours|vie)", r"\benvie de mourir",
        r"\bje veux mourir", r"\bscarif", r"\bautomutil",
        r"\b(envie|besoin) d'en finir\b", r"\bplus (envie|le gout) de vivre\b", r"\bpersonne ne m'aime\b",
        r"\bkill (myself|yourself|himself|herself)", r"\bself[- ]?harm", r"\bwant to die",
        r"\bend (my|his|her) life", r"\bcut(ting)? myself",
        r"\b(hurt(ing)?|harm(ing)?|injur(e|ing)) (myself|yourself|himself|herself)\b",
        r"\b(envie de|veux|vais) me (blesser|faire souffrir)\b",
    )),
    ("weapons", _rx(
        r"\b(fabriquer|faire|construire|creer|comment (on )?(fait|fabrique)) (une |un |des )?"
        r"(bombe|explosif|arme|cocktail molotov|pistolet|grenade|napalm)",
        r"\b(bombe|explosif)s? (artisanal|maison)", r"\bacheter (une |des )?armes?",
        r"\b(make|build|create) (a |an )?(bomb|explosive|gun|weapon|molotov)",
        r"\bhow to (make|build) (a )?(bomb|explosive|weapon)", r"\bbuy (a )?(gun|weapon)",
    )),
    ("drugs", _rx(
        r"\b(acheter|fabriquer|faire pousser|cultiver|trouver|vendre|deal(er)?) (de la |du |des |de )?"
        r"(drogue|cannabis|cocaine|heroine|ecstasy|mdma|crack|meth|shit|beuh|weed|lsd)",
        r"\b(buy|make|grow|cook|sell) (some )?(drugs|cocaine|heroin|meth|weed|cannabis|mdma|lsd)",
        r"\bse droguer", r"\bget high\b",
    )),
    ("sexual", _rx(
        r"\bporno", r"\bsexe? (avec|entre) (un |une |des )?(mineur|enfant|eleve)", r"\bnude?s?\b",
        r"\bphotos? (de moi |d'elle |de lui )?(nue?s?|denudee?s?)", r"\bsexting",
        r"\bporn", r"\bsex with (a )?(minor|child|kid)", r"\bnaked (pictures|photos)",
        r"\bhistoire (erotique|cochonne|de sexe)", r"\berotic stor",
    )),
    ("hate", _rx(
        r"\b(blague|insulte|texte|discours)s? (raciste|antisemite|homophobe|sexiste|haineu)",
        r"\bpourquoi les (noirs|arabes|juifs|musulmans|femmes|homosexuels|gays|roms) sont (inferieur|betes|nuls|mauvais)",
        r"\b(racist|antisemitic|homophobic|sexist) (joke|insult|speech|text)",
        r"\bwhy are (black people|jews|muslims|women|gays) (inferior|stupid)",
        r"\bharceler\b", r"\bharcelement de\b", r"\bhumilier (un|une|mon|ma) (camarade|eleve|prof)",
        r"\b(bully|harass) (a |my )?(classmate|teacher|student)",
    )),
    ("cheating", _rx(
        r"\btricher\b", r"\btriche (au|a l'|en|pendant)", r"\bantiseche", r"\bpendant (l'|le |mon )?(examen|controle|bac|brevet|ds)\b.*\b(reponse|aide)",
        r"\bsujets? (du bac|du brevet|de l'examen) (avant|a l'avance)", r"\bcheat(ing)? (on|in|at|during)",
        r"\bcheat sheet", r"\bexam answers (before|in advance)",
    )),
    ("personal_data", _rx(
        r"\b(adresse|numero de telephone|numero|telephone|mot de passe|photo|instagram|snap(chat)?|compte)"
        r" (perso(nnel)?|prive)? ?(de|d'|du) (mon |ma |mes |notre |la |le )?"
        r"(camarade|copain|copine|prof|professeur|voisin|voisine|eleve|classe)",
        r"\b(address|phone number|password|instagram|snapchat) of (my |a )?(classmate|teacher|friend)",
        r"\bmy (classmate|teacher)'s (address|phone number|password)",
        r"\bpirater (le |la |un |une |son |sa )?(compte|pronote|ent|mot de passe)",
        r"\bhack (into )?(my )?(teacher|classmate|school)",
    )),
)

BIOGRAPHY_PATTERNS = _rx(
    r"\b(biographie|bio) (de|d'|du)\b", r"\bbiography of\b",
    r"^\s*(qui (est|etait|fut|a ete)|c'est qui|c ki|raconte(-moi)? la vie d[e']|biographie d[e'u]|parle(-moi)? de la vie d[e'])\s*",
    r"^\s*(who (is|was)|tell me about the life of|biography of|what did .{2,40} do in (his|her) life)\b",
    r"\b(ne|nee|naissance|mort|morte|decede) (en|le|a)\b.*\?\s*$",
    r"\b(quand|ou) (est )?(ne|nee|mort|morte)\b", r"\bwhen was .{2,40} born\b", r"\bwhere was .{2,40} born\b",
)


@dataclass(frozen=True)
class InboundVerdict:
    category: str | None  # None: the request may go on
    message: str = ""
    biography: bool = False  # the question asks about a person's life

    @property
    def refused(self) -> bool:
        return self.category is not None


def check(question: str, level_cycle: str, lang: str) -> InboundVerdict:
    """Refuse or redirect unsafe requests; flag biography questions."""
    text = fold(question)
    for category, pattern in CATEGORIES:
        if pattern.search(text):
            # Adults may discuss cheating or personal data in the abstract; minors are redirected.
            if level_cycle == "adulte" and category in ("cheating",):
                continue
            return InboundVerdict(category, t(f"guard.{category}", lang))
    return InboundVerdict(None, biography=bool(BIOGRAPHY_PATTERNS.search(text)))
