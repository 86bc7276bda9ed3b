"""Who may do what on the pages (the forms that work without JavaScript): the same matrix as
test_web_access_matrix.py, on the routes the OpenAPI leaves out.

Signed out, a page redirects to the sign-in form (with `next`); the refused get the error
page with the status given; nothing they sent changes anything (`access_probes.check`).
`test_every_page_is_probed` fails when a page route appears that this matrix does not cover.
"""

from __future__ import annotations

import re

import pytest
from access_probes import (
    ADMIN_ONLY, ALICES, IMPORT, ITEM_BODY, PROFS, UPLOAD, Probe, account, alice_browser_sessions, check, count,
    coverage_gaps, job, libraries, mentions, nsi_documents, nsi_items, nsi_jobs, nsi_teaching, read, the_class,
    the_item, the_session,
)

from precepteur.store.arena_models import AnswerFeedback, ArenaBattle
from precepteur.store.guard_models import GradedWork, GuardFlag
from precepteur.store.learning_models import PracticeSession, SchoolClass
from precepteur.store.models import ApiToken, Message, User


def word(text: str):
    """Does the page hold `text` as a word ("nsi", not the "nsi" of "ainsi")?"""
    return lambda world, page: re.search(rf"\b{re.escape(text)}\b", page) is not None


def item_form(world) -> dict:
    """The edit form of prof's item as the page fills it, with a new explanation."""
    item = the_item(world)
    return {"kind": item["kind"], "prompt": item["prompt"], "key": item["key"], "skill": item["skill"],
            "explanation": "Voir le cours."}


PASSWORD = {"password": "nouveau-mot-de-passe"}

