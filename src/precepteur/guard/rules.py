"""The deterministic layer: French rules over the normalised message, no model, no network.

`decide(question, level_cycle, lang)` normalises the message (normalize.py), runs
the policy's rules (policy.py) and turns what fired into one `Verdict`:

- a `strong` (or `threat`, `refuse`) rule always acts;
- a `topic` rule acts unless the message is a school question (the policy's
  `SCHOOL` vocabulary) or asks about the subject rather than telling of oneself
  ("c'est quoi…", "pourquoi…", "quels sont les effets…"): then the question is
  answered, and for distress topics the help line is added as a footnote;
- when several categories fire, the most protective action wins (PRIORITY) and
  every redirecting category's help is given, so a learner who is bullied *and*
  in despair reads both 3018 and 3114;
- injected orders are removed from the question ("ignore tes consignes…"), and
  the rest of the message is still answered;
- adults are not sent to hint mode for graded work;
- a learner who asks how to help a friend in distress ("ma meilleure amie se scarifie, comment
  l'aider ?") is answered, with the help lines as a footnote, unless the message turns out to
  be about themselves ("enfin c'est moi", SELF_REVEAL).

Constants: PRIORITY, INFORMATIONAL, FIRST_PERSON, OTHERS, SELF_REVEAL, STORY_IS_ME, ALLY_FOOTNOTED, FOOTNOTE_CATEGORIES,
BIOGRAPHY_PATTERNS.
"""

from __future__ import annotations

import re

from ..i18n import t
from .normalize import fold, normalize
from .policy import Policy, load_policy
from .verdict import Verdict

PRIORITY = ("self_harm", "child_danger", "sextortion", "harassment", "sexual", "violence", "drugs",
            "hate", "cheating", "personal_data", "injection")
# The message asks about a subject rather than telling of oneself.
INFORMATIONAL = re.compile(
    r"\b(?:c est quoi|c etait quoi|qu est ce que|qu est ce qu|est il vrai|est ce vrai|"
    r"quest ce que|definition|definis|definir|defini|que signifie|que veut dire|ca veut dire quoi|pourquoi|"
    r"comment (?:on )?(?:peut |pourrait |doit |faut il |peut on )?(?:fonctionne|agit|agissent|marche|marchent|expliquer|reconnaitre|aider|prevenir|lutter|se protege|on se protege|eviter|definir|les|la|le|l|un|une|des)|"
    r"quels? (?:sont )?(?:les )?(?:effets|risques|dangers|consequences|causes|signes|symptomes|chiffres|raisons|lois|sanctions)|"
    r"quelles? (?:sont )?(?:les )?(?:consequences|causes|raisons|lois|sanctions)|quelle est (?:la|l)|en quoi|a quoi sert|"
    r"explique|expliquez|parle moi d|parle nous d|dis m en plus sur|est ce que (?:le|la|les|l)|que dit la loi|"
    r"what is|what are|why do|why does|why did|explain|how does|how do)\b"
)
FIRST_PERSON = re.compile(r"\b(?:je|j|me|m|moi|mon|ma|mes|i|my|myself)\b")
# "mon cousin", "ma petite sœur": a possessive that speaks of someone else, not of oneself.
OTHERS = re.compile(r"\b(?:mon|ma|mes|my) (?:petit |petite |petits |petites |grand |grande |meilleur |meilleure |"
                    r"nouveau |nouvelle )?(?:frere|freres|soeur|soeurs|cousin|cousine|cousins|pere|mere|papa|maman|"
                    r"oncle|tante|tata|tonton|tatie|marraine|parrain|papy|papi|mamie|grand pere|grand mere|grands parents|parents|ami|amie|amis|copain|"
                    r"copine|pote|potes|camarade|camarades|voisin|voisine|prof|professeur|hamster|chat|chien|lapin|"
                    r"poisson|cheval|brother|sister|friend|friends|mom|mum|dad|uncle|aunt|cousin)\b")
# "mon ami (enfin c'est moi)": a message about a friend that turns out to be about oneself.
SELF_REVEAL = re.compile(r"\b(?:c est moi|c etait moi|enfin moi|en fait moi|l ami c est moi|l amie c est moi|"
                         r"je parle de moi|moi aussi|pour moi en fait|pour moi aussi|it s me|it was me|actually me|"
                         r"me too|moi pareil|et moi\b.*\by pense|je suis dessus|j y suis aussi|moi dessus|ca me concerne|"
                         r"moi je suis|moi on me|on me fait pareil|me fait pareil|me font pareil)\b")
# "c'est pour une histoire que j'écris (c'est moi l'histoire)": the story is no excuse.
STORY_IS_ME = re.compile(r"\b(?:c est|c etait) moi (?:l histoire|le personnage|l heroine|le heros|le perso)\b|"
                         r"\b(?:l histoire|le personnage|l heroine|le heros|le perso) (?:c est|c etait) moi\b")
# Distress told about someone else by a learner who asks how to help: answered, with the help lines.
# (Not a child in danger: 119 is for whoever knows of one, and someone must act.)
ALLY_FOOTNOTED = frozenset({"self_harm", "harassment"})
FOOTNOTE_CATEGORIES = {"self_harm": "guard.footnote.self_harm", "harassment": "guard.footnote.harassment",
                       "child_danger": "guard.footnote.harassment", "drugs": "guard.footnote.drugs"}
