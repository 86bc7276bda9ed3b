"""Operations: health, metrics, JSON logs, shutdown of answers in flight, `precepteur serve`."""

from __future__ import annotations

import asyncio
import json
import logging

import pytest
from click.testing import CliRunner
from web_helpers import LONG_ANSWER, SlowModel, make_token, sign_in

from precepteur.store.models import Conversation, Message, User
from precepteur.web.app import create_app
from precepteur.web.asking import prepare_question
from precepteur.web.telemetry import JsonFormatter


def test_healthz(client):
    body = client.get("/healthz").json()
    assert body["status"] == "ok" and body["database"] is True and body["model"] == "scripted"
    assert body["queue"] == 0
    assert body["library"] == "sqlite" and body["vectors"] == "numpy"


def test_healthz_reports_an_unreachable_database(client, app):
    from types import SimpleNamespace

    from sqlalchemy import create_engine

    real = app.state.services.db
    app.state.services.db = SimpleNamespace(engine=create_engine("sqlite:////nonexistent/dir/x.db"))
    try:
        response = client.get("/healthz")
    finally:
        app.state.services.db = real
    assert response.status_code == 503 and response.json()["database"] is False


METRICS = {"Authorization": "Bearer metrics-secret"}


@pytest.fixture
def metrics_on(app):
    app.state.services.settings.metrics_token = "metrics-secret"


def test_metrics_count_requests_answers_and_tokens(client, metrics_on):
    csrf = sign_in(client, "alice")
    conversation_id = client.post("/api/conversations", json={}, headers={"X-CSRF-Token": csrf}).json()["id"]
    client.post(f"/api/conversations/{conversation_id}/messages?stream=false",
                json={"question": "Combien font 6 fois 7 ?"}, headers={"X-CSRF-Token": csrf})
    metrics = client.get("/metrics", headers=METRICS)
    assert metrics.headers["content-type"].startswith("text/plain")
    text = metrics.text
    route = "/api/conversations/{conversation_id}/messages"
    assert f'precepteur_http_requests_total{{method="POST",route="{route}",status="200"}} 1.0' in text
    assert "precepteur_http_request_seconds_bucket" in text
    assert 'precepteur_answers_total{outcome="complete"} 1.0' in text
    assert "precepteur_queue_length 0.0" in text
    assert "precepteur_tokens_per_second_count 1.0" in text
    assert "precepteur_completion_tokens_total" in text


def test_unmatched_paths_do_not_explode_metric_labels(client, metrics_on):
    client.get("/nope/1")
    client.get("/nope/2")
    assert 'route="unmatched",status="404"} 2.0' in client.get("/metrics", headers=METRICS).text


def test_metrics_are_off_unless_a_token_is_set_and_then_need_it(client, app):
    assert client.get("/metrics").status_code == 404
    app.state.services.settings.metrics_token = "metrics-secret"
    assert client.get("/metrics").status_code == 401
    assert client.get("/metrics", headers={"Authorization": "Bearer wrong"}).status_code == 401
    admin_token = make_token(app, "admin")
    assert client.get("/metrics", headers={"Authorization": f"Bearer {admin_token}"}).status_code == 401
    assert client.get("/metrics", headers=METRICS).status_code == 200


def test_json_log_lines():
    record = logging.LogRecord("precepteur.web", logging.INFO, __file__, 1, "request", (), None)
    record.status = 200
    record.path = "/chat"
    line = json.loads(JsonFormatter().format(record))
    assert line["message"] == "request" and line["status"] == 200 and line["path"] == "/chat"
    assert line["level"] == "info" and line["logger"] == "precepteur.web"


def test_access_log_is_structured(client, caplog):
    with caplog.at_level(logging.INFO, logger="precepteur.web.access"):
        client.get("/healthz")
    record = next(r for r in caplog.records if r.name == "precepteur.web.access")
    assert record.route == "/healthz" and record.status == 200 and record.method == "GET"


def test_shutdown_cancels_and_keeps_partial_answers(settings, users):
    app = create_app(settings, model=SlowModel(LONG_ANSWER, delay=0.02))
    services = app.state.services

    async def scenario() -> tuple[int, int]:
        with services.db.session() as s:
            alice = s.query(User).filter_by(name="alice").one()
            conversation = Conversation(user_id=alice.id, title="", level="6e", mode="explain", model="slow")
            s.add(conversation)
            s.flush()
            prepared = prepare_question(s, services, alice, conversation, question="Une histoire ?")
        job = services.answers.start(prepared.request, message_id=prepared.message_id)
        await asyncio.sleep(0.3)
        await asyncio.to_thread(services.answers.shutdown)
        assert job.finished.is_set()
        return prepared.message_id, services.admission.length

    message_id, queue = asyncio.run(scenario())
    assert queue == 0
    with services.db.session() as s:
        row = s.get(Message, message_id)
        assert row.complete is False and row.content and LONG_ANSWER.startswith(row.content)


def test_serve_prints_first_start_help_and_runs_uvicorn(tmp_path, monkeypatch):
    from precepteur.cli import main, serve_cmd

    calls = []
    monkeypatch.setattr(serve_cmd, "run_server", lambda app, **kwargs: calls.append((app, kwargs)))
    monkeypatch.setenv("PRECEPTEUR_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("PRECEPTEUR_MODEL", "qwen-that-is-not-installed")
    result = CliRunner().invoke(main, ["serve", "--port", "8765", "--model", "scripted"])
    assert result.exit_code == 0, result.output
    assert "precepteur user add admin --role admin" in result.output
    assert "http://127.0.0.1:8765/" in result.output
    app, kwargs = calls[0]
    assert kwargs["host"] == "127.0.0.1" and kwargs["port"] == 8765
    assert kwargs["timeout_graceful_shutdown"] > 0
    assert app.state.services.model.model_id == "scripted"


def test_serve_is_quiet_once_an_account_exists(settings, users, monkeypatch):
    from precepteur.cli import main, serve_cmd

    monkeypatch.setattr(serve_cmd, "run_server", lambda app, **kwargs: None)
    monkeypatch.setenv("PRECEPTEUR_HOME", str(settings.home))
    monkeypatch.setenv("PRECEPTEUR_MODEL", "scripted")
    result = CliRunner().invoke(main, ["serve"])
    assert result.exit_code == 0 and "user add admin" not in result.output


def test_unknown_model_is_a_clear_cli_error(tmp_path, monkeypatch):
    from precepteur.cli import main

    monkeypatch.setenv("PRECEPTEUR_HOME", str(tmp_path / "home"))
    result = CliRunner().invoke(main, ["serve", "--model", "pas-un-modele"])
    assert result.exit_code == 2 and "pas-un-modele" in result.output


def test_configure_logging_writes_json_lines(capsys, monkeypatch):
    from precepteur.web.telemetry import QUIET_LOGGERS, configure_logging

    for name in ("", "uvicorn", "uvicorn.error", *QUIET_LOGGERS):
        logger = logging.getLogger(name)
        monkeypatch.setattr(logger, "handlers", list(logger.handlers))
        monkeypatch.setattr(logger, "level", logger.level)
        monkeypatch.setattr(logger, "propagate", logger.propagate)
    configure_logging()
    logging.getLogger("uvicorn.error").info("Started", extra={"color_message": "\x1b[1mStarted\x1b[0m"})
    logging.getLogger("alembic.runtime.plugins").info("setup plugin")
    lines = [json.loads(line) for line in capsys.readouterr().err.splitlines()]
    assert lines == [{"time": lines[0]["time"], "level": "info", "logger": "uvicorn.error", "message": "Started"}]
