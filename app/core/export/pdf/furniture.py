"""Page furniture and the build loop: page templates, header and footer, the "CONFIDENTIAL"
marking and watermark, "Page N of M", bookmarks and the table of contents.

"Page N of M" costs no second pass: every footer draws "Page N of " followed by a form
XObject that is only defined when the document is saved, once M is known. Only documents
with a table of contents are built twice (the first pass learns on which page each heading
falls; its table of contents reserves as many lines as the second one will fill, so the
page numbers it learns are already the final ones).

The story is a :class:`~story.LazyStory`: flowables are made from database rows while
ReportLab consumes them, so memory stays bounded however long the document is. Headings and
the table of contents are in :mod:`contents`, the story's machinery in :mod:`story`.
"""

from __future__ import annotations

import contextlib
import gc
import io
import threading
import zlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any, BinaryIO

from reportlab import rl_config
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfdoc
from reportlab.pdfbase.pdfdoc import PDFStream
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, KeepTogether, PageTemplate

from app.core.export.pdf.contents import Contents, Heading, TocEntry
from app.core.export.pdf.fonts import font_name
from app.core.export.pdf.palette import (
    ACCENT,
    CONFIDENTIAL_RED,
    INK,
    MARGIN_BOTTOM,
    MARGIN_TOP,
    MARGIN_X,
    MUTED,
    RULE,
)
from app.core.export.pdf.story import LazyStory, Mark, Tracker
from app.core.export.pdf.text import Line, Text, TextStyle, Typesetter, clip

_PAGE_COUNT_FORM = "liaisonPageCount"


@dataclass(frozen=True, slots=True)
class Furniture:
    """What every page shows besides the content."""

    document_title: str  # e.g. "Case dossier"; also the PDF's title
    case_title: str
    audience_label: str  # "For: me" or "For: <party>"
    confidential: bool  # "me" exports: the marking and the watermark
    generated: datetime


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
        out = self._filename
        if not callable(getattr(out, "write", None)):
            super().save()
            return
        # ReportLab formats the whole file in memory and then writes it (twice its size at
        # the peak); here each object goes to the file as soon as it is formatted.
        _SINK.out = out
        saved = pdfdoc.PDFFile
        pdfdoc.PDFFile = _StreamingFile
        try:
            super().save()
        finally:
            pdfdoc.PDFFile = saved
            _SINK.out = None


_SINK = threading.local()  # where this thread's _StreamingFile writes (None: in memory)


class _StreamingFile(pdfdoc.PDFFile):  # type: ignore[misc,unused-ignore]  # untyped base
    """ReportLab's PDF file collector that writes what it is given at once, when the saving
    thread has set a sink; the same bytes in the same order, never the whole file at once."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        out = getattr(_SINK, "out", None)
        super().__init__(*args, **kwargs)  # the header goes to self.strings: written below
        if out is not None:
            header: list[bytes] = self.__dict__["strings"]
            for s in header:
                out.write(s)
            header.clear()
            self.write = out.write

    def format(self, document: Any) -> bytes:
        return b"".join(self.strings)


class _Together(KeepTogether):  # type: ignore[misc,unused-ignore]  # untyped base
    """ReportLab's KeepTogether (what it makes of "keep with next"), measured without a copy
    of the frame per group: ReportLab copies the frame in case a flowable adds content to
    it while it is measured, which ours never do. The measure is ``_listWrapOn``'s."""

    def wrap(self, aW: float, aH: float) -> tuple[float, float]:
        content = self._content
        if not all(isinstance(f, (Text, Mark)) for f in content):
            return super().wrap(aW, aH)
        canv = self.canv
        fake_width = rl_config.listWrapOnFakeWidth
        width: float = 0
        height: float = 0
        after: float = 0  # the space after the flowable before
        first: float = 0
        at_top = True
        for k, f in enumerate(content):
            w, h = f.wrapOn(canv, aW, 0xFFFFFFF)
            if k == 0:
                first = h or 0
            if h <= rl_config._FUZZ:
                continue
            width = max(width, min(w, aW) if fake_width else w)
            height += h
            if not at_top:
                height += max(f.getSpaceBefore() - after, 0)
            at_top = False
            after = f.getSpaceAfter()
            height += after
        self._H = height - after
        self._H0 = first
        self._wrapInfo = aW, aH
        return width, 0xFFFFFF  # force a split, as KeepTogether does


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
        self._header_lines: list[tuple[list[Line], float, float, float, TextStyle]] | None = None
        self.keepTogetherClass = _Together

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

    def _header(self) -> list[tuple[list[Line], float, float, float, TextStyle]]:
        """The header's texts, laid out once (they are the same on every page): lines,
        x, top, width and style of each."""
        f = self.furniture
        ts = self.ts
        width, height = self.pagesize
        left, right = self.leftMargin, width - self.rightMargin
        top = height - 12 * mm
        head = TextStyle(size=8.5, color=INK, bold=True)
        audience_w = ts.width(f.audience_label, head.but(bold=False)) + 2
        mark_w = 0.0
        if f.confidential:
            mark_w = ts.width("CONFIDENTIAL", head) + 10
        title_w = max(right - left - audience_w - mark_w - 12, 40)
        texts: list[tuple[str, float, float, float, TextStyle]] = [
            (f.case_title, left, top, title_w, head.but(direction="ltr")),
            (
                f.audience_label,
                right - audience_w,
                top,
                audience_w,
                head.but(bold=False, align="end", direction="ltr"),
            ),
        ]
        if f.confidential:
            texts.append(
                (
                    "CONFIDENTIAL",
                    right - audience_w - mark_w,
                    top,
                    mark_w - 10,
                    head.but(color=CONFIDENTIAL_RED, align="end"),
                )
            )
        texts.append(
            (f.document_title, left, top - 11.5, right - left, head.but(bold=False, color=MUTED))
        )
        return [(ts.box(text, style, w), x, y, w, style) for text, x, y, w, style in texts]

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
        if self._header_lines is None:
            self._header_lines = self._header()
        for lines, x, y, w, style in self._header_lines:
            ts.draw_lines(canv, lines, x, y, w, style)
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
            # ReportLab writes the file in memory: its peak comes now. Make room first.
            ts.forget()
            gc.collect()
            doc.canv.save()
            tracker.finish()
            return pages
    raise AssertionError("unreachable")  # pragma: no cover


__all__ = [
    "ACCENT",
    "CONFIDENTIAL_RED",
    "INK",
    "MARGIN_BOTTOM",
    "MARGIN_TOP",
    "MARGIN_X",
    "MUTED",
    "RULE",
    "Contents",
    "Furniture",
    "Heading",
    "LazyStory",
    "LiaisonDoc",
    "Mark",
    "TocEntry",
    "Tracker",
    "build",
]
