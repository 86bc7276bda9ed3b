"""One-step word problems of the first school years: "J'ai 3 pommes et j'en achète 5, combien j'en ai ?".

CP–CM2 exercises tell a tiny story — someone has N things, gains or loses M of
them — and ask how many there are now or how many are left. Only that exact shape
is recognised, in French and English:

    HAVE N [things] [, et, puis, .] (PRONOUN VERB | SOMEONE GIVES ME) M [more, to a friend] ... HOW MANY (left | have)

where the verb says the direction (achète, gagne, reçoit / mange, donne, perd...;
buys, gets, finds / eats, gives away, loses...) and the question is made only of
"have"/"left" words; also "Il y a N things [somewhere], M s'envolent / arrivent,
how many now / left" ("there are ... fly away"). Anything else in the story (a second
quantity, a price, a question about what was spent) gives nothing: the model
explains instead. A loss larger than what there was gives nothing either.

Constants: `GAIN_VERBS`, `LOSS_VERBS` (folded forms, French and English),
`QUESTION_WORDS` (words a "how many now / left" question may be made of). The
result is reported as an `arithmetic` fact ("3 + 5 = 8").
"""

from __future__ import annotations

import re
from fractions import Fraction

from ..i18n import t
from .result import SkillResult
from ._numbers import format_exact, scan_words
from ._text import fold, words

GAIN_VERBS = (
    "achete achetes achetons achetez achetent gagne gagnes gagnons gagnent recois recoit recoivent "
    "recevons trouve trouves trouvons trouvent ramasse ramasses ramassent cueille cueilles cueillent "
    "ajoute ajoutes ajoutent rajoute rajoutes recupere recuperes pioche pioches prend prends "
    "obtiens obtient recu cueilli pris obtenu "
    "buy buys bought get gets got find finds found receive receives received win wins won pick picks "
    "picked collect collects collected earn earns earned add adds added"
).split()
LOSS_VERBS = (
    "mange manges mangeons mangent donne donnes donnons donnent perds perd perdons perdent perdu "
    "vends vend vendons vendent vendu casse casses cassent offre offres offrent offert prete pretes "
    "pretent utilise utilises utilisent jette jettes jettent jete depense depenses depensent rends rend "
    "rendu enleve enleves retire retires bois boit bu "
    "eat eats ate eaten give gives gave given lose loses lost sell sells sold break breaks broke use uses "
    "used drop drops dropped spend spends spent throw throws threw lend lends lent"
).split()
QUESTION_WORDS = frozenset(
    """j en ai ai-je j'ai as as-tu tu il elle on a a-t-il a-t-elle a-t-on nous avons avons-nous ont ils elles
    ont-ils ont-elles m t lui leur me te nous reste restent reste-t-il restera-t-il restent-ils en-a-t-il
    y a-t-il il maintenant tout au total alors donc la fin finalement possede est-ce que qu
    do does did i you he she we they have has now left are there is remain remaining remains in all
    altogether total the end at will them of""".split()
)
_HAVE_WORDS = {"ai", "ai-je", "as", "as-tu", "a", "a-t-il", "a-t-elle", "a-t-on", "avons", "avons-nous",
               "ont", "ont-ils", "ont-elles", "possede", "reste", "restent", "reste-t-il", "restera-t-il",
               "restent-ils", "have", "has", "left", "remain", "remaining", "remains", "are", "y", "total"}

_GIVING = ("donne", "donnent", "offre", "offrent", "prete", "rend", "rendu", "offert")
_NUM = r"(\d+)"
_NOUN = r"(?:\s+(?!et\b|and\b|puis\b|then\b|but\b|mais\b)([a-z][a-z'-]*)(?:\s+(?!et\b|and\b)[a-z][a-z'-]*)?)?"
_SEP = r"\s*[,.;]?\s*(?:(?:et|puis|mais|ensuite|and|then|but|later|after that)\s+)?(?:,\s*)?"

_FR_HAVE = r"(?:j'ai|j'avais|tu as|tu avais|il a|elle a|il avait|elle avait|on a|on avait|nous avons|nous avions|(?P<name>[a-z]+) (?:a|avait))"
_EN_HAVE = (r"(?:i have|i had|i've got|i got|you have|you had|he has|she has|he had|she had|we have|we had|they have"
            r"|they had|(?P<ename>[a-z]+) (?:has|had))")
_FR_ACTOR = (r"(?:(?:j'en|tu en|il en|elle en|on en|nous en|ils en|elles en)(?: (?:ai|as|a|avons|ont))?"
             r"|(?P<giver>(?:[a-z]+ ){0,2}(?:m'en|t'en|lui en|nous en|leur en)(?: a)?))")
_EN_ACTOR = (r"(?:(?:i|you|he|she|we|they|it)\s+)?(?:(?:then|also)\s+)?"
             r"|(?P<egiver>(?:[a-z]+ ){0,2}(?:gives?|gave) (?:me|him|her|us|them|you) )(?=\d)")
_VERB = r"(?P<verb>[a-z]+)(?: away)?(?: (?:encore|aussi|de nouveau|again|also|another))?"
_AFTER_CHANGE = (r"(?:\s+(?:de plus|en plus|encore|autres?|more|other|extra|of them|away))?" + _NOUN +
                 r"(?:\s+(?:a|au|aux|to)\s+(?:[a-z']+\s+)?[a-z]+)?")
