"""The teacher's item pages (server-rendered, French first): the bank of one library by
skill with filters, generation with live progress (polled by `items.js`, a refresh
link without JavaScript), bulk review, one item with its key, source, failed checks,
edit form and history, her own item by hand, import, and the skills map.

Same access rule as the API: the owner of the library (or an admin) only; a
library she does not manage is a 404, a learner a 403.
"""

from __future__ import annotations

from urllib.parse import quote, urlencode

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse

from ...learning.items.bank import ItemInvalid, create_item, edit_item, import_items
from ...learning.items.checks import CHECKS
from ...learning.items.generate import GenerationRequest
from ...learning.items.importing import MAX_IMPORT_BYTES, Draft
from ...learning.items.types import KINDS, STATUSES
from ...learning.levels import LEVELS, parse_level
from ...learning.topics import TopicSetting, library_topics
from ...store.curriculum import library_settings, save_library_settings, save_topic_setting, topic_settings
from ...store.item_jobs import get_job, jobs_for
from ...store.items import counts, history, list_items, set_status
from ..deps import PageLang, ServicesDep, SessionDep, TeacherUser
from ..errors import WebError
from ..render import render
from ..schemas import RecordId
from ..transactions import CommitRoute
from .items import item_in, managed_library

router = APIRouter(route_class=CommitRoute, prefix="/library/{name}", tags=["items"], include_in_schema=False)

MAX_FORM_COUNT = 500


def _lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def _base(name: str) -> str:
    return f"/library/{quote(name)}"


def _list_context(s, services, name: str, query) -> dict:
    settings = topic_settings(s, name)
    topics = library_topics(services.library, name, settings)
    labels = {t.id: t.label for t in topics}
    filters = {key: query.get(key) or None for key in ("status", "kind", "skill", "failed")}
    items = list_items(s, name, status=filters["status"] if filters["status"] in STATUSES else None,
                       kind=filters["kind"] if filters["kind"] in KINDS else None, skill=filters["skill"],
                       failed={"1": True, "0": False}.get(filters["failed"] or ""))
    order = {t.id: i for i, t in enumerate(topics)}
    groups: dict[str, list] = {}
    for item in sorted(items, key=lambda i: (order.get(i.skill, len(order)), i.id)):
        groups.setdefault(item.skill, []).append(item)
    jobs = jobs_for(s, name, limit=5)
    asked = query.get("job")
    job = next((j for j in jobs if str(j.id) == asked), None) or (jobs[0] if jobs else None)
    return {"topics": topics, "labels": labels, "groups": groups, "filters": filters, "job": job,
            "total": len(items), "kinds": KINDS, "statuses": STATUSES, "teaching": library_settings(s, name)}


@router.get("/items")
def items_page(name: str, request: Request, lang: PageLang, user: TeacherUser, services: ServicesDep, s: SessionDep):
    """The library's items by skill, with filters, generation, import and bulk review."""
    info = managed_library(services, user, name)
    return render(request, "items.html", lang=lang, user=user, library=info, report=None,
                  **_list_context(s, services, name, request.query_params))


@router.post("/items/generate")
async def start_generation(name: str, request: Request, user: TeacherUser, services: ServicesDep, s: SessionDep):
    """Start a generation job and come back to the list, which shows its progress."""
    managed_library(services, user, name)
    form = await request.form()
    try:
        count = max(1, min(MAX_FORM_COUNT, int(str(form.get("count") or "10"))))
    except ValueError as exc:
        raise WebError(422, "items.error.bad_count") from exc
    kinds = tuple(k for k in form.getlist("kinds") if k in KINDS) or KINDS
    skill = str(form.get("skill") or "").strip() or None
    levels = library_settings(s, name).levels
    s.commit()
    request_ = GenerationRequest(name, count, kinds, skill, 0, levels[0] if levels else None, services.settings.language)
    job = services.items.start(request_, user.id)
    return RedirectResponse(f"{_base(name)}/items?job={job.id}", status_code=303)


