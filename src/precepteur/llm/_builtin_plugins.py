"""The built-in backends, registered through the same resolvers a third-party plugin would use.

Order: an installed pack or added GGUF (llama.cpp, one shared instance per file),
then an OpenAI-compatible server (`openai:<model>`, or `settings.openai_model`
when `settings.openai_base_url` is set; several comma-separated URLs make an
`OpenAIPool` with least-loaded routing), then a clear "not installed" error for
a pack that is known but not installed yet.
"""

from __future__ import annotations

import threading

from ..config import Settings
from ..errors import ModelError
from .base import ChatModel
from .catalog import OPENAI_PREFIX, find_local
from .llamacpp import shared_model
from .openai_compat import OpenAICompatModel
from .openai_pool import OpenAIPool, split_urls
from .packs import PACKS
from .registry import register_resolver

_SERVERS: dict[tuple[str, str, str | None], ChatModel] = {}
_SERVERS_LOCK = threading.Lock()


def resolve_local(name: str, settings: Settings) -> ChatModel | None:
    local = find_local(name, settings, settings.language)
    if local is None:
        return None
    return shared_model(local.path, settings, name=name, facts=local.facts)


def resolve_openai(name: str, settings: Settings) -> ChatModel | None:
    if name.startswith(OPENAI_PREFIX):
        model = name[len(OPENAI_PREFIX):]
        if not settings.openai_base_url or not model:
            raise ModelError("model.openai_no_url", name=name)
    elif settings.openai_base_url and settings.openai_model and name == settings.openai_model:
        model = name
    else:
        return None
    key = (settings.openai_base_url, model, settings.openai_api_key)
    urls = split_urls(settings.openai_base_url)
    with _SERVERS_LOCK:
        if key not in _SERVERS:
            options = {"api_key": settings.openai_api_key, "name": name, "context_window": settings.n_ctx,
                       "schema_style": settings.openai_schema_style}
            if len(urls) > 1:  # several servers: least-loaded routing with failover
                _SERVERS[key] = OpenAIPool(urls, model, **options)
            else:
                _SERVERS[key] = OpenAICompatModel(urls[0], model, **options)
        return _SERVERS[key]


def resolve_missing_pack(name: str, settings: Settings) -> ChatModel | None:
    if name in PACKS:
        raise ModelError("model.not_installed", name=name)
    return None


register_resolver(resolve_local)
register_resolver(resolve_openai)
register_resolver(resolve_missing_pack)
