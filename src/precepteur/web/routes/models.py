"""What answers: the model page and `/api/models`, honest about what the model is and cannot do.

The facts come from `ModelInfo` (name, size, licence, training data, maturity,
languages, limitations); CANNOT_DO_KEYS adds what no small open model does
reliably, whatever its card says, and how Précepteur compensates.
"""

from __future__ import annotations

from fastapi import APIRouter, Request

from ...i18n import t
from ..deps import CurrentUser, OptionalUser, PageLang, ServicesDep
from ..i18n import request_lang
from ..render import render
from ..schemas import ErrorOut, ModelOut
from ..transactions import CommitRoute

router = APIRouter(route_class=CommitRoute, prefix="/model", tags=["models"], include_in_schema=False)
api_router = APIRouter(route_class=CommitRoute, prefix="/api/models", tags=["models"])

CANNOT_DO_KEYS = (
    "web.model.cannot.count",
    "web.model.cannot.facts",
    "web.model.cannot.people",
    "web.model.cannot.recent",
    "web.model.cannot.judgement",
)
SIZE_UNITS = ("B", "KB", "MB", "GB", "TB")


def human_size(size: int | None, lang: str) -> str:
    """`1.1 GB` (`1,1 Go` in French), or the catalogue's "unknown"."""
    if not size:
        return t("web.model.unknown", lang)
    value, unit = float(size), 0
    while value >= 1000 and unit < len(SIZE_UNITS) - 1:
        value, unit = value / 1000, unit + 1
    text = f"{value:.1f}"
    if lang == "fr":
        return text.replace(".", ",") + " " + SIZE_UNITS[unit].replace("B", "o")
    return f"{text} {SIZE_UNITS[unit]}"


def model_out(model, lang: str) -> ModelOut:
    """The model's card with the limits stated in `lang`."""
    info = model.info()
    cannot = [t(key, lang) for key in CANNOT_DO_KEYS]
    return ModelOut(
        name=info.name, backend=info.backend, parameters=info.parameters, quantization=info.quantization,
        licence=info.licence, size_bytes=info.size_bytes, source=info.source, languages=info.languages,
        training_data=info.training_data, maturity=info.maturity, limitations=info.limitations or "",
        cannot_do=cannot,
    )


@router.get("")
def model_page(request: Request, lang: PageLang, user: OptionalUser, services: ServicesDep):
    """The model page: what the current model is, and what it cannot do."""
    card = model_out(services.model, lang)
    return render(
        request, "model.html", lang=lang, user=user, card=card,
        size=human_size(card.size_bytes, lang),
    )


@api_router.get("", response_model=list[ModelOut], responses={401: {"model": ErrorOut}})
def list_models(request: Request, user: CurrentUser, services: ServicesDep):
    """The model that answers here, with its card and limits."""
    return [model_out(services.model, request_lang(request))]
