"""The arena's pages: ask, the two answers side by side with the vote, the reveal, the
leaderboard with its plot and method note, and the teacher's review queue.

They work without JavaScript (plain forms, server-rendered SVG). Before the vote a
battle's page shows only `A` and `B`; after it, the reveal.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import RedirectResponse

from ...arena.plot import svg_plot
from ...arena.votes import NEGATIVE_REASONS, POSITIVE_REASONS, check_feedback
from ...i18n import t
from ...store import arena as store
from ..arena import DEFAULT_ROLES, BattleAsk, cast_vote, leaderboard, open_battle, reveal, start_battle
from ..asking import visible_libraries
from ..deps import CurrentUser, PageLang, ServicesDep, SessionDep, TeacherUser
from ..errors import WebError
from ..render import render
from ..schemas import RecordId
from ..transactions import CommitRoute

router = APIRouter(route_class=CommitRoute, prefix="/arena", tags=["arena-pages"], include_in_schema=False)


@router.get("")
def ask_page(request: Request, lang: PageLang, user: CurrentUser, services: ServicesDep):
    """The arena's question form."""
    return render(request, "arena.html", lang=lang, user=user, libraries=visible_libraries(services, user),
                  level=user.level or "")


@router.post("")
async def ask(
    request: Request, user: CurrentUser, s: SessionDep, services: ServicesDep,
    question: Annotated[str, Form(max_length=20_000)] = "",
    level: Annotated[str, Form(max_length=100)] = "",
    library: Annotated[str, Form(max_length=100)] = "",
):
    """Start a battle from the form, then show it."""
    battle = await start_battle(services, s, user, BattleAsk(question, level or None, library or None), request)
    return RedirectResponse(f"/arena/battles/{battle.public_id}", status_code=303)


@router.get("/battles/{battle_id}")
def battle_page(battle_id: str, request: Request, lang: PageLang, user: CurrentUser, s: SessionDep):
    """Two answers side by side and the vote; after the vote, who was who."""
    battle = open_battle(s, user, battle_id)
    voted = battle.state == "voted"
    return render(
        request, "arena_battle.html", lang=lang, user=user, battle=battle, voted=voted,
        revealed=reveal(s, user, battle_id) if voted else None, vote=battle.vote,
        positive=POSITIVE_REASONS, negative=NEGATIVE_REASONS, roles=store.allowed_roles(user),
        default_role=DEFAULT_ROLES[user.role],
    )


@router.post("/battles/{battle_id}/vote")
async def vote(
    battle_id: str, request: Request, user: CurrentUser, s: SessionDep,
    verdict: Annotated[str, Form(max_length=100)] = "",
    comment: Annotated[str, Form(max_length=20_000)] = "",
    role: Annotated[str, Form(max_length=100)] = "",
    level: Annotated[str, Form(max_length=100)] = "",
    consent: Annotated[str, Form(max_length=10)] = "",
):
    """The vote form: verdict, reasons per side (checkboxes), comment, role, level, consent."""
    form = await request.form()

    def run():
        cast_vote(s, user, battle_id, verdict, form.getlist("reasons_a"), form.getlist("reasons_b"), comment,
                  role or None, level or None, consent == "yes")
        s.commit()

    await run_in_threadpool(run)
    return RedirectResponse(f"/arena/battles/{battle_id}", status_code=303)


@router.get("/leaderboard")
async def board_page(request: Request, lang: PageLang, user: CurrentUser, s: SessionDep):
    """The board, its plot, the method note, and boards per judge role and level."""
    data = await run_in_threadpool(leaderboard, s)
    plot = svg_plot(data["board"], t("arena.board.plot_title", lang), t("arena.board.axis", lang))
    return render(request, "arena_board.html", lang=lang, user=user, data=data, plot=plot)


@router.get("/review")
def review_page(request: Request, lang: PageLang, user: TeacherUser, s: SessionDep):
    """Battles to review and answers flagged by their readers."""
    return render(request, "arena_review.html", lang=lang, user=user, battles=store.review_queue(s),
                  feedback=store.list_feedback(s, user, only_review=True),
                  notice=request.query_params.get("notice"))


@router.post("/review/{battle_id}")
def review(
    battle_id: str, user: TeacherUser, s: SessionDep,
    action: Annotated[str, Form(max_length=100)] = "",
    verdict: Annotated[str, Form(max_length=100)] = "",
    reference: Annotated[str, Form(max_length=20_000)] = "",
):
    battle = store.battle_by_public_id(s, battle_id)
    if battle is None:
        raise WebError(404, "arena.error.battle_not_found")
    store.review_battle(s, battle, user, action, verdict=verdict or None, reference=reference or None)
    return RedirectResponse("/arena/review?notice=reviewed", status_code=303)


@router.post("/feedback/{message_id}")
async def feedback(
    message_id: RecordId, request: Request, user: CurrentUser, s: SessionDep,
    rating: Annotated[str, Form(max_length=100)] = "",
    comment: Annotated[str, Form(max_length=20_000)] = "",
    problem: Annotated[str, Form(max_length=10)] = "",
):
    """The chat's feedback form without JavaScript: store it, go back to the conversation."""
    form = await request.form()

    def run() -> int:
        message = store.visible_message(s, user, message_id)
        if message is None:
            raise WebError(404, "arena.error.answer_not_found")
        checked = check_feedback(rating, form.getlist("reasons"), comment)
        store.add_feedback(s, user, message, *checked, problem == "yes")
        s.commit()
        return message.conversation_id

    conversation_id = await run_in_threadpool(run)
    return RedirectResponse(f"/chat/{conversation_id}?feedback=thanks", status_code=303)


__all__ = ["router"]
