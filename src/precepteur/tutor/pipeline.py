"""The tutor pipeline: the only place that composes guard, skills, library, prompts and model.

    guard.inbound -> skills -> library search -> prompts -> model (streamed) -> guard.outbound

`Tutor.stream(request)` yields events as they happen, for the web and the CLI:
    {"type": "skill", "skill": SkillResult}       a fact computed by code
    {"type": "delta", "text": str}                the next piece of the answer
    {"type": "replace", "text": str}              the verified result overrode the model:
                                                  this text replaces everything streamed
    {"type": "citations", "citations": [Citation]}
    {"type": "done", "result": TutorResult}
`Tutor.answer(request)` consumes the stream and returns the `TutorResult`.

An answer with no verified citation and no computed fact ends with the "unsourced"
label (a last delta) and has `sourced` false; a "[n]" marker never survives without its
verified source; a teacher or admin policy may forbid such answers (tutor/trust.py).

Limits: MAX_QUESTION_CHARS (longer questions are refused with a clear error),
SOURCE_BUDGET_TOKENS (excerpts a small CPU model can read quickly), SEARCH_K,
MAX_SUGGESTED_LIBRARIES.
"""

from __future__ import annotations

import threading
import time
from typing import Iterator

from .. import guard, skills
from ..skills import program
from ..config import Settings
from ..errors import InputError
from ..guard.prompt_leak import LeakFilter, installation_canary
from ..i18n import t
from ..learning.levels import Level, level_codes, parse_level
from ..llm.base import ChatModel, GenerationOptions
from ..textlang import detect_language
from . import homework, prompts, trust
from .types import Citation, SkillResult, TutorRequest, TutorResult

MAX_QUESTION_CHARS = 4000
SOURCE_BUDGET_TOKENS = 800
SEARCH_K = 8
MAX_SUGGESTED_LIBRARIES = 10  # libraries searched to name one that covers a declined question
MODES = ("explain", "socratic")


