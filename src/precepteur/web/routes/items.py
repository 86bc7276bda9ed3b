"""The item bank's JSON API: `/api/libraries/{name}/items` and `/api/libraries/{name}/skills`.

For the teacher who owns the library (and admins) only: a library someone else
owns answers 404 as if it did not exist (its answers are not for other eyes), an
item of another library 404 too; learners get 403. Generation starts a
background job and answers at once (202) with the job to poll; nothing here waits
for the model. The list answers the issue's shape: `{"id", "skill", "kind",
"prompt", "choices", "key", "status", "source": {"document", "locator", "quote"},
"checks"}`.
"""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, File, Query, Request, UploadFile
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from ...errors import InputError
from ...learning.items.bank import ItemInvalid, create_item, edit_item, import_items
from ...learning.items.generate import GenerationRequest
from ...learning.items.importing import MAX_IMPORT_BYTES, Draft
from ...learning.items.types import KINDS
from ...learning.levels import parse_level
from ...learning.topics import TopicSetting, library_topics
from ...store.curriculum import library_settings, save_library_settings, save_topic_setting, topic_settings
from ...store.item_jobs import get_job, jobs_for
from ...store.items import counts, get_item, history, list_items, set_status
from ..deps import ServicesDep, SessionDep, TeacherUser
from ..errors import WebError
from ..i18n import request_lang
from ..schemas import RecordId
from ..transactions import CommitRoute
from .library import can_manage

router = APIRouter(route_class=CommitRoute, prefix="/api/libraries/{name}", tags=["items"])

Kind = Literal["mcq", "true_false", "numeric", "cloze", "short_answer"]
Status = Literal["draft", "approved", "rejected"]
MAX_REVIEW = 500
MAX_GENERATE = 500
PROMPT_CHARS = 400
ANSWER_CHARS = 200


def managed_library(services, user, name: str):
    """The library `name` if this person manages it; 404 otherwise (as if it did not exist)."""
    try:
        info = services.library.info(name)
    except InputError as exc:
        raise WebError(404, "web.error.library_not_found", name=name[:80]) from exc
    if not can_manage(user, info):
        raise WebError(404, "web.error.library_not_found", name=name[:80])
    return info


def item_in(s, name: str, item_id: int):
    """Item `item_id` of library `name`, or 404."""
    item = get_item(s, item_id)
    if item is None or item.library != name:
        raise WebError(404, "items.web.not_found", item=item_id)
    return item


def _job_in(s, name: str, job_id: int):
    job = get_job(s, job_id)
    if job is None or job.library != name:
        raise WebError(404, "items.web.job_not_found", job=job_id)
    s.commit()  # the job thread writes next
    return job


def invalid(exc: InputError, lang: str) -> WebError:
    reasons = getattr(exc, "reasons", None) or [exc.message(lang)]
    return WebError(422, "items.error.invalid", reasons="; ".join(reasons))


class ItemIn(BaseModel):
    kind: Kind
    prompt: str = Field(min_length=1, max_length=PROMPT_CHARS)
    key: str = Field(min_length=1, max_length=ANSWER_CHARS)
    choices: list[Annotated[str, Field(max_length=ANSWER_CHARS)]] | None = Field(default=None, max_length=4)
    variants: list[Annotated[str, Field(max_length=ANSWER_CHARS)]] = Field(default_factory=list, max_length=10)
    explanation: str = Field(default="", max_length=1000)
    skill: str = Field(default="", max_length=200)
    tolerance: float | None = Field(default=None, ge=0, le=1e12)


class ItemPatch(BaseModel):
    kind: Kind | None = None
    prompt: str | None = Field(default=None, min_length=1, max_length=PROMPT_CHARS)
    key: str | None = Field(default=None, min_length=1, max_length=ANSWER_CHARS)
    choices: list[Annotated[str, Field(max_length=ANSWER_CHARS)]] | None = Field(default=None, max_length=4)
    variants: list[Annotated[str, Field(max_length=ANSWER_CHARS)]] | None = Field(default=None, max_length=10)
    explanation: str | None = Field(default=None, max_length=1000)
    hint: str | None = Field(default=None, max_length=1000)
    skill: str | None = Field(default=None, max_length=200)
    tolerance: float | None = Field(default=None, ge=0, le=1e12)


