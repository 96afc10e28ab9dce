"""Line breaking: tokens measured in logical order are broken greedily into lines (an
over-long word is cut between characters); then, per line, rule L1 drops the trailing spaces
and rule L2 (:func:`levels.reorder`) puts the pieces in visual order, and neighbouring pieces
of one font and colour are drawn as one string.

A paragraph whose tokens are each one piece (the usual one) is broken over its
:class:`~tokens.Words` (parallel lists) with the same arithmetic, so the same lines come out
without an object per token.
"""

from __future__ import annotations

from collections.abc import Sequence

from app.core.export.pdf.fonts import is_mark
from app.core.export.pdf.levels import reorder
from app.core.export.pdf.spans import Line, Piece
from app.core.export.pdf.tokens import Para, Token, Words

JOINERS = frozenset("\u200c\u200d\u034f")


class LineBreaker:
    """The line-breaking half of the :class:`~text.Typesetter`."""

    def _token(self, para: Para, start: int, end: int, space: bool) -> Token:
        """The token of characters ``start`` to ``end`` of ``para`` (the typesetter's)."""
        raise NotImplementedError

    def lines(self, paras: Sequence[Para], width: float) -> list[Line]:
        out: list[Line] = []
        for para in paras:
            out.extend(self._break(para, width))
        return out

    def _break(self, para: Para, width: float) -> list[Line]:
        if para.words is not None:
            spans = self._break_words(para.words, width)
            if spans is not None:
                return [self._words_line(para, a, b) for a, b in spans]
        lines: list[list[Token]] = []
        current: list[Token] = []
        used = 0.0
        pending: list[Token] = []
        pending_width = 0.0
        queue = self._tokens(para)
        k = 0
        while k < len(queue):
            tok = queue[k]
            k += 1
            if tok.space:
                if current:
                    pending.append(tok)
                    pending_width += tok.width
                continue
            if not current:
                if tok.width > width and tok.end - tok.start > 1:
                    parts = self._cut(para, tok, width)
                    queue[k:k] = parts[1:]
                    tok = parts[0]
                current, used = [tok], tok.width
            elif used + pending_width + tok.width <= width + 0.01:
                current.extend(pending)
                current.append(tok)
                used += pending_width + tok.width
            else:
                lines.append(current)
                k -= 1
                current, used = [], 0.0
            pending, pending_width = [], 0.0
        if current or not lines:
            lines.append(current)
        return [self._line(para, toks) for toks in lines]

    @staticmethod
    def _break_words(words: Words, width: float) -> list[tuple[int, int]] | None:
        """What :meth:`_break` does with tokens, over a paragraph's words: the lines as
        (first, last) token indexes (a line is a run of tokens); None if a word is longer
        than a line (then the tokens are cut, by :meth:`_break`)."""
        widths, starts, ends, spaces = words.widths, words.starts, words.ends, words.spaces
        lines: list[tuple[int, int]] = []
        first = last = -1
        used = pending_width = 0.0
        fit = width + 0.01
        k, n = 0, len(widths)
        while k < n:
            w = widths[k]
            if spaces[k]:
                if first >= 0:
                    pending_width += w
                k += 1
                continue
            if first < 0:
                if w > width and ends[k] - starts[k] > 1:
                    return None
                first = last = k
                used = w
            elif used + pending_width + w <= fit:
                used += pending_width + w
                last = k
            else:
                lines.append((first, last))
                first, used, pending_width = -1, 0.0, 0.0
                continue  # the same word starts the next line
            pending_width = 0.0
            k += 1
        if first >= 0 or not lines:
            lines.append((first, last))
        return lines

    def _words_line(self, para: Para, first: int, last: int) -> Line:
        """Tokens ``first`` to ``last`` of a paragraph's words as a line; the same line as
        :meth:`_line` makes of them."""
        words = para.words
        assert words is not None
        if first < 0:
            return self._line(para, [])
        if not para.flat:  # to reorder: as tokens
            return self._line(para, self._word_tokens(words, first, last + 1))
        pieces, text, ends, widths = words.pieces, para.text, words.ends, words.widths
        style = para.style
        if words.alike:  # one piece
            p = pieces[first]
            if first < last:
                width = p.width
                for w in widths[first + 1 : last + 1]:
                    width += w  # in order, as _merge adds them
                piece_text = text[words.starts[first] : ends[last]]
                p = Piece(p.font, p.size, p.color, p.level, piece_text, width, None, p.tall)
            height = style.line_height
            if p.tall and not style.leading:
                height = max(height, style.size * 1.6)
            return Line([p], sum(widths[first : last + 1]), height, para.base == 1)
        out: list[Piece] = []
        i = first
        while i <= last:
            p = pieces[i]
            j = i + 1
            if p.chunks is None:
                while j <= last:
                    q = pieces[j]
                    if q.chunks is not None or q.font != p.font or q.size != p.size:
                        break
                    if q.color != p.color:
                        break
                    j += 1
            if j == i + 1:
                out.append(p)
            else:
                width, tall = p.width, p.tall
                for q in pieces[i + 1 : j]:
                    width += q.width  # in order, as _merge adds them
                    tall = tall or q.tall
                piece_text = text[words.starts[i] : ends[j - 1]]
                out.append(Piece(p.font, p.size, p.color, p.level, piece_text, width, None, tall))
            i = j
        height = style.line_height
        if not style.leading and any(p.tall for p in out):
            height = max(height, style.size * 1.6)
        return Line(out, sum(widths[first : last + 1]), height, para.base == 1)

    @staticmethod
    def _word_tokens(words: Words, start: int, stop: int) -> list[Token]:
        return [
            Token(
                [words.pieces[k]], words.widths[k], words.spaces[k], words.starts[k], words.ends[k]
            )
            for k in range(start, stop)
        ]

    def _tokens(self, para: Para) -> list[Token]:
        """The paragraph's tokens (made from its words if it has words)."""
        if para.tokens is None:
            words = para.words
            para.tokens = [] if words is None else self._word_tokens(words, 0, len(words.pieces))
        return list(para.tokens)

    def _cut(self, para: Para, tok: Token, width: float) -> list[Token]:
        """Cut an over-long word into pieces that each fit (at least one character each),
        between characters (never before a combining mark or joiner); the last piece is the
        rest, which fits too and may share its line with the words after it.

        Time is about linear in the word's length: each piece is found by probing lengths
        near the one the word's average character width suggests, so no probe measures much
        more than twice a line (the rest of the word is never measured as a whole)."""
        text = para.text
        end = tok.end
        per_char = tok.width / max(end - tok.start, 1)
        guess = max(1, int(width / per_char)) if per_char > 0 else end - tok.start

        def snap(i: int, low: int, high: int) -> int:
            """A place to cut in (low, high]: the nearest at or before i, else after it."""
            j = i
            while low < j < end and is_mark_or_joiner(text[j]):
                j -= 1
            if j > low:
                return j
            j = i + 1
            while j < high and is_mark_or_joiner(text[j]):
                j += 1
            return min(j, high)

        def fits(stop: int) -> Token | None:
            piece = self._token(para, pos, stop, False)
            return piece if piece.width <= width + 0.01 else None

        pieces: list[Token] = []
        pos = tok.start
        while pos < end:
            best: Token | None = None  # the longest piece from pos known to fit, to lo
            lo, hi = pos, snap(min(pos + guess, end), pos, end)
            # Grow while it fits (doubling), then bisect between what fits and what does not.
            while (probe := fits(hi)) is not None:
                best, lo = probe, hi
                if hi >= end:
                    break
                hi = snap(min(pos + 2 * (hi - pos), end), lo, end)
            if best is None or best.end < end:
                while True:
                    mid = snap((lo + hi) // 2, lo, hi)
                    if mid >= hi:
                        break
                    if (probe := fits(mid)) is not None:
                        best, lo = probe, mid
                    else:
                        hi = mid
            if best is None:  # not even one character fits: take the first one anyway
                best = self._token(para, pos, snap(pos + 1, pos, end), False)
            pieces.append(best)
            pos = best.end
        return pieces or [tok]

    def _line(self, para: Para, tokens: list[Token]) -> Line:
        style = para.style
        pieces = [p for t in tokens for p in t.pieces]
        width = sum(t.width for t in tokens)
        if any(p.level for p in pieces):
            reorder(pieces)
        pieces = _merge(pieces)
        tall = any(p.tall for p in pieces)
        height = style.line_height
        if tall and not style.leading:
            height = max(height, style.size * 1.6)
        return Line(pieces, width, height, para.base == 1)


def _merge(pieces: list[Piece]) -> list[Piece]:
    """Neighbouring unshaped pieces of one font, size and colour drawn as one string (the
    widths add up exactly: ReportLab does not kern)."""
    out: list[Piece] = []
    i, n = 0, len(pieces)
    while i < n:
        first = pieces[i]
        j = i + 1
        if first.chunks is None:
            font, size, color = first.font, first.size, first.color
            while j < n:
                p = pieces[j]
                if p.chunks is not None or p.font != font or p.size != size or p.color != color:
                    break
                j += 1
        if j == i + 1:
            out.append(first)
        else:
            width, tall = first.width, first.tall
            for p in pieces[i + 1 : j]:
                width += p.width  # in order, as the pieces are drawn
                tall = tall or p.tall
            text = "".join([p.text for p in pieces[i:j]])
            out.append(Piece(font, size, color, first.level, text, width, None, tall))
        i = j
    return out


def is_mark_or_joiner(ch: str) -> bool:
    """A combining mark or a joiner: never separated from the character before it."""
    return ch in JOINERS or is_mark(ch)
