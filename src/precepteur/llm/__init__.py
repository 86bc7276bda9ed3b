"""Model backends behind one small base class, the registry that names them, and model packs."""

from ._install import InstallProgress, InstallResult, install_pack, is_installed
from .base import ChatModel, Chunk, GenerationOptions, Message, ModelInfo, Usage
from .catalog import add_model, find_local, list_models
from .llamacpp import LlamaCppModel, shared_model
from .openai_compat import OpenAICompatModel
from .openai_pool import OpenAIPool
from .packs import PACKS, Pack, PackPart
from .registry import get_model, register, register_resolver
from .scripted import ScriptedModel, StructuredText

__all__ = [
    "ChatModel",
    "Chunk",
    "GenerationOptions",
    "Message",
    "ModelInfo",
    "Usage",
    "ScriptedModel",
    "StructuredText",
    "LlamaCppModel",
    "OpenAICompatModel",
    "OpenAIPool",
    "PACKS",
    "Pack",
    "PackPart",
    "InstallProgress",
    "InstallResult",
    "install_pack",
    "is_installed",
    "add_model",
    "find_local",
    "list_models",
    "shared_model",
    "get_model",
    "register",
    "register_resolver",
]
