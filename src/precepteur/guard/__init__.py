"""Inbound and outbound checks around the model (named constants, French first)."""

from .inbound import InboundVerdict, check, fold
from .outbound import enforce_facts, leaks, sentences, strip_echo

__all__ = ["InboundVerdict", "check", "fold", "enforce_facts", "leaks", "sentences", "strip_echo"]
