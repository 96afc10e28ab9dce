"""The story's machinery: progress and cancellation (:class:`Tracker`), progress marks in
the story (:class:`Mark`), and the story itself as a :class:`LazyStory` over a generator:
flowables are made from database rows while ReportLab consumes them, so only a few exist at
a time however long the document is.
"""

from __future__ import annotations

import itertools
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from reportlab.platypus import Flowable

from app.core.errors import ExportCancelled


class Tracker:
    """Progress and cancellation for one export: ``progress(done, total)`` and ``cancel()``
    from the caller; raises :class:`ExportCancelled` as soon as ``cancel()`` says so.

    ``guard`` is asked at the same points and stops the export by raising: the vault's
    ``check_not_locking``, so that locking the vault stops an export already running.

    ``records`` is the number of records the document shows; a document built in two passes
    reports each pass as half of the way."""

    def __init__(
        self,
        records: int,
        progress: Callable[[int, int], None] | None,
        cancel: Callable[[], bool] | None,
        *,
        guard: Callable[[], None] | None = None,
    ) -> None:
        self.records = max(records, 1)
        self.passes = 1
        self.attempt = 0
        self._progress = progress
        self._cancel = cancel
        self._guard = guard
        self._last = -1

    @property
    def total(self) -> int:
        return self.records * self.passes

    def check(self) -> None:
        if self._guard is not None:
            self._guard()
        if self._cancel is not None and self._cancel():
            raise ExportCancelled("The export was cancelled; no file was written.")

    def done(self, n: int) -> None:
        value = min(self.attempt * self.records + min(n, self.records), self.total)
        if self._progress is not None and value > self._last:
            self._last = value
            self._progress(value, self.total)

    def finish(self) -> None:
        if self._progress is not None and self._last != self.total:
            self._last = self.total
            self._progress(self.total, self.total)


class Mark(Flowable):  # type: ignore[misc,unused-ignore]  # untyped base
    """An invisible flowable that reports progress when ReportLab reaches it."""

    def __init__(self, done: int) -> None:
        super().__init__()
        self.done = done

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        return 0.0, 0.0

    def draw(self) -> None:
        pass


class LazyStory:
    """The part of the list interface ReportLab's ``build`` uses, over an iterator: only a
    few flowables exist at a time."""

    LOOKAHEAD = 16

    def __init__(self, source: Iterable[Flowable]) -> None:
        self._buf: deque[Flowable] = deque()
        self._src: Iterator[Flowable] = iter(source)
        self._exhausted = False

    def _fill(self, n: int) -> None:
        while len(self._buf) < n and not self._exhausted:
            try:
                self._buf.append(next(self._src))
            except StopIteration:
                self._exhausted = True

    def __len__(self) -> int:
        self._fill(self.LOOKAHEAD)
        return len(self._buf)

    def __bool__(self) -> bool:
        return len(self) > 0

    def __getitem__(self, index: int | slice) -> Any:
        if isinstance(index, slice):
            start, stop, _ = index.indices(1 << 30)
            self._fill(stop)
            return list(itertools.islice(self._buf, start, stop))
        self._fill(index + 1)
        return self._buf[index]

    def __setitem__(self, index: int | slice, value: Any) -> None:
        if isinstance(index, slice):
            if (index.start or 0) != 0 or (index.stop or 0) != 0:
                raise IndexError("LazyStory only supports inserting at the front")
            self._buf.extendleft(reversed(list(value)))
        else:
            self._fill(index + 1)
            self._buf[index] = value

    def __delitem__(self, index: int | slice) -> None:
        if isinstance(index, slice):
            start, stop, _ = index.indices(1 << 30)
            if start != 0:
                raise IndexError("LazyStory only supports deleting from the front")
            self._fill(stop)
            for _ in range(min(stop, len(self._buf))):
                self._buf.popleft()
        else:
            self._fill(index + 1)
            del self._buf[index]

    def insert(self, index: int, value: Flowable) -> None:
        self._buf.insert(index, value)

    def close(self) -> None:
        """Stop the source now (a generator leaves its ``with vault.session()`` block), not
        whenever an exception's traceback lets go of it."""
        self._buf.clear()
        self._exhausted = True
        close = getattr(self._src, "close", None)
        if close is not None:
            close()
