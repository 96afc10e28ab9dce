"""The timing helpers every benchmark shares: wall times of repeated calls, the machine's
calibration loop (figures divided by it compare across machines) and medians in ms."""

from __future__ import annotations

import gc
import statistics
import time
from collections.abc import Callable


def timed(fn: Callable[[], object], repeat: int, *, collect: bool = False) -> list[float]:
    """Wall times of ``repeat`` calls. ``collect``: start each from a collected heap, for
    code that allocates tens of thousands of objects per call; otherwise a full collection
    of earlier calls' garbage (~45 ms here) lands in some of them, at random."""
    out = []
    for _ in range(repeat):
        if collect:
            gc.collect()
        t = time.perf_counter()
        fn()
        out.append(time.perf_counter() - t)
    return out


def calibrate() -> float:
    """Seconds for a fixed, CPU-bound piece of pure Python (the best of 3), recorded beside
    every run so that figures from machines of different speed can be compared: a figure
    divided by this one is in "calibration units". It touches no disk and little memory."""
    import hashlib

    def work() -> None:
        total = 0
        for i in range(1_500_000):
            total += (i * i) % 7
        digest = b"liaison"
        for _ in range(100_000):
            digest = hashlib.sha256(digest).digest()
        sorted(str(i * 7919 % 100_003) for i in range(200_000))

    return min(timed(work, 3))


def ms(values: list[float]) -> float:
    return statistics.median(values) * 1000
