"""The `precepteur` command: a click group whose subcommands load lazily, one module each.

Each command lives in `cli/<name>.py` and exposes a click command or group named
`command`; loading lazily keeps `precepteur --help` fast and lets a command's heavy
imports (llama.cpp, the web stack) happen only when it runs.
"""

from __future__ import annotations

import importlib

import click

from ..errors import PrecepteurError

COMMANDS = {
    "ask": "Ask the tutor one question / Poser une question au tuteur.",
    "model": "List, install or add models / Gérer les modèles.",
    "library": "Teacher libraries / Bibliothèques de documents.",
    "items": "Exercises from the documents / Exercices tirés des documents.",
    "class": "Classes and join codes / Classes et codes d'accès.",
    "learner": "A learner's progress / Progrès d'un élève.",
    "eval": "Evaluation battery and release gate / Batterie d'évaluation.",
    "serve": "Run the web app / Lancer l'application web.",
    "user": "Accounts / Comptes.",
    "token": "API tokens / Jetons d'API.",
    "privacy": "A learner's data: export, erase / Données d'un élève : export, effacement.",
    "purge": "Delete conversations past retention / Purger les conversations anciennes.",
    "arena": "Blind battles, leaderboard, preference data / Arène : duels, classement, préférences.",
}


class LazyGroup(click.Group):
    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        if name not in COMMANDS:
            return None
        module = importlib.import_module(f"precepteur.cli.{name}_cmd")
        return module.command

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        with formatter.section("Commands"):
            formatter.write_dl([(name, COMMANDS[name]) for name in sorted(COMMANDS)])

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except PrecepteurError as exc:
            click.echo(f"precepteur: {exc}", err=True)
            ctx.exit(exc.exit_code)


@click.group(cls=LazyGroup)
@click.version_option(package_name="precepteur")
def main() -> None:
    """Précepteur — tuteur ouvert / open tutor."""
