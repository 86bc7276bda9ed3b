"""The practice pages (server-rendered, French first, work without JavaScript):
joining a class with a code, the learner's practice home with its "Réviser" button,
a session (progress bar, one item at a time, feedback, the summary at the end),
the learner's progress chart, and the teacher's classes with their dashboard.

Same access rules as the JSON API (`web.practice`): other people's ids are 404.
"""

from __future__ import annotations

from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse

from ...errors import InputError
from ...i18n import t
from ...gate.access import ADMIN
from ...learning.grading import grade, hint_for, replay_judge
from ...learning.levels import LEVELS
from ...learning.mastery import MIN_ANSWERS
from ...learning.sessions import MAX_SIZE, MIN_SIZE
from ...store import classes as rooms
from ...store import practice
from ...store._types import utcnow
from ...store.items import approved_items, get_item
from ...store.models import User
from ...store.progress import labels
from .. import practice as glue
from ..charts import heatmap, mastery_chart
from ..deps import CurrentUser, OptionalUser, PageLang, ServicesDep, SessionDep, TeacherUser, verify_csrf
from ..errors import WebError
from ..i18n import request_lang
from ..render import render
from ..transactions import CommitRoute
from .auth import _sign_in

router = APIRouter(route_class=CommitRoute, tags=["practice"], include_in_schema=False)

DEFAULT_SIZE = 5


@router.get("/join")
def join_page(request: Request, lang: PageLang, user: OptionalUser, code: str = ""):
    """Join a class with the code your teacher gave you: a nickname and a password, nothing else."""
    return render(request, "join.html", lang=lang, user=user, code=code[:40], nickname="", error=None)


@router.post("/join", dependencies=[Depends(verify_csrf)])
def join(request: Request, lang: PageLang, s: SessionDep, code: Annotated[str, Form(max_length=40)] = "",
         nickname: Annotated[str, Form(max_length=64)] = "", password: Annotated[str, Form(max_length=1024)] = ""):
    """Create the pseudonymous account, sign in, and go to practice."""
    try:
        user = rooms.join(s, code, nickname, password, utcnow(), lang=lang)
    except InputError as exc:
        s.rollback()
        status = 409 if exc.key == "accounts.name_taken" else 422
        return render(request, "join.html", lang=lang, user=None, code=code, nickname=nickname,
                      error=exc.message(lang), status_code=status)
    _sign_in(request, s, user)
    return RedirectResponse("/practice", status_code=303)


def _home(request, lang, user, s, services, error=None, status_code=200):
    now = utcnow()
    libraries = []
    for name in glue.practice_libraries(services, s, user):
        items = approved_items(s, name)
        if not items:
            continue
        names = labels(services.library, s, name)
        skills = [(skill, names.get(skill, skill)) for skill in dict.fromkeys(i.skill for i in items)]
        libraries.append({"name": name, "skills": skills,
                          "due": practice.due_count(s, user.id, now, [i.id for i in items])})
    progress = glue.progress(services, s, user)
    return render(request, "practice.html", lang=lang, user=user, libraries=libraries, progress=progress,
                  error=error, status_code=status_code, min_size=MIN_SIZE, max_size=MAX_SIZE, size=DEFAULT_SIZE)


@router.get("/practice")
def practice_home(request: Request, lang: PageLang, user: CurrentUser, s: SessionDep, services: ServicesDep):
    """Your libraries to practise, the reviews due, your week."""
    return _home(request, lang, user, s, services)


@router.post("/practice/start")
def start(request: Request, lang: PageLang, user: CurrentUser, s: SessionDep, services: ServicesDep,
          library: Annotated[str, Form(max_length=100)] = "", skill: Annotated[str, Form(max_length=200)] = "",
          size: Annotated[int, Form(ge=-1000, le=1000)] = DEFAULT_SIZE):
    """Start a session and go to its first item."""
    try:
        session = glue.start(services, s, user, library, size, skill.strip() or None)
    except WebError as exc:
        if exc.status == 404:
            raise
        s.rollback()
        return _home(request, lang, user, s, services, error=t(exc.key, lang, **exc.params), status_code=exc.status)
    return RedirectResponse(f"/practice/{session.id}", status_code=303)


@router.get("/practice/{session_id}")
def session_page(session_id: str, request: Request, lang: PageLang, user: CurrentUser, s: SessionDep,
                 services: ServicesDep, hint: int = 0):
    """One session: the progress bar, the item to answer, the feedback on the last answer, the summary at the end."""
    session = glue.visible_session(s, user, session_id)
    state = glue.state(s, session)
    answers = practice.answers_of(s, session.id)
    last = None
    if answers:
        item = get_item(s, answers[-1].item_id)
        if item is not None:
            judge = replay_judge(answers[-1].graded_by, answers[-1].correct)  # the stored verdict, not a new one
            last = {"item": item, "answer": answers[-1].answer,
                    "grade": grade(item, answers[-1].answer, lang=lang, judge=judge)}
    current = get_item(s, state["queue"][0]) if state["queue"] else None
    names = labels(services.library, s, session.library)
    summary = glue.closing(s, s.get(User, session.learner_id), session, lang) if state["finished"] else None
    return render(request, "practice_session.html", lang=lang, user=user, session=session, state=state, last=last,
                  current=current, hint=hint_for(current, lang) if current is not None and hint else None,
                  summary=summary, names=names, mine=session.learner_id == user.id,
                  retry=current is not None and any(a.item_id == current.id for a in answers))