PAGES = [
    # -- chat -----------------------------------------------------------------------------------
    Probe("GET", "/chat", {}, "alice"),
    Probe("GET", "/chat/{conversation_id}", ALICES, "alice", url="/chat/{conversation}"),
    Probe("POST", "/chat", {**ALICES, "prof": 403}, "alice",
          form=lambda w: {"question": "Et une file ?", "conversation_id": w["conversation"]},
          state=read(Message, conversation_id="conversation"), note="alice's conversation"),
    # -- practice and classes ---------------------------------------------------------------------
    Probe("GET", "/practice", {"bob": 200}, "alice", shows=mentions("Les piles"), needs=("library",)),
    Probe("POST", "/practice/start", {"bob": 404, "prof2": 404}, "alice", form={"library": "nsi", "size": "5"},
          state=count(PracticeSession), needs=("library",), note="prof's restricted library"),
    Probe("GET", "/practice/{session_id}", ALICES, "alice", url="/practice/{session}"),
    Probe("POST", "/practice/{session_id}/answer", {**ALICES, "prof": 403, "admin": 403}, "alice",
          url="/practice/{session}/answer", form=lambda w: {"item_id": w["session_item"], "answer": "x"},
          state=the_session),
    Probe("POST", "/practice/{session_id}/hint", {**ALICES, "prof": 403, "admin": 403}, "alice",
          url="/practice/{session}/hint", form=lambda w: {"item_id": w["session_item"]}, state=the_session),
    Probe("GET", "/progress", {"bob": 200}, "alice", shows=mentions("Les piles"), needs=("answered",)),
    Probe("GET", "/classes", {"alice": 403, "prof2": 200}, "prof", shows=mentions("Terminale B"), needs=("class",)),
    Probe("POST", "/classes", {"alice": 403, "bob": 403}, "prof", form={"name": "Première A"},
          state=count(SchoolClass)),
    Probe("POST", "/classes", {"prof2": 422}, None, form={"name": "Vol", "library": "nsi"}, state=count(SchoolClass),
          needs=("library",), note="assigning prof's restricted library"),
    Probe("GET", "/classes/{class_id}", {**PROFS, "carla": 403}, "prof", url="/classes/{class}"),
    Probe("POST", "/classes/{class_id}/{action}", {**PROFS, "carla": 403}, "prof", url="/classes/{class}/codes",
          state=the_class),
    Probe("POST", "/classes/{class_id}/{action}", {"prof2": 404}, None, url="/classes/{prof2_class}/password",
          form=lambda w: {"learner": w["member"], **PASSWORD}, state=account("carla"),
          note="prof2's class, prof's learner"),
    Probe("POST", "/classes/{class_id}/{action}", {"prof": 404}, None, url="/classes/{class}/password",
          form={"learner": "bob", **PASSWORD}, state=account("bob"), note="a learner not in the class"),
    # -- the arena --------------------------------------------------------------------------------
    Probe("GET", "/arena", {}, "alice"),
    Probe("POST", "/arena", {"bob": 422, "prof2": 422}, "alice", form={"question": "Une pile ?", "library": "nsi"},
          state=count(ArenaBattle), needs=("library", "contestants"), note="prof's restricted library"),
    Probe("GET", "/arena/battles/{battle_id}", {**ALICES, "prof": 404}, "alice", url="/arena/battles/{battle}"),
    Probe("POST", "/arena/battles/{battle_id}/vote", {**ALICES, "prof": 404, "admin": 404}, "alice",
          url="/arena/battles/{battle}/vote", form={"verdict": "a"}, state=read(ArenaBattle, public_id="battle")),
    Probe("GET", "/arena/leaderboard", {}, "alice"),
    Probe("GET", "/arena/leaderboard.json", {}, "alice"),
    Probe("GET", "/arena/review", {"alice": 403, "bob": 403}, "prof", shows=mentions("boucle for"),
          needs=("voted_battle",)),
    Probe("POST", "/arena/review/{battle_id}", {"alice": 403, "bob": 403}, "prof", url="/arena/review/{voted_battle}",
          form={"action": "exclude"}, state=read(ArenaBattle, public_id="voted_battle")),
    Probe("POST", "/arena/feedback/{message_id}", ALICES, "alice", url="/arena/feedback/{message}",
          form={"rating": "up"}, state=read(AnswerFeedback, message_id="message")),
    # -- safety -----------------------------------------------------------------------------------
    Probe("GET", "/safety", {"alice": 403, "prof2": 200}, "prof", shows=mentions("DM 3", "alice"),
          needs=("homework", "flag")),
    Probe("POST", "/safety/flags/{flag_id}/seen", {"alice": 403, "bob": 403, "prof2": 404}, "prof",
          url="/safety/flags/{flag}/seen", state=read(GuardFlag, id="flag")),
    Probe("POST", "/safety/homework", {"alice": 403, "prof2": 404}, "prof", form={"title": "DM", "library": "nsi"},
          state=count(GradedWork), needs=("library",), note="prof's library as graded work"),
    Probe("POST", "/safety/homework/{work_id}/delete", PROFS, "prof", url="/safety/homework/{homework}/delete",
          state=read(GradedWork, id="homework")),
    # -- libraries --------------------------------------------------------------------------------
    Probe("GET", "/library", {"alice": 403, "prof2": 200}, "prof", shows=word("nsi"), needs=("library",)),
    Probe("POST", "/library", {"alice": 403, "bob": 403}, "prof", form={"name": "maths"}, state=libraries),
    Probe("POST", "/library", {"prof2": 422}, None, form={"name": "nsi"}, state=libraries,
          note="taking over prof's library"),
    Probe("GET", "/library/{name}", PROFS, "prof", url="/library/{library}"),
    Probe("GET", "/library/jobs/{job_id}", PROFS, "prof", url="/library/jobs/{upload_job}"),
    Probe("POST", "/library/{name}/upload", PROFS, "prof", url="/library/{library}/upload", files=UPLOAD,
          state=nsi_documents),
    Probe("POST", "/library/{name}/documents/remove", PROFS, "prof", url="/library/{library}/documents/remove",
          form=lambda w: {"document": w["document"]}, state=nsi_documents),
    Probe("POST", "/library/{name}/remove", PROFS, "prof", url="/library/{library}/remove", state=libraries),
    Probe("POST", "/library/{name}/remove", {"alice": 403, "prof2": 403}, "prof", url="/library/{open_library}/remove",
          state=libraries, note="prof's open library"),
    # -- the item bank ----------------------------------------------------------------------------
    Probe("GET", "/library/{name}/items", PROFS, "prof", url="/library/{library}/items"),
    Probe("POST", "/library/{name}/items/generate", PROFS, "prof", url="/library/{library}/items/generate",
          form={"count": "1", "kinds": "true_false"}, state=nsi_jobs),
    Probe("POST", "/library/{name}/items/jobs/{job_id}/{action}", PROFS, "prof",
          url="/library/{library}/items/jobs/{item_job}/cancel", state=job("item_job")),
    Probe("POST", "/library/{name}/items/jobs/{job_id}/{action}", {"prof2": 404}, None,
          url="/library/autre/items/jobs/{item_job}/cancel", state=job("item_job"),
          note="prof's job through prof2's library"),
    Probe("POST", "/library/{name}/items/review", PROFS, "prof", url="/library/{library}/items/review",
          form=lambda w: {"status": "rejected", "item": w["item"]}, state=the_item),
    Probe("POST", "/library/{name}/items/review", {"prof2": 303}, None, url="/library/autre/items/review",
          form=lambda w: {"status": "rejected", "item": w["item"]}, state=the_item,
          note="prof's item through prof2's library"),
    Probe("POST", "/library/{name}/items/import", PROFS, "prof", url="/library/{library}/items/import", files=IMPORT,
          state=nsi_items),
    Probe("GET", "/library/{name}/items/new", PROFS, "prof", url="/library/{library}/items/new"),
    Probe("POST", "/library/{name}/items/new", PROFS, "prof", url="/library/{library}/items/new", form=ITEM_BODY,
          state=nsi_items),
    Probe("GET", "/library/{name}/items/{item_id}", PROFS, "prof", url="/library/{library}/items/{item}"),
    Probe("GET", "/library/{name}/items/{item_id}", {"prof2": 404}, None, url="/library/autre/items/{item}",
          note="prof's item through prof2's library"),
    Probe("POST", "/library/{name}/items/{item_id}", PROFS, "prof", url="/library/{library}/items/{item}",
          form=item_form, state=the_item),
    Probe("POST", "/library/{name}/items/{item_id}", {"prof2": 404}, None, url="/library/autre/items/{item}",
          form=item_form, state=the_item, note="prof's item through prof2's library"),
    Probe("GET", "/library/{name}/skills", PROFS, "prof", url="/library/{library}/skills"),
    Probe("POST", "/library/{name}/skills/{skill_id}", PROFS, "prof", url="/library/{library}/skills/{skill}",
          form={"label": "Piles (renommé)"}, state=nsi_teaching),
    Probe("POST", "/library/{name}/settings", PROFS, "prof", url="/library/{library}/settings",
          form={"auto_approve": "on"}, state=nsi_teaching),
    # -- administration ---------------------------------------------------------------------------
    Probe("GET", "/admin", ADMIN_ONLY, "admin"),
    Probe("POST", "/admin/users", ADMIN_ONLY, "admin", form={"name": "dan", "password": "dan-password"},
          state=count(User)),
    Probe("POST", "/admin/users/{user_id}/password", ADMIN_ONLY, "admin", url="/admin/users/{alice_id}/password",
          form=PASSWORD, state=account("alice")),
    Probe("POST", "/admin/users/{user_id}/signout", ADMIN_ONLY, "admin", url="/admin/users/{alice_id}/signout",
          state=alice_browser_sessions),
    Probe("POST", "/admin/users/{user_id}/{action}", ADMIN_ONLY, "admin", url="/admin/users/{alice_id}/disable",
          state=account("alice")),
    Probe("POST", "/admin/tokens", ADMIN_ONLY, "admin", form={"owner": "prof", "name": "cron"}, state=count(ApiToken)),
    Probe("POST", "/admin/tokens/{token_id}/revoke", ADMIN_ONLY, "admin", url="/admin/tokens/{token}/revoke",
          state=read(ApiToken, id="token")),
    # -- signing out ------------------------------------------------------------------------------
    Probe("POST", "/signout", {}, "alice"),
]

# Pages for the signed out, on purpose.
PUBLIC = {
    ("GET", "/"): "sends to the chat or to sign in",
    ("GET", "/signin"): "the sign-in form",
    ("POST", "/signin"): "signing in",
    ("GET", "/join"): "the join form",
    ("POST", "/join"): "the join code is the credential (tested in test_web_practice_pages)",
    ("GET", "/model"): "what the model is, for everyone",
    ("GET", "/status"): "the public status page",
}


@pytest.mark.parametrize("probe", PAGES, ids=str)
def test_only_the_right_person_gets_through_a_page(world, probe):
    check(world, probe)


def test_every_page_is_probed():
    from precepteur.web.app import ROUTERS

    pages = {(method, route.path) for router in ROUTERS for route in router.routes if not route.include_in_schema
             for method in route.methods}
    missing, stale = coverage_gaps(pages, PAGES, PUBLIC)
    assert missing == [], "pages nobody checks: add them to PAGES"
    assert stale == [], "probes of pages that no longer exist"
