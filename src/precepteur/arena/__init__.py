"""The arena: blind pairwise battles between tutor configurations, judged on teaching.

Pure cores (no I/O): `ranking` (Bradley–Terry with bootstrap intervals), `pairing`
(who meets whom, which side), `blind` (does an answer give its identity away),
`export` (preference rows and their JSON Schema). The store layer is
`store.arena`, the web shell `web.routes.arena`, the CLI `cli.arena_cmd`.
"""

from .ranking import Comparison, Rating, Ratings, VERDICTS, apply_filters, boards, fit

__all__ = ["Comparison", "Rating", "Ratings", "VERDICTS", "apply_filters", "boards", "fit"]
