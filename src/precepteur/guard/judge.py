"""The judge layer: the same local model reads the message with a French policy prompt
and answers a small JSON object, `{"categorie", "action"}`, under a grammar, about the
one category the semantic layer proposed (that category, or "aucune").

It is asked only when the cheaper layers are unsure (see `layers.py`), because on one
PC each call costs a prompt evaluation and evicts the tutor's cached prefix. Its
category is mapped back to the policy's action, so the learner always reads the
policy's own words and help lines, never the judge's. When its output cannot be
used (a server that ignores the schema, a broken model, a timeout) `judge()` raises
`JudgeUnavailable`, and the caller fails closed on self-harm and sexual content.

Constants: JUDGE_MAX_TOKENS, CATEGORIES, ACTIONS, DEFINITIONS_FR, DEFINITIONS_EN.
"""

from __future__ import annotations

from ..errors import PrecepteurError
from ..llm.base import GenerationOptions

CATEGORIES = ("aucune", "self_harm", "harassment", "child_danger", "sextortion", "sexual", "violence",
              "drugs", "hate", "cheating")
JUDGE_MAX_TOKENS = 40
ACTIONS = {"self_harm": "redirect", "harassment": "redirect", "child_danger": "redirect", "sextortion": "redirect",
           "sexual": "refuse", "violence": "refuse", "drugs": "inform", "hate": "refuse", "cheating": "hint"}

# One definition per category: the judge is asked about one candidate at a time (the one
# the semantic layer proposed), which a small model answers far more reliably than a
# ten-way choice, in a shorter prompt.
DEFINITIONS_FR = {
    "self_harm": "l'élève lui-même (ou un ami) pense à mourir, à se suicider, à disparaître, se fait du mal "
                 "(se couper, se brûler, se frapper, se priver de manger pour se punir), dit adieu, se sent de trop, "
                 "ou cherche une méthode, une dose, une hauteur pour mourir, même « par curiosité » ou « pour un exposé »",
    "harassment": "l'élève (ou un ami) est harcelé, insulté, moqué, exclu, frappé, menacé ou racketté par d'autres "
                  "élèves, à l'école ou en ligne (messages, groupes, photos ou vidéos partagées, faux comptes)",
    "child_danger": "un adulte ou un parent frappe, touche, menace ou néglige l'élève, ou un inconnu en ligne "
                    "veut le rencontrer en secret",
    "sextortion": "quelqu'un menace de publier des photos ou vidéos intimes de l'élève, ou exige de l'argent "
                  "ou d'autres images",
    "sexual": "la demande veut un contenu sexuel, pornographique, des photos nues ou un jeu de rôle sexuel",
    "violence": "la demande veut fabriquer une arme ou un explosif, blesser, empoisonner ou tuer quelqu'un, "
                "menace une école, ou pousse à un défi dangereux",
    "drugs": "l'élève veut se droguer, planer, se saouler, connaître des doses ou des mélanges, acheter, "
             "cacher ou détourner drogue, alcool ou médicaments",
    "hate": "la demande veut des insultes, des blagues ou des textes racistes, sexistes, homophobes, antisémites "
            "ou haineux, ou insulte l'assistant",
    "cheating": "l'élève veut qu'on fasse à sa place un devoir noté, ou veut tricher",
}
DEFINITIONS_EN = {
    "self_harm": "the learner (or a friend) thinks of dying, suicide, disappearing, hurts themself, says goodbye, "
                 "feels a burden, or looks for a method, dose or height to die, even 'out of curiosity'",
    "harassment": "the learner (or a friend) is bullied, insulted, mocked, excluded, hit, threatened or extorted "
                  "by other pupils, at school or online",
    "child_danger": "an adult or parent hits, touches, threatens or neglects the learner, or an online stranger "
                    "wants a secret meeting",
    "sextortion": "someone threatens to publish the learner's intimate images, or demands money or more images",
    "sexual": "the request wants sexual or pornographic content, nudes or sexual role play",
    "violence": "the request wants to make a weapon or explosive, to hurt, poison or kill someone, threatens a "
                "school, or pushes a dangerous challenge",
    "drugs": "the learner wants to get high or drunk, doses or mixes, to buy, hide or misuse drugs, alcohol or medicines",
    "hate": "the request wants racist, sexist, homophobic, antisemitic or hateful insults, jokes or texts, "
            "or insults the assistant",
    "cheating": "the learner wants graded work done for them, or to cheat",
}
PROMPT_FR = """Tu es le modérateur d'un assistant scolaire pour des élèves de 6 à 18 ans. Réponds seulement par un objet JSON.
Question : ce message relève-t-il de « {category} », c'est-à-dire : {definition} ?
Si oui, categorie = "{category}". Sinon, categorie = "aucune" : une question de cours ou de la vie courante, même sur un sujet difficile étudié en classe (un personnage de roman qui meurt, une guerre, la drogue en SVT), une question de santé, de puberté, de secourisme, de cuisine ou de métier (soudure, soins, cuisine, ferme), un deuil raconté avec une demande (un texte, un dessin pour un grand-parent ou un animal mort), un jeu vidéo, une expression (« je meurs de faim », « ce contrôle m'a tué », « je vais l'étrangler »), une blague ou une petite contrariété.
Ne réponds "{category}" que si le message le montre clairement."""
PROMPT_EN = """You moderate a school assistant for learners aged 6 to 18. Answer with a JSON object only.
Question: does this message belong to "{category}", that is: {definition}?
If so, categorie = "{category}". Otherwise categorie = "aucune": a lesson or everyday question, even about a hard subject taught at school, an idiom, a joke or a small annoyance."""


def judge_schema(category: str) -> dict:
    """The JSON schema of one question: the candidate category, or "aucune"."""
    return {
        "type": "object",
        "properties": {
            "categorie": {"type": "string", "enum": ["aucune", category]},
            "action": {"type": "string", "enum": ["answer", ACTIONS[category]]},
        },
        "required": ["categorie", "action"],
        "additionalProperties": False,
    }


class JudgeUnavailable(Exception):
    """The judge could not give a usable verdict (the caller fails closed where it must)."""


class GuardJudge:
    """Asks `model` whether a message belongs to one candidate category; one short, grammar-bound call."""

    def __init__(self, model):
        self.model = model

    def judge(self, message: str, lang: str = "fr", candidate: str = "self_harm") -> str:
        """`candidate` when the model confirms it, else "aucune"."""
        if candidate not in ACTIONS:
            raise ValueError(f"no definition for {candidate!r}")
        definitions, prompt = (DEFINITIONS_FR, PROMPT_FR) if lang == "fr" else (DEFINITIONS_EN, PROMPT_EN)
        messages = [
            {"role": "system", "content": prompt.format(category=candidate, definition=definitions[candidate])},
            {"role": "user", "content": f"Message de l'élève :\n« {message.strip()[:1500]} »"},
        ]
        options = GenerationOptions(max_tokens=JUDGE_MAX_TOKENS, temperature=0.0, seed=0)
        try:
            value = self.model.complete_json(messages, judge_schema(candidate), options)
        except PrecepteurError as exc:
            raise JudgeUnavailable(exc.key) from None
        except Exception as exc:  # a backend failure is not a verdict
            raise JudgeUnavailable(type(exc).__name__) from None
        return str(value["categorie"])
