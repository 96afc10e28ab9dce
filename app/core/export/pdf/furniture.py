"""Page furniture and the build loop: page templates, header and footer, the "CONFIDENTIAL"
marking and watermark, "Page N of M", bookmarks and the table of contents.

"Page N of M" costs no second pass: every footer draws "Page N of " followed by a form
XObject that is only defined when the document is saved, once M is known. Only documents
with a table of contents are built twice (the first pass learns on which page each heading
falls; its table of contents reserves as many lines as the second one will fill, so the
page numbers it learns are already the final ones).

The story is a :class:`LazyStory`: flowables are made from database rows while ReportLab
consumes them, so memory stays bounded however long the document is.
"""

from __future__ import annotations

import contextlib
import io
import itertools
import zlib
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any, BinaryIO

from reportlab import rl_config
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfdoc import PDFStream
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, PageTemplate

from app.core.errors import ExportCancelled
from app.core.export.pdf.fonts import font_name
from app.core.export.pdf.text import (
    Line,
    Rich,
    Text,
    TextStyle,
    Typesetter,
    clip,
    clip_rich,
    plain_text,
)

MARGIN_X = 18 * mm
MARGIN_TOP = 24 * mm
MARGIN_BOTTOM = 18 * mm
INK = "#1f2328"
MUTED = "#5f6368"
RULE = "#c8ccd0"
ACCENT = "#0b5c8a"
CONFIDENTIAL_RED = "#a4161a"
_PAGE_COUNT_FORM = "liaisonPageCount"


@dataclass(frozen=True, slots=True)
class Furniture:
    """What every page shows besides the content."""

    document_title: str  # e.g. "Case dossier"; also the PDF's title
    case_title: str
    audience_label: str  # "For: me" or "For: <party>"
    confidential: bool  # "me" exports: the marking and the watermark
    generated: datetime


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


class Heading(Text):
    """A heading: a PDF bookmark (outline entry) and, with ``toc_level``, a line in the
    table of contents."""

    def __init__(
        self,
        ts: Typesetter,
        content: Rich,
        style: TextStyle,
        *,
        key: str,
        outline_level: int,
        toc_level: int | None = None,
    ) -> None:
        # Cut when absurdly long: a heading moves to the next page whole, so it must fit one.
        content = clip_rich(content)
        super().__init__(ts, content, style, keep_with_next=True)
        self.key = key
        self.outline_level = outline_level
        self.toc_level = toc_level
        self.title = plain_text(content)

    def draw(self) -> None:
        super().draw()
        canv = self.canv
        canv.bookmarkHorizontal(self.key, 0, self.height + 6)
        # An outline may not skip a level: clamp to one below the previous entry.
        level = min(self.outline_level, getattr(canv, "_liaison_outline", -1) + 1)
        canv._liaison_outline = level
        canv.addOutlineEntry(self.title[:120], self.key, level=level, closed=level > 0)

    def split(self, avail_width: float, avail_height: float) -> list[Flowable]:
        return []  # a heading moves to the next page whole


@dataclass(slots=True)
class TocEntry:
    level: int
    title: str
    page: int
    key: str


class Contents(Flowable):  # type: ignore[misc,unused-ignore]  # untyped base
    """The table of contents: headings with their pages, linked to them."""

    def __init__(self, ts: Typesetter, expected_entries: int) -> None:
        super().__init__()
        self.ts = ts
        self.entries: list[TocEntry] = []  # collected during this pass
        self.shown: list[TocEntry] = []  # drawn during this pass (from the previous one)
        self.expected = expected_entries
        self.style = TextStyle(size=9.5)
        self._rows: list[tuple[TocEntry | None, list[Line], float]] = []

    def begin_pass(self) -> None:
        self.shown, self.entries = self.entries, []

    def satisfied(self) -> bool:
        return [(e.title, e.page) for e in self.entries] == [(e.title, e.page) for e in self.shown]

    def _layout(self, width: float) -> list[tuple[TocEntry | None, list[Line], float]]:
        rows: list[tuple[TocEntry | None, list[Line], float]] = []
        entries: list[TocEntry | None] = list(self.shown)
        # First pass: reserve the lines the real entries will take.
        entries += [None] * max(self.expected - len(entries), 0)
        for entry in entries:
            indent = 14.0 * (entry.level if entry else 0)
            style = self.style.but(bold=bool(entry and entry.level == 0))
            title = entry.title if entry else " "
            lines = self.ts.layout(title, style, width - indent - 40)
            rows.append((entry, lines, indent))
        return rows

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        self._rows = self._layout(avail_width)
        self.width = avail_width
        self.height = sum(sum(ln.height for ln in lines) + 2 for _, lines, _ in self._rows)
        return self.width, self.height

    def split(self, avail_width: float, avail_height: float) -> list[Flowable]:
        rows = self._layout(avail_width)
        return [_TocRow(self.ts, self.style, e, lines, indent) for e, lines, indent in rows]

    def draw(self) -> None:
        y = self.height
        for entry, lines, indent in self._rows:
            h = sum(ln.height for ln in lines) + 2
            _draw_toc_row(self.canv, self.ts, self.style, entry, lines, indent, y, self.width)
            y -= h


