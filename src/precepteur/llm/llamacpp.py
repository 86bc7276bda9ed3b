"""The embedded backend: any chat GGUF run in process by llama.cpp (llama-cpp-python).

One llama.cpp context is not thread-safe, so one worker thread owns the `Llama`
object and runs one generation at a time; `stream()` may be called from any
thread: it formats the conversation with the GGUF's own chat template, queues a
job and yields the chunks the worker sends back. Setting `cancel`, or closing
the generator early, stops the generation at the next token. The KV cache is
kept between jobs, so a conversation's next turn only evaluates the tokens
after the longest shared prefix (system prompt, earlier turns); the final
chunk's `Usage.cached_tokens` says how many prompt tokens were reused.

`shared_model(path, settings, ...)` keeps one loaded model per file and process,
because loading costs seconds and memory.

Limits: WORKER_POLL_S (how often a waiting caller checks the worker is alive),
CLOSE_TIMEOUT_S (how long `close()` waits for the running job).
"""

from __future__ import annotations

import json
import queue
import threading
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Iterator

from ..config import Settings
from ..errors import ModelError
from .base import ChatModel, Chunk, GenerationOptions, Message, ModelInfo, Usage
from .gguf import GGUFHeader, read_gguf

WORKER_POLL_S = 0.5
CLOSE_TIMEOUT_S = 30.0


def _import_llama():
    try:
        import llama_cpp
        from llama_cpp import llama_chat_format
    except ImportError:
        raise ModelError("model.llamacpp_missing") from None
    return llama_cpp, llama_chat_format


@dataclass
class _Job:
    tokens: list[int]
    stop: list[str]
    options: GenerationOptions
    cancel: threading.Event | None
    abandoned: threading.Event = field(default_factory=threading.Event)
    out: queue.Queue = field(default_factory=queue.Queue)

    def cancelled(self) -> bool:
        return self.abandoned.is_set() or (self.cancel is not None and self.cancel.is_set())


