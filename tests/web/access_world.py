"""The objects the access matrix probes, each made by its owner on first use.

`World(app, client, users, tmp_path)` builds nothing up front: `world["conversation"]`
makes alice's conversation (through the API, as alice) the first time a test names it,
so a test pays only for what its route touches. What exists once asked for:

- prof (teacher of alice): library "nsi" (restricted, the course and its approved items),
  "vide" (open, empty), an ingestion job on nsi, generation jobs (one queued, one
  cancelled), class "Terminale B" (nsi assigned) with a join code and a learner, carla,
  who joined with it; graded work.
- prof2 (teacher of bob): library "autre" (open) and class "Seconde".
- alice (learner of prof): a conversation with one answer, a guard flag, a practice
  session on nsi, a battle not voted yet and a voted one, a ticket in the gate's queue,
  a signed-in browser session.
- admin: an API token of prof's, an open incident, an invitation to the "alpha" cohort.

`world.call(actor, method, url, ...)` sends a request as "anon" (no credentials) or as
a named account (its bearer token).
"""

from __future__ import annotations

import time

from fastapi.testclient import TestClient
from practice_helpers import PILES, seed_bank
from web_helpers import make_token, sign_in

DISTRESS = "jveu plu vivre, personne ne m'aime"
UPLOAD = "# Annexe\n\nUne pile se manipule avec empiler et dépiler.\n"