@router.post("/practice/{session_id}/answer")
def answer(session_id: str, request: Request, user: CurrentUser, services: ServicesDep, s: SessionDep,
           item_id: Annotated[int, Form(ge=1, le=2**63 - 1)], answer: Annotated[str, Form(max_length=1000)] = ""):
    """Record the answer and come back to the session page (which shows the feedback)."""
    glue.answer(s, user, session_id, item_id, answer, request_lang(request), judge=glue.session_judge(services))
    return RedirectResponse(f"/practice/{quote(session_id)}", status_code=303)


@router.post("/practice/{session_id}/hint")
def ask_hint(session_id: str, request: Request, user: CurrentUser, s: SessionDep,
             item_id: Annotated[int, Form(ge=1, le=2**63 - 1)]):
    """Show a hint for the current item (a right answer after it counts as Hard for review)."""
    glue.hint(s, user, session_id, item_id, request_lang(request))
    return RedirectResponse(f"/practice/{quote(session_id)}?hint=1", status_code=303)


@router.get("/progress")
def progress_page(request: Request, lang: PageLang, user: CurrentUser, s: SessionDep, services: ServicesDep):
    """Your mastery per skill over time, and the reviews due."""
    data = glue.progress(services, s, user)
    names = {(row["library"], row["skill"]): row["label"] for row in data["skills"]}
    series: dict[str, list] = {}
    for library, skill, when, mastery in practice.mastery_history(s, user.id):
        series.setdefault(names.get((library, skill), skill), []).append((when, mastery))
    chart = mastery_chart(series, t("learning.progress.chart_title", lang)) if series else None
    return render(request, "progress.html", lang=lang, user=user, progress=data, chart=chart,
                  legend=list(series), min_answers=MIN_ANSWERS)


@router.get("/classes")
def classes_page(request: Request, lang: PageLang, user: TeacherUser, s: SessionDep, services: ServicesDep):
    """Your classes, and a form to create one."""
    libraries = [lib.name for lib in services.library.list()
                 if user.role == ADMIN or lib.owner == str(user.id) or not lib.restricted]
    return render(request, "classes.html", lang=lang, user=user, classes=[glue.class_dict(s, c) for c in
                  rooms.classes_for(s, user)], libraries=libraries, levels=LEVELS, error=None)


@router.post("/classes")
async def create_class(request: Request, user: TeacherUser, s: SessionDep, services: ServicesDep):
    """Create the class and open its page."""
    form = await request.form()
    libraries = [str(v) for v in form.getlist("library")]
    from .classes import _libraries

    room = rooms.create_class(s, str(form.get("name") or ""), user, level=str(form.get("level") or "") or None,
                              libraries=_libraries(services, user, libraries),
                              points=form.get("points") == "1")
    return RedirectResponse(f"/classes/{room.id}", status_code=303)


@router.get("/classes/{class_id}")
def class_page(class_id: str, request: Request, lang: PageLang, user: TeacherUser, s: SessionDep,
               services: ServicesDep):
    """The class's dashboard: heat map, struggling skills, items that behave badly, sessions, join codes."""
    room = rooms.visible_class(s, user, class_id)
    if room is None:
        raise WebError(404, "learning.class.not_found")
    data = glue.class_dashboard(services, s, room)
    skill_labels = [row["label"] for row in data["skills"]]
    picture = heatmap([row["learner"] for row in data["heatmap"]], skill_labels,
                      [row["cells"] for row in data["heatmap"]], t("learning.dashboard.heat_title", lang),
                      t("learning.dashboard.no_answer", lang)) if data["heatmap"] else None
    now = utcnow()
    codes = [{"code": c.code, "expires": c.expires_at, "state": rooms.code_state(c, now), "uses": c.uses}
             for c in rooms.codes_of(s, room.id)]
    return render(request, "class.html", lang=lang, user=user, room=room, data=data, heat=picture, codes=codes,
                  join_url=str(request.base_url).rstrip("/") + "/join")


@router.post("/classes/{class_id}/{action}")
async def class_action(class_id: str, action: str, request: Request, user: TeacherUser, s: SessionDep):
    """New code, revoke a code, reset a learner's password, points on or off, the training opt-in."""
    room = rooms.visible_class(s, user, class_id)
    if room is None or action not in ("codes", "revoke", "password", "points", "training"):
        raise WebError(404, "learning.class.not_found")
    form = await request.form()
    now = utcnow()
    if action == "codes":
        rooms.new_code(s, room, now)
    elif action == "revoke":
        rooms.revoke_code(s, room.id, str(form.get("code") or "")[:40], now)
    elif action == "password":
        if rooms.reset_password(s, room, str(form.get("learner") or "")[:64], str(form.get("password") or "")) is None:
            raise WebError(404, "learning.class.learner_not_found")
    elif action == "training":
        room.training_opt_in = form.get("training_opt_in") == "1"
    else:
        room.points = form.get("points") == "1"
    return RedirectResponse(f"/classes/{room.id}", status_code=303)


__all__ = ["router"]