@router.post("/items/jobs/{job_id}/{action}")
def job_action(name: str, job_id: RecordId, action: str, user: TeacherUser, services: ServicesDep, s: SessionDep):
    """Cancel or resume a generation job."""
    managed_library(services, user, name)
    job = get_job(s, job_id)
    if job is None or job.library != name or action not in ("cancel", "resume"):
        raise WebError(404, "items.web.job_not_found", job=job_id)
    s.commit()
    (services.items.cancel if action == "cancel" else services.items.resume)(job_id)
    return RedirectResponse(f"{_base(name)}/items?job={job_id}", status_code=303)


@router.post("/items/review")
async def review(name: str, request: Request, user: TeacherUser, services: ServicesDep, s: SessionDep):
    """Approve or reject the ticked items."""
    managed_library(services, user, name)
    form = await request.form()
    status = str(form.get("status") or "")
    if status not in STATUSES:
        raise WebError(422, "web.error.invalid")
    ids = [int(v) for v in form.getlist("item") if str(v).isdigit()]
    set_status(s, ids, status, user_id=user.id, library=name)
    back = str(form.get("back") or "")
    return RedirectResponse(back if back.startswith(f"{_base(name)}/items") else f"{_base(name)}/items", status_code=303)


@router.post("/items/import")
async def import_page(name: str, request: Request, lang: PageLang, user: TeacherUser, services: ServicesDep,
                      s: SessionDep):
    """Import a CSV or Markdown list and show what came in and what did not."""
    info = managed_library(services, user, name)
    form = await request.form()
    upload = form.get("file")
    if upload is None or not hasattr(upload, "read"):
        raise WebError(422, "web.error.invalid")
    data = await upload.read(MAX_IMPORT_BYTES + 1)
    if len(data) > MAX_IMPORT_BYTES:
        raise WebError(413, "items.error.import_too_large", limit=MAX_IMPORT_BYTES // (1024 * 1024))
    report = import_items(s, services.library, name, data.decode("utf-8-sig", errors="replace"),
                          upload.filename or "import.md", user_id=user.id, lang=lang)
    s.flush()
    return render(request, "items.html", lang=lang, user=user, library=info, report=report,
                  **_list_context(s, services, name, request.query_params))


def _form_fields(form) -> dict:
    kind = str(form.get("kind") or "")
    fields = {"kind": kind, "prompt": " ".join(str(form.get("prompt") or "").split()),
              "key": " ".join(str(form.get("key") or "").split()),
              "variants": _lines(str(form.get("variants") or "")),
              "explanation": str(form.get("explanation") or "").strip(),
              "skill": str(form.get("skill") or "").strip()}
    if "hint" in form:
        fields["hint"] = str(form.get("hint") or "").strip()
    choices = _lines(str(form.get("choices") or ""))
    fields["choices"] = choices if kind in ("mcq", "true_false") else None
    if kind == "true_false":
        fields["choices"] = ["Vrai", "Faux"]
    tolerance = str(form.get("tolerance") or "").replace(",", ".").strip()
    try:
        fields["tolerance"] = float(tolerance) if tolerance else None
    except ValueError:
        fields["tolerance"] = -1.0  # refused by the shape check, with its message
    return fields


def _item_page(request, lang, user, info, s, services, item, *, error=None, status_code=200, form=None):
    topics = library_topics(services.library, info.name, topic_settings(s, info.name))
    return render(request, "item.html", lang=lang, user=user, library=info, item=item, topics=topics, kinds=KINDS,
                  history=history(s, item.id) if item is not None and item.id else [], error=error, form=form,
                  status_code=status_code, check_names=CHECKS)


@router.get("/items/new")
def new_item_page(name: str, request: Request, lang: PageLang, user: TeacherUser, services: ServicesDep,
                  s: SessionDep):
    """The form for a teacher's own item."""
    info = managed_library(services, user, name)
    return _item_page(request, lang, user, info, s, services, None)


@router.post("/items/new")
async def create_item_page(name: str, request: Request, lang: PageLang, user: TeacherUser, services: ServicesDep,
                           s: SessionDep):
    """Store a teacher's own item, or show the form again with the reasons it was refused."""
    info = managed_library(services, user, name)
    fields = _form_fields(await request.form())
    draft = Draft(0, fields["kind"], fields["prompt"], fields["key"], fields["choices"], fields["variants"],
                  fields["explanation"], fields["skill"], fields["tolerance"])
    try:
        item = create_item(s, services.library, name, draft, user_id=user.id, lang=lang)
    except ItemInvalid as exc:
        return _item_page(request, lang, user, info, s, services, None, error=exc.message(lang), status_code=422,
                          form=fields)
    return RedirectResponse(f"{_base(name)}/items/{item.id}", status_code=303)


@router.get("/items/{item_id}")
def item_page(name: str, item_id: RecordId, request: Request, lang: PageLang, user: TeacherUser, services: ServicesDep,
              s: SessionDep):
    """One item: key, source, checks (and why they failed), the edit form, its history."""
    info = managed_library(services, user, name)
    return _item_page(request, lang, user, info, s, services, item_in(s, name, item_id))


@router.post("/items/{item_id}")
async def edit_item_page(name: str, item_id: RecordId, request: Request, lang: PageLang, user: TeacherUser,
                         services: ServicesDep, s: SessionDep):
    """Save an edit (checked again); a broken edit shows the reasons and changes nothing."""
    info = managed_library(services, user, name)
    current = item_in(s, name, item_id)
    fields = _form_fields(await request.form())
    try:
        edit_item(s, services.library, item_id, fields, user_id=user.id, lang=lang)
    except ItemInvalid as exc:
        return _item_page(request, lang, user, info, s, services, current, error=exc.message(lang), status_code=422,
                          form=fields)
    return RedirectResponse(f"{_base(name)}/items/{item_id}?saved=1", status_code=303)


@router.get("/skills")
def skills_page(name: str, request: Request, lang: PageLang, user: TeacherUser, services: ServicesDep,
                s: SessionDep):
    """The skills map: rename, merge, hide; the library's levels and auto-approval."""
    info = managed_library(services, user, name)
    settings = topic_settings(s, name)
    return render(request, "skills.html", lang=lang, user=user, library=info,
                  topics=library_topics(services.library, name, settings), all_topics=library_topics(services.library, name, {}),
                  settings=settings, counts=counts(s, name), teaching=library_settings(s, name), levels=LEVELS)


@router.post("/skills/{skill_id}")
async def save_skill(name: str, skill_id: str, request: Request, user: TeacherUser, services: ServicesDep,
                     s: SessionDep):
    """Save one skill's label, merge target and visibility."""
    managed_library(services, user, name)
    ids = {t.id for t in library_topics(services.library, name, {})}
    if skill_id not in ids:
        raise WebError(404, "items.web.skill_not_found", skill=skill_id[:80])
    form = await request.form()
    merged = str(form.get("merged_into") or "").strip() or None
    if merged is not None and (merged not in ids or merged == skill_id):
        raise WebError(422, "items.error.unknown_skill", skill=merged[:80])
    label = " ".join(str(form.get("label") or "").split())[:200] or None
    default = next((t for t in library_topics(services.library, name, {}) if t.id == skill_id), None)
    if default is not None and label == default.label:
        label = None
    save_topic_setting(s, name, TopicSetting(skill_id, label, merged, form.get("hidden") == "on"))
    return RedirectResponse(f"{_base(name)}/skills#skill-{quote(skill_id)}", status_code=303)


@router.post("/settings")
async def save_settings(name: str, request: Request, user: TeacherUser, services: ServicesDep, s: SessionDep):
    """Save the library's level(s) and auto-approval."""
    managed_library(services, user, name)
    form = await request.form()
    levels = [parse_level(v) for v in form.getlist("levels")]
    save_library_settings(s, name, levels=[lvl.code for lvl in levels if lvl is not None],
                          auto_approve=form.get("auto_approve") == "on")
    return RedirectResponse(f"{_base(name)}/skills?{urlencode({'saved': 1})}", status_code=303)
