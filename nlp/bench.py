"""Benchmark the theme pipeline against the tokenizer alone, on the same realistic texts.

Texts are generated from the project's own training answers (never the dev file), with a
seeded random generator: most are one answer, some are two or three joined, as longer
survey answers are. The measures follow shared/design/PERFORMANCE.md: docs/s and words/s
for tokenizer and full pipeline in one process, their ratio, the p99 time to tag a single
answer, pipeline load time and the process's peak memory.
"""

from __future__ import annotations

import argparse
import random
import resource
import statistics
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from nlp.tagger import Tagger

SINGLE_SAMPLE = 2000  # single-answer timings for the p99


@dataclass(frozen=True)
class BenchResult:
    n_texts: int
    median_words: float
    tokenizer_docs_per_s: float
    tokenizer_words_per_s: float
    pipeline_docs_per_s: float
    pipeline_words_per_s: float
    ratio: float
    p50_ms: float
    p99_ms: float
    load_seconds: float
    peak_memory_mb: float


PLACES = """
    Chatham Gillingham Rochester Strood Rainham Lordswood Walderslade Margate Ramsgate
    Broadstairs Westgate Birchington Folkestone Hythe Dover Deal Sandwich Canterbury Whitstable
    Herne-Bay Faversham Sittingbourne Sheerness Minster Maidstone Tonbridge Tunbridge-Wells
    Sevenoaks Swanley Dartford Greenhithe Gravesend Northfleet Ashford Bluewater Westwood-Cross
    Snodland Aylesford Larkfield Paddock-Wood Edenbridge
""".split()  # noqa: SIM905 (a word list reads best as text)
STREETS = """
    High Station Church London Canterbury Maidstone Victoria Queens Kings Mill Park
""".split()  # noqa: SIM905 (a word list reads best as text)
EXTRAS = [
    "at like 10pm",
    "on the 101",
    "after 9",
    "around 3:30",
    "last week",
    "every weekend",
    "tbh",
    "idk",
    "lol",
    "!!",
    "😡",
    "😭",
    "🙄",
    "x",
    "honestly",
    "innit",
    "fr",
]
SEPARATORS = [". ", ", ", " and ", "\n", " also ", "! ", " - "]


def generate_texts(
    training_dir: Path, theme_ids: Sequence[str], n: int, seed: int = 0
) -> list[str]:
    """n survey-like answers recombined from the training data, reproducibly.

    Answers are one to three training answers joined, with what real answers have and a
    recombination lacks: typos, casing, Kent places, street names, times, emoji. Without
    them every word would be in the tokenizer's cache and the tokenizer-alone baseline
    would be several times faster than on real answers (PERFORMANCE.md: 20-26k docs/s).
    """
    from nlp.training import read_training_dir

    pool = [e.text for e in read_training_dir(training_dir, theme_ids)]
    rng = random.Random(seed)
    texts = []
    for _ in range(n):
        parts = [rng.choice(pool) for _ in range(rng.choices([1, 2, 3], weights=[40, 40, 20])[0])]
        text = rng.choice(SEPARATORS).join(parts)
        words = [_perturb(word, rng) for word in text.split(" ")]
        if rng.random() < 0.3:
            words.insert(rng.randrange(len(words) + 1), rng.choice(EXTRAS))
        text = " ".join(words)
        if rng.random() < 0.03:
            text = text.upper()
        elif rng.random() < 0.5:
            text = text[:1].upper() + text[1:]
        texts.append(text)
    return texts


def _perturb(word: str, rng: random.Random) -> str:
    roll = rng.random()
    if roll < 0.04 and len(word) > 3:  # a typo: swap, drop or double a letter
        i = rng.randrange(len(word) - 1)
        return rng.choice(
            [
                word[:i] + word[i + 1] + word[i] + word[i + 2 :],
                word[:i] + word[i + 1 :],
                word[:i] + word[i] + word[i:],
            ]
        )
    if roll < 0.06:
        return f"{word} {rng.choice(PLACES).replace('-', ' ')}"
    if roll < 0.07:
        return f"{word} {rng.choice(STREETS)} {rng.choice(['Road', 'Street', 'Lane', 'Avenue'])}"
    return word


def peak_memory_mb() -> float:
    """Peak resident memory of this process, in MB.

    VmHWM is the high-water mark of this address space, so it starts afresh in a process
    started by exec; ru_maxrss (the fallback off Linux) keeps the parent's peak across exec.
    """
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


def run_benchmark(tagger: Tagger, texts: Sequence[str], load_seconds: float) -> BenchResult:
    """Time the tokenizer alone, then the full pipeline, on the same texts."""
    words = sum(len(t.split()) for t in texts)
    start = time.perf_counter()
    tokenizer: Any = tagger.nlp.tokenizer
    for _ in tokenizer.pipe(texts, batch_size=256):
        pass
    tokenizer_s = time.perf_counter() - start
    start = time.perf_counter()
    for _ in tagger.tag_many(texts, batch_size=256):
        pass
    pipeline_s = time.perf_counter() - start
    singles = []
    for text in texts[:SINGLE_SAMPLE]:
        one = time.perf_counter()
        tagger.tag(text)
        singles.append((time.perf_counter() - one) * 1000)
    singles.sort()
    return BenchResult(
        n_texts=len(texts),
        median_words=statistics.median(len(t.split()) for t in texts),
        tokenizer_docs_per_s=len(texts) / tokenizer_s,
        tokenizer_words_per_s=words / tokenizer_s,
        pipeline_docs_per_s=len(texts) / pipeline_s,
        pipeline_words_per_s=words / pipeline_s,
        ratio=tokenizer_s / pipeline_s,
        p50_ms=singles[len(singles) // 2],
        p99_ms=singles[min(len(singles) - 1, int(len(singles) * 0.99))],
        load_seconds=load_seconds,
        peak_memory_mb=peak_memory_mb(),
    )


def format_result(result: BenchResult) -> str:
    return "\n".join(
        [
            f"texts: {result.n_texts} (median {result.median_words:.0f} words)",
            f"tokenizer alone: {result.tokenizer_docs_per_s:,.0f} docs/s, "
            f"{result.tokenizer_words_per_s:,.0f} words/s",
            f"full pipeline: {result.pipeline_docs_per_s:,.0f} docs/s, "
            f"{result.pipeline_words_per_s:,.0f} words/s",
            f"ratio: {result.ratio:.3f}",
            f"one response: p50 {result.p50_ms:.2f} ms, p99 {result.p99_ms:.2f} ms",
            f"pipeline load: {result.load_seconds:.2f} s (after import spacy)",
            f"peak memory: {result.peak_memory_mb:.0f} MB",
        ]
    )


def main(argv: Sequence[str] | None = None) -> int:
    """Run in a fresh process (`python -m nlp.bench MODEL_DIR TRAINING_DIR`), so that load
    time and peak memory are the tagger's own, not those of whatever imported it."""
    parser = argparse.ArgumentParser(prog="python -m nlp.bench")
    parser.add_argument("model_dir", type=Path)
    parser.add_argument("training_dir", type=Path)
    parser.add_argument("--n", type=int, default=20_000)
    args = parser.parse_args(argv)
    import spacy  # noqa: F401  (load time is measured after this import, as the targets say)

    from nlp.tagger import Tagger

    started = time.perf_counter()
    tagger = Tagger.from_disk(args.model_dir)
    load_seconds = time.perf_counter() - started
    texts = generate_texts(args.training_dir, tagger.theme_ids, args.n)
    print(format_result(run_benchmark(tagger, texts, load_seconds)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
