"""Who may do what, route by route: the access matrix of the JSON API.

Each `Probe` is one route tried on a real object made by its owner (`access_world`):
signed out (401), and as each person who must be refused, with the status she must
get: another learner on a learner's object, another teacher on a teacher's class, bank,
homework or library, a learner on a teacher's route, a teacher on an admin's route.
After every refusal the object is read again from the database: nothing may have
changed. Then the owner sends the same request, which must go through and change what
was read, so the URL is right, the refusals are about who asks, and the re-read could
see a change. List routes answer 200 to everyone; there the check is that the owner's
object is not in anyone else's list.

`test_every_route_is_probed` fails when a route appears that the matrix does not cover
(or a probe names a route that no longer exists), so no new route goes unchecked.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from string import Formatter

import pytest
from access_world import World
from sqlalchemy import func, select

from precepteur.store import classes as rooms
from precepteur.store import practice
from precepteur.store.arena_models import AnswerFeedback, ArenaBattle
from precepteur.store.curriculum import library_settings, topic_settings
from precepteur.store.gate import cohort_of, load_switches
from precepteur.store.gate_models import Incident
from precepteur.store.guard_models import GradedWork, GuardFlag
from precepteur.store.item_jobs import get_job, jobs_for
from precepteur.store.items import get_item, list_items
from precepteur.store.learning_models import PracticeSession, SchoolClass
from precepteur.store.models import ApiToken, Conversation, Message, User
from precepteur.store.runtime_models import WebSession

# Who is refused, and how, on the usual kinds of objects.
ADMIN_ONLY = {"alice": 403, "prof": 403}  # a learner, and a teacher (alice's own), on an admin route
PROFS = {"alice": 403, "bob": 403, "prof2": 404}  # learners, and another teacher, on prof's class, bank...
ALICES = {"bob": 404, "prof2": 404}  # another learner, and a teacher not hers, on alice's things


@dataclass(frozen=True)
class Probe:
    method: str
    path: str  # the route as the OpenAPI names it
    refused: dict[str, int]  # actor -> the status she gets; signed out (401) is always tried too
    owner: str | None  # who may do it (the control); None for a variant only about refusals
    url: str = ""  # `path` with the world's objects as {placeholders}; default: `path`
    body: dict | Callable[[World], dict] | None = None
    files: Callable[[World], list] | None = None
    state: Callable[[World], object] | None = None  # re-read after each refusal: must not change
    shows: Callable[[World, object], bool] | None = None  # a list: does it show the owner's object?
    needs: tuple[str, ...] = ()  # objects to make first that the URL does not name
    note: str = ""

    def __str__(self) -> str:
        return f"{self.method} {self.path}" + (f" [{self.note}]" if self.note else "")

    def prepare(self, world: World) -> None:
        """Make the objects the probe touches and everyone's credentials, before anyone asks."""
        for name in (*self.needs, *self._names()):
            world[name]
        for actor in (*self.refused, self.owner or "anon"):
            world.headers(actor)

    def _names(self) -> list[str]:
        return [name for _text, name, _spec, _conv in Formatter().parse(self.url or self.path) if name]

    def send(self, world: World, actor: str):
        url = (self.url or self.path).format(**{name: world[name] for name in self._names()})
        body = self.body(world) if callable(self.body) else self.body
        files = self.files(world) if self.files else None
        return world.call(actor, self.method, url, json=body, files=files)


def read(model, **where) -> Callable[[World], object]:
    """A state reader: the rows of `model` matching `where` (values: world names), as dicts."""

    def rows(world: World):
        with world.session() as s:
            query = select(model).filter_by(**{k: world[v] for k, v in where.items()}).order_by(model.id)
            return [{c.name: getattr(row, c.name) for c in model.__table__.columns} for row in s.scalars(query)]

    return rows


def count(model) -> Callable[[World], int]:
    def rows(world: World) -> int:
        with world.session() as s:
            return s.scalar(select(func.count()).select_from(model))

    return rows


