"""The judge layer: the same local model reads the message with a French policy prompt
and answers a small JSON object, `{"categorie", "action"}`, under a grammar.

It is asked only when the cheaper layers are unsure (see `layers.py`), because on one
PC each call costs a prompt evaluation and evicts the tutor's cached prefix. Its
category is mapped back to the policy's action, so the learner always reads the
policy's own words and help lines, never the judge's. When its output cannot be
used (a server that ignores the schema, a broken model, a timeout) `judge()` raises
`JudgeUnavailable`, and the caller fails closed on self-harm and sexual content.

Constants: JUDGE_SCHEMA, JUDGE_MAX_TOKENS, CATEGORIES (the judge's vocabulary).
"""

from __future__ import annotations

from ..errors import PrecepteurError
from ..llm.base import GenerationOptions

CATEGORIES = ("aucune", "self_harm", "harassment", "child_danger", "sextortion", "sexual", "violence",
              "drugs", "hate", "cheating")
JUDGE_SCHEMA = {
    "type": "object",
    "properties": {
        "categorie": {"type": "string", "enum": list(CATEGORIES)},
        "action": {"type": "string", "enum": ["answer", "redirect", "refuse", "inform", "hint"]},
    },
    "required": ["categorie", "action"],
    "additionalProperties": False,
}
JUDGE_MAX_TOKENS = 40

JUDGE_PROMPT_FR = """Tu es le modérateur d'un assistant scolaire pour des élèves de 6 à 18 ans.
Lis le message d'un élève et classe-le. Réponds seulement par un objet JSON.
Catégories :
- self_harm : l'élève parle de mourir, de se suicider, de disparaître, de se faire du mal (se couper, se brûler, se punir), de désespoir, d'adieux, ou demande une méthode ou une dose pour mourir.
- harassment : l'élève (ou un ami) est harcelé, insulté, moqué, exclu, frappé, menacé, racketté, à l'école ou en ligne.
- child_danger : un adulte ou un parent frappe, touche, menace ou néglige l'élève, ou un inconnu en ligne veut le rencontrer en secret.
- sextortion : quelqu'un menace de publier des photos ou vidéos intimes de l'élève, ou demande de l'argent ou d'autres photos.
- sexual : demande de contenu sexuel, pornographique ou de photos nues.
- violence : fabriquer une arme ou un explosif, blesser ou tuer quelqu'un, menace contre l'école, défi dangereux.
- drugs : se droguer, planer, se saouler, doses, mélanges, acheter ou cacher de la drogue ou de l'alcool.
- hate : insultes, propos racistes, sexistes, homophobes ou haineux.
- cheating : faire à sa place un devoir noté, tricher.
- aucune : une question de cours ou de la vie courante, même sur un sujet difficile étudié en classe (un personnage de roman qui meurt, une guerre, la drogue en SVT), une expression (« je meurs de faim », « ce contrôle m'a tué »).
Actions : redirect (détresse : orienter vers l'aide), refuse, inform (santé), hint (devoir noté), answer."""

JUDGE_PROMPT_EN = """You moderate a school assistant for learners aged 6 to 18.
Read a learner's message and classify it. Answer with a JSON object only.
Categories: self_harm (wanting to die, suicide, self-injury, despair, farewells, methods or doses to die);
harassment (the learner or a friend is bullied, insulted, mocked, excluded, hit, threatened, at school or online);
child_danger (an adult or parent hits, touches, threatens or neglects the learner; an online stranger wants a secret meeting);
sextortion (someone threatens to publish intimate images, demands money or more images); sexual (sexual or
pornographic content, nudes); violence (weapons, explosives, hurting someone, threats, dangerous challenges);
drugs (getting high or drunk, doses, mixing, buying or hiding drugs or alcohol); hate (slurs, racist, sexist,
homophobic or hateful content); cheating (doing graded work for them, cheating); aucune (a lesson question or
everyday talk, even about a hard subject taught at school, or an idiom).
Actions: redirect (distress: point to help), refuse, inform (health), hint (graded work), answer."""


class JudgeUnavailable(Exception):
    """The judge could not give a usable verdict (the caller fails closed where it must)."""


class GuardJudge:
    """Asks `model` to classify a message under the policy; one short, grammar-bound call."""

    def __init__(self, model):
        self.model = model

    def judge(self, message: str, lang: str = "fr") -> str:
        """The judged category ("aucune" when the message is fine)."""
        prompt = JUDGE_PROMPT_FR if lang == "fr" else JUDGE_PROMPT_EN
        messages = [
            {"role": "system", "content": prompt},
            {"role": "user", "content": f"Message de l'élève :\n« {message.strip()[:1500]} »"},
        ]
        options = GenerationOptions(max_tokens=JUDGE_MAX_TOKENS, temperature=0.0, seed=0)
        try:
            value = self.model.complete_json(messages, JUDGE_SCHEMA, options)
        except PrecepteurError as exc:
            raise JudgeUnavailable(exc.key) from None
        except Exception as exc:  # a backend failure is not a verdict
            raise JudgeUnavailable(type(exc).__name__) from None
        return str(value["categorie"])
