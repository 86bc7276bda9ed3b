"""`precepteur serve`: run the web app (pages, JSON API, OpenAI-compatible API) with uvicorn.

Logs are JSON lines on stderr. On SIGINT/SIGTERM the server stops accepting
connections and, before waiting for open ones, stops every answer in flight:
each stream ends with an `error` event `web.answer.stopped` and its text is
kept (`complete=False`, `error="stopped"`); connections still open after
GRACEFUL_SHUTDOWN_SECONDS are closed. Ingestion jobs stop between steps and
resume at the next start. The whole stop takes under 5 s, within what process
supervisors give (10 s for systemd's and Docker's defaults). On an empty
database it prints how to create the first administrator.

`--workers N` runs N web processes on the same port (uvicorn's supervisor restarts one that
dies). They share the admission queue, slots and quotas through Redis, so it needs
PRECEPTEUR_REDIS_URL; each process loads its own embedded model (N times the memory), so with
more than one worker a model server (`openai:<name>`, vLLM or llama-server) is the usual
choice. Ingestion and generation progress stay in the process that took the job: put the
processes behind nginx with sticky sessions (deploy/nginx), or use --workers 1.
"""

from __future__ import annotations

import click

from ..i18n import t
from ._common import load_settings

GRACEFUL_SHUTDOWN_SECONDS = 2
# Longer than any Retry-After we give, so a polite client's idle connection is still open.
KEEP_ALIVE_SECONDS = 30


def run_server(app, **options) -> None:
    """Serve `app` with uvicorn until a signal; streams and ingestion stop first."""
    import uvicorn

    services = app.state.services

    class StoppingServer(uvicorn.Server):
        """A uvicorn server that ends streamed answers as soon as it is told to stop."""

        async def shutdown(self, sockets=None) -> None:
            services.answers.stop_all()
            services.uploads.stop()
            await super().shutdown(sockets)

    StoppingServer(uvicorn.Config(app, **options)).run()


@click.command(name="serve")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on / Adresse d'écoute.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535), help="Port.")
@click.option("--model", "model_name", default=None, help="Model name (default: settings) / Modèle.")
@click.option("--workers", default=1, show_default=True, type=click.IntRange(1, 64),
              help="Web processes sharing the queue in Redis / Processus web (PRECEPTEUR_REDIS_URL).")
def command(host: str, port: int, model_name: str | None, workers: int) -> None:
    """Run the web app / Lancer l'application web."""
    import os

    from ..gate.bootstrap import first_start_message
    from ..web.app import create_app
    from ..web.telemetry import configure_logging

    settings = load_settings()
    if model_name:
        settings.model = model_name
    configure_logging()
    if workers > 1:
        if not settings.redis_url:
            raise click.UsageError(t("web.serve.workers_need_redis", settings.language, workers=workers))
        import uvicorn

        from ..store import Database

        db = Database(settings)
        db.migrate()  # once, before the processes start
        message = first_start_message(db, settings.language)
        db.dispose()
        if message:
            click.echo(message, err=True)
        os.environ["PRECEPTEUR_MODEL"] = settings.model  # the processes read their settings from the environment
        click.echo(t("web.serve.workers", settings.language, workers=workers, redis=settings.redis_url), err=True)
        click.echo(t("web.serve.listening", settings.language, url=f"http://{host}:{port}/"), err=True)
        uvicorn.run("precepteur.web.app:app_from_env", factory=True, workers=workers, host=host, port=port,
                    log_config=None, proxy_headers=False, timeout_graceful_shutdown=GRACEFUL_SHUTDOWN_SECONDS,
                    timeout_keep_alive=KEEP_ALIVE_SECONDS)
        return
    app = create_app(settings)
    services = app.state.services
    message = first_start_message(services.db, settings.language)
    if message:
        click.echo(message, err=True)
    click.echo(t("web.serve.listening", settings.language, url=f"http://{host}:{port}/"), err=True)
    run_server(
        app,
        host=host,
        port=port,
        log_config=None,
        proxy_headers=False,
        timeout_graceful_shutdown=GRACEFUL_SHUTDOWN_SECONDS,
        timeout_keep_alive=KEEP_ALIVE_SECONDS,
    )
