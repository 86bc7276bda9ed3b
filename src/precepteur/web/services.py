"""Everything one app instance uses, built once by `create_app` and kept on `app.state.services`.

Nothing here is created at import time: two apps in one process (tests) share
no database, model, metrics registry or threads.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from fastapi.templating import Jinja2Templates

from ..config import Settings
from ..gate.throttle import SignInThrottle
from ..i18n import t
from ..learning.levels import LEVELS
from ..store.workers import ANSWER_STATES, answer_state
from .admission import Admission
from .answers import AnswerRunner
from .telemetry import Metrics
from .uploads import UploadJobs

if TYPE_CHECKING:
    from ..learning.items.jobs import ItemJobs
    from ..library.service import LibraryService
    from ..llm import ChatModel
    from ..store import Database
    from ..tutor import Tutor
    from .liveness import WorkerLease

TEMPLATES_DIR = Path(__file__).parent / "templates"
STATIC_DIR = Path(__file__).parent / "static"


@dataclass
class Services:
    """The app's database, model, tutor, library, limits, metrics and templates."""

    settings: Settings
    db: Database
    model: ChatModel
    tutor: Tutor
    library: LibraryService
    metrics: Metrics
    admission: Admission
    answers: AnswerRunner
    uploads: UploadJobs
    templates: Jinja2Templates
    items: ItemJobs | None = None  # background generation of exercises
    lease: WorkerLease | None = None  # this process as a worker (store.workers)
    throttle: SignInThrottle = field(default_factory=SignInThrottle)
    arena: object | None = None  # arena.contest.ContestantTutors, made on the first battle


def build_templates() -> Jinja2Templates:
    """The Jinja2 environment with the translation function and level list as globals."""
    templates = Jinja2Templates(directory=str(TEMPLATES_DIR))
    templates.env.globals.update(t=t, LEVELS=LEVELS, ANSWER_STATES=ANSWER_STATES, answer_state=answer_state)
    templates.env.autoescape = True
    return templates