_ASK = r"\s*[,.;?!]?\s*(?:(?:et|alors|donc|maintenant|so|now|and)\s+)?(?:combien|how many)(?P<ask>(?:\s+[a-z'?-]+)*)\s*[?!.]*\s*$"

_FR = re.compile(r"^\s*" + _FR_HAVE + r" " + _NUM + _NOUN + _SEP + r"(?:" + _FR_ACTOR + r") " + _VERB
                 + r" " + _NUM + _AFTER_CHANGE + _ASK)
_EN = re.compile(r"^\s*" + _EN_HAVE + r" " + _NUM + _NOUN + _SEP + r"(?:" + _EN_ACTOR + r")" + r"(?:"
                 + _VERB + r" )?" + _NUM + _AFTER_CHANGE + _ASK)

# "Il y a 12 oiseaux sur un arbre, 5 s'envolent. Combien en reste-t-il ?"
_MOVES_IN = ("arrivent|arrive|viennent|vient|montent|monte|entrent|entre|se posent|rejoignent|les rejoignent|"
             "arrive|arrived|come|comes|came|join|joined|land|landed|get on|got on").split("|")
_MOVES_OUT = ("s'envolent|s'envole|partent|part|s'en vont|sortent|sort|descendent|descend|tombent|tombe|"
              "s'echappent|s'enfuient|se sauvent|fondent|eclatent|fly away|flew away|leave|leaves|left|go away|"
              "went away|get off|got off|fall|fell|run away|ran away|pop|popped|melt|melted").split("|")
_MOVES = "|".join(sorted({re.escape(v) for v in _MOVES_IN + _MOVES_OUT if v}, key=len, reverse=True))
_PLACE = r"(?:\s+(?:sur|dans|a|au|aux|en|devant|sous|on|in|at|under|near)\s+(?:[a-z0-9'-]+\s+){0,2}?[a-z'-]+)?"
_THERE = re.compile(
    r"^\s*(?:il y (?:a|avait)|there (?:are|were|is)) " + _NUM + r"\s+[a-z][a-z'-]*" + _PLACE + _SEP
    + r"(?:(?:puis|ensuite|then)\s+)?" + _NUM + r"(?:\s+(?!" + _MOVES + r")[a-z][a-z'-]*)?\s+(?P<move>" + _MOVES
    + r")\b" + _PLACE + _ASK
)


def _digits(text: str) -> str:
    for n in reversed(scan_words(text)):
        text = text[: n.start] + str(n.value.numerator) + text[n.end :]
    return text


def _question_ok(ask: str, extra: set[str]) -> bool:
    ask = re.sub(r"\s(?:dans|sur|on|in|at)\s(?:le|la|les|l'|the)\s?[a-z-]+\s*$", " ", ask.replace("?", " ").strip())
    ask = re.sub(r"\s(?:de|d')\s?[a-z-]+\s*$", " ", ask)  # "combien ai-je de pommes"
    tokens = words(ask)
    if tokens and tokens[0] in ("de", "d", "of"):
        tokens = tokens[2:] if len(tokens) > 1 else []  # "combien de billes", "how many of them"
    elif tokens and tokens[0] not in QUESTION_WORDS | extra:
        tokens = tokens[1:]  # "how many apples"
    return bool(tokens) and all(w in QUESTION_WORDS or w in extra for w in tokens) and any(
        w in _HAVE_WORDS or w.startswith("reste") for w in tokens)


def detect_story(clause: str, lang: str) -> SkillResult | None:
    """The answer to a one-step "has N, gains or loses M, how many now" problem, or None."""
    text = _digits(fold(clause)).replace("\n", " ")
    there = _THERE.match(text)
    if there is not None:
        return _there(there, lang)
    m = _FR.match(text) or _EN.match(text)
    if m is None:
        return None
    groups = m.groupdict()
    giver = groups.get("giver") or groups.get("egiver")
    verb = groups.get("verb")
    if giver:  # "maman m'en donne 3", "his mum gives him 3": always a gain
        if verb not in (None, *_GIVING):
            return None
        gain = True
    elif verb in GAIN_VERBS:
        gain = True
    elif verb in LOSS_VERBS:
        gain = False
    else:
        return None
    name = groups.get("name") or groups.get("ename")
    if not _question_ok(m.group("ask"), {name} if name else set()):
        return None
    numbers = re.findall(r"\d+", text[: m.start("ask")])
    if len(numbers) != 2:
        return None
    return _fact(Fraction(numbers[0]), Fraction(numbers[1]), gain, lang)


def _there(m: re.Match, lang: str) -> SkillResult | None:
    if not _question_ok(m.group("ask"), {"sont", "y", "en"}):
        return None
    gain = m.group("move") in _MOVES_IN
    return _fact(Fraction(m.group(1)), Fraction(m.group(2)), gain, lang)


def _fact(start: Fraction, change: Fraction, gain: bool, lang: str) -> SkillResult | None:
    value = start + change if gain else start - change
    if value < 0:
        return None
    from .arithmetic import value_accept

    op = "+" if gain else "-"
    expression = f"{format_exact(start, lang)} {op} {format_exact(change, lang)}"
    result = format_exact(value, lang)
    key = "skills.story.more" if gain else "skills.story.left"
    statement = t(key, lang, expression=expression, result=result)
    return SkillResult("arithmetic", result, statement, value_accept(value))