class _TocRow(Flowable):  # type: ignore[misc,unused-ignore]  # untyped base
    def __init__(
        self,
        ts: Typesetter,
        style: TextStyle,
        entry: TocEntry | None,
        lines: list[Line],
        indent: float,
    ) -> None:
        super().__init__()
        self.ts, self.style, self.entry, self.lines, self.indent = ts, style, entry, lines, indent

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        self.width = avail_width
        self.height = sum(ln.height for ln in self.lines) + 2
        return self.width, self.height

    def draw(self) -> None:
        _draw_toc_row(
            self.canv,
            self.ts,
            self.style,
            self.entry,
            self.lines,
            self.indent,
            self.height,
            self.width,
        )


def _draw_toc_row(
    canv: Any,
    ts: Typesetter,
    style: TextStyle,
    entry: TocEntry | None,
    lines: list[Line],
    indent: float,
    top: float,
    width: float,
) -> None:
    if entry is None:
        return
    st = style.but(bold=entry.level == 0)
    ts.draw_lines(
        canv, lines, indent, top, width - indent - 40, st.but(align="start", direction="ltr")
    )
    height = sum(ln.height for ln in lines)
    baseline = top - height + (lines[-1].height - st.size) / 2 + st.size * 0.22
    canv.setFont(font_name("Sans", bold=entry.level == 0), st.size)
    canv.setFillColor(INK)
    canv.drawRightString(width, baseline, str(entry.page))
    canv.linkRect("", entry.key, (indent, top - height, width, top), relative=1, thickness=0)


class _PreCompressed:
    """A stream filter for content that is already Flate-compressed."""

    pdfname = "FlateDecode"

    def encode(self, data: bytes) -> bytes:
        return data


class _Canvas(Canvas):  # type: ignore[misc,unused-ignore]  # untyped base
    """Compresses each page as soon as it is finished (ReportLab would keep every page's
    text uncompressed until the end) and defines the page-count form (the M of "Page N of
    M") when the document is saved."""

    page_count_style: tuple[str, float] = (font_name("Sans"), 7.5)

    def showPage(self) -> None:
        super().showPage()
        page = self._doc.Pages.pages[-1]
        stream = getattr(page, "stream", None)
        if page.compression and isinstance(stream, str) and not page.Contents:
            contents = PDFStream()
            contents.content = zlib.compress(stream.encode("utf-8"))
            contents.filters = [_PreCompressed()]
            contents.__Comment__ = "page stream"
            page.Contents = contents
            page.stream = None

    def save(self) -> None:
        pages = self.getPageNumber() - 1
        self.beginForm(_PAGE_COUNT_FORM, 0, -5, 80, 20)
        self.setFont(*self.page_count_style)
        self.setFillColor(MUTED)
        self.drawString(0, 0, str(max(pages, 1)))
        self.endForm()
        super().save()