BIOGRAPHY_PATTERNS = re.compile("|".join(f"(?:{p})" for p in (
    r"\b(biographie|bio) (de|d'|du)\b", r"\bbiography of\b",
    r"^\s*(qui (est|etait|fut|a ete)|c'est qui|c ki|raconte(-moi)? la vie d[e']|biographie d[e'u]|parle(-moi)? de la vie d[e'])\s*",
    r"^\s*(who (is|was)|tell me about the life of|biography of|what did .{2,40} do in (his|her) life)\b",
    r"\b(ne|nee|naissance|mort|morte|decede) (en|le|a)\b.*\?\s*$",
    r"\b(quand|ou) (est )?(ne|nee|mort|morte)\b", r"\bwhen was .{2,40} born\b", r"\bwhere was .{2,40} born\b",
)))


def asks_for_someone_else(normalized: str, policy: Policy) -> bool:
    """The learner asks how to help someone else (the policy's ALLY), and the message does not
    turn out to be about herself (SELF_REVEAL)."""
    return policy.is_ally(normalized) and not SELF_REVEAL.search(normalized)


def ally_footnote(lang: str) -> str:
    """The help lines a learner who helps a friend in distress reads under the answer."""
    return "\n\n".join(t(FOOTNOTE_CATEGORIES[c], lang) for c in PRIORITY if c in ALLY_FOOTNOTED)


_SPLIT_KEEP = re.compile(r"(?<=[.!?;:\n])\s+|\n+")


def _strip_injections(question: str, policy: Policy) -> str:
    """The question without the sentences that order the model about (the real task stays)."""
    category = policy.category("injection")
    kept, skip_next = [], False
    for part in _SPLIT_KEEP.split(question):
        if not part.strip():
            continue
        if skip_next:  # the order announced by "Nouvelle consigne :"
            skip_next = False
            continue
        if category.fired(normalize(part)):
            skip_next = part.rstrip().endswith(":")
            continue
        kept.append(part.strip())
    return " ".join(kept).strip()


def decide(question: str, level_cycle: str = "adulte", lang: str = "fr", policy: Policy | None = None) -> Verdict:
    """The deterministic verdict on one learner message."""
    policy = policy or load_policy("fr")
    text = normalize(question)
    found = policy.matches(text)
    biography = bool(BIOGRAPHY_PATTERNS.search(fold(question)))
    base = Verdict(policy_version=policy.version, question=question, biography=biography)
    if not found:
        return base
    # A lesson's vocabulary, or a question about the subject that does not speak of oneself.
    ally = asks_for_someone_else(text, policy)
    school = ((policy.is_school(text) or ally
               or bool(INFORMATIONAL.search(text) and not FIRST_PERSON.search(OTHERS.sub(" ", text))))
              and not STORY_IS_ME.search(text))
    acting: dict[str, tuple[str, bool]] = {}  # category -> (action, flag)
    footnotes: list[str] = []
    matched: list[str] = []
    minors = False
    for category_id in PRIORITY:
        groups = found.get(category_id)
        if not groups:
            continue
        category = policy.category(category_id)
        if category_id == "cheating" and level_cycle == "adulte":
            continue
        strong = groups.get("strong", []) + groups.get("threat", [])
        if ally and category_id in ALLY_FOOTNOTED and groups.get("strong") and not groups.get("threat"):
            footnotes.append(FOOTNOTE_CATEGORIES[category_id])  # how to help a friend: answer, with the lines
            matched += groups["strong"]
            continue
        if groups.get("refuse"):
            acting[category_id] = ("refuse", category.flag)
            matched += groups["refuse"]
        elif strong:
            acting[category_id] = (category.action, category.flag or bool(groups.get("threat")))
            matched += strong
        elif groups.get("topic"):
            if school and category_id in FOOTNOTE_CATEGORIES:
                footnotes.append(FOOTNOTE_CATEGORIES[category_id])
                matched += groups["topic"]
            elif not school:
                acting[category_id] = (category.action, category.flag)
                matched += groups["topic"]
        if category_id == "sexual" and category_id in acting and groups.get("minors"):
            minors = True
            acting[category_id] = (acting[category_id][0], True)
    footnote = "\n\n".join(dict.fromkeys(t(key, lang) for key in footnotes))
    if not acting:
        return base.but(footnote=footnote, matched=tuple(matched))
    primary = min(acting, key=lambda c: (_ACTION_RANK[acting[c][0]], PRIORITY.index(c)))
    action = acting[primary][0]
    flag = any(flag for _, flag in acting.values())
    if action == "redirect":
        redirecting = [c for c in PRIORITY if acting.get(c, ("",))[0] == "redirect"]
        message = "\n\n".join(t(policy.category(c).message, lang) for c in redirecting)
    elif action == "refuse" and primary == "cheating":
        message = t("guard.cheating.refuse", lang)
    else:
        message = t(policy.category(primary).message, lang)
    verdict = base.but(
        action=action, category=primary, categories=tuple(c for c in PRIORITY if c in acting),
        message=message, footnote=footnote, flag=flag, matched=tuple(matched), minors=minors,
    )
    if action == "ignore":
        rest = _strip_injections(question, policy)
        verdict = verdict.but(question=rest, message="" if rest else t("guard.injection", lang))
        if not rest:
            verdict = verdict.but(action="refuse")
    return verdict


_ACTION_RANK = {"redirect": 0, "refuse": 1, "inform": 2, "ignore": 3, "hint": 4, "mask": 5, "answer": 6}
