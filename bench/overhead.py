"""What Précepteur's model layer costs over raw llama-cpp-python, on one GGUF and thread count.

Prints generation tokens/s of (1) raw `Llama.create_chat_completion` streaming,
(2) our `LlamaCppModel.stream` (queue + worker thread), (3) the full tutor
pipeline when `precepteur.tutor.Tutor` exists, their ratios, and the time to
first token of the three turns of one conversation, which shows the KV-cache
prefix reuse (turn 2 and 3 only evaluate what is new).

    PRECEPTEUR_HOME=... python bench/overhead.py --model smollm2-135m --threads 2 --tokens 128

Targets: pipeline generation >= 95% of raw; turn-2 TTFT <= 50% of turn 1's.
Generation rate is (tokens - 1) / (last chunk - first chunk), so prompt
evaluation is excluded; each figure is the median of `--repeats` runs, with
raw and ours alternating so background load hits both alike (the paired ratio
compares each run with its neighbour, the steadier figure on a shared machine).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time

from precepteur.config import Settings
from precepteur.llm import ChatModel, GenerationOptions, LlamaCppModel, find_local

GENERATION_PROMPT = [
    {"role": "system", "content": "You are a patient teacher."},
    {"role": "user", "content": "Explain in detail, step by step, how a binary search tree works, with examples."},
]

PIPELINE_QUESTION = "Explain in detail how a binary search tree works, with examples."

COURSE = (
    "Cours de NSI, Terminale. Un arbre binaire est soit vide, soit formé d'un nœud appelé racine "
    "et de deux sous-arbres binaires, le sous-arbre gauche et le sous-arbre droit. La taille d'un "
    "arbre est son nombre de nœuds ; sa hauteur est le nombre de nœuds du plus long chemin de la "
    "racine à une feuille. Un arbre binaire de recherche est un arbre binaire dont chaque nœud porte "
    "une clé, telle que les clés du sous-arbre gauche sont inférieures à la clé du nœud et celles du "
    "sous-arbre droit lui sont supérieures. La recherche d'une clé dans un arbre binaire de recherche "
    "équilibré coûte un nombre d'étapes proportionnel au logarithme de sa taille. Un parcours infixe "
    "d'un arbre binaire de recherche donne ses clés dans l'ordre croissant. "
)
SYSTEM = "Tu es un tuteur de NSI. Réponds en deux phrases, à partir du cours ci-dessous.\n\n" + COURSE * 3
QUESTIONS = [
    "Qu'est-ce qu'un arbre binaire de recherche ?",
    "Et combien coûte une recherche dans cet arbre ?",
    "Quel parcours donne les clés dans l'ordre ?",
]


def rate(tokens: int, first: float | None, last: float | None) -> float:
    if first is None or last is None or last <= first or tokens < 2:
        return 0.0
    return (tokens - 1) / (last - first)


def raw_run(llm, messages: list[dict], options: GenerationOptions) -> tuple[float, float, str]:
    """Direct `create_chat_completion` streaming: (first chunk time, last chunk time, text)."""
    first = last = None
    parts = []
    stream = llm.create_chat_completion(
        messages, max_tokens=options.max_tokens, temperature=options.temperature, top_p=options.top_p,
        seed=options.seed, stop=list(options.stop), stream=True,
    )
    for event in stream:
        text = event["choices"][0]["delta"].get("content") or ""
        if text:
            last = time.perf_counter()
            first = first or last
            parts.append(text)
    return first or 0.0, last or 0.0, "".join(parts)


def ours_run(model: LlamaCppModel, messages: list[dict], options: GenerationOptions) -> tuple[float, float, str, int]:
    first = last = None
    parts, tokens = [], 0
    for chunk in model.stream(messages, options):
        if chunk.text:
            last = time.perf_counter()
            first = first or last
            parts.append(chunk.text)
        if chunk.usage is not None:
            tokens = chunk.usage.completion_tokens
    return first or 0.0, last or 0.0, "".join(parts), tokens


class Recorder(ChatModel):
    """Passes calls to the model and keeps the messages and options the tutor sent."""

    def __init__(self, model: LlamaCppModel):
        self.model = model
        self.model_id = model.model_id
        self.backend = model.backend
        self.context_window = model.context_window
        self.calls: list[tuple[list[dict], GenerationOptions]] = []

    def stream(self, messages, options=None, cancel=None):
        self.calls.append(([dict(m) for m in messages], options or GenerationOptions()))
        return self.model.stream(messages, options, cancel)

    def count_tokens(self, text: str) -> int:
        return self.model.count_tokens(text)

    def info(self):
        return self.model.info()


def pipeline_rates(settings: Settings, model: LlamaCppModel, raw, repeats: int, max_tokens: int):
    """Tutor pipeline tok/s, and raw tok/s on the very messages and options the tutor sent."""
    try:
        from precepteur.tutor import Tutor
        from precepteur.tutor.types import TutorRequest
    except ImportError:
        return "precepteur.tutor.Tutor is not available yet: pipeline skipped"
    settings = settings.model_copy(update={"max_tokens": max_tokens})
    recorder = Recorder(model)
    tutor = Tutor(settings, recorder, library=None)
    pipe_rates, raw_rates, same = [], [], True
    for _ in range(repeats):
        request = TutorRequest(question=PIPELINE_QUESTION, level="adulte", lang="en", allow_general=True)
        first = last = None
        parts, tokens = [], 0
        for event in tutor.stream(request):
            if event["type"] == "delta" and event["text"]:
                last = time.perf_counter()
                first = first or last
                parts.append(event["text"])
            elif event["type"] == "done":
                tokens = event["result"].completion_tokens
        pipe_rates.append(rate(tokens, first, last))
        messages, options = recorder.calls[-1]
        r_first, r_last, raw_text = raw_run(raw, messages, options)
        raw_rates.append(rate(tokens, r_first, r_last))
        same = same and raw_text == "".join(parts)
    return pipe_rates, raw_rates, tokens, same


def conversation_ttft(model: LlamaCppModel, max_tokens: int) -> list[tuple[float, int, int]]:
    """TTFT, prompt tokens and cached tokens of each turn of one conversation on a cold model."""
    messages = [{"role": "system", "content": SYSTEM}]
    turns = []
    for question in QUESTIONS:
        messages.append({"role": "user", "content": question})
        start = time.perf_counter()
        ttft, parts = None, []
        for chunk in model.stream(messages, GenerationOptions(max_tokens=max_tokens, temperature=0.0, seed=1)):
            if chunk.text and ttft is None:
                ttft = time.perf_counter() - start
            parts.append(chunk.text)
            if chunk.usage is not None:
                usage = chunk.usage
        turns.append((ttft or 0.0, usage.prompt_tokens, usage.cached_tokens))
        messages.append({"role": "assistant", "content": "".join(parts)})
    return turns


def report(label: str, ours: list[float], raw: list[float], tokens: int, same_text: bool) -> None:
    paired = statistics.median(o / r for o, r in zip(ours, raw) if r)
    print(f"{label}: {tokens} tokens per run, same text as raw: {same_text}")
    print(f"  raw llama-cpp-python {statistics.median(raw):7.1f} tok/s  runs {[round(r, 1) for r in raw]}")
    print(f"  ours                 {statistics.median(ours):7.1f} tok/s  runs {[round(r, 1) for r in ours]}")
    print(f"  ratio of medians {statistics.median(ours) / statistics.median(raw):.3f}, "
          f"median of paired ratios {paired:.3f}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default=None, help="installed pack or added model (default: settings.model)")
    parser.add_argument("--threads", type=int, default=None)
    parser.add_argument("--tokens", type=int, default=128, help="max tokens generated per run")
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args(argv)

    settings = Settings()
    if args.threads:
        settings.threads = args.threads
    name = args.model or settings.model
    local = find_local(name, settings)
    if local is None:
        print(f"model {name!r} is not installed here (precepteur model install {name})", file=sys.stderr)
        return 2
    threads = settings.effective_threads()
    import llama_cpp

    print(f"model {name} ({local.path.name}), threads {threads}, n_ctx {settings.n_ctx}, max tokens {args.tokens}")
    raw = llama_cpp.Llama(model_path=str(local.path), n_ctx=settings.n_ctx, n_threads=threads,
                          n_threads_batch=threads, seed=settings.seed, verbose=False)
    ours = LlamaCppModel(local.path, name=name, n_ctx=settings.n_ctx, n_threads=threads, seed=settings.seed)
    greedy = GenerationOptions(max_tokens=args.tokens, temperature=0.0, seed=1)
    # Untimed warm-up: page the weights in and build both compute graphs.
    raw_run(raw, GENERATION_PROMPT, GenerationOptions(max_tokens=4))
    ours_run(ours, GENERATION_PROMPT, GenerationOptions(max_tokens=4))
    raw_rates, our_rates, same_text = [], [], True
    for _ in range(args.repeats):
        first, last, raw_text = raw_run(raw, GENERATION_PROMPT, greedy)
        o_first, o_last, our_text, tokens = ours_run(ours, GENERATION_PROMPT, greedy)
        same_text = same_text and raw_text == our_text
        # Greedy decoding on the same prompt gives the same text, hence the same token count.
        raw_rates.append(rate(tokens, first, last))
        our_rates.append(rate(tokens, o_first, o_last))
    report("LlamaCppModel.stream", our_rates, raw_rates, tokens, same_text)
    try:
        pipeline = pipeline_rates(settings, ours, raw, args.repeats, args.tokens)
    except Exception as exc:  # the tutor is another team's work in progress: report, don't hide
        pipeline = f"failed: {type(exc).__name__}: {exc}"
    if isinstance(pipeline, str):
        print(f"tutor pipeline: {pipeline}")
    else:
        report("tutor pipeline (target >= 0.95)", *pipeline)
    raw.close()
    ours.close()

    cold = LlamaCppModel(local.path, name=name, n_ctx=settings.n_ctx, n_threads=threads, seed=settings.seed)
    turns = conversation_ttft(cold, min(args.tokens, 64))
    cold.close()
    for i, (ttft, prompt, cached) in enumerate(turns, 1):
        print(f"turn {i}: TTFT {ttft * 1000:7.0f} ms  prompt {prompt} tokens, {cached} from cache")
    print(f"TTFT turn 2 / turn 1: {turns[1][0] / turns[0][0]:.3f} (target <= 0.5); "
          f"turn 3 / turn 1: {turns[2][0] / turns[0][0]:.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