class Tutor:
    """One tutor over one model; safe to share between threads (the model queues)."""

    def __init__(self, settings: Settings, model: ChatModel, library=None, guard=None):
        self.settings = settings
        self.model = model
        self._library = library
        self._library_lock = threading.Lock()
        self._guard = guard
        self._canary: str | None = None
        self._protected: list[str] | None = None

    # -- collaborators -------------------------------------------------------------
    @property
    def library(self):
        """The LibraryService, created on first use (embeddings are heavy)."""
        with self._library_lock:
            if self._library is None:
                from ..library.service import LibraryService

                self._library = LibraryService(self.settings)
            return self._library

    @property
    def canary(self) -> str:
        """This installation's canary (written into the system prompt, never into an answer)."""
        if self._canary is None:
            self._canary = installation_canary(self.settings.ensure_home())
        return self._canary

    def recites_instructions(self, text: str) -> bool:
        """Whether `text` holds the canary or an 8-word span of any of our system prompts."""
        from ..guard.prompt_leak import contains_leak
        from ..learning.levels import LEVELS

        if self._protected is None:
            self._protected = [p for level in LEVELS for mode in MODES
                               for p in prompts.protected_texts(level, mode, "fr", self.canary, True)]
        return contains_leak(text, self._protected, self.canary)

    @property
    def guard(self):
        """The inbound Guard (rules, semantic layer, judge), built on first use."""
        with self._library_lock:
            if self._guard is None:
                self._guard = build_guard(self.settings, self.model)
            return self._guard

    # -- validation ----------------------------------------------------------------
    @staticmethod
    def validate(request: TutorRequest) -> tuple[str, Level, str]:
        """The cleaned question, its level and its language, or an InputError."""
        question = (request.question or "").strip()
        lang = request.lang or detect_language(question)
        if not question:
            raise InputError("input.empty_question", lang)
        if len(question) > MAX_QUESTION_CHARS:
            raise InputError("input.question_too_long", lang, chars=len(question), limit=MAX_QUESTION_CHARS)
        level = parse_level(request.level)
        if level is None:
            raise InputError("tutor.unknown_level", lang, level=request.level, levels=", ".join(level_codes()))
        if request.mode not in MODES:
            raise InputError("tutor.unknown_mode", lang, mode=request.mode)
        return question, level, lang

    # -- the pipeline ----------------------------------------------------------------
    def answer(self, request: TutorRequest, cancel: threading.Event | None = None) -> TutorResult:
        result = None
        for event in self.stream(request, cancel):
            if event["type"] == "done":
                result = event["result"]
        assert result is not None
        return result

    def stream(self, request: TutorRequest, cancel: threading.Event | None = None) -> Iterator[dict]:
        started = time.monotonic()
        question, level, lang = self.validate(request)
        result = TutorResult(answer="", model=self.model.model_id)

        def finish() -> dict:
            result.seconds = round(time.monotonic() - started, 3)
            return {"type": "done", "result": result}

        verdict = self.guard.inspect(question, level.cycle, lang, request.names)
        result.guard = verdict
        if verdict.refused:
            result.answer, result.declined = verdict.message, True
            yield {"type": "delta", "text": result.answer}
            yield finish()
            return
        question = verdict.question or question
        work = homework.match(question, request.library, request.graded)
        hinting = verdict.action == "hint" or work is not None
        mode = "socratic" if hinting else request.mode
        preface = t("guard.cheating", lang) + "\n\n" if hinting else ""
        guidance = t(homework.LADDER[homework.rung(work, request.history, request.library)], lang) if work else ""
        footnote = _footnote(verdict, lang)

        facts = skills.detect(question, lang)
        if not facts and self.settings.program_aided and program.looks_like_problem(question):
            outcome = program.solve(question, lang, self.model, self.settings.seed, cancel)
            if outcome is not None and outcome.fact is not None:
                facts = [outcome.fact]
            elif outcome is not None and outcome.unsure:  # the programs disagree: say so, then reason aloud
                preface += t("program.unsure", lang, values=" ; ".join(outcome.unsure)) + "\n\n"
        result.skills = facts
        for fact in facts:
            yield {"type": "skill", "skill": fact}

        sources, sources_block = [], ""
        unsourced_ok = trust.may_answer_unsourced(self.settings, request.library, request.unsourced)
        if not facts and (request.library or verdict.biography):
            sources, sources_block, decline = self._retrieve(request, question, lang, verdict.biography)
            if decline is not None:
                if not (request.allow_general and unsourced_ok):
                    result.answer, result.declined = decline, True
                    yield {"type": "delta", "text": result.answer}
                    yield finish()
                    return
                result.general = True
                label = t("tutor.general_label", lang) + "\n"
                yield {"type": "delta", "text": label}
        if not facts and not sources and not unsourced_ok and not verdict.biography:
            result.answer = trust.decline_message(lang, self._covering_library(request, question))
            result.declined = True
            yield {"type": "delta", "text": result.answer}
            yield finish()
            return

        canary = self.canary
        system = prompts.system_prompt(level, mode, lang, canary)
        protected = prompts.protected_texts(level, mode, lang, canary, bool(sources))
        own = [guidance] if guidance else []
        leak = LeakFilter(protected + own + ([work.solution] if work and work.solution else []), canary)
        # On graded work the model never sees the verified result: it could only give it away.
        turn = prompts.user_turn(question, [] if hinting else facts, sources_block, lang, guidance)
        options = GenerationOptions(
            max_tokens=self.settings.max_tokens,
            temperature=self.settings.temperature,
            seed=self.settings.seed,
        )
        history = [m | {"content": trust.strip_label(m["content"])} if m.get("role") == "assistant" else m
                   for m in request.history if m.get("content")]
        messages = prompts.build_messages(
            system, history, turn,
            context_window=self.model.context_window,
            answer_tokens=options.max_tokens,
            count_tokens=self.model.count_tokens,
        )

        parts: list[str] = [t("tutor.general_label", lang) + "\n"] if result.general else []
        if preface:
            parts.append(preface)
            yield {"type": "delta", "text": preface}
        markers = trust.MarkerFilter(len(sources))  # no "[n]" for a source the model was not given
        stream = self.model.stream(messages, options, cancel)
        try:
            for chunk in stream:
                safe = markers.feed(leak.feed(chunk.text))
                if safe:
                    parts.append(safe)
                    if work is None:  # graded work is checked whole before the learner reads it
                        yield {"type": "delta", "text": safe}
                if chunk.usage is not None:
                    result.prompt_tokens = chunk.usage.prompt_tokens
                    result.completion_tokens = chunk.usage.completion_tokens
                if chunk.finish_reason == "cancelled":
                    result.incomplete = True
        except Exception as exc:  # the model failed: keep what was said, say why
            result.error = f"{type(exc).__name__}: {exc}"
            result.incomplete = True
        finally:
            stream.close()
        tail = markers.feed(leak.flush()) + markers.flush()
        if tail:
            parts.append(tail)
            if work is None:
                yield {"type": "delta", "text": tail}
        if leak.leaked:  # the model recited its instructions: none of it was sent
            result.leak_blocked = True
            if not "".join(parts).strip():
                parts.append(t("guard.leak_blocked", lang))
        if cancel is not None and cancel.is_set():
            result.incomplete = True

        streamed = "".join(parts)
        final = guard.strip_echo(streamed, [system, *prompts.instructions(lang, bool(sources))])
        final = self._check_outbound(final, facts, mode, lang)
        if work is not None:
            body = final[len(preface):] if preface and final.startswith(preface) else final
            body, result.corrected = homework.check(body, work)
            final = preface + (body or t("tutor.socratic_nudge", lang))
        if not final.strip() and result.error:
            final = t("tutor.model_failed", lang, error=result.error)
        if preface and not final.startswith(preface.strip()):
            final = preface + final
        if footnote:
            final = f"{final}\n\n{footnote}" if final.strip() else footnote
        result.corrected = final != streamed.strip() and bool(facts)
        if sources:
            result.citations = self._cite(request.library, final, sources)
            final = trust.strip_markers(final, self._cited_numbers(final, sources, result.citations))
        if final != streamed:
            yield {"type": "replace", "text": final}
        result.sourced = bool(result.citations or facts)
        if not result.sourced and not (cancel is not None and cancel.is_set()):  # nobody left to read it
            final, added = trust.with_label(final, lang)
            yield {"type": "delta", "text": added}
        result.answer = final

        if sources:
            yield {"type": "citations", "citations": result.citations}
        yield finish()

    # -- steps -------------------------------------------------------------------------
    def _check_outbound(self, text: str, facts: list[SkillResult], mode: str, lang: str) -> str:
        if not facts:
            return text.strip()
        if mode == "socratic":
            kept = [
                s for s in guard.sentences(text)
                if not any(skills.contradicts(s, f) for f in facts) and not guard.leaks(s, facts, skills.answer_states)
            ]
            return " ".join(s.strip() for s in kept) or t("tutor.socratic_nudge", lang)
        final, _ = guard.enforce_facts(text, facts, skills.answer_states, skills.contradicts)
        return final

    def retrieve(self, request: TutorRequest) -> tuple:
        """The passages `request` would get, (sources, prompt block, decline message or None), to hand
        to other tutors as `TutorRequest.retrieved` so that all of them read the same passages."""
        question, _level, lang = self.validate(request)
        return self._retrieve(request, question, lang, False)

    def _retrieve(self, request: TutorRequest, question: str, lang: str, biography: bool):
        """(sources, prompt block, decline message or None)."""
        from . import sources as src

        if request.retrieved is not None:
            return request.retrieved

        decline_key = "tutor.biography_declined" if biography else "tutor.library_declined"
        decline = t(decline_key, lang, library=request.library or "")
        if not request.library:
            return [], "", decline
        hits = self.library.search(request.library, question, k=SEARCH_K)
        if not hits or not src.covers(question, hits):
            return [], "", decline
        chosen = src.select_sources(hits, SOURCE_BUDGET_TOKENS, self.model.count_tokens)
        return chosen, src.format_sources(chosen, lang), None

    def _covering_library(self, request: TutorRequest, question: str) -> str | None:
        """The first of the learner's libraries that covers the question, if any."""
        from . import sources as src

        for name in request.libraries[:MAX_SUGGESTED_LIBRARIES]:
            try:
                hits = self.library.search(name, question, k=SEARCH_K)
            except Exception:  # a library removed or unreadable meanwhile is simply not suggested
                continue
            if hits and src.covers(question, hits):
                return name
        return None

    @staticmethod
    def _cited_numbers(answer: str, sources, citations: list[Citation]) -> set[int]:
        """The source numbers whose citation was verified (their markers stay in the answer)."""
        cited = {(c.document, c.locator) for c in citations}
        return {s.number for s in sources if (s.document, s.locator) in cited}

    def _cite(self, library_name: str, answer: str, sources) -> list[Citation]:
        from . import sources as src

        def document_text(document: str) -> str:
            return self.library.document_text(library_name, document)

        return src.extract_citations(answer, sources, document_text)


