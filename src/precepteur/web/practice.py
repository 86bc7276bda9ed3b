"""What the practice API and pages share: who may practise which library, starting a
session, answering, progress, and a class's dashboard (the glue between `store.practice`,
`store.classes`, `learning.grading` and `learning.progress`).

Access: a session is its learner's; her teacher (the account's teacher or the
teacher of one of her classes) and admins may read it and its key; anyone else
gets 404 as if it did not exist. A learner practises the libraries she may search
(open ones, her teacher's) and those of her classes.

Short answers that match no accepted form go to the item bank's rubric judge
(`learning.items.judge.model_judge`, the passage in its prompt) on the app's model,
within JUDGE_TIMEOUT_S; if it fails, code's verdict stands and the feedback says so.
Each answer records who graded it (`graded_by`).

Constants: JUDGE_TIMEOUT_S.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from ..gate.access import ADMIN
from ..learning.grading import Judge, grade, hint_for
from ..learning.items.judge import model_judge
from ..learning.levels import parse_level
from ..learning.points import cheer_key
from ..learning.progress import FirstAnswer, dashboard
from ..learning.practice_intent import match_skill, practice_topic
from ..learning.sessions import MAX_SIZE, MIN_SIZE
from ..store import classes as rooms
from ..store import practice
from ..store.progress import labels, learner_progress, points_on
from ..store._types import utcnow
from ..store.items import approved_items, get_item
from ..store.learning_models import PracticeSession
from ..store.models import User
from .asking import visible_libraries
from .errors import WebError
from .services import Services

JUDGE_TIMEOUT_S = 20.0


def session_judge(services: Services) -> Judge | None:
    """The rubric judge for short answers, on the app's model."""
    return model_judge(services.model, timeout=JUDGE_TIMEOUT_S) if services.model is not None else None


def practice_libraries(services: Services, s: Session, user: User) -> list[str]:
    """The libraries this person may practise, by name: the ones she may search in the chat."""
    return [lib.name for lib in visible_libraries(services, user, s)]


def check_library(services: Services, s: Session, user: User, name: str) -> str:
    if name not in practice_libraries(services, s, user):
        raise WebError(404, "web.error.library_not_found", name=name[:80])
    return name


def start(services: Services, s: Session, user: User, library: str, size: int, skill: str | None) -> PracticeSession:
    """A new session, or a clear refusal that creates nothing."""
    if not MIN_SIZE <= size <= MAX_SIZE:
        raise WebError(422, "learning.session.bad_size", size=size, min=MIN_SIZE, max=MAX_SIZE)
    check_library(services, s, user, library)
    items = approved_items(s, library, skill=skill) if skill else approved_items(s, library)
    if not items:
        key = "learning.session.empty_skill" if skill else "learning.session.empty_library"
        raise WebError(422, key, library=library[:80], skill=(skill or "")[:80])
    session = practice.start_session(s, user.id, library, items, size, utcnow(), skill=skill)
    if session is None:
        raise WebError(422, "learning.session.empty_library", library=library[:80], skill="")
    return session


def session_from_chat(services: Services, s: Session, user: User, text: str, library: str | None) -> PracticeSession | None:
    """A session on the skill a chat message asks to practise ("entraîne-moi sur les piles"), or None
    when the message is no such request or names no skill with approved items."""
    topic = practice_topic(text)
    if topic is None:
        return None
    names = practice_libraries(services, s, user)
    for name in ([library] if library in names else []) + [n for n in names if n != library]:
        items = approved_items(s, name)
        skills = {i.skill for i in items}
        skill = match_skill(topic, [(k, v) for k, v in labels(services.library, s, name).items() if k in skills])
        if skill is not None:
            return practice.start_session(s, user.id, name, [i for i in items if i.skill == skill], MAX_SIZE, utcnow(),
                                          skill=skill)
    return None


def teaches(s: Session, teacher: User, learner_id: int) -> bool:
    """Whether `teacher` is this learner's teacher (her account's, or one of her classes')."""
    learner = s.get(User, learner_id)
    if learner is None:
        return False
    if learner.teacher_id == teacher.id:
        return True
    return any(c.teacher_id == teacher.id for c in rooms.classes_of_learner(s, learner_id))


def visible_session(s: Session, user: User, session_id: str) -> PracticeSession:
    """The session if `user` may see it (learner, her teacher, admin); 404 otherwise."""
    session = practice.get_session(s, session_id)
    if session is None or user.disabled or not (
            user.role == ADMIN or session.learner_id == user.id or teaches(s, user, session.learner_id)):
        raise WebError(404, "learning.session.not_found")
    return session


def own_session(s: Session, user: User, session_id: str) -> PracticeSession:
    """The session if it is `user`'s own (her teacher may read it, not answer it)."""
    session = visible_session(s, user, session_id)
    if session.learner_id != user.id:
        raise WebError(403, "learning.session.not_yours")
    return session


def key_of(s: Session, user: User, session_id: str) -> dict:
    session = visible_session(s, user, session_id)
    if user.role != ADMIN and not teaches(s, user, session.learner_id):
        raise WebError(403, "learning.session.key_forbidden")
    return {"items": [{"id": item_id, "answer": get_item(s, item_id).key} for item_id in session.plan]}


