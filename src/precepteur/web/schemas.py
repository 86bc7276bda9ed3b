"""Request and response bodies of the JSON API (`/api/`), as they appear in /openapi.json."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from fastapi import Path
from pydantic import BaseModel, ConfigDict, Field, computed_field

from ..store.workers import answer_state
from ..store.models import LIBRARY_CHARS, NAME_CHARS, TITLE_CHARS, TOKEN_NAME_CHARS

Mode = Literal["explain", "socratic"]
Role = Literal["admin", "teacher", "learner"]
# Short text fields are bounded here; the question itself is checked against
# MAX_QUESTION_CHARS by the route, so that it gets its own clear 413.
SHORT_TEXT = 100
# Ids are SQL integers: anything outside 1..MAX_ID cannot exist (and would overflow SQLite).
MAX_ID = 2**63 - 1
RecordId = Annotated[int, Path(ge=1, le=MAX_ID)]


class ErrorDetail(BaseModel):
    code: str
    type: str
    message: str


class ErrorOut(BaseModel):
    """Every refusal: `{"error": {"code", "type", "message"}}`."""

    error: ErrorDetail


class SignIn(BaseModel):
    name: str = Field(max_length=NAME_CHARS)
    password: str = Field(max_length=1024)


class UserOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    name: str
    role: str
    level: str | None = None
    lang: str
    teacher_id: int | None = None
    disabled: bool = False


class Me(UserOut):
    csrf_token: str | None = None


class UserCreate(BaseModel):
    name: str = Field(max_length=NAME_CHARS)
    role: Role = "learner"
    password: str | None = Field(default=None, max_length=1024)
    level: str | None = Field(default=None, max_length=SHORT_TEXT)
    teacher: str | None = Field(default=None, max_length=NAME_CHARS)
    lang: Literal["fr", "en"] = "fr"


class PasswordSet(BaseModel):
    password: str = Field(max_length=1024)


class DisabledSet(BaseModel):
    disabled: bool


class TokenCreate(BaseModel):
    user: str | None = Field(default=None, max_length=NAME_CHARS, description="Owner's name (default: yourself).")
    name: str = Field(default="", max_length=TOKEN_NAME_CHARS)


class TokenOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    user_id: int
    name: str
    prefix: str
    created_at: datetime
    last_used_at: datetime | None = None
    revoked_at: datetime | None = None


class TokenCreated(TokenOut):
    token: str = Field(description="The token itself: shown this once, never again.")


class ConversationCreate(BaseModel):
    title: str = Field(default="", max_length=TITLE_CHARS)
    level: str | None = Field(default=None, max_length=SHORT_TEXT)
    mode: Mode = "explain"
    library: str | None = Field(default=None, max_length=LIBRARY_CHARS)


class ConversationOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    user_id: int
    title: str
    level: str
    mode: str
    library: str | None = None
    model: str
    created_at: datetime
    updated_at: datetime


class MessageOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    role: str
    content: str
    complete: bool
    citations: list[dict] = []
    skills: list[dict] = []
    declined: bool = False
    model: str | None = None
    error: str | None = None
    created_at: datetime

    @computed_field
    @property
    def state(self) -> str:
        """complete, streaming, cancelled (the client left), stopped (server shutdown),
        interrupted (server crash) or failed."""
        return answer_state(self.complete, self.error)


class ConversationDetail(ConversationOut):
    messages: list[MessageOut]


class Ask(BaseModel):
    """A learner's question; level, mode and library default to the conversation's."""

    question: str
    level: str | None = Field(default=None, max_length=SHORT_TEXT)
    mode: Mode | None = None
    library: str | None = Field(default=None, max_length=LIBRARY_CHARS)


class AnswerOut(BaseModel):
    """A whole answer (`?stream=false`): the `ask --json` object plus its stored ids."""

    conversation_id: int
    message_id: int
    answer: str
    citations: list[dict]
    skills: list[dict]
    model: str
    declined: bool
    incomplete: bool
    corrected: bool = False
    general: bool = False
    error: str | None = None


class ModelOut(BaseModel):
    name: str
    backend: str
    parameters: str
    quantization: str
    licence: str
    size_bytes: int | None = None
    source: str
    languages: str
    training_data: str
    maturity: str
    limitations: str
    cannot_do: list[str]


class LibraryOut(BaseModel):
    name: str
    owner: str | None = None
    restricted: bool = False
    documents: int = 0
    passages: int = 0
    embedded: int = 0


class Health(BaseModel):
    status: Literal["ok", "degraded"]
    database: bool
    model: str
    queue: int
    version: str
    # Where libraries are searched: "sqlite" (files on this machine) or "postgresql",
    # and how dense vectors are compared: "numpy" (exact, in the worker) or "pgvector".
    library: str = "sqlite"
    vectors: str = "numpy"
