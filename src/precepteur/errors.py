"""Errors that carry a message meant for a person (one line, translated)."""

from __future__ import annotations

from .i18n import t


class PrecepteurError(Exception):
    """An expected failure with a clear, translatable, one-line message."""

    exit_code = 2

    def __init__(self, key: str, lang: str | None = None, **params: object):
        self.key = key
        self.params = params
        super().__init__(t(key, lang, **params))

    def message(self, lang: str | None = None) -> str:
        return t(self.key, lang, **self.params)


class InputError(PrecepteurError):
    """The user's input is not acceptable (empty, too long, unknown name...)."""


class ModelError(PrecepteurError):
    """A model is missing, corrupt, or failed while answering."""