def session_items(s: Session, session: PracticeSession) -> list:
    return [item for item in (get_item(s, item_id) for item_id in session.plan) if item is not None]


def state(s: Session, session: PracticeSession) -> dict:
    """Where a session stands: its items (no key), what to answer next, progress, and the summary when done."""
    progress = practice.progress_of(s, session)
    answered = len(progress.attempts)
    out = {"id": session.id, "library": session.library, "skill": session.skill,
           "items": [i.public_dict() for i in session_items(s, session)], "queue": progress.queue,
           "answered": answered, "total": progress.total, "finished": session.finished_at is not None}
    if session.finished_at is not None:
        out["summary"] = practice.summary(s, session)
    return out


def answer(s: Session, user: User, session_id: str, item_id: int, text: str, lang: str,
           judge: Judge | None = None) -> dict:
    """Grade and record one answer (short answers: `judge` when code finds no match); refusals change nothing."""
    session = own_session(s, user, session_id)
    progress = practice.progress_of(s, session)
    refusal = progress.refusal(item_id)
    if refusal == "not_in_session":
        raise WebError(422, "learning.session.item_not_in_session", item=item_id)
    if refusal == "already_answered":
        raise WebError(409, "learning.session.already_answered", item=item_id)
    item = get_item(s, item_id)
    if item is None:
        raise WebError(422, "learning.session.item_not_in_session", item=item_id)
    result = grade(item, text, lang=lang, judge=judge)
    recorded = practice.record_answer(s, session, item, text, result.correct, utcnow(), graded_by=result.graded_by)
    out = {"correct": result.correct, "expected": result.expected, "feedback": result.feedback,
           "graded_by": result.graded_by,
           "retry": not result.correct and recorded.answer.attempt == 1,
           "answered": len(recorded.progress.attempts), "total": recorded.progress.total,
           "next": recorded.progress.queue[0] if recorded.progress.queue else None,
           "finished": session.finished_at is not None}
    if session.finished_at is not None:
        out["summary"] = closing(s, user, session, lang)
    return out


def hint(s: Session, user: User, session_id: str, item_id: int, lang: str) -> dict:
    session = own_session(s, user, session_id)
    if practice.progress_of(s, session).refusal(item_id):
        raise WebError(422, "learning.session.item_not_in_session", item=item_id)
    practice.add_hint(s, session, item_id)
    return {"hint": hint_for(get_item(s, item_id), lang)}


def closing(s: Session, user: User, session: PracticeSession, lang: str) -> dict:
    """The summary with the words that close the session (by level) and the points when they are on."""
    from ..i18n import t

    summary = practice.summary(s, session)
    level = parse_level(user.level)
    score = summary["right"] / summary["asked"] if summary["asked"] else 0.0
    summary["message"] = t(cheer_key(level.cycle if level else "adulte", score), lang)
    if not points_on(s, user):
        summary.pop("points", None)
    return summary


def class_dict(s: Session, room) -> dict:
    teacher = s.get(User, room.teacher_id)
    return {"id": room.id, "name": room.name, "level": room.level, "libraries": rooms.libraries_of(s, room.id),
            "points": room.points, "weekly_goal": room.weekly_goal, "training_opt_in": room.training_opt_in,
            "teacher": teacher.name if teacher else None,
            "learners": [m.name for m in rooms.members(s, room.id)]}


def class_dashboard(services: Services, s: Session, room) -> dict:
    learners = rooms.members(s, room.id)
    ids = [m.id for m in learners]
    libraries = rooms.libraries_of(s, room.id)
    skills: list[tuple[str, str]] = []
    estimates = {}
    for library in libraries:
        skills.extend(labels(services.library, s, library).items())
    known = {skill for skill, _ in skills}
    for learner in learners:
        for (library, skill), estimate in practice.skill_estimates(s, learner.id).items():
            if library in libraries:
                estimates[(learner.id, skill)] = estimate
                if skill not in known:
                    skills.append((skill, skill))
                    known.add(skill)
    practised = {skill for (_lid, skill) in estimates}
    skills = [pair for pair in skills if pair[0] in practised] or skills
    answers = [FirstAnswer(a.learner_id, a.item_id, a.skill, a.correct) for a in practice.first_answers(s, ids)]
    out = dashboard([(m.id, m.name) for m in learners], skills, estimates, answers)
    names = {m.id: m.name for m in learners}
    out["class"] = class_dict(s, room)
    out["sessions"] = [{"id": sess.id, "learner": names.get(sess.learner_id), "library": sess.library,
                        "skill": sess.skill, "created_at": sess.created_at.isoformat(),
                        "finished": sess.finished_at is not None, "asked": len(sess.plan)}
                       for sess in practice.recent_sessions(s, ids)]
    return out


def progress(services: Services, s: Session, user: User) -> dict:
    """The `/api/me/progress` object."""
    return learner_progress(services.library, s, user, utcnow())


__all__ = ["JUDGE_TIMEOUT_S", "answer", "check_library", "class_dashboard", "class_dict", "closing", "hint", "key_of", "own_session",
           "practice_libraries", "progress", "session_from_chat", "session_judge", "start", "state", "teaches", "visible_session"]