def build_guard(settings: Settings, model: ChatModel):
    """The inbound guard the settings ask for, judging with `model` unless another is named."""
    from ..guard.layers import Guard

    semantic = None
    if settings.guard_semantic:
        from ..guard.semantic import SemanticGuard
        from ..library.embeddings import get_embedder

        semantic = SemanticGuard(lambda: get_embedder(settings.effective_threads()), settings.home / "cache")
    judge_model = model
    if settings.guard_judge_model:
        from ..llm import get_model

        judge_model = get_model(settings.guard_judge_model, settings)
    return Guard(semantic=semantic, judge_model=judge_model, judge_mode=settings.guard_judge)


def _footnote(verdict, lang: str) -> str:
    """What follows the answer: the help line for a lesson that touches distress, privacy advice."""
    notes = [verdict.footnote] if verdict.footnote else []
    if verdict.pii:
        kinds = ", ".join(t(f"guard.pii.{kind}", lang) for kind in verdict.pii)
        notes.append(t("guard.pii.advice", lang, kinds=kinds))
    return "\n\n".join(notes)


def tutor_for(settings: Settings, model_name: str | None = None, library=None) -> Tutor:
    """A Tutor on the named model (default: the settings' model)."""
    from ..llm import get_model

    return Tutor(settings, get_model(model_name, settings), library)


