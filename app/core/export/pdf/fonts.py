"""The bundled Noto fonts for PDF export: registration, glyph coverage and shaped glyphs.

Every font is a :class:`ShapingFont`, a ReportLab ``TTFont`` that also knows

* its **coverage** — the characters its own ``cmap`` maps (read once, before anything is
  added), so the text engine can send a character the current font lacks to the bundled font
  that has it, instead of printing an empty box;
* its **HarfBuzz font**, for shaping (Arabic joining, mark positioning, right-to-left
  mirroring);
* **glyph aliases**: a shaped glyph that no character maps to (an Arabic medial form, a
  lam-alef ligature) is drawn through a private code point of Supplementary Private Use
  Area-A, and the PDF's ``ToUnicode`` map gives that code point the *text* the glyph stands
  for (``ل`` + ``ا`` for the ligature), so copying and text extraction give real letters.

ReportLab writes one ``ToUnicode`` CMap per 256-glyph subset; :meth:`ShapingFont.addObjects`
rewrites those streams after ReportLab has made them, with the aliases filled in (and with
UTF-16 surrogate pairs for characters beyond the BMP, which ReportLab's own map gets wrong).
"""

from __future__ import annotations

import threading
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import SUBSETN, TTFont

from app.core.paths import resources_dir

FONT_DIR: Path = resources_dir() / "fonts"

# Private code points for glyph aliases: plane 15 (U+F0000..U+FFFFD), never used by the text
# engine for anything else; characters from that plane in user text are not in any cmap and
# so are replaced like any other character no bundled font has.
_ALIAS_FIRST = 0xF0000
_ALIAS_LAST = 0xFFFFD

REPLACEMENT = "\ufffd"


@dataclass(frozen=True, slots=True)
class Family:
    key: str
    regular: str
    bold: str
    italic: str | None = None
    bold_italic: str | None = None
    # Scripts whose letters change shape with their neighbours: always shaped.
    shaped: bool = False


# The order is the fallback order: a character goes to the first family that has it.
FAMILIES: tuple[Family, ...] = (
    Family(
        "Sans",
        "NotoSans-Regular.ttf",
        "NotoSans-Bold.ttf",
        "NotoSans-Italic.ttf",
        "NotoSans-BoldItalic.ttf",
    ),
    Family("Arabic", "NotoSansArabic-Regular.ttf", "NotoSansArabic-Bold.ttf", shaped=True),
    Family("Hebrew", "NotoSansHebrew-Regular.ttf", "NotoSansHebrew-Bold.ttf"),
    Family("Georgian", "NotoSansGeorgian-Regular.ttf", "NotoSansGeorgian-Bold.ttf"),
    Family("Armenian", "NotoSansArmenian-Regular.ttf", "NotoSansArmenian-Bold.ttf"),
)


def font_name(family: str, bold: bool = False, italic: bool = False) -> str:
    """The ReportLab name of a registered face, e.g. ``LiaisonSans-BoldItalic``."""
    suffix = {
        (False, False): "",
        (True, False): "-Bold",
        (False, True): "-Italic",
        (True, True): "-BoldItalic",
    }
    return f"Liaison{family}{suffix[(bold, italic)]}"


