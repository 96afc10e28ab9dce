"""A clause's wording with its brackets: the markers ``{1}``, ``{2}``, … in the wording
are the bracketed places; each alternative fills one slot, proposed by a party (or the
mediator). Pure functions: the GUI, the PDFs and the diff all print brackets through here.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass

# A bracketed place in a clause's wording: {1}, {2}, …
SLOT = re.compile(r"\{(\d{1,3})\}")


@dataclass(frozen=True)
class AlternativeInfo:
    id: int
    slot: int
    position: int
    party_id: int | None  # None: the mediator's own wording
    party_name: str  # "" for the mediator's own
    wording: str
    source_message_id: int | None


# --- wording with brackets ---------------------------------------------------------------


@dataclass(frozen=True)
class Segment:
    """A piece of a clause's wording: plain text, or a bracketed place with its choices."""

    text: str = ""
    choices: tuple[tuple[str, str], ...] = ()  # (party label or "", wording) per alternative

    @property
    def bracket(self) -> bool:
        return bool(self.choices)


def segments(
    wording: str,
    alternatives: Sequence[AlternativeInfo],
    label: Callable[[AlternativeInfo], str] = lambda a: a.party_name,
) -> list[Segment]:
    """The wording cut at its bracket markers; each marker becomes the alternatives of its
    slot. Alternatives of a slot without a marker follow at the end; a marker without
    alternatives stays as typed."""
    by_slot: dict[int, list[AlternativeInfo]] = defaultdict(list)
    for a in sorted(alternatives, key=lambda a: (a.slot, a.position, a.id)):
        by_slot[a.slot].append(a)
    out: list[Segment] = []
    used: set[int] = set()
    pos = 0
    for m in SLOT.finditer(wording):
        slot = int(m.group(1))
        if slot not in by_slot or slot in used:
            continue
        if m.start() > pos:
            out.append(Segment(wording[pos : m.start()]))
        out.append(Segment(choices=tuple((label(a), a.wording) for a in by_slot[slot])))
        used.add(slot)
        pos = m.end()
    if pos < len(wording):
        out.append(Segment(wording[pos:]))
    for slot in sorted(set(by_slot) - used):
        if out:
            out.append(Segment(" "))
        out.append(Segment(choices=tuple((label(a), a.wording) for a in by_slot[slot])))
    return out


def bracketed(
    wording: str,
    alternatives: Sequence[AlternativeInfo],
    label: Callable[[AlternativeInfo], str] = lambda a: a.party_name,
) -> str:
    """The wording as a negotiating text prints it: ``[A: security arrangements] [B:
    disarmament]`` at each bracketed place (a choice with no label: ``[wording]``)."""
    parts: list[str] = []
    for seg in segments(wording, alternatives, label):
        if seg.bracket:
            parts.append(" ".join(f"[{lab}: {w}]" if lab else f"[{w}]" for lab, w in seg.choices))
        else:
            parts.append(seg.text)
    return "".join(parts)


def next_slot(wording: str, alternatives: Sequence[AlternativeInfo]) -> int:
    """The number of a new bracketed place in a clause."""
    used = {int(m.group(1)) for m in SLOT.finditer(wording)} | {a.slot for a in alternatives}
    return max(used, default=0) + 1


__all__ = ["SLOT", "AlternativeInfo", "Segment", "bracketed", "next_slot", "segments"]
