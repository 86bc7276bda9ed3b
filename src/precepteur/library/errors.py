"""Errors of the library: one translated line per problem, naming the file or library."""

from __future__ import annotations

from ..errors import InputError


class DocumentError(InputError):
    """One file cannot be ingested (scan, password, corrupt, too large...); the batch goes on."""


class LibraryError(InputError):
    """A library name is invalid, unknown, or already taken."""
