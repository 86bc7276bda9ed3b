"""Name -> backend factory. Built-in backends register here exactly as a plugin would.

`get_model(name, settings)` resolves a name in this order: a registered factory
(`scripted`), an installed model pack or an added GGUF (`llamacpp`), then an
OpenAI-compatible server (`openai:<model>` or `settings.openai_base_url`).
"""

from __future__ import annotations

from typing import Callable

from ..config import Settings
from ..errors import ModelError
from .base import ChatModel

Factory = Callable[[str, Settings], ChatModel]
_FACTORIES: dict[str, Factory] = {}
_RESOLVERS: list[Callable[[str, Settings], ChatModel | None]] = []


def register(name: str, factory: Factory) -> None:
    """Register a model name served by `factory(name, settings)`."""
    _FACTORIES[name] = factory


def register_resolver(resolver: Callable[[str, Settings], ChatModel | None]) -> None:
    """Register a function that may serve any name (returns None when it cannot)."""
    _RESOLVERS.append(resolver)


def _builtins() -> None:
    if "scripted" in _FACTORIES:
        return
    from .scripted import ScriptedModel

    register("scripted", lambda name, settings: ScriptedModel())
    # Not guarded: the backends import their heavy runtimes lazily, so an ImportError here is
    # a bug in Précepteur itself and must surface, not leave "unknown model" errors behind.
    from . import _builtin_plugins  # noqa: F401  (registers llamacpp / openai_compat)


def get_model(name: str | None, settings: Settings) -> ChatModel:
    """The model called `name` (default: `settings.model`), or a clear ModelError."""
    _builtins()
    name = (name or settings.model).strip()
    if name in _FACTORIES:
        return _FACTORIES[name](name, settings)
    for resolver in _RESOLVERS:
        model = resolver(name, settings)
        if model is not None:
            return model
    raise ModelError("model.unknown", name=name)
