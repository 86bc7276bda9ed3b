"""Précepteur: an open, learner-centred tutor over open language models."""

__version__ = "0.1.0"
