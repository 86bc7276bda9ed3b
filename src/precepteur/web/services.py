"""Everything one app instance uses, built once by `create_app` and kept on `app.state.services`.

Nothing here is created at import time: two apps in one process (tests) share
no database, model, metrics registry or threads.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from fastapi.templating import Jinja2Templates

from ..config import Settings
from ..i18n import t
from ..learning.levels import LEVELS
from .admission import Admission
from .answers import AnswerRunner
from .telemetry import Metrics
from .uploads import UploadJobs

TEMPLATES_DIR = Path(__file__).parent / "templates"
STATIC_DIR = Path(__file__).parent / "static"


@dataclass
class Services:
    """The app's database, model, tutor, library, limits, metrics and templates."""

    settings: Settings
    db: object  # precepteur.store.Database
    model: object  # precepteur.llm.ChatModel
    tutor: object  # precepteur.tutor.Tutor
    library: object  # precepteur.library.service.LibraryService
    metrics: Metrics
    admission: Admission
    answers: AnswerRunner
    uploads: UploadJobs
    templates: Jinja2Templates


def build_templates() -> Jinja2Templates:
    """The Jinja2 environment with the translation function and level list as globals."""
    templates = Jinja2Templates(directory=str(TEMPLATES_DIR))
    templates.env.globals.update(t=t, LEVELS=LEVELS)
    templates.env.autoescape = True
    return templates
