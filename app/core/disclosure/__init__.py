"""Who may see what: the one home of Liaison's disclosure rules (DESIGN.md section 2a).

* :mod:`.rule` — the pure rule: what a source message may convey, to whom, attributed or
  not, released or embargoed until when; and how much of it an audience sees (``Sight``).
* :mod:`.guard` — the flush guard that enforces the rule on every write; the vault installs
  it explicitly when it opens.
* :mod:`.drafts` — circulating a draft of a text: every clause must reach every recipient.
* :mod:`.handovers` — a handover to an outside audience (Track I) and the origins of a
  commitment: what an official, institution or sponsor may be given.
* :mod:`.audience` — one view per audience ("me", one party of a case, or an outside
  audience) that answers, for every kind of record, whether the audience sees it, sees it
  without its source, or sees nothing, and renders people's names per the codename
  choice. Every party-facing reader (PDF documents, session brief, delivery dialog,
  pending list) asks it.
* :mod:`.reads` — what a view reads to answer: messages' sight in chunks, options and lineage.
* :mod:`.names` — people's names and codenames, also inside free text.

This package imports no service and no vault at import time (``audience`` reads through a
vault passed in), so the vault can install the guard without an import cycle.
"""

from app.core.disclosure.rule import Decision, MessageFacts, Refusal, ReleaseFacts, Sight, decide

__all__ = ["Decision", "MessageFacts", "Refusal", "ReleaseFacts", "Sight", "decide"]
