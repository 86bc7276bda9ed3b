"""The access matrix's machinery: `Probe` (one route tried as several people), the state
readers that re-read an object after each refusal, and `check`, which runs one probe.

`check(world, probe)`: the route is tried signed out (401 on the API, a redirect to the
sign-in form on a page) and as each person in `probe.refused`, who must get exactly the
status given; after each try the state is read again and must not have changed; a list
(`shows`) must not show the owner's object. Then `probe.owner` sends the same request:
it must go through and, for a change, change what the state reads, which proves the URL
right and the re-read able to see a change. The matrices are in test_web_access_*.py.
"""

from __future__ import annotations

import html
import json
from collections.abc import Callable
from dataclasses import dataclass
from string import Formatter

from access_world import World
from sqlalchemy import func, select

from precepteur.store import classes as rooms
from precepteur.store import practice
from precepteur.store.curriculum import library_settings, topic_settings
from precepteur.store.gate import cohort_of, load_switches
from precepteur.store.item_jobs import get_job, jobs_for
from precepteur.store.items import get_item, list_items
from precepteur.store.learning_models import SchoolClass
from precepteur.store.models import User
from precepteur.store.runtime_models import WebSession

# Who is refused, and how, on the usual kinds of objects.
ADMIN_ONLY = {"alice": 403, "prof": 403}  # a learner, and a teacher (alice's own), on an admin route
PROFS = {"alice": 403, "bob": 403, "prof2": 404}  # learners, and another teacher, on prof's class, bank...
ALICES = {"bob": 404, "prof2": 404}  # another learner, and a teacher not hers, on alice's things
API_PREFIXES = ("/api/", "/v1/")
# What the owner sends to add to prof's bank and library.
ITEM_BODY = {"kind": "cloze", "prompt": "Le protocole RIP utilise le nombre de _____ comme métrique.", "key": "sauts"}
UPLOAD = [("files", ("annexe.md", b"# Annexe\n\nUne file se parcourt du premier au dernier.\n", "text/markdown"))]
IMPORT = {"file": ("q.csv", "question,réponse\nUne pile suit le principe _____.,LIFO\n".encode(), "text/csv")}


@dataclass(frozen=True)
class Probe:
    method: str
    path: str  # the route as the app declares it
    refused: dict[str, int]  # actor -> the status she gets; signed out is always tried too
    owner: str | None  # who may do it (the control); None for a variant only about refusals
    url: str = ""  # `path` with the world's objects as {placeholders}; default: `path`
    body: dict | Callable[[World], dict] | None = None  # JSON
    form: dict | Callable[[World], dict] | None = None  # a page's form fields
    files: list | dict | None = None
    state: Callable[[World], object] | None = None  # re-read after each refusal: must not change
    shows: Callable[[World, object], bool] | None = None  # a list: does it show the owner's object?
    needs: tuple[str, ...] = ()  # objects to make first that the URL does not name
    note: str = ""

    def __str__(self) -> str:
        return f"{self.method} {self.path}" + (f" [{self.note}]" if self.note else "")

    @property
    def page(self) -> bool:
        return not self.path.startswith(API_PREFIXES)

    def _names(self) -> list[str]:
        return [name for _text, name, _spec, _conv in Formatter().parse(self.url or self.path) if name]

    def prepare(self, world: World) -> None:
        """Make the objects the probe touches and everyone's credentials, before anyone asks."""
        for name in (*self.needs, *self._names()):
            world[name]
        for actor in (*self.refused, self.owner or "anon"):
            world.headers(actor)

    def send(self, world: World, actor: str):
        url = (self.url or self.path).format(**{name: world[name] for name in self._names()})
        body, form = (value(world) if callable(value) else value for value in (self.body, self.form))
        return world.call(actor, self.method, url, json=body, data=form, files=self.files)

    def seen(self, response) -> object:
        """What `shows` looks into: the JSON of an API answer, the text of a page."""
        return html.unescape(response.text) if self.page else response.json()


def _verdict(probe: Probe, world: World, actor: str, expected: int, response) -> str | None:
    """What is wrong with this answer to a refused person, or None."""
    status = response.status_code
    if actor == "anon" and probe.page:
        target = response.headers.get("location", "")
        if status != 303 or not target.startswith("/signin?next="):
            return f"anon: {status} {target!r} instead of a redirect to sign in"
        return None
    if status != expected:
        return f"{actor}: {status} instead of {expected}: {response.text[:200]}"
    if expected == 200 and probe.shows and probe.shows(world, probe.seen(response)):
        return f"{actor}: the answer shows the owner's object"
    if status >= 400 and not probe.page and not response.json()["error"]["message"]:
        return f"{actor}: a refusal without a message"
    return None


def _went_through(response) -> bool:
    if response.status_code == 303:  # a page's form done (not sent to sign in)
        return not response.headers.get("location", "").startswith("/signin?next=")
    return 200 <= response.status_code < 300


def check(world: World, probe: Probe) -> None:
    """Run one probe (see the module docstring)."""
    probe.prepare(world)
    before = probe.state(world) if probe.state else None
    wrong = []
    for actor, expected in {"anon": 401, **probe.refused}.items():
        verdict = _verdict(probe, world, actor, expected, probe.send(world, actor))
        if verdict:
            wrong.append(verdict)
        if probe.state and (after := probe.state(world)) != before:
            wrong.append(f"{actor}: the refused request changed {after!r} (was {before!r})")
    assert not wrong, "\n".join(wrong)
    if probe.owner is None:
        return
    response = probe.send(world, probe.owner)
    assert _went_through(response), f"{probe.owner}: {response.status_code} {response.text[:300]}"
    if probe.shows:
        assert probe.shows(world, probe.seen(response)), f"{probe.owner} does not see her own object"
    if probe.state and probe.method != "GET":
        assert probe.state(world) != before, f"{probe.owner}'s request changed nothing that the probe reads"


def coverage_gaps(routes: set[tuple[str, str]], probes: list[Probe], public: dict) -> tuple[list, list]:
    """(routes neither probed nor public, probed or public routes that do not exist)."""
    probed = {(probe.method, probe.path) for probe in probes}
    assert not probed & set(public), "a public route is probed too"
    return sorted(routes - probed - set(public)), sorted((probed | set(public)) - routes)


# -- state readers ------------------------------------------------------------------------------
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
        query = select(func.count()).select_from(WebSession).where(WebSession.user_id == world.user_id("alice"))
        return s.scalar(query)


def lists(key: str, field_: str = "id") -> Callable[[World, object], bool]:
    """For list routes: is the world's `key` among the answer's `field_` values?"""
    return lambda world, body: world[key] in [row[field_] for row in body]


def mentions(*texts: str) -> Callable[[World, object], bool]:
    """Does the answer (JSON or a page's text) hold any of `texts`?"""

    def shows(_world: World, seen) -> bool:
        text = seen if isinstance(seen, str) else json.dumps(seen, ensure_ascii=False)
        return any(t in text for t in texts)

    return shows
