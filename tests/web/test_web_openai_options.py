"""`/v1` honours or refuses OpenAI options, never ignores them silently (issue 10, defect 10).

An unknown model name used to get 200 from the default model; `n`,
`temperature` and a negative `max_tokens` were silently ignored.
"""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from web_helpers import make_token

from precepteur.tutor import trust
from precepteur.llm import ScriptedModel
from precepteur.web.app import create_app

HELLO = [{"role": "user", "content": "Bonjour, comment vas-tu ?"}]


class RecordingModel(ScriptedModel):
    """The scripted model, remembering the options of each call."""

    def __init__(self) -> None:
        super().__init__()
        self.options = []

    def stream(self, messages, options=None, cancel=None):
        self.options.append(options)
        return super().stream(messages, options, cancel)


@pytest.fixture
def recorded(settings, users):
    model = RecordingModel()
    app = create_app(settings, model=model)
    with TestClient(app) as client:
        yield client, {"Authorization": f"Bearer {make_token(app, 'alice')}"}, model


def test_an_unknown_model_is_a_404_listing_the_models(client, app):
    headers = {"Authorization": f"Bearer {make_token(app, 'alice')}"}
    response = client.post("/v1/chat/completions", headers=headers, json={"model": "gpt-4o", "messages": HELLO})
    assert response.status_code == 404
    error = response.json()["error"]
    assert error["details"] == {"param": "model", "models": ["scripted"]}
    assert error["message"] == "Modèle inconnu « gpt-4o ». Modèles disponibles : scripted."
    for model in ("scripted", None):
        body = {"messages": HELLO} | ({"model": model} if model else {})
        assert client.post("/v1/chat/completions", headers=headers, json=body).status_code == 200


@pytest.mark.parametrize(("options", "word"), [
    ({"n": 2}, "« n »"), ({"n": 0}, "« n »"),
    ({"temperature": -0.1}, "temperature"), ({"temperature": 2.5}, "temperature"),
    ({"max_tokens": -5}, "max_tokens"), ({"max_tokens": 0}, "max_tokens"),
    ({"max_completion_tokens": -1}, "max_tokens"),
])
def test_options_out_of_range_are_a_400_that_names_them(recorded, options, word):
    client, headers, model = recorded
    response = client.post("/v1/chat/completions", headers=headers, json={"messages": HELLO, **options})
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "bad_request"
    assert word in response.json()["error"]["message"]
    assert model.options == []  # refused before the model ran


def test_temperature_and_max_tokens_are_honoured(recorded, settings):
    client, headers, model = recorded
    response = client.post("/v1/chat/completions", headers=headers,
                           json={"messages": HELLO, "temperature": 1.3, "max_tokens": 3, "n": 1})
    assert response.status_code == 200
    assert (model.options[-1].temperature, model.options[-1].max_tokens) == (1.3, 3)
    assert response.json()["choices"][0]["message"]["content"] == "Je ne sais\n\n" + trust.label("fr")  # nothing behind it: labelled
    client.post("/v1/chat/completions", headers=headers, json={"messages": HELLO, "max_completion_tokens": 7})
    assert model.options[-1].max_tokens == 7
    client.post("/v1/chat/completions", headers=headers, json={"messages": HELLO, "max_tokens": 10**6})
    assert model.options[-1].max_tokens == settings.max_tokens  # the service's own limit
    client.post("/v1/chat/completions", headers=headers, json={"messages": HELLO})
    assert (model.options[-1].temperature, model.options[-1].max_tokens) == (settings.temperature, settings.max_tokens)
