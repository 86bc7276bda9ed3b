"""Safety for minors around the model: a versioned French policy, layered checks, privacy.

Inbound: `check()` (deterministic rules after normalisation), then optionally the
model judge (`judge.py`). Outbound: verified facts win, Socratic answers do not
leak, the system prompt and its canary are never streamed back, unsafe answers
are replaced. `pii.scrub` masks personal data before anything is stored.
"""

from .inbound import check
from .normalize import fold, normalize
from .outbound import enforce_facts, leaks, sentences, strip_echo
from .pii import scrub
from .policy import load_policy
from .rules import decide
from .verdict import Verdict

__all__ = [
    "Verdict", "check", "decide", "fold", "normalize", "scrub", "load_policy",
    "enforce_facts", "leaks", "sentences", "strip_echo",
]