class World:
    def __init__(self, app, client, users, tmp_path) -> None:
        self.app, self.client, self.users, self.tmp_path = app, client, users, tmp_path
        self.services = app.state.services
        self._made: dict[str, object] = {}
        self._tokens: dict[str, str] = {}

    # -- requests -------------------------------------------------------------------------
    def headers(self, actor: str) -> dict[str, str]:
        if actor == "anon":
            return {}
        self._account(actor)
        if actor not in self._tokens:
            self._tokens[actor] = make_token(self.app, actor)
        return {"Authorization": f"Bearer {self._tokens[actor]}"}

    def call(self, actor: str, method: str, url: str, *, json=None, files=None, data=None):
        return self.client.request(method, url, json=json, files=files, data=data, headers=self.headers(actor),
                                   follow_redirects=False)

    def ok(self, actor: str, method: str, url: str, **kwargs):
        response = self.call(actor, method, url, **kwargs)
        assert response.status_code < 400, f"{actor} {method} {url}: {response.status_code} {response.text}"
        return response

    def session(self):
        return self.services.db.session()

    def _account(self, name: str) -> None:
        if name == "carla":  # she exists once she has joined prof's class
            self["member"]

    def user_id(self, name: str) -> int:
        self._account(name)
        if name in self.users:
            return self.users[name].id
        from precepteur.gate.accounts import get_user

        with self.session() as s:
            return get_user(s, name).id

    # -- objects ----------------------------------------------------------------------------
    def __getitem__(self, name: str):
        if name not in self._made:
            self._made[name] = getattr(self, f"_make_{name}")()
        return self._made[name]

    def _make_library(self) -> str:
        self["item_ids"]
        return "nsi"

    def _make_item_ids(self) -> list[int]:
        ids = seed_bank(self.app, self.users, self.tmp_path, restricted=True)  # also "vide", open
        self.services.library.create("autre", owner=str(self.users["prof2"].id))
        return ids

    def _make_item(self) -> int:
        return self["item_ids"][0]

    def _make_open_library(self) -> str:
        self["library"]
        return "vide"

    def _make_skill(self) -> str:
        self["library"]
        return PILES

    def _make_document(self) -> str:
        self["library"]
        return "cours.md"

    def _make_upload_job(self) -> str:
        self["library"]
        started = self.ok("prof", "POST", "/api/libraries/nsi/documents",
                          files=[("files", ("annexe.md", UPLOAD.encode(), "text/markdown"))])
        job = started.json()["job"]
        deadline = time.monotonic() + 30
        while not self.ok("prof", "GET", f"/api/libraries/nsi/jobs/{job}").json()["finished"]:
            assert time.monotonic() < deadline, "the ingestion did not finish"
            time.sleep(0.05)
        return job

    def _job(self, state: str) -> int:
        """A generation job of prof's on nsi that the worker never picks (not queued to it)."""
        from precepteur.store.item_jobs import create_job, update_job

        self["library"]
        with self.session() as s:
            job = create_job(s, "nsi", {"library": "nsi", "count": 2}, 2, self.users["prof"].id)
            if state != "queued":
                update_job(s, job.id, state=state)
        return job.id

    def _make_item_job(self) -> int:
        return self._job("queued")

    def _make_stopped_job(self) -> int:
        return self._job("cancelled")

    def _make_class(self) -> int:
        self["library"]
        made = self.ok("prof", "POST", "/api/classes", json={"name": "Terminale B", "level": "Terminale",
                                                               "libraries": ["nsi"]})
        return made.json()["id"]

    def _make_code(self) -> str:
        return self.ok("prof", "POST", f"/api/classes/{self['class']}/codes", json={}).json()["code"]

    def _make_member(self) -> str:
        self.ok("anon", "POST", "/api/join", json={"code": self["code"], "nickname": "carla",
                                                    "password": "carla-password"})
        return "carla"

    def _make_prof2_class(self) -> int:
        return self.ok("prof2", "POST", "/api/classes", json={"name": "Seconde"}).json()["id"]

    def _make_homework(self) -> int:
        body = {"title": "DM 3", "statement": "Résous 2x + 3 = 7", "solution": "x = 2", "answer": "2"}
        return self.ok("prof", "POST", "/api/homework", json=body).json()["id"]

    def _ask(self, question: str) -> dict:
        conversation = self.ok("alice", "POST", "/api/conversations", json={"title": "Révisions"}).json()["id"]
        return self.ok("alice", "POST", f"/api/conversations/{conversation}/messages?stream=false",
                       json={"question": question}).json()

    def _make_answer(self) -> dict:
        return self._ask("C'est quoi une pile ?")

    def _make_conversation(self) -> int:
        return self["answer"]["conversation_id"]

    def _make_message(self) -> int:
        return self["answer"]["message_id"]

    def _make_flag(self) -> int:
        from sqlalchemy import select

        from precepteur.store.guard_models import GuardFlag

        self._ask(DISTRESS)
        with self.session() as s:
            return s.scalar(select(GuardFlag.id).where(GuardFlag.learner_id == self.users["alice"].id))

    def _make_session(self) -> str:
        self["library"]
        return self.ok("alice", "POST", "/api/sessions", json={"library": "nsi", "size": 5}).json()["id"]

    def _make_session_item(self) -> int:
        return self.ok("alice", "GET", f"/api/sessions/{self['session']}").json()["queue"][0]

    def _make_answered(self) -> int:
        """alice's first answer in her session (her progress has a skill then)."""
        self.ok("alice", "POST", f"/api/sessions/{self['session']}/answers",
                json={"item_id": self["session_item"], "answer": "LIFO"})
        return self["session_item"]

    def _make_feedback(self) -> int:
        return self.ok("alice", "POST", f"/api/answers/{self['message']}/feedback",
                       json={"rating": "down", "reasons": ["incorrect"], "problem": True}).json()["id"]

    def _make_contestants(self) -> bool:
        from precepteur.store import arena

        with self.session() as s:
            arena.add_contestant(s, "alpha-explain", "scripted", prompt_version="explain-1")
            arena.add_contestant(s, "beta-socratic", "scripted", prompt_version="socratic-1")
        return True

    def _battle(self) -> str:
        self["contestants"]
        return self.ok("alice", "POST", "/api/arena/battles",
                       json={"question": "Qu'est-ce qu'une boucle for ?"}).json()["battle_id"]

    def _make_battle(self) -> str:
        return self._battle()

    def _make_voted_battle(self) -> str:
        battle = self._battle()
        self.ok("alice", "POST", f"/api/arena/battles/{battle}/vote",
                json={"verdict": "b", "reasons_a": ["incorrect"], "reasons_b": ["correct"]})
        return battle

    def _make_ticket(self) -> str:
        from precepteur.store.models import User

        with self.session() as s:
            alice = s.get(User, self.users["alice"].id)
            s.expunge(alice)
        return self.services.gate.admit(alice, 10).id

    def _make_token(self) -> int:
        return self.ok("admin", "POST", "/api/tokens", json={"user": "prof", "name": "script"}).json()["id"]

    def _make_incident(self) -> int:
        return self.ok("admin", "POST", "/api/gate/incidents", json={"title": "Réponses lentes"}).json()["id"]

    def _make_invitation(self) -> str:
        return self.ok("admin", "POST", "/api/gate/invitations", json={"cohort": "alpha"}).json()["invitation"]

    def _make_alice_id(self) -> int:
        return self.users["alice"].id

    def _make_alice_browser(self) -> TestClient:
        browser = TestClient(self.app)
        sign_in(browser, "alice")
        return browser