def account(name: str) -> Callable[[World], dict]:
    def row(world: World) -> dict:
        with world.session() as s:
            user = s.get(User, world.user_id(name))
            return {"password_hash": user.password_hash, "disabled": user.disabled, "teacher_id": user.teacher_id}

    return row


def the_class(world: World) -> dict:
    with world.session() as s:
        room = s.get(SchoolClass, world["class"])
        return {"points": room.points, "goal": room.weekly_goal, "training": room.training_opt_in,
                "libraries": rooms.libraries_of(s, room.id),
                "codes": [(c.code, c.revoked_at) for c in rooms.codes_of(s, room.id)]}


def the_item(world: World) -> dict:
    with world.session() as s:
        return get_item(s, world["item"]).to_full_dict()


def nsi_items(world: World) -> list[int]:
    with world.session() as s:
        return [item.id for item in list_items(s, world["library"])]


def job(name: str) -> Callable[[World], str]:
    def state(world: World) -> str:
        with world.session() as s:
            return get_job(s, world[name]).state

    return state


def nsi_jobs(world: World) -> list[int]:
    with world.session() as s:
        return [j.id for j in jobs_for(s, world["library"])]


def nsi_teaching(world: World) -> tuple:
    with world.session() as s:
        return library_settings(s, world["library"]).to_dict(), topic_settings(s, world["library"])


def libraries(world: World) -> list[tuple]:
    world["library"]
    return [(lib.name, lib.owner, lib.restricted, lib.documents) for lib in world.services.library.list()]


def nsi_documents(world: World) -> tuple:
    """What an upload leaves: its files waiting in the uploads folder, then the library's documents."""
    folder = world.services.uploads.folder
    waiting = sorted(p.name for p in folder.iterdir()) if folder.is_dir() else []
    return [d.name for d in world.services.library.documents(world["library"])], waiting


def the_session(world: World) -> dict:
    with world.session() as s:
        session = practice.get_session(s, world["session"])
        return {"answers": [(a.item_id, a.answer) for a in practice.answers_of(s, session.id)],
                "hinted": list(session.hinted or [])}


def in_queue(world: World) -> bool:
    snapshot = world.services.gate.snapshot(fresh=True)
    return world["ticket"] in {t.id for t in [*snapshot.waiting, *(r.ticket for r in snapshot.running)]}


def alice_cohort(world: World) -> str:
    with world.session() as s:
        return cohort_of(s, world.user_id("alice"), "public")


def switches(world: World) -> dict:
    with world.session() as s:
        return {scope: (sw.killed, sw.message) for scope, sw in load_switches(s).by_scope.items()}


def alice_browser_sessions(world: World) -> int:
    world["alice_browser"]
    with world.session() as s:
        return s.scalar(select(func.count()).select_from(WebSession).where(WebSession.user_id == world.user_id("alice")))


def lists(key: str, field_: str = "id") -> Callable[[World, object], bool]:
    """For list routes: is the world's `key` among the answer's `field_` values?"""
    return lambda world, body: world[key] in [row[field_] for row in body]


def mentions(text: str) -> Callable[[World, object], bool]:
    return lambda world, body: text in json.dumps(body, ensure_ascii=False)


ITEM_BODY = {"kind": "cloze", "prompt": "Le protocole RIP utilise le nombre de _____ comme métrique.", "key": "sauts"}
UPLOAD = [("files", ("annexe.md", b"# Annexe\n\nUne file se parcourt du premier au dernier.\n", "text/markdown"))]
IMPORT = {"file": ("q.csv", "question,réponse\nUne pile suit le principe _____.,LIFO\n".encode(), "text/csv")}
CHAT = {"messages": [{"role": "user", "content": "C'est quoi une pile ?"}], "library": "nsi"}

