"""The front door: `/` sends a signed-in person to the chat, anyone else to sign in."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import RedirectResponse

from ..deps import OptionalUser
from ..transactions import CommitRoute

router = APIRouter(route_class=CommitRoute, tags=["pages"], include_in_schema=False)


@router.get("/")
def home(user: OptionalUser):
    """Redirect to the chat, or to the sign-in form."""
    return RedirectResponse("/chat" if user is not None else "/signin", status_code=303)