class LiaisonDoc(BaseDocTemplate):  # type: ignore[misc,unused-ignore]  # untyped base
    def __init__(
        self,
        out: BinaryIO | io.BytesIO,
        ts: Typesetter,
        furniture: Furniture,
        *,
        landscape_pages: bool = False,
        encrypt: Any = None,
        tracker: Tracker | None = None,
        contents: Contents | None = None,
    ) -> None:
        size = landscape(A4) if landscape_pages else A4
        super().__init__(
            out,
            pagesize=size,
            leftMargin=MARGIN_X,
            rightMargin=MARGIN_X,
            topMargin=MARGIN_TOP,
            bottomMargin=MARGIN_BOTTOM,
            title=furniture.document_title,
            author="",
            subject="",
            creator="Liaison",
            keywords="",
            encrypt=encrypt,
            pageCompression=1,
            invariant=0,
        )
        self.ts = ts
        # Drawn on every page: cut once here, however long the case title or party name.
        self.furniture = replace(
            furniture,
            case_title=clip(furniture.case_title),
            audience_label=clip(furniture.audience_label),
        )
        self.tracker = tracker
        self.contents = contents
        frame = Frame(
            self.leftMargin,
            self.bottomMargin,
            self.width,
            self.height,
            id="body",
            leftPadding=0,
            rightPadding=0,
            topPadding=0,
            bottomPadding=0,
        )
        self.addPageTemplates([PageTemplate(id="page", frames=[frame], onPage=self._decorate)])

    # --- hooks ------------------------------------------------------------------------

    def afterFlowable(self, flowable: Flowable) -> None:
        if self.tracker is not None:
            if isinstance(flowable, Mark):
                self.tracker.done(flowable.done)
            self.tracker.check()
        if (
            self.contents is not None
            and isinstance(flowable, Heading)
            and flowable.toc_level is not None
        ):
            self.contents.entries.append(
                TocEntry(flowable.toc_level, flowable.title, self.page, flowable.key)
            )

    # --- page furniture ---------------------------------------------------------------

    def _decorate(self, canv: Any, doc: Any) -> None:
        f = self.furniture
        ts = self.ts
        width, height = self.pagesize
        left, right = self.leftMargin, width - self.rightMargin
        canv.saveState()
        if f.confidential:
            canv.saveState()
            canv.setFillColor(CONFIDENTIAL_RED, alpha=0.06)
            canv.setFont(font_name("Sans", bold=True), 72)
            canv.translate(width / 2, height / 2)
            canv.rotate(35)
            canv.drawCentredString(0, -24, "CONFIDENTIAL")
            canv.restoreState()
        top = height - 12 * mm
        head = TextStyle(size=8.5, color=INK, bold=True)
        audience_w = ts.width(f.audience_label, head.but(bold=False)) + 2
        mark_w = 0.0
        if f.confidential:
            mark_w = ts.width("CONFIDENTIAL", head) + 10
        title_w = max(right - left - audience_w - mark_w - 12, 40)
        ts.draw_text(canv, f.case_title, left, top, title_w, head.but(direction="ltr"))
        ts.draw_text(
            canv,
            f.audience_label,
            right - audience_w,
            top,
            audience_w,
            head.but(bold=False, align="end", direction="ltr"),
        )
        if f.confidential:
            ts.draw_text(
                canv,
                "CONFIDENTIAL",
                right - audience_w - mark_w,
                top,
                mark_w - 10,
                head.but(color=CONFIDENTIAL_RED, align="end"),
            )
        ts.draw_text(
            canv,
            f.document_title,
            left,
            top - 11.5,
            right - left,
            head.but(bold=False, color=MUTED),
        )
        canv.setStrokeColor(RULE)
        canv.setLineWidth(0.6)
        canv.line(left, top - 25, right, top - 25)
        # Footer
        base = 10 * mm
        canv.line(left, base + 9, right, base + 9)
        canv.setFont(font_name("Sans"), 7.5)
        canv.setFillColor(MUTED)
        canv.drawString(left, base, f"Generated {f.generated:%Y-%m-%d %H:%M} with Liaison")
        label = f"Page {canv.getPageNumber()} of "
        x = right - canv.stringWidth("Page 9999 of 9999", font_name("Sans"), 7.5)
        canv.drawString(x, base, label)
        canv.translate(x + canv.stringWidth(label, font_name("Sans"), 7.5), base)
        canv.doForm(_PAGE_COUNT_FORM)
        canv.restoreState()


def build(
    out: BinaryIO,
    ts: Typesetter,
    furniture: Furniture,
    story: Callable[[Contents | None], Iterable[Flowable]],
    *,
    tracker: Tracker,
    landscape_pages: bool = False,
    encrypt: Any = None,
    toc_entries: int | None = None,
) -> int:
    """Lay the story out and write the PDF to ``out``; returns the number of pages.

    ``story(contents)`` makes a fresh iterator of flowables (it is called once per pass);
    with ``toc_entries`` (the number of headings that will be listed) the document gets a
    table of contents, handed to ``story`` to place.
    """
    with _no_ascii85():
        return _build(
            out,
            ts,
            furniture,
            story,
            tracker=tracker,
            landscape_pages=landscape_pages,
            encrypt=encrypt,
            toc_entries=toc_entries,
        )


@contextlib.contextmanager
def _no_ascii85() -> Iterator[None]:
    """Streams are compressed (Flate) but not also ASCII85-encoded: a quarter smaller and
    faster to write. ReportLab reads the switch from its global configuration."""
    saved = rl_config.useA85
    rl_config.useA85 = 0
    try:
        yield
    finally:
        rl_config.useA85 = saved


def _build(
    out: BinaryIO,
    ts: Typesetter,
    furniture: Furniture,
    story: Callable[[Contents | None], Iterable[Flowable]],
    *,
    tracker: Tracker,
    landscape_pages: bool,
    encrypt: Any,
    toc_entries: int | None,
) -> int:
    contents = Contents(ts, toc_entries) if toc_entries is not None else None
    passes = 3 if contents is not None else 1
    tracker.passes = 2 if contents is not None else 1
    for attempt in range(passes):
        tracker.attempt = min(attempt, tracker.passes - 1)
        if contents is not None:
            contents.begin_pass()
        doc = LiaisonDoc(
            out,
            ts,
            furniture,
            landscape_pages=landscape_pages,
            encrypt=encrypt,
            tracker=tracker,
            contents=contents,
        )
        doc._doSave = 0
        flowables = LazyStory(story(contents))
        try:
            doc.build(flowables, canvasmaker=_Canvas)
        finally:
            flowables.close()  # a stopped export gives its database session back at once
        if contents is None or contents.satisfied() or attempt == passes - 1:
            pages = int(doc.canv.getPageNumber() - 1)
            doc.canv.save()
            tracker.finish()
            return pages
    raise AssertionError("unreachable")  # pragma: no cover
