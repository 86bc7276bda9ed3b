"""Who may do what, route by route: the access matrix of the JSON API.

Each `Probe` is one route tried on a real object made by its owner (`access_world`):
signed out (401), and as each person who must be refused, with the status she must
get: another learner on a learner's object, another teacher on a teacher's class, bank,
homework or library, a learner on a teacher's route, a teacher on an admin's route.
After every refusal the object is read again from the database: nothing may have
changed. Then the owner sends the same request, which must go through and change what
was read (`access_probes.check`). List routes answer 200 to everyone; there the check is
that the owner's object is not in anyone else's list. The pages have their matrix in
test_web_access_pages.py.

`test_every_route_is_probed` fails when a route appears in the OpenAPI that the matrix
does not cover (or a probe names a route that no longer exists), so none goes unchecked.
"""

from __future__ import annotations

import pytest
from access_probes import (
    ADMIN_ONLY, ALICES, IMPORT, ITEM_BODY, PROFS, UPLOAD, Probe, account, alice_browser_sessions, alice_cohort,
    check, count, coverage_gaps, in_queue, job, libraries, lists, mentions, nsi_documents, nsi_items, nsi_jobs,
    nsi_teaching, read, switches, the_class, the_item, the_session,
)

from precepteur.store.arena_models import AnswerFeedback, ArenaBattle
from precepteur.store.gate_models import Incident
from precepteur.store.guard_models import GradedWork, GuardFlag
from precepteur.store.learning_models import PracticeSession, SchoolClass
from precepteur.store.models import ApiToken, Conversation, Message, User

CHAT = {"messages": [{"role": "user", "content": "C'est quoi une pile ?"}], "library": "nsi"}

MATRIX = [
    # -- a learner's conversations, answers and flags ---------------------------------------
    Probe("POST", "/api/conversations", {"bob": 422, "prof2": 422}, "alice", body={"library": "nsi"},
          state=count(Conversation), needs=("library",), note="prof's restricted library"),
    Probe("GET", "/api/conversations", {"bob": 200, "prof2": 200}, "alice", shows=lists("conversation"),
          needs=("conversation",)),
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
          body={"text": "entraîne-moi sur les piles", "library": "nsi"}, state=count(PracticeSession),
          needs=("library",),
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
    Probe("POST", "/api/arena/battles", {"alice": 403, "bob": 403}, "prof", state=count(ArenaBattle),
          body={"question": "Une pile ?", "contestants": ["alpha-explain", "beta-socratic"]}, needs=("contestants",),
          note="choosing the contestants"),
    Probe("POST", "/api/arena/battles/{battle_id}/vote", {**ALICES, "prof": 404, "admin": 404}, "alice",
          url="/api/arena/battles/{battle}/vote", body={"verdict": "a"}, state=read(ArenaBattle, public_id="battle")),
    Probe("GET", "/api/arena/battles/{battle_id}/reveal", {**ALICES, "prof": 404}, "alice",
          url="/api/arena/battles/{voted_battle}/reveal"),
    Probe("GET", "/api/arena/review", {"alice": 403, "bob": 403}, "prof",
          shows=lambda w, body: w["voted_battle"] in [b["battle_id"] for b in body["battles"]],
          needs=("voted_battle",)),
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
    Probe("GET", "/api/libraries", {"bob": 200, "prof2": 200}, "alice", shows=lists("library", "name"),
          needs=("library",)),
    Probe("POST", "/api/libraries", {"alice": 403, "bob": 403}, "prof", body={"name": "maths"}, state=libraries),
    Probe("POST", "/api/libraries", {"prof2": 409}, None, body={"name": "nsi", "restricted": False},
          state=libraries, note="taking over prof's library"),
    Probe("DELETE", "/api/libraries/{name}", PROFS, "prof", url="/api/libraries/{library}", state=libraries),
    Probe("DELETE", "/api/libraries/{name}", {"alice": 403, "prof2": 403}, "prof", url="/api/libraries/{open_library}",
          state=libraries, note="prof's open library"),
    Probe("GET", "/api/libraries/{name}/documents", PROFS, "prof", url="/api/libraries/{library}/documents"),
    Probe("POST", "/api/libraries/{name}/documents", PROFS, "prof", url="/api/libraries/{library}/documents",
          files=UPLOAD, state=nsi_documents),
    Probe("DELETE", "/api/libraries/{name}/documents/{document}", PROFS, "prof",
          url="/api/libraries/{library}/documents/{document}", state=nsi_documents),
    Probe("GET", "/api/libraries/{name}/jobs/{job_id}", PROFS, "prof",
          url="/api/libraries/{library}/jobs/{upload_job}"),
    Probe("GET", "/api/libraries/{name}/jobs/{job_id}", {"prof2": 404}, None,
          url="/api/libraries/autre/jobs/{upload_job}", note="prof's job through prof2's library"),
    # -- the item bank -------------------------------------------------------------------------
    Probe("GET", "/api/libraries/{name}/items", PROFS, "prof", url="/api/libraries/{library}/items"),
    Probe("POST", "/api/libraries/{name}/items", PROFS, "prof", url="/api/libraries/{library}/items", body=ITEM_BODY,
          state=nsi_items),
    Probe("POST", "/api/libraries/{name}/items/import", PROFS, "prof", url="/api/libraries/{library}/items/import",
          files=IMPORT, state=nsi_items),
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
    Probe("POST", "/api/gate/incidents/{incident_id}/end", ADMIN_ONLY, "admin",
          url="/api/gate/incidents/{incident}/end",
          state=read(Incident, id="incident")),
    # -- accounts, tokens, privacy (admins) ------------------------------------------------------
    Probe("GET", "/api/users", ADMIN_ONLY, "admin"),
    Probe("POST", "/api/users", ADMIN_ONLY, "admin",
          body={"name": "dan", "password": "dan-password", "teacher": "prof"},
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


@pytest.mark.parametrize("probe", MATRIX, ids=str)
def test_only_the_right_person_gets_through(world, probe):
    check(world, probe)


def test_every_route_is_probed(app):
    routes = {(method.upper(), path) for path, ops in app.openapi()["paths"].items() for method in ops}
    missing, stale = coverage_gaps(routes, MATRIX, UNPROBED)
    assert missing == [], "routes nobody checks: add them to MATRIX"
    assert stale == [], "probes of routes that no longer exist"


TOO_LARGE = "9" * 30  # past SQL's integers: no such object, and SQLite would overflow


@pytest.mark.parametrize(("actor", "method", "url", "status"), [
    ("alice", "POST", f"/arena/feedback/{TOO_LARGE}", 422),
    ("prof", "GET", f"/api/classes/{TOO_LARGE}", 404),
    ("prof", "PATCH", f"/api/classes/{TOO_LARGE}", 404),
    ("prof", "GET", f"/classes/{TOO_LARGE}", 404),
    ("prof", "POST", f"/classes/{TOO_LARGE}/codes", 404),
])
def test_an_id_past_sql_integers_is_refused_not_a_crash(world, actor, method, url, status):
    response = world.call(actor, method, url, json={} if method == "PATCH" else None)
    assert response.status_code == status, response.text