class LlamaCppModel(ChatModel):
    """A GGUF chat model served by one llama.cpp context and one worker thread."""

    backend = "llamacpp"

    def __init__(
        self,
        path: str | Path,
        *,
        name: str | None = None,
        n_ctx: int = 4096,
        n_threads: int | None = None,
        seed: int = 42,
        facts: ModelInfo | None = None,
    ):
        self.path = Path(path).expanduser()
        self.header: GGUFHeader = read_gguf(self.path)
        template = self.header.chat_template
        if template is None:
            raise ModelError("model.no_chat_template", path=str(self.path))
        llama_cpp, chat_format = _import_llama()
        try:
            self._llm = llama_cpp.Llama(
                model_path=str(self.path),
                n_ctx=n_ctx,
                n_threads=n_threads,
                n_threads_batch=n_threads,
                seed=seed,
                verbose=False,
            )
        except (ValueError, RuntimeError, OSError) as exc:
            detail = (str(exc).splitlines() or [type(exc).__name__])[0]
            raise ModelError("model.load_failed", path=str(self.path), detail=detail) from None
        eos_id, bos_id = self._llm.token_eos(), self._llm.token_bos()
        self._formatter = chat_format.Jinja2ChatFormatter(
            template=template,
            eos_token=self._llm._model.token_get_text(eos_id) if eos_id != -1 else "",
            bos_token=self._llm._model.token_get_text(bos_id) if bos_id != -1 else "",
            stop_token_ids=[eos_id],
        )
        self._stopping_list = llama_cpp.StoppingCriteriaList
        self.model_id = name or self.path.stem
        self.context_window = n_ctx
        self.n_threads = n_threads
        self._facts = facts
        self._jobs: queue.Queue[_Job | None] = queue.Queue()
        self._grammars: dict[str, object] = {}
        self._active = 0
        self._current: _Job | None = None
        self._closed = False
        self._worker = threading.Thread(target=self._run, name=f"llamacpp:{self.model_id}", daemon=True)
        self._worker.start()

    # --- public API -------------------------------------------------------

    @property
    def queue_length(self) -> int:
        """Requests waiting for the worker (not counting the one being generated)."""
        return self._jobs.qsize()

    @property
    def active(self) -> int:
        """1 while a generation is running, else 0."""
        return self._active

    @property
    def closed(self) -> bool:
        return self._closed

    def stream(
        self,
        messages: list[Message],
        options: GenerationOptions | None = None,
        cancel: threading.Event | None = None,
    ) -> Iterator[Chunk]:
        options = options or GenerationOptions()
        if self._closed:
            raise ModelError("model.closed", name=self.model_id)
        tokens, stop = self.prompt_tokens(messages)
        if len(tokens) >= self.context_window:
            raise ModelError("model.context_full", tokens=len(tokens), limit=self.context_window)
        job = _Job(tokens=tokens, stop=list(options.stop) + stop, options=options, cancel=cancel)
        self._jobs.put(job)
        try:
            while True:
                try:
                    item = job.out.get(timeout=WORKER_POLL_S)
                except queue.Empty:
                    if not self._worker.is_alive():
                        raise ModelError("model.worker_stopped", name=self.model_id) from None
                    continue
                if isinstance(item, BaseException):
                    raise item
                yield item
                if item.finish_reason is not None:
                    return
        finally:
            # The caller went away (closed the generator) or we are done: stop the worker's job.
            job.abandoned.set()

    def prompt_tokens(self, messages: list[Message]) -> tuple[list[int], list[str]]:
        """The conversation formatted by the GGUF's chat template, as tokens, and its stop strings."""
        try:
            result = self._formatter(messages=[dict(m) for m in messages])
        except Exception as exc:  # jinja2 errors: a template that rejects this conversation
            raise ModelError("model.template_error", detail=str(exc).splitlines()[0] if str(exc) else type(exc).__name__) from None
        tokens = self._llm.tokenize(result.prompt.encode("utf-8"), add_bos=not result.added_special, special=True)
        stop = result.stop if isinstance(result.stop, list) else [result.stop] if result.stop else []
        return tokens, [s for s in stop if s]

    def count_tokens(self, text: str) -> int:
        return len(self._llm.tokenize(text.encode("utf-8"), add_bos=False, special=False))

    def info(self) -> ModelInfo:
        base = self._facts or ModelInfo(name=self.model_id, backend=self.backend)
        return replace(
            base,
            name=self.model_id,
            backend=self.backend,
            parameters=self.header.parameters,
            quantization=self.header.quantization,
            size_bytes=self.header.size_bytes,
            path=str(self.path),
            installed=True,
        )

    def close(self) -> None:
        """Cancel the running and waiting requests, stop the worker, free the model."""
        if self._closed:
            return
        self._closed = True
        with self._jobs.mutex:
            pending = [job for job in self._jobs.queue if job is not None]
        for job in pending + ([self._current] if self._current is not None else []):
            job.abandoned.set()
        self._jobs.put(None)
        self._worker.join(CLOSE_TIMEOUT_S)
        if not self._worker.is_alive():
            self._llm.close()

    # --- worker side ------------------------------------------------------

    def _run(self) -> None:
        while True:
            job = self._jobs.get()
            if job is None:
                return
            self._active = 1
            self._current = job
            try:
                self._generate(job)
            except ModelError as exc:
                job.out.put(exc)
            except Exception as exc:  # llama.cpp failures reach the caller as one line
                detail = (str(exc).splitlines() or [type(exc).__name__])[0]
                job.out.put(ModelError("model.generation_failed", name=self.model_id, detail=detail))
            finally:
                self._current = None
                self._active = 0

    def _grammar(self, schema: dict | None):
        """llama.cpp's grammar for a JSON schema, built once per schema (worker thread only)."""
        if schema is None:
            return None
        key = json.dumps(schema, sort_keys=True)
        grammar = self._grammars.get(key)
        if grammar is None:
            llama_cpp, _ = _import_llama()
            try:
                grammar = llama_cpp.LlamaGrammar.from_json_schema(key, verbose=False)
            except Exception as exc:  # the converter rejects the schema: say so in one line
                raise ModelError("model.bad_schema", detail=(str(exc).splitlines() or [type(exc).__name__])[0]) from None
            self._grammars[key] = grammar
        return grammar

    def _cached_prefix(self, tokens: list[int]) -> int:
        """How many prompt tokens llama.cpp will reuse from the KV cache (mirrors `Llama.generate`)."""
        llm = self._llm
        if llm.n_tokens == 0:
            return 0
        common = 0
        for a, b in zip(llm._input_ids, tokens):
            if a != b:
                break
            common += 1
        if common == len(tokens):
            if llm.n_tokens == len(tokens) and not llm._requires_eval:
                return common
            return common - 1
        return common

    def _generate(self, job: _Job) -> None:
        prompt_tokens = len(job.tokens)
        if job.cancelled():
            job.out.put(Chunk(finish_reason="cancelled", usage=Usage(prompt_tokens, 0, 0)))
            return
        cached = self._cached_prefix(job.tokens)
        sampled = 0

        def watch(input_ids, logits) -> bool:
            # llama-cpp-python calls this after each sample (and once more at the end) with the
            # evaluated tokens, which lag one behind the samples: count samples, stop on cancel.
            nonlocal sampled
            sampled = max(sampled, len(input_ids) - prompt_tokens + 1)
            return job.cancelled()

        options = job.options
        completion = self._llm.create_completion(
            grammar=self._grammar(options.json_schema),
            prompt=job.tokens,
            max_tokens=max(1, min(options.max_tokens, self.context_window - prompt_tokens)),
            temperature=options.temperature,
            top_p=options.top_p,
            seed=options.seed,
            stop=job.stop,
            stream=True,
            stopping_criteria=self._stopping_list([watch]),
        )
        finish = "length"
        try:
            for part in completion:
                choice = part["choices"][0]
                if choice["text"]:
                    job.out.put(Chunk(text=choice["text"]))
                if choice.get("finish_reason"):
                    finish = choice["finish_reason"]
                if job.cancelled():
                    break
        finally:
            completion.close()
        if job.cancelled():
            finish = "cancelled"
        # A "stop" finish sampled one end token that is not part of the answer.
        completion_tokens = sampled - 1 if finish == "stop" and sampled else sampled
        job.out.put(Chunk(finish_reason=finish, usage=Usage(prompt_tokens, completion_tokens, cached)))


_LOADED: dict[tuple[str, int, int], LlamaCppModel] = {}
_LOAD_LOCK = threading.Lock()


def shared_model(path: str | Path, settings: Settings, *, name: str, facts: ModelInfo | None = None) -> LlamaCppModel:
    """The process-wide model for `path` (loaded once; `get_model` twice returns the same one)."""
    threads = settings.effective_threads()
    key = (str(Path(path).expanduser().resolve()), settings.n_ctx, threads)
    with _LOAD_LOCK:
        model = _LOADED.get(key)
        if model is None or model.closed:
            model = LlamaCppModel(path, name=name, n_ctx=settings.n_ctx, n_threads=threads, seed=settings.seed, facts=facts)
            _LOADED[key] = model
        return model


def unload_all() -> None:
    """Close every shared model (end of process, tests)."""
    with _LOAD_LOCK:
        models = list(_LOADED.values())
        _LOADED.clear()
    for model in models:
        model.close()