class ReviewIn(BaseModel):
    ids: list[Annotated[int, Field(ge=1, le=2**63 - 1)]] = Field(min_length=1, max_length=MAX_REVIEW)
    status: Status


class GenerateIn(BaseModel):
    count: int = Field(default=20, ge=1, le=MAX_GENERATE)
    kinds: list[Kind] | None = Field(default=None, max_length=5)
    skill: str | None = Field(default=None, max_length=200)
    seed: int = Field(default=0, ge=0, le=2**31)


class SkillPatch(BaseModel):
    label: str | None = Field(default=None, max_length=200)
    merged_into: str | None = Field(default=None, max_length=200)
    hidden: bool | None = None


class SettingsIn(BaseModel):
    levels: list[Annotated[str, Field(max_length=20)]] | None = Field(default=None, max_length=13)
    auto_approve: bool | None = None


@router.get("/items")
def list_library_items(name: str, user: TeacherUser, services: ServicesDep, s: SessionDep,
                       status: Status | None = None, kind: Kind | None = None,
                       skill: Annotated[str | None, Query(max_length=200)] = None):
    """The library's items (filters: status, kind, skill)."""
    managed_library(services, user, name)
    return [item.to_dict() for item in list_items(s, name, status=status, kind=kind, skill=skill)]


@router.post("/items", status_code=201)
def create_library_item(name: str, body: ItemIn, request: Request, user: TeacherUser, services: ServicesDep,
                        s: SessionDep):
    """Add your own item (checked, sourced from the library when it can be, stored as a draft)."""
    managed_library(services, user, name)
    lang = request_lang(request)
    draft = Draft(0, body.kind, body.prompt, body.key, body.choices, body.variants, body.explanation, body.skill,
                  body.tolerance)
    try:
        return create_item(s, services.library, name, draft, user_id=user.id, lang=lang).to_full_dict()
    except ItemInvalid as exc:
        raise invalid(exc, lang) from exc


@router.get("/items/jobs/{job_id}")
def item_job(name: str, job_id: RecordId, user: TeacherUser, services: ServicesDep, s: SessionDep):
    """A generation job: state, progress and statistics."""
    managed_library(services, user, name)
    return _job_in(s, name, job_id).to_dict()


@router.get("/items/jobs")
def item_jobs(name: str, user: TeacherUser, services: ServicesDep, s: SessionDep):
    """The library's latest generation jobs, newest first."""
    managed_library(services, user, name)
    return [job.to_dict() for job in jobs_for(s, name)]


@router.post("/items/generate", status_code=202)
def generate_items(name: str, body: GenerateIn, user: TeacherUser, services: ServicesDep,
                   s: SessionDep):
    """Start generating items in the background; answers the job to poll."""
    managed_library(services, user, name)
    if body.skill is not None:
        topics = library_topics(services.library, name, topic_settings(s, name))
        if not any(t.id == body.skill or body.skill in t.merged for t in topics):
            raise WebError(422, "items.error.unknown_skill", skill=body.skill[:80])
    levels = library_settings(s, name).levels
    request_ = GenerationRequest(name, body.count, tuple(dict.fromkeys(body.kinds or KINDS)), body.skill, body.seed,
                                 levels[0] if levels else None, services.settings.language)
    s.commit()  # the job thread opens its own sessions
    job = services.items.start(request_, user.id)
    return JSONResponse(job.to_dict() | {"poll": f"/api/libraries/{name}/items/jobs/{job.id}"}, status_code=202)


@router.post("/items/jobs/{job_id}/cancel")
def cancel_job(name: str, job_id: RecordId, user: TeacherUser, services: ServicesDep, s: SessionDep):
    """Stop a job after its current passage (what it kept stays)."""
    managed_library(services, user, name)
    _job_in(s, name, job_id)
    return services.items.cancel(job_id).to_dict()


@router.post("/items/jobs/{job_id}/resume", status_code=202)
def resume_job(name: str, job_id: RecordId, user: TeacherUser, services: ServicesDep, s: SessionDep):
    """Resume a cancelled or interrupted job where it stopped."""
    managed_library(services, user, name)
    _job_in(s, name, job_id)
    return services.items.resume(job_id).to_dict()


@router.post("/items/review")
def review_items(name: str, body: ReviewIn, user: TeacherUser, services: ServicesDep, s: SessionDep):
    """Approve, reject or send back to draft several items at once."""
    managed_library(services, user, name)
    changed, missing = set_status(s, body.ids, body.status, user_id=user.id, library=name)
    return {"changed": [item.to_dict() for item in changed], "missing": missing}


