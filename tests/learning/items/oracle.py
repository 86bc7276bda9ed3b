"""A deterministic test model that does the item tasks the way a good model would.

It reads the task out of the prompt: asked for a question whose answer is « KEY », it
writes "Quel mot complète : « ... » ?" from the sentence; asked for wrong answers it
gives three fixed words; asked to answer, it looks the answer up in the passage
(vrai when the statement is in the passage word for word, the choice that the
passage contains, the word that fills the blank). A real model is used elsewhere.
"""

from __future__ import annotations

import json
import re

from precepteur.llm import ScriptedModel

WRONG = ["Quicksort", "Kruskal", "Prim"]


class OracleModel(ScriptedModel):
    model_id = "oracle"

    def _next(self, messages, options):
        with self._lock:
            queued = self._queue.popleft() if self._queue else None
        if queued is not None:
            with self._lock:
                self._queue.appendleft(queued)
            return super()._next(messages, options)
        self.calls.append([dict(m) for m in messages])
        self.schemas.append(options.json_schema)
        text = messages[-1]["content"]
        passage = text.split("Passage :\n", 1)[1].split("\n\n", 1)[0] if "Passage :" in text else ""
        props = set((options.json_schema or {}).get("properties", {}))
        if "question" in props:
            sentence = re.search(r"Phrase : (.*)", text).group(1)
            key = re.search(r"réponse exacte est « (.*?) »", text).group(1)
            question = "Quel mot complète : « " + sentence.replace(key, "…") + " » ?"
            answer = {"question": question}
            if "reponses_fausses" in props:
                answer["reponses_fausses"] = WRONG
            return json.dumps(answer, ensure_ascii=False)
        if "lettre" in props:
            for letter, choice in re.findall(r"^([A-D])\) (.*)$", text, re.M):
                if choice.lower() in passage.lower():
                    return json.dumps({"lettre": letter})
            return json.dumps({"lettre": "A"})
        if props == {"reponse"} and "Affirmation :" in text:
            statement = re.search(r"Affirmation : (.*)", text).group(1)
            return json.dumps({"reponse": "vrai" if statement.lower().rstrip(".") in passage.lower() else "faux"})
        if props == {"reponse"}:
            pattern = re.search(r"(?:Phrase à compléter|Question) : (?:Quel mot complète : « )?(.*?)(?: » \?)?$", text, re.M).group(1)
            pattern = pattern.replace("_____", "…")
            head, _, tail = pattern.partition("…")
            found = re.search(re.escape(head) + r"([^.]+?)" + re.escape(tail), passage, re.IGNORECASE) if tail else None
            return json.dumps({"reponse": found.group(1) if found else "je ne sais pas"}, ensure_ascii=False)
        return super()._next(messages, options)
