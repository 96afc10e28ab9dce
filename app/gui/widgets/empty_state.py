"""What an empty list shows instead of bare headers: what this is, what to do first, and
one button that does it. The words come from app.gui.kinds (word, plural) and from the
short explanations below (the domain's words, as DESIGN.md defines them)."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QLabel, QPushButton, QSizePolicy, QVBoxLayout, QWidget

from app.gui.kinds import kind_of, word
from app.gui.labels import tr
from app.gui.resources import icon

# What each kind of record is, in one or two sentences for someone new to Liaison.
WHAT: dict[str, str] = {
    "case": "A case is one engagement in one conflict; everything else belongs to a case.",
    "party": (
        "Parties are the sides and stakeholder groups of the conflict: governments, armed "
        "groups, movements, communities, civil society. Each keeps a dated profile of "
        "positions, interests, needs, fears and red lines."
    ),
    "person": (
        "People are your contacts, with an optional codename for exports, their languages, "
        "channels and the parties they belong to."
    ),
    "message": (
        "Messages are what one side said for another, when, and how far it may travel "
        "(shareable, unattributed, confidential, embargoed). Confidential is the default."
    ),
    "delivery": (
        "Deliveries record what you actually conveyed to a party, and from which messages: "
        "they are what each party knows."
    ),
    "round": "Rounds group the shuttle exchanges of one trip or phase of the process.",
    "session": (
        "Sessions are meetings: consultations, shuttle visits, workshops, calls, with their "
        "participants, agenda, ground rules and notes."
    ),
    "option": (
        "Options are ideas for a settlement: who raised them, where they stand, each "
        "party's stance, and what they were refined from."
    ),
    "action": "Actions are follow-ups: what, who, by when, and whether it is done.",
    "note": "Notes are your own dated journal entries, for your eyes only.",
    "profile_entry": "A party's profile changes over time: each entry is dated.",
    "channel": "Ways to reach this person: phone, email, a messenger handle, an address.",
    "affiliation": "The parties this person belongs to, and in which capacity.",
    "release": "A release lets a confidential message travel, to a party or to all.",
    "delivery_item": "The messages this delivery passed on.",
    "agenda_item": "The session's agenda, in order.",
    "participant": "Who takes part, for which party and in which capacity.",
    "session_note": "Observations, statements, agreements and action items of the session.",
    "stance": "Each party's stance on this option, with its history.",
}


def what_it_is(kind: str) -> str:
    return tr(WHAT.get(kind, ""))


class EmptyState(QWidget):
    """A title, a sentence or two and one button (hidden when there is nothing to do)."""

    activated = Signal()

    def __init__(self, *, compact: bool = False, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("empty_state")
        self.title = QLabel()
        self.title.setObjectName("empty_title")
        self.title.setWordWrap(True)
        self.title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.text = QLabel()
        self.text.setObjectName("empty_text")
        self.text.setWordWrap(True)
        self.text.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.text.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
        self.text.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
        self.button = QPushButton()
        self.button.setObjectName("empty_button")
        self.button.clicked.connect(self.activated)
        font = self.title.font()
        font.setBold(True)
        if not compact:
            font.setPointSizeF(font.pointSizeF() * 1.2)
        self.title.setFont(font)
        layout = QVBoxLayout(self)
        margin = 4 if compact else 24
        layout.setContentsMargins(margin, margin, margin, margin)
        layout.setSpacing(4 if compact else 8)
        layout.addStretch(1)
        layout.addWidget(self.title)
        layout.addWidget(self.text)
        layout.addWidget(self.button, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addStretch(2)

    def show_state(self, title: str, text: str, button: str = "", icon_name: str = "") -> None:
        self.title.setText(title)
        self.text.setText(text)
        self.text.setVisible(bool(text))
        self.button.setText(button)
        self.button.setIcon(icon(icon_name) if icon_name else icon("add"))
        self.button.setVisible(bool(button))

    def show_no_records(self, kind: str) -> None:
        """No records of this kind yet: what they are, and a button to make the first."""
        self.show_state(
            tr("No {plural} yet").format(plural=tr(kind_of(kind).plural).lower()),
            what_it_is(kind),
            tr("New {kind}").format(kind=word(kind)),
        )
