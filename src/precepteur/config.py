"""Settings for one Précepteur installation.

Built once by the CLI or by `create_app(settings)`, never at import time.
Every field can be set from the environment with the `PRECEPTEUR_` prefix
(`PRECEPTEUR_HOME`, `PRECEPTEUR_MODEL`, `PRECEPTEUR_DATABASE_URL`, ...).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Literal

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_MODEL = "qwen2.5-coder-1.5b"


def _default_home() -> Path:
    return Path(os.path.expanduser("~/.precepteur"))


class Settings(BaseSettings):
    """Where data lives, which model answers, and the limits that protect the service."""

    model_config = SettingsConfigDict(env_prefix="PRECEPTEUR_", extra="ignore")

    home: Path = Field(default_factory=_default_home)
    database_url: str | None = None
    redis_url: str | None = None
    model: str = DEFAULT_MODEL
    # An OpenAI-compatible server (vLLM, Ollama, llama-server, Albert) instead of a local GGUF;
    # several base URLs separated by commas share the answers (least-loaded, with failover).
    openai_base_url: str | None = None
    openai_api_key: str | None = None
    openai_model: str | None = None
    # How JSON schemas are sent: "json_schema" (vLLM, llama-server, Ollama) or
    # "json_object" (llama-cpp-python's own server, which ignores the other form).
    openai_schema_style: str = "json_schema"
    threads: int | None = None
    n_ctx: int = 4096
    max_tokens: int = 512
    temperature: float = 0.2
    seed: int = 42
    language: str = "fr"
    secret_key: str | None = None
    # Behind HTTPS (a school's reverse proxy), mark the session cookie Secure.
    secure_cookies: bool = False
    max_queue: int = 64
    # Requests worked on at once (None: 4 per CPU core); beyond, they queue briefly, then 503.
    max_in_flight: int | None = None
    # `/metrics` is off unless a token is set; Prometheus then sends it as a bearer token.
    metrics_token: str | None = None
    judge_model: str | None = None
    # The inbound guard's layers beyond its rules: the semantic layer (embeddings), and the
    # model judge ("auto": asked when the semantic layer is unsure; "always"; "off").
    # How long learners' conversations are kept: "school_year" (until the next 1 September)
    # or a number of days (at most 366); `precepteur purge` applies it.
    retention: str = "school_year"
    guard_semantic: bool = True
    guard_judge: str = "auto"
    guard_judge_model: str | None = None  # default: the tutor's own model
    # Answers with nothing behind them (no verified citation, no computed fact): "allow"
    # (given, labelled as unchecked) or "decline"; per library, e.g. {"nsi": "decline"}
    # (JSON in PRECEPTEUR_UNSOURCED_BY_LIBRARY); a class or user setting overrides both
    # through TutorRequest.unsourced (see tutor/trust.py).
    # Word problems and logic puzzles: the model writes a small program, code runs it (skills/program.py).
    program_aided: bool = True
    unsourced_answers: Literal["allow", "decline"] = "allow"
    unsourced_by_library: dict[str, Literal["allow", "decline"]] = Field(default_factory=dict)

    @property
    def models_dir(self) -> Path:
        return self.home / "models"

    @property
    def libraries_dir(self) -> Path:
        return self.home / "libraries"

    @property
    def database(self) -> str:
        """The SQLAlchemy URL: PostgreSQL when given, else a SQLite file in `home`."""
        if self.database_url:
            return self.database_url
        return f"sqlite:///{self.home / 'precepteur.db'}"

    def ensure_home(self) -> Path:
        self.home.mkdir(parents=True, exist_ok=True)
        return self.home

    def effective_threads(self) -> int:
        return self.threads or max(1, os.cpu_count() or 1)
