"""Model backends behind one small base class, and the registry that names them."""

from .base import ChatModel, Chunk, GenerationOptions, Message, ModelInfo, Usage
from .registry import get_model, register, register_resolver
from .scripted import ScriptedModel

__all__ = [
    "ChatModel",
    "Chunk",
    "GenerationOptions",
    "Message",
    "ModelInfo",
    "Usage",
    "ScriptedModel",
    "get_model",
    "register",
    "register_resolver",
]
