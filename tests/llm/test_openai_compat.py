"""The OpenAI-compatible backend against a real server on loopback (llama-cpp-python's own)."""

from __future__ import annotations

import socket
import subprocess
import sys
import threading
import time

import httpx
import pytest

from precepteur.config import Settings
from precepteur.errors import ModelError
from precepteur.llm import GenerationOptions, OpenAICompatModel, get_model
from precepteur.llm.packs import SMOLLM2_135M

API_KEY = "test-key"
SERVER_START_S = 90.0
CANCEL_BOUND_S = 10.0
QUESTION = [
    {"role": "system", "content": "You are a concise assistant. Answer in one sentence."},
    {"role": "user", "content": "What is the capital of France?"},
]
LONG = [{"role": "user", "content": "Write a very long story about a cat who travels around the world."}]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def server(smollm2_dir):
    """`python -m llama_cpp.server` on SmolLM2, with an API key; yields its /v1 base URL."""
    pytest.importorskip("sse_starlette", reason="llama-cpp-python[server] extras are not installed")
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "llama_cpp.server", "--model", str(SMOLLM2_135M.path(smollm2_dir)),
         "--host", "127.0.0.1", "--port", str(port), "--n_threads", "1", "--n_ctx", "2048",
         "--model_alias", "smol", "--api_key", API_KEY],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}/v1"
    try:
        deadline = time.monotonic() + SERVER_START_S
        while True:
            if process.poll() is not None:
                pytest.fail(f"llama_cpp.server exited with {process.returncode}")
            try:
                if httpx.get(f"{base}/models", headers={"Authorization": f"Bearer {API_KEY}"}, timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                pytest.fail("llama_cpp.server did not start in time")
            time.sleep(0.3)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(10)


@pytest.mark.llamacpp
def test_streams_an_answer(server):
    model = OpenAICompatModel(server, "smol", api_key=API_KEY)
    chunks = list(model.stream(QUESTION, GenerationOptions(max_tokens=40, temperature=0.0)))
    model.close()
    text = "".join(c.text for c in chunks)
    assert "Paris" in text
    assert len(chunks) > 3  # streamed, not one block
    assert chunks[-1].finish_reason == "stop"
    assert chunks[-1].usage.completion_tokens > 0


@pytest.mark.llamacpp
def test_get_model_by_settings(server, tmp_path):
    settings = Settings(home=tmp_path, openai_base_url=server, openai_api_key=API_KEY, openai_model="smol")
    text, usage = get_model("smol", settings).complete(QUESTION, GenerationOptions(max_tokens=8, temperature=0.0))
    assert text and usage.completion_tokens > 0


@pytest.mark.llamacpp
def test_cancel_closes_the_stream(server):
    model = OpenAICompatModel(server, "smol", api_key=API_KEY)
    cancel = threading.Event()
    chunks = []
    for chunk in model.stream(LONG, GenerationOptions(max_tokens=2000, temperature=0.0), cancel=cancel):
        chunks.append(chunk)
        if len(chunks) == 3:
            cancel.set()
    assert chunks[-1].finish_reason == "cancelled"
    assert len(chunks) == 4
    # The server saw the stream close and stopped: the next request is served at once,
    # not after the ~2000 tokens (tens of seconds on one thread) of the cancelled one.
    started = time.monotonic()
    text, _ = model.complete(QUESTION, GenerationOptions(max_tokens=8, temperature=0.0))
    model.close()
    assert text
    assert time.monotonic() - started < CANCEL_BOUND_S


@pytest.mark.llamacpp
def test_wrong_key_is_unauthorized(server):
    model = OpenAICompatModel(server, "smol", api_key="wrong")
    with pytest.raises(ModelError) as caught:
        model.complete(QUESTION)
    assert caught.value.key == "model.server_unauthorized"
    assert str(caught.value) == (
        f"le serveur de modèle {server} refuse la clé d'API (HTTP 401) : vérifiez PRECEPTEUR_OPENAI_API_KEY"
    )


@pytest.mark.llamacpp
def test_unknown_route_is_404(server):
    model = OpenAICompatModel(server.replace("/v1", "/v9"), "smol", api_key=API_KEY)
    with pytest.raises(ModelError) as caught:
        model.complete(QUESTION)
    assert caught.value.key == "model.server_model_missing"


def test_connection_refused_is_clear():
    url = f"http://127.0.0.1:{free_port()}/v1"
    model = OpenAICompatModel(url, "any", connect_timeout=2)
    with pytest.raises(ModelError) as caught:
        model.complete(QUESTION)
    assert str(caught.value) == f"serveur de modèle injoignable : {url}"


def test_silent_server_times_out():
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(1)
        url = f"http://127.0.0.1:{listener.getsockname()[1]}/v1"
        model = OpenAICompatModel(url, "any", connect_timeout=2, read_timeout=0.5)
        with pytest.raises(ModelError) as caught:
            model.complete(QUESTION)
    assert caught.value.key == "model.server_timeout"


@pytest.mark.llamacpp
def test_json_object_style_is_applied_by_llama_cpp_server(server):
    schema = {
        "type": "object",
        "properties": {"city": {"type": "string", "enum": ["Paris", "Lyon"]}, "sure": {"type": "boolean"}},
        "required": ["city", "sure"],
        "additionalProperties": False,
    }
    model = OpenAICompatModel(server, "smol", api_key=API_KEY, schema_style="json_object")
    value = model.complete_json(QUESTION, schema, GenerationOptions(max_tokens=40, temperature=0.0))
    model.close()
    assert value["city"] in ("Paris", "Lyon") and isinstance(value["sure"], bool)