@router.post("/items/import")
def import_library_items(name: str, request: Request, user: TeacherUser, services: ServicesDep, s: SessionDep,
                         file: Annotated[UploadFile, File()]):
    """Import your own questions (CSV or Markdown) as drafts; every bad row is reported."""
    managed_library(services, user, name)
    data = file.file.read(MAX_IMPORT_BYTES + 1)
    if len(data) > MAX_IMPORT_BYTES:
        raise WebError(413, "items.error.import_too_large", limit=MAX_IMPORT_BYTES // (1024 * 1024))
    report = import_items(s, services.library, name, data.decode("utf-8-sig", errors="replace"),
                          file.filename or "import.md", user_id=user.id, lang=request_lang(request))
    return report.to_dict()


@router.get("/items/{item_id}")
def library_item(name: str, item_id: RecordId, user: TeacherUser, services: ServicesDep, s: SessionDep):
    """One item with everything a teacher reviews: key, variants, source, checks and why they failed, history."""
    managed_library(services, user, name)
    return item_in(s, name, item_id).to_full_dict() | {"history": history(s, item_id)}


@router.patch("/items/{item_id}")
def edit_library_item(name: str, item_id: RecordId, body: ItemPatch, request: Request, user: TeacherUser,
                      services: ServicesDep, s: SessionDep):
    """Edit an item; it is checked again (an edit that breaks it is refused and changes nothing)."""
    managed_library(services, user, name)
    item_in(s, name, item_id)
    lang = request_lang(request)
    try:
        return edit_item(s, services.library, item_id, body.model_dump(exclude_unset=True), user_id=user.id,
                         lang=lang).to_full_dict()
    except ItemInvalid as exc:
        raise invalid(exc, lang) from exc


@router.get("/skills")
def library_skills(name: str, user: TeacherUser, services: ServicesDep, s: SessionDep):
    """The skills map: id, label, passages, hidden, merged, and item counts by status."""
    managed_library(services, user, name)
    per_skill = counts(s, name)
    topics = library_topics(services.library, name, topic_settings(s, name))
    return [topic.to_dict() | {"items": per_skill.get(topic.id, {})} for topic in topics]


@router.patch("/skills/{skill_id}")
def edit_skill(name: str, skill_id: str, body: SkillPatch, user: TeacherUser, services: ServicesDep, s: SessionDep):
    """Rename, merge into another skill, hide or show a skill."""
    managed_library(services, user, name)
    settings = topic_settings(s, name)
    topics = library_topics(services.library, name, {})
    ids = {t.id for t in topics}
    if skill_id not in ids:
        raise WebError(404, "items.web.skill_not_found", skill=skill_id[:80])
    current = settings.get(skill_id, TopicSetting(skill_id))
    fields = body.model_dump(exclude_unset=True)
    merged_into = fields.get("merged_into", current.merged_into) or None
    if merged_into is not None and (merged_into not in ids or merged_into == skill_id):
        raise WebError(422, "items.error.unknown_skill", skill=str(merged_into)[:80])
    label = fields.get("label", current.label)
    setting = TopicSetting(skill_id, (label or "").strip() or None, merged_into, bool(fields.get("hidden", current.hidden)))
    save_topic_setting(s, name, setting)
    topics = library_topics(services.library, name, topic_settings(s, name))
    return [t.to_dict() for t in topics if t.id in (skill_id, merged_into)]


@router.get("/settings")
def teaching_settings(name: str, user: TeacherUser, services: ServicesDep, s: SessionDep):
    """The library's level(s) and whether checked items are approved at once."""
    managed_library(services, user, name)
    return library_settings(s, name).to_dict()


@router.put("/settings")
def set_teaching_settings(name: str, body: SettingsIn, user: TeacherUser, services: ServicesDep, s: SessionDep):
    """Set the library's level(s) and auto-approval."""
    managed_library(services, user, name)
    levels = None
    if body.levels is not None:
        parsed = [parse_level(level) for level in body.levels]
        if any(level is None for level in parsed) or not all(body.levels):
            raise WebError(422, "items.web.bad_level")
        levels = list(dict.fromkeys(level.code for level in parsed))
    return save_library_settings(s, name, levels=levels, auto_approve=body.auto_approve).to_dict()