MATRIX = [
    # -- a learner's conversations, answers and flags ---------------------------------------
    Probe("POST", "/api/conversations", {"bob": 422, "prof2": 422}, "alice", body={"library": "nsi"},
          state=count(Conversation), needs=("library",), note="prof's restricted library"),
    Probe("GET", "/api/conversations", {"bob": 200, "prof2": 200}, "alice", shows=lists("conversation"), needs=("conversation",)),
    Probe("GET", "/api/conversations/{conversation_id}", ALICES, "alice", url="/api/conversations/{conversation}"),
    Probe("POST", "/api/conversations/{conversation_id}/messages", {**ALICES, "prof": 403}, "alice",
          url="/api/conversations/{conversation}/messages?stream=false", body={"question": "Et une file ?"},
          state=read(Message, conversation_id="conversation")),
    Probe("POST", "/api/answers/{message_id}/feedback", ALICES, "alice", url="/api/answers/{message}/feedback",
          body={"rating": "down", "reasons": ["incorrect"]}, state=read(AnswerFeedback, message_id="message")),
    Probe("GET", "/api/feedback", {"alice": 403, "prof2": 200}, "prof", shows=lists("feedback"), needs=("feedback",)),
    Probe("GET", "/api/flags", {"alice": 403, "prof2": 200}, "prof", shows=lists("flag"), needs=("flag",)),
    Probe("POST", "/api/flags/{flag_id}/seen", {"alice": 403, "bob": 403, "prof2": 404}, "prof",
          url="/api/flags/{flag}/seen", state=read(GuardFlag, id="flag")),
    Probe("GET", "/api/me/export", {"bob": 200, "prof2": 200}, "alice", shows=mentions("C'est quoi une pile ?"),
          needs=("conversation",)),
    Probe("GET", "/api/me/progress", {"bob": 200}, "alice", shows=lambda w, body: bool(body["skills"]),
          needs=("answered",)),
    Probe("POST", "/v1/chat/completions", {"bob": 422, "prof2": 422}, "alice", body=CHAT, needs=("library",),
          note="prof's restricted library"),
    # -- practice sessions --------------------------------------------------------------------
    Probe("POST", "/api/sessions", {"bob": 404, "prof2": 404}, "alice", body={"library": "nsi", "size": 5},
          state=count(PracticeSession), needs=("library",), note="prof's restricted library"),
    Probe("POST", "/api/sessions/from-chat", {"bob": 200, "prof2": 200}, "alice",
          body={"text": "entraîne-moi sur les piles", "library": "nsi"}, state=count(PracticeSession), needs=("library",),
          note="starts nothing on a library one may not search"),
    Probe("GET", "/api/sessions/{session_id}", ALICES, "alice", url="/api/sessions/{session}"),
    Probe("GET", "/api/sessions/{session_id}/key", {**ALICES, "alice": 403}, "prof", url="/api/sessions/{session}/key"),
    Probe("POST", "/api/sessions/{session_id}/answers", {**ALICES, "prof": 403, "admin": 403}, "alice",
          url="/api/sessions/{session}/answers", body=lambda w: {"item_id": w["session_item"], "answer": "x"},
          state=the_session),
    Probe("POST", "/api/sessions/{session_id}/hint", {**ALICES, "prof": 403, "admin": 403}, "alice",
          url="/api/sessions/{session}/hint", body=lambda w: {"item_id": w["session_item"]}, state=the_session),
    # -- the arena -----------------------------------------------------------------------------
    Probe("POST", "/api/arena/battles", {"bob": 422, "prof2": 422}, "alice",
          body={"question": "Une pile ?", "library": "nsi"}, state=count(ArenaBattle), needs=("library", "contestants"),
          note="prof's restricted library"),
    Probe("POST", "/api/arena/battles/{battle_id}/vote", {**ALICES, "prof": 404, "admin": 404}, "alice",
          url="/api/arena/battles/{battle}/vote", body={"verdict": "a"}, state=read(ArenaBattle, public_id="battle")),
    Probe("GET", "/api/arena/battles/{battle_id}/reveal", {**ALICES, "prof": 404}, "alice",
          url="/api/arena/battles/{voted_battle}/reveal"),
    Probe("GET", "/api/arena/review", {"alice": 403, "bob": 403}, "prof",
          shows=lambda w, body: w["voted_battle"] in [b["battle_id"] for b in body["battles"]], needs=("voted_battle",)),
    Probe("POST", "/api/arena/battles/{battle_id}/review", {"alice": 403, "bob": 403}, "prof",
          url="/api/arena/battles/{voted_battle}/review", body={"action": "exclude"},
          state=read(ArenaBattle, public_id="voted_battle")),
    Probe("GET", "/api/arena/leaderboard", {}, "alice"),
    # -- classes -------------------------------------------------------------------------------
    Probe("POST", "/api/classes", {"alice": 403, "bob": 403}, "prof", body={"name": "Première A"},
          state=count(SchoolClass)),
    Probe("POST", "/api/classes", {"prof2": 422}, None, body={"name": "Vol", "libraries": ["nsi"]},
          state=count(SchoolClass), needs=("library",), note="assigning prof's restricted library"),
    Probe("GET", "/api/classes", {"bob": 200, "prof2": 200}, "prof", shows=lists("class"), needs=("class",)),
    Probe("GET", "/api/classes/{class_id}", {**PROFS, "carla": 403}, "prof", url="/api/classes/{class}"),
    Probe("PATCH", "/api/classes/{class_id}", {**PROFS, "carla": 403}, "prof", url="/api/classes/{class}",
          body={"points": False, "weekly_goal": 5}, state=the_class),
    Probe("GET", "/api/classes/{class_id}/dashboard", {**PROFS, "carla": 403}, "prof",
          url="/api/classes/{class}/dashboard"),
    Probe("POST", "/api/classes/{class_id}/codes", {**PROFS, "carla": 403}, "prof", url="/api/classes/{class}/codes",
          body={}, state=the_class),
    Probe("POST", "/api/classes/{class_id}/codes/{code}/revoke", {**PROFS, "carla": 403}, "prof",
          url="/api/classes/{class}/codes/{code}/revoke", state=the_class),
    Probe("POST", "/api/classes/{class_id}/learners/{name}/password", {**PROFS, "carla": 403}, "prof",
          url="/api/classes/{class}/learners/{member}/password", body={"password": "nouveau-mot-de-passe"},
          state=account("carla")),
    Probe("POST", "/api/classes/{class_id}/learners/{name}/password", {"prof2": 404}, None,
          url="/api/classes/{prof2_class}/learners/{member}/password", body={"password": "nouveau-mot-de-passe"},
          state=account("carla"), note="prof2's class, prof's learner"),
    Probe("POST", "/api/classes/{class_id}/learners/{name}/password", {"prof": 404}, None,
          url="/api/classes/{class}/learners/bob/password", body={"password": "nouveau-mot-de-passe"},
          state=account("bob"), note="a learner not in the class"),
    # -- graded work ---------------------------------------------------------------------------
    Probe("GET", "/api/homework", {"alice": 403, "prof2": 200}, "prof", shows=lists("homework"), needs=("homework",)),
    Probe("POST", "/api/homework", {"alice": 403, "bob": 403, "prof2": 404}, "prof",
          body=lambda w: {"title": "DM", "library": w["library"]}, state=count(GradedWork),
          note="prof's library as graded work"),
    Probe("POST", "/api/homework", {"prof2": 403}, None, body=lambda w: {"title": "DM", "library": w["open_library"]},
          state=count(GradedWork), note="prof's open library as graded work"),
    Probe("DELETE", "/api/homework/{work_id}", PROFS, "prof", url="/api/homework/{homework}",
          state=read(GradedWork, id="homework")),
    # -- libraries -----------------------------------------------------------------------------
    Probe("GET", "/api/libraries", {"bob": 200, "prof2": 200}, "alice", shows=lists("library", "name"), needs=("library",)),
    Probe("POST", "/api/libraries", {"alice": 403, "bob": 403}, "prof", body={"name": "maths"}, state=libraries),
    Probe("POST", "/api/libraries", {"prof2": 409}, None, body={"name": "nsi", "restricted": False},
          state=libraries, note="taking over prof's library"),
    Probe("DELETE", "/api/libraries/{name}", PROFS, "prof", url="/api/libraries/{library}", state=libraries),
    Probe("DELETE", "/api/libraries/{name}", {"alice": 403, "prof2": 403}, "prof", url="/api/libraries/{open_library}",
          state=libraries, note="prof's open library"),
    Probe("GET", "/api/libraries/{name}/documents", PROFS, "prof", url="/api/libraries/{library}/documents"),
    Probe("POST", "/api/libraries/{name}/documents", PROFS, "prof", url="/api/libraries/{library}/documents",
          files=lambda w: UPLOAD, state=nsi_documents),
    Probe("DELETE", "/api/libraries/{name}/documents/{document}", PROFS, "prof",
          url="/api/libraries/{library}/documents/{document}", state=nsi_documents),
    Probe("GET", "/api/libraries/{name}/jobs/{job_id}", PROFS, "prof", url="/api/libraries/{library}/jobs/{upload_job}"),
    Probe("GET", "/api/libraries/{name}/jobs/{job_id}", {"prof2": 404}, None,
          url="/api/libraries/autre/jobs/{upload_job}", note="prof's job through prof2's library"),
    # -- the item bank -------------------------------------------------------------------------
    Probe("GET", "/api/libraries/{name}/items", PROFS, "prof", url="/api/libraries/{library}/items"),
    Probe("POST", "/api/libraries/{name}/items", PROFS, "prof", url="/api/libraries/{library}/items", body=ITEM_BODY,
          state=nsi_items),
    Probe("POST", "/api/libraries/{name}/items/import", PROFS, "prof", url="/api/libraries/{library}/items/import",
          files=lambda w: IMPORT, state=nsi_items),
    Probe("GET", "/api/libraries/{name}/items/{item_id}", PROFS, "prof", url="/api/libraries/{library}/items/{item}"),
    Probe("GET", "/api/libraries/{name}/items/{item_id}", {"prof2": 404}, None,
          url="/api/libraries/autre/items/{item}", note="prof's item through prof2's library"),
    Probe("PATCH", "/api/libraries/{name}/items/{item_id}", PROFS, "prof", url="/api/libraries/{library}/items/{item}",
          body={"explanation": "Voir le cours."}, state=the_item),
    Probe("PATCH", "/api/libraries/{name}/items/{item_id}", {"prof2": 404}, None,
          url="/api/libraries/autre/items/{item}", body={"explanation": "Piratée."}, state=the_item,
          note="prof's item through prof2's library"),
    Probe("POST", "/api/libraries/{name}/items/review", PROFS, "prof", url="/api/libraries/{library}/items/review",
          body=lambda w: {"ids": [w["item"]], "status": "rejected"}, state=the_item),
    Probe("POST", "/api/libraries/{name}/items/review", {"prof2": 200}, None, url="/api/libraries/autre/items/review",
          body=lambda w: {"ids": [w["item"]], "status": "rejected"}, state=the_item,
          note="prof's item through prof2's library"),
    Probe("POST", "/api/libraries/{name}/items/generate", PROFS, "prof", url="/api/libraries/{library}/items/generate",
          body={"count": 1, "kinds": ["true_false"]}, state=nsi_jobs),
    Probe("GET", "/api/libraries/{name}/items/jobs", PROFS, "prof", url="/api/libraries/{library}/items/jobs"),
    Probe("GET", "/api/libraries/{name}/items/jobs/{job_id}", PROFS, "prof",
          url="/api/libraries/{library}/items/jobs/{item_job}"),
    Probe("GET", "/api/libraries/{name}/items/jobs/{job_id}", {"prof2": 404}, None,
          url="/api/libraries/autre/items/jobs/{item_job}", note="prof's job through prof2's library"),
    Probe("POST", "/api/libraries/{name}/items/jobs/{job_id}/cancel", PROFS, "prof",
          url="/api/libraries/{library}/items/jobs/{item_job}/cancel", state=job("item_job")),
    Probe("POST", "/api/libraries/{name}/items/jobs/{job_id}/cancel", {"prof2": 404}, None,
          url="/api/libraries/autre/items/jobs/{item_job}/cancel", state=job("item_job"),
          note="prof's job through prof2's library"),
    Probe("POST", "/api/libraries/{name}/items/jobs/{job_id}/resume", PROFS, "prof",
          url="/api/libraries/{library}/items/jobs/{stopped_job}/resume", state=job("stopped_job")),
    Probe("POST", "/api/libraries/{name}/items/jobs/{job_id}/resume", {"prof2": 404}, None,
          url="/api/libraries/autre/items/jobs/{stopped_job}/resume", state=job("stopped_job"),
          note="prof's job through prof2's library"),
    Probe("GET", "/api/libraries/{name}/settings", PROFS, "prof", url="/api/libraries/{library}/settings"),
    Probe("PUT", "/api/libraries/{name}/settings", PROFS, "prof", url="/api/libraries/{library}/settings",
          body={"auto_approve": True}, state=nsi_teaching),
    Probe("GET", "/api/libraries/{name}/skills", PROFS, "prof", url="/api/libraries/{library}/skills"),
    Probe("PATCH", "/api/libraries/{name}/skills/{skill_id}", PROFS, "prof",
          url="/api/libraries/{library}/skills/{skill}", body={"label": "Piles (renommé)"}, state=nsi_teaching),
    # -- the gate ------------------------------------------------------------------------------
    Probe("DELETE", "/api/gate/tickets/{ticket_id}", {**ALICES, "prof": 404, "admin": 404}, "alice",
          url="/api/gate/tickets/{ticket}", state=in_queue),
    Probe("POST", "/api/gate/invitations", ADMIN_ONLY, "admin", body={"cohort": "alpha"}),
    Probe("POST", "/api/gate/invitations/redeem", {}, "alice", body=lambda w: {"invitation": w["invitation"]},
          state=alice_cohort),
    Probe("GET", "/api/gate/switches", ADMIN_ONLY, "admin"),
    Probe("PUT", "/api/gate/switches/{scope}", ADMIN_ONLY, "admin", url="/api/gate/switches/*",
          body={"killed": True, "message": "Maintenance."}, state=switches),
    Probe("POST", "/api/gate/incidents", ADMIN_ONLY, "admin", body={"title": "Panne"}, state=count(Incident)),
    Probe("POST", "/api/gate/incidents/{incident_id}/end", ADMIN_ONLY, "admin", url="/api/gate/incidents/{incident}/end",
          state=read(Incident, id="incident")),
    # -- accounts, tokens, privacy (admins) ------------------------------------------------------
    Probe("GET", "/api/users", ADMIN_ONLY, "admin"),
    Probe("POST", "/api/users", ADMIN_ONLY, "admin", body={"name": "dan", "password": "dan-password", "teacher": "prof"},
          state=count(User)),
    Probe("PUT", "/api/users/{user_id}/password", ADMIN_ONLY, "admin", url="/api/users/{alice_id}/password",
          body={"password": "nouveau-mot-de-passe"}, state=account("alice")),
    Probe("PUT", "/api/users/{user_id}/disabled", ADMIN_ONLY, "admin", url="/api/users/{alice_id}/disabled",
          body={"disabled": True}, state=account("alice")),
    Probe("DELETE", "/api/users/{user_id}/sessions", ADMIN_ONLY, "admin", url="/api/users/{alice_id}/sessions",
          state=alice_browser_sessions),
    Probe("GET", "/api/users/{user_id}/export", ADMIN_ONLY, "admin", url="/api/users/{alice_id}/export"),
    Probe("DELETE", "/api/users/{user_id}/data", ADMIN_ONLY, "admin", url="/api/users/{alice_id}/data",
          state=read(User, id="alice_id")),
    Probe("GET", "/api/audit", ADMIN_ONLY, "admin"),
    Probe("GET", "/api/tokens", ADMIN_ONLY, "admin"),
    Probe("POST", "/api/tokens", ADMIN_ONLY, "admin", body={"user": "prof", "name": "cron"}, state=count(ApiToken)),
    Probe("DELETE", "/api/tokens/{token_id}", ADMIN_ONLY, "admin", url="/api/tokens/{token}",
          state=read(ApiToken, id="token")),
    # -- one's own account -----------------------------------------------------------------------
    Probe("GET", "/api/me", {}, "alice"),
    Probe("DELETE", "/api/session", {}, "alice"),
    Probe("GET", "/api/models", {}, "alice"),
    Probe("GET", "/v1/models", {}, "alice"),
]

