"""Everything one app instance uses, built once by `create_app` and kept on `app.state.services`.

Nothing here is created at import time: two apps in one process (tests) share
no database, model, metrics registry or threads.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from fastapi.templating import Jinja2Templates

from ..config import Settings
from ..i18n import t
from ..learning.levels import LEVELS
from ..store.conversations import INTERRUPTED
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


def build_templates() -> Jinja2Templates:
    """The Jinja2 environment with the translation function and level list as globals."""
    templates = Jinja2Templates(directory=str(TEMPLATES_DIR))
    templates.env.globals.update(t=t, LEVELS=LEVELS, INTERRUPTED=INTERRUPTED)
    templates.env.autoescape = True
    return templates
