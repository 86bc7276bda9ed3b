"""Inbound and outbound checks around the model (named constants, French first)."""

from .inbound import InboundVerdict, check, fold
from .outbound import enforce_facts, leaks, sentences

__all__ = ["InboundVerdict", "check", "fold", "enforce_facts", "leaks", "sentences"]