# Routes open to the signed out on purpose, with why.
UNPROBED = {
    ("POST", "/api/session"): "signing in",
    ("POST", "/api/join"): "the join code is the credential (tested in test_web_practice)",
    ("GET", "/healthz"): "liveness, names no one",
    ("GET", "/status.json"): "the public status page",
    ("GET", "/metrics"): "its own bearer token (tested in test_web_operations)",
}


@pytest.fixture(autouse=True)
def no_quota(settings):
    """Many answers in one test: the public cohort's per-minute quota would refuse some."""
    settings.ensure_home()
    (settings.home / "cohorts.json").write_text(json.dumps([{"name": "public", "max_prompt_tokens": 6000}]))


@pytest.fixture
def world(app, client, users, tmp_path) -> World:
    return World(app, client, users, tmp_path)


@pytest.mark.parametrize("probe", MATRIX, ids=str)
def test_only_the_right_person_gets_through(world, probe):
    probe.prepare(world)
    before = probe.state(world) if probe.state else None
    wrong = []
    for actor, expected in {"anon": 401, **probe.refused}.items():
        response = probe.send(world, actor)
        if response.status_code != expected:
            wrong.append(f"{actor}: {response.status_code} instead of {expected}: {response.text[:200]}")
        elif probe.shows and expected == 200 and probe.shows(world, response.json()):
            wrong.append(f"{actor}: the list shows the owner's object")
        elif expected != 200:
            error = response.json()["error"]
            if not error["message"]:
                wrong.append(f"{actor}: a refusal without a message")
        if probe.state and probe.state(world) != before:
            wrong.append(f"{actor}: the refused request changed {probe.state(world)!r} (was {before!r})")
    assert not wrong, "\n".join(wrong)
    if probe.owner is None:
        return
    response = probe.send(world, probe.owner)
    assert 200 <= response.status_code < 300, f"{probe.owner}: {response.status_code} {response.text[:300]}"
    if probe.shows:
        assert probe.shows(world, response.json()), f"{probe.owner} does not see her own object"
    if probe.state and probe.method != "GET":
        assert probe.state(world) != before, f"{probe.owner}'s request changed nothing that the probe reads"


def test_every_route_is_probed(app):
    routes = {(method.upper(), path) for path, ops in app.openapi()["paths"].items() for method in ops}
    probed = {(probe.method, probe.path) for probe in MATRIX}
    assert sorted(routes - probed - set(UNPROBED)) == [], "routes nobody checks: add them to MATRIX"
    assert sorted((probed | set(UNPROBED)) - routes) == [], "probes of routes that no longer exist"
    assert not probed & set(UNPROBED)
