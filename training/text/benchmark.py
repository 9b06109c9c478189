"""Throughput of the shipped model on one core: short messages classified per second.

    OPENBLAS_NUM_THREADS=1 .venv/bin/python -m training.text.benchmark

Uses synthetic SMS-length messages (a seed the model was not built from) and dialogue openers.
Prints messages/s for full verdicts (score, type, phrases, indicators), batched as
`classify_many` and the CLI run them and one call at a time, and for the parts.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("OMP_NUM_THREADS", "1")

from training.text.synthetic import generate  # noqa: E402

from chaincut.text import (  # noqa: E402
    classify,
    classify_conversations,
    classify_many,
    default_model,
    extract_indicators,
)
from chaincut.text.normalize import normalize_text  # noqa: E402


def rate(
    label: str, texts: list[str], run: Callable[[list[str]], object], rounds: int = 15
) -> float:
    """Best of `rounds` timings (CPU time of this process) of `run` over 400-message chunks.

    The best round is the one least disturbed by other work on a shared machine, as timeit does.
    """
    chunk = 400
    best = float("inf")
    for r in range(rounds):
        part = texts[(r * chunk) % len(texts) :][:chunk]
        started = time.process_time()
        run(part)
        best = min(best, (time.process_time() - started) / len(part))
    print(f"{label:<36} {1 / best:>9,.0f} messages/s  ({best * 1e6:.0f} µs each)")
    return 1 / best


def main() -> None:
    model = default_model()

    def normal(part: list[str]) -> list[str]:
        return [normalize_text(t).text for t in part]

    texts = [e.text for e in generate(seed=2024, per_fraud_type=300, normal=3000)]
    chars = sum(map(len, texts)) / len(texts)
    load = os.getloadavg()[0]
    print(f"{len(texts)} synthetic messages, mean {chars:.0f} characters, one core")
    print(f"machine: {os.cpu_count()} cores, load average {load:.1f} (others' work slows this)\n")
    rate("classify_many() — full verdicts", texts, lambda part: list(classify_many(part)))
    rate("  normalise", texts, lambda part: [normalize_text(t) for t in part])
    rate("  indicators", texts, lambda part: [extract_indicators(t) for t in part])
    rate("  score (batch, normalised)", texts, lambda part: model.score_many(normal(part)))
    rate("classify() — one call per text", texts, lambda part: [classify(t) for t in part])
    rate(
        "classify_conversations() — one turn",
        texts,
        lambda part: list(classify_conversations([t] for t in part)),
    )


if __name__ == "__main__":
    main()
