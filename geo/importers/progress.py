"""Progress of a long import (issue 25): ``progress(stage, done, total)`` callbacks.

Stages: ``baca`` (rows read), ``periksa`` (rows checked), ``simpan`` (rows saved); ``total``
is None when unknown. ``Rate`` turns the calls into rows per second and time left (the
Kelola Data page shows them); ``tqdm_progress`` draws one tqdm bar per stage on stderr
(the command line keeps stdout for results).
"""
from __future__ import annotations

import sys
import time
from dataclasses import dataclass, field

STAGES = {"baca": "membaca", "periksa": "memeriksa", "simpan": "menyimpan"}


@dataclass
class Rate:
    """Rows per second and seconds left of the current stage, from its calls."""
    stage: str = ""
    done: int = 0
    total: int | None = None
    started: float = field(default_factory=time.perf_counter)
    calls: int = 0

    def update(self, stage: str, done: int, total: int | None) -> None:
        if stage != self.stage:
            self.stage, self.started = stage, time.perf_counter()
        self.done, self.total = int(done), (None if total is None else int(total))
        self.calls += 1

    @property
    def elapsed(self) -> float:
        return max(time.perf_counter() - self.started, 1e-9)

    @property
    def per_second(self) -> float:
        return self.done / self.elapsed

    @property
    def fraction(self) -> float | None:
        return None if not self.total else min(self.done / self.total, 1.0)

    @property
    def seconds_left(self) -> float | None:
        if not self.total or not self.done:
            return None
        return max(self.total - self.done, 0) / self.per_second


def tqdm_progress(stream=None):
    """A progress callback drawing a tqdm bar per stage on ``stream`` (stderr); call its
    ``close()`` when done."""
    from tqdm import tqdm
    bars: dict[str, tqdm] = {}

    def progress(stage: str, done: int, total: int | None) -> None:
        bar = bars.get(stage)
        if bar is None:
            for other in bars.values():
                other.close()
            bar = bars[stage] = tqdm(total=total, desc=STAGES.get(stage, stage), unit=" baris",
                                     unit_scale=True, file=stream or sys.stderr, leave=True,
                                     mininterval=0.5)
        if total is not None and bar.total != total:
            bar.total = total
        bar.update(max(int(done) - bar.n, 0))

    def close() -> None:
        for bar in bars.values():
            bar.close()

    progress.close = close
    return progress
