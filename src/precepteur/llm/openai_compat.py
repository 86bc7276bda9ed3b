"""A model served by any OpenAI-compatible server (vLLM, Ollama, llama-server, Albert).

Streams `POST {base_url}/chat/completions` as server-sent events with httpx (no
dependency on the `openai` package). Setting `cancel`, or closing the generator,
closes the HTTP stream, which tells the server to stop. Connection refused,
401/403, 404 (unknown model) and timeouts become one-line ModelErrors.

Limits: CONNECT_TIMEOUT_S, READ_TIMEOUT_S (longest silence between two events),
MAX_ERROR_CHARS (how much of a server's error body we quote).
"""

from __future__ import annotations

import json
import threading
from typing import Iterator

import httpx

from ..errors import ModelError
from .base import ChatModel, Chunk, GenerationOptions, Message, ModelInfo, Usage

CONNECT_TIMEOUT_S = 10.0
READ_TIMEOUT_S = 120.0
MAX_ERROR_CHARS = 200
DEFAULT_CONTEXT_WINDOW = 8192
# How a JSON schema travels in `response_format`: the OpenAI form (vLLM, llama.cpp's
# llama-server, Ollama), or `json_object` + `schema`, the only form llama-cpp-python's
# own server applies (it silently ignores `json_schema`).
SCHEMA_STYLES = ("json_schema", "json_object")


def response_format(schema: dict, style: str = "json_schema") -> dict:
    """The `response_format` field that asks a server to follow `schema`."""
    if style == "json_object":
        return {"type": "json_object", "schema": schema}
    return {"type": "json_schema", "json_schema": {"name": "answer", "schema": schema, "strict": True}}


class OpenAICompatModel(ChatModel):
    """Chat completions from an OpenAI-compatible server, streamed."""

    backend = "openai"

    def __init__(
        self,
        base_url: str,
        model: str,
        *,
        api_key: str | None = None,
        name: str | None = None,
        connect_timeout: float = CONNECT_TIMEOUT_S,
        read_timeout: float = READ_TIMEOUT_S,
        context_window: int = DEFAULT_CONTEXT_WINDOW,
        schema_style: str = "json_schema",
    ):
        self.base_url = base_url.rstrip("/")
        self.model = model
        self.model_id = name or f"openai:{model}"
        self.context_window = context_window
        self._api_key = api_key
        if schema_style not in SCHEMA_STYLES:
            raise ValueError(f"schema_style must be one of {SCHEMA_STYLES}")
        self.schema_style = schema_style
        self._timeout = httpx.Timeout(read_timeout, connect=connect_timeout)
        self._client: httpx.Client | None = None
        self._lock = threading.Lock()

    def _http(self) -> httpx.Client:
        with self._lock:
            if self._client is None:
                headers = {"Authorization": f"Bearer {self._api_key}"} if self._api_key else {}
                self._client = httpx.Client(timeout=self._timeout, headers=headers)
            return self._client

    def _payload(self, messages: list[Message], options: GenerationOptions) -> dict:
        payload = {
            "model": self.model,
            "messages": [{"role": m["role"], "content": m["content"]} for m in messages],
            "stream": True,
            "stream_options": {"include_usage": True},
            "max_tokens": options.max_tokens,
            "temperature": options.temperature,
            "top_p": options.top_p,
        }
        if options.seed is not None:
            payload["seed"] = options.seed
        if options.stop:
            payload["stop"] = list(options.stop)
        if options.json_schema is not None:
            payload["response_format"] = response_format(options.json_schema, self.schema_style)
        return payload

    def stream(
        self,
        messages: list[Message],
        options: GenerationOptions | None = None,
        cancel: threading.Event | None = None,
    ) -> Iterator[Chunk]:
        options = options or GenerationOptions()
        url = f"{self.base_url}/chat/completions"
        try:
            with self._http().stream("POST", url, json=self._payload(messages, options)) as response:
                if response.status_code != 200:
                    response.read()
                    raise self._status_error(response)
                yield from self._events(response, messages, cancel)
        except httpx.ConnectError:
            raise ModelError("model.server_unreachable", url=self.base_url) from None
        except httpx.TimeoutException:
            raise ModelError("model.server_timeout", url=self.base_url) from None
        except httpx.HTTPError as exc:
            raise ModelError("model.server_error", url=self.base_url, status="-", detail=_short(str(exc))) from None

    def _events(self, response: httpx.Response, messages: list[Message], cancel: threading.Event | None) -> Iterator[Chunk]:
        finish: str | None = None
        usage: Usage | None = None
        pieces = 0
        for line in response.iter_lines():
            if cancel is not None and cancel.is_set():
                yield Chunk(finish_reason="cancelled", usage=usage or self._estimate(messages, pieces))
                return
            if not line.startswith("data:"):
                continue
            data = line[5:].strip()
            if data == "[DONE]":
                break
            try:
                event = json.loads(data)
            except ValueError:
                raise ModelError("model.server_error", url=self.base_url, status=200, detail=_short(data)) from None
            if "error" in event:
                raise ModelError("model.server_error", url=self.base_url, status=200, detail=_error_text(event))
            if event.get("usage"):
                usage = _usage(event["usage"])
            for choice in event.get("choices") or []:
                text = (choice.get("delta") or {}).get("content") or ""
                if text:
                    pieces += 1
                    yield Chunk(text=text)
                if choice.get("finish_reason"):
                    finish = choice["finish_reason"]
        if finish is None:
            raise ModelError("model.server_error", url=self.base_url, status=200, detail="stream ended early")
        yield Chunk(finish_reason=finish, usage=usage or self._estimate(messages, pieces))

    def _estimate(self, messages: list[Message], pieces: int) -> Usage:
        """Usage when the server does not report it: estimated prompt, one token per piece."""
        return Usage(sum(self.count_tokens(m["content"]) for m in messages), pieces, 0)

    def _status_error(self, response: httpx.Response) -> ModelError:
        status = response.status_code
        if status in (401, 403):
            return ModelError("model.server_unauthorized", url=self.base_url, status=status)
        try:
            detail = _error_text(response.json())
        except ValueError:
            detail = _short(response.text)
        if status == 404:
            return ModelError("model.server_model_missing", url=self.base_url, model=self.model)
        return ModelError("model.server_error", url=self.base_url, status=status, detail=detail)

    def info(self) -> ModelInfo:
        return ModelInfo(name=self.model_id, backend=self.backend, source=self.base_url, path=None)

    def close(self) -> None:
        with self._lock:
            if self._client is not None:
                self._client.close()
                self._client = None


def _usage(data: dict) -> Usage:
    details = data.get("prompt_tokens_details") or {}
    return Usage(
        prompt_tokens=int(data.get("prompt_tokens") or 0),
        completion_tokens=int(data.get("completion_tokens") or 0),
        cached_tokens=int(details.get("cached_tokens") or 0),
    )


def _error_text(body: object) -> str:
    if isinstance(body, dict):
        error = body.get("error", body.get("detail", body))
        if isinstance(error, dict):
            error = error.get("message", error)
        return _short(str(error))
    return _short(str(body))


def _short(text: str) -> str:
    line = " ".join(text.split())
    return line[:MAX_ERROR_CHARS]
