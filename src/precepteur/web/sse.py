"""Server-sent events for streamed answers, and the response that notices a departed client.

Events sent to pages and `/api/` clients, in order:
`start` {conversation_id, message_id}, `skill` {name, result, statement, note},
`delta` {text}, `replace` {text} (the verified answer replaces what was shown),
`citations` {citations}, `done` {the result}, or `error` {code, message}
(`web.answer.stopped` when the server shut down mid-answer). Before `start`, a
request that waits for its turn gets `queue` {ticket, place, estimate, message}
every 2 s (`estimate` null while the wait is being estimated).
"""

from __future__ import annotations

import json

from starlette.responses import StreamingResponse
from starlette.types import Receive, Scope, Send

from ..i18n import t
from ..store.workers import CANCELLED
from .answers import AnswerJob, skill_dict

SSE_MEDIA_TYPE = "text/event-stream"
SSE_HEADERS = {"Cache-Control": "no-cache", "X-Accel-Buffering": "no"}


def sse(event: str, data: dict) -> str:
    """One server-sent event."""
    return f"event: {event}\ndata: {json.dumps(data, ensure_ascii=False)}\n\n"


def skill_payload(skill, lang: str) -> dict:
    """A verified fact with the sentence a page shows under the answer."""
    payload = skill_dict(skill)
    payload["note"] = t("web.chat.skill_note", lang, result=skill.result)
    return payload


def result_payload(result) -> dict:
    """The `ask --json` object plus what the web shows (incomplete, corrected, ...)."""
    payload = result.to_dict()
    payload.update(
        incomplete=result.incomplete, corrected=result.corrected, general=result.general,
        error=result.error, prompt_tokens=result.prompt_tokens,
        completion_tokens=result.completion_tokens, seconds=result.seconds,
    )
    return payload


def event_payload(event: dict, lang: str) -> tuple[str, dict] | None:
    """The (name, data) of the SSE event for a tutor event, or None for an unknown one."""
    kind = event.get("type")
    if kind in ("delta", "replace"):
        return kind, {"text": event["text"]}
    if kind == "skill":
        return kind, skill_payload(event["skill"], lang)
    if kind == "citations":
        return kind, {"citations": [c.to_dict() for c in event["citations"]]}
    if kind == "done":
        return kind, result_payload(event["result"])
    if kind == "error":
        error = event["error"]
        return kind, {"code": error.key, "message": error.message(lang)}
    return None


def queue_event(update: dict) -> str:
    """A waiting update as the `queue` event: place, estimate (or null) and the sentence to show."""
    lang = update.get("lang")
    estimate = update.get("estimate")
    place = update["place"]
    lines = [t("gate.wait.first", lang) if place <= 1 else t("gate.wait.place", lang, place=place)]
    if estimate is None:
        lines.append(t("gate.wait.estimating", lang))
    else:
        low = duration(estimate["low_s"], lang)
        high = duration(max(estimate["high_s"], estimate["low_s"] + 1), lang)
        lines.append(t("gate.wait.about", lang, time=low) if low == high else
                     t("gate.wait.range", lang, low=low, high=high))
    return sse("queue", {"ticket": update["ticket"], "place": place, "estimate": estimate,
                         "message": " ".join(lines)})


def error_event(error, lang: str | None = None) -> str:
    """A refusal after the stream started, as an `error` event."""
    return sse("error", {"code": error.key, "message": t(error.key, lang, **error.params)})


def duration(seconds: float, lang: str | None) -> str:
    """A wait for people: "45 s", "3 min"."""
    seconds = max(1, round(seconds))
    if seconds < 90:
        return f"{seconds} s"
    return f"{round(seconds / 60)} min"


class AnswerStream(StreamingResponse):
    """A streamed answer that cancels generation when the client goes away mid-answer.

    `job` is anything with `finished` (an Event) and `stop(reason)`: an AnswerJob, or
    the gate's Turn, which leaves the queue when the answer has not started yet."""

    def __init__(self, content, job: AnswerJob, *, media_type: str = SSE_MEDIA_TYPE,
                 headers: dict[str, str] | None = None) -> None:
        super().__init__(content, media_type=media_type, headers={**SSE_HEADERS, **(headers or {})})
        self.job = job

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        try:
            await super().__call__(scope, receive, send)
        finally:
            if not self.job.finished.is_set():
                self.job.stop(CANCELLED)
