"""`precepteur serve`: run the web app (pages, JSON API, OpenAI-compatible API) with uvicorn.

Logs are JSON lines on stderr. On SIGINT/SIGTERM uvicorn stops accepting
connections and gives streaming answers GRACEFUL_SHUTDOWN_SECONDS to finish;
the app then cancels the rest, each keeping what it streamed (complete=False).
On an empty database it prints how to create the first administrator.
"""

from __future__ import annotations

import click

from ..i18n import t
from ._common import load_settings

GRACEFUL_SHUTDOWN_SECONDS = 10


@click.command(name="serve")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on / Adresse d'écoute.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535), help="Port.")
@click.option("--model", "model_name", default=None, help="Model name (default: settings) / Modèle.")
def command(host: str, port: int, model_name: str | None) -> None:
    """Run the web app / Lancer l'application web."""
    import uvicorn

    from ..gate.bootstrap import first_start_message
    from ..web.app import create_app
    from ..web.telemetry import configure_logging

    settings = load_settings()
    if model_name:
        settings.model = model_name
    configure_logging()
    app = create_app(settings)
    services = app.state.services
    message = first_start_message(services.db, settings.language)
    if message:
        click.echo(message, err=True)
    click.echo(t("web.serve.listening", settings.language, url=f"http://{host}:{port}/"), err=True)
    uvicorn.run(
        app,
        host=host,
        port=port,
        log_config=None,
        proxy_headers=False,
        timeout_graceful_shutdown=GRACEFUL_SHUTDOWN_SECONDS,
    )