class ShapingFont(TTFont):  # type: ignore[misc,unused-ignore]  # untyped base
    """A TrueType font with cmap coverage, a HarfBuzz font and glyph aliases."""

    def __init__(self, name: str, path: Path, *, shaped: bool = False) -> None:
        super().__init__(name, str(path), asciiReadable=True, shapable=False)
        cmap: dict[int, int] = self.face.charToGlyph
        self.coverage: frozenset[int] = frozenset(
            c for c in cmap if c >= 0x20 and not 0x7F <= c < 0xA0
        )
        self.always_shaped = shaped
        # A zero-width glyph with no outline (empty in ``loca``) that carries the extra
        # letters of a right-to-left ligature for text extraction (shaping.Shaper.shape).
        # Not the joiners' glyphs: fonts often draw those as visible marks.
        self.invisible_gid: int | None = next(
            (
                g
                for g in (
                    *(cmap.get(c) for c in (0x200B, 0x2060, 0xFEFF)),
                    *range(1, len(self.face.hmetrics)),
                )
                if g is not None and self._empty_glyph(g)
            ),
            None,
        )
        self.units_per_em: int = int(self.face.unitsPerEm)
        self.ascent: float = self.face.ascent / 1000.0
        self.descent: float = self.face.descent / 1000.0
        self._hb_font: Any = None
        self._aliases: dict[int, str] = {}
        self._alias_of: dict[tuple[int, str], int] = {}
        self._lock = threading.Lock()

    def _empty_glyph(self, gid: int) -> bool:
        hmetrics, loca = self.face.hmetrics, self.face.glyphPos
        return 0 < gid < len(hmetrics) and hmetrics[gid][0] == 0 and loca[gid] == loca[gid + 1]

    # --- shaping ----------------------------------------------------------------------

    @property
    def hb_font(self) -> Any:
        """The HarfBuzz font (font units: positions are in units of ``units_per_em``)."""
        if self._hb_font is None:
            import uharfbuzz as hb

            with self._lock:
                if self._hb_font is None:
                    self._hb_font = hb.Font(hb.Face(hb.Blob(self.face._ttf_data)))
        return self._hb_font

    def nominal_advance(self, code: int) -> float:
        """The advance (per 1000 units of size) a PDF viewer uses for ``code``."""
        return float(self.face.getCharWidth(code))

    def code_for_glyph(self, gid: int, text: str) -> int:
        """A code point that draws glyph ``gid`` and extracts as ``text``."""
        if len(text) == 1:
            code = ord(text)
            if self.face.charToGlyph.get(code) == gid and code in self.coverage:
                return code
        key = (gid, text)
        found = self._alias_of.get(key)
        if found is not None:
            return found
        with self._lock:
            found = self._alias_of.get(key)
            if found is not None:
                return found
            code = _ALIAS_FIRST + len(self._aliases)
            if code > _ALIAS_LAST:  # pragma: no cover - 65,534 distinct shaped glyphs
                raise ValueError("too many distinct shaped glyphs in one font")
            advance = self.face.hmetrics[gid][0] if gid < len(self.face.hmetrics) else 0
            self.face.charToGlyph[code] = gid
            self.face.glyphToChar.setdefault(gid, []).append(code)
            self.face.charWidths[code] = round(advance * 1000 / self.units_per_em)
            self._aliases[code] = text
            self._alias_of[key] = code
            return code

    # --- PDF objects ------------------------------------------------------------------

    def addObjects(self, doc: Any) -> None:
        state = self.state.get(doc)
        subsets = [list(s) for s in state.subsets] if state is not None else []
        super().addObjects(doc)
        for n, subset in enumerate(subsets):
            base = (b"".join((SUBSETN(n), b"+", self.face.name, self.face.subfontNameX))).decode(
                "pdfdoc"
            )
            stream = doc.idToObject.get("toUnicodeCMap:" + base)
            if stream is not None:
                stream.content = self._to_unicode_cmap(base, subset)

    def _to_unicode_cmap(self, name: str, subset: list[int]) -> str:
        lines = []
        for i, code in enumerate(subset):
            text = self._aliases.get(code)
            if text is None:
                text = chr(code)
            if not text:
                continue
            lines.append(f"<{i:02X}> <{text.encode('utf-16-be').hex().upper()}>")
        body: list[str] = []
        # At most 100 entries per bfchar block (PDF reference, 5.9.2).
        for start in range(0, len(lines), 100):
            chunk = lines[start : start + 100]
            body += [f"{len(chunk)} beginbfchar", *chunk, "endbfchar"]
        return "\n".join(
            [
                "/CIDInit /ProcSet findresource begin",
                "12 dict begin",
                "begincmap",
                f"/CIDSystemInfo << /Registry ({name}) /Ordering ({name}) /Supplement 0 >> def",
                f"/CMapName /{name} def",
                "/CMapType 2 def",
                "1 begincodespacerange",
                f"<00> <{max(len(subset) - 1, 0):02X}>",
                "endcodespacerange",
                *body,
                "endcmap",
                "CMapName currentdict /CMap defineresource pop",
                "end",
                "end",
            ]
        )


class FontSet:
    """The registered bundled fonts and the fallback choice of a font per character."""

    def __init__(self) -> None:
        self.fonts: dict[str, ShapingFont] = {}
        # family key -> the names of (regular, bold, italic, bold italic)
        self.faces: dict[str, tuple[str, str, str, str]] = {}
        self.shaped: dict[str, bool] = {}
        for fam in FAMILIES:
            regular = self._register(font_name(fam.key), fam.regular, fam.shaped)
            bold = self._register(font_name(fam.key, bold=True), fam.bold, fam.shaped)
            italic = (
                self._register(font_name(fam.key, italic=True), fam.italic, fam.shaped)
                if fam.italic
                else regular
            )
            bold_italic = (
                self._register(
                    font_name(fam.key, bold=True, italic=True), fam.bold_italic, fam.shaped
                )
                if fam.bold_italic
                else bold
            )
            self.faces[fam.key] = (regular, bold, italic, bold_italic)
            self.shaped[fam.key] = fam.shaped
            pdfmetrics.registerFontFamily(
                regular, normal=regular, bold=bold, italic=italic, boldItalic=bold_italic
            )
        self.order: tuple[str, ...] = tuple(f.key for f in FAMILIES)
        self._coverage = {key: self.fonts[self.faces[key][0]].coverage for key in self.order}
        self._family_of: dict[str, str | None] = {}

    def _register(self, name: str, filename: str, shaped: bool) -> str:
        font = ShapingFont(name, FONT_DIR / filename, shaped=shaped)
        pdfmetrics.registerFont(font)
        self.fonts[name] = font
        return name

    def face(self, family: str, bold: bool, italic: bool) -> str:
        return self.faces[family][(1 if bold else 0) + (2 if italic else 0)]

    def covers(self, family: str, ch: str) -> bool:
        return ord(ch) in self._coverage[family]

    def family_for(self, ch: str) -> str | None:
        """The first family (in fallback order) whose cmap has ``ch``; None if none has."""
        try:
            return self._family_of[ch]
        except KeyError:
            pass
        code = ord(ch)
        found = next((key for key in self.order if code in self._coverage[key]), None)
        self._family_of[ch] = found
        return found


_FONTS: FontSet | None = None
_FONTS_LOCK = threading.Lock()


def fonts() -> FontSet:
    """The bundled fonts, registered with ReportLab on first use (thread-safe)."""
    global _FONTS
    if _FONTS is None:
        with _FONTS_LOCK:
            if _FONTS is None:
                _FONTS = FontSet()
    return _FONTS


def is_mark(ch: str) -> bool:
    """A combining character (drawn on the previous letter: needs shaping to position)."""
    return unicodedata.category(ch) in ("Mn", "Me")
