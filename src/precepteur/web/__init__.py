"""The web app: server-rendered pages, a JSON API under /api/, an OpenAI-compatible /v1.

`create_app(settings)` builds everything (nothing happens at import). Routes live
in `routes/<resource>.py`; typed dependencies in `deps.py`; answers stream through
`answers.py`, which saves them as they go.
"""

from .app import create_app

__all__ = ["create_app"]
