"""Undo commands over app.core.services.handovers: a handover made or deleted (the very same
one comes back, under its id), an outside audience made, edited or deleted, two cases
linked or unlinked. Each tells the window what changed (``notify(kind, id or None)``)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from app.core.errors import NotFound
from app.core.models import CaseLinkKind, OutsiderKind
from app.core.services import handovers as svc
from app.core.services.handovers import HandoverRow, NewHandoverItem
from app.core.vault import Vault
from app.gui.labels import tr
from app.gui.undo import Changed, ServiceCommand

# --- handovers -----------------------------------------------------------------------------


class CreateHandover(ServiceCommand):
    """Record a handover; undo deletes it, redo brings the same one back."""

    def __init__(
        self,
        vault: Vault,
        case_id: int,
        outsider_id: int,
        handed_at: datetime,
        items: Sequence[NewHandoverItem],
        notify: Changed,
        *,
        through_person_id: int | None = None,
        sources_named: bool = False,
        note: str = "",
    ) -> None:
        super().__init__(tr("New handover"))
        self.vault, self.notify = vault, notify
        self.args: dict[str, Any] = {
            "case_id": case_id,
            "outsider_id": outsider_id,
            "handed_at": handed_at,
            "items": list(items),
            "through_person_id": through_person_id,
            "sources_named": sources_named,
            "note": note,
        }
        self.handover_id: int | None = None
        self._gone: HandoverRow | None = None  # the handover as undo deleted it

    def apply(self) -> None:
        if self._gone is not None:
            self.handover_id = svc.restore_handover(self.vault, self._gone)
        else:
            a = self.args
            self.handover_id = svc.create_handover(
                self.vault,
                a["case_id"],
                a["outsider_id"],
                a["handed_at"],
                a["items"],
                through_person_id=a["through_person_id"],
                sources_named=a["sources_named"],
                note=a["note"],
            )
        self.notify("handover", self.handover_id)

    def revert(self) -> None:
        assert self.handover_id is not None
        self._gone = svc.delete_handover(self.vault, self.handover_id)
        self.notify("handover", None)


class DeleteHandover(ServiceCommand):
    """Delete a handover; undo brings it back under its id."""

    def __init__(self, vault: Vault, handover_id: int, notify: Changed) -> None:
        super().__init__(tr("Delete handover"))
        self.vault, self.handover_id, self.notify = vault, handover_id, notify
        self._gone: HandoverRow | None = None

    def apply(self) -> None:
        self._gone = svc.delete_handover(self.vault, self.handover_id)
        self.notify("handover", None)

    def revert(self) -> None:
        assert self._gone is not None
        svc.restore_handover(self.vault, self._gone)
        self.notify("handover", self.handover_id)


# --- outside audiences ---------------------------------------------------------------------

OUTSIDER_FIELDS = ("name", "kind", "organisation", "person_id", "notes")


def outsider_values(values: dict[str, Any]) -> dict[str, Any]:
    """The fields an outside audience is made of, from a form's values."""
    out = {k: values.get(k) for k in OUTSIDER_FIELDS}
    out["name"] = str(out["name"] or "")
    out["kind"] = OutsiderKind(out["kind"] or OutsiderKind.OFFICIAL)
    out["organisation"] = str(out["organisation"] or "")
    out["notes"] = str(out["notes"] or "")
    return out


class CreateOutsider(ServiceCommand):
    def __init__(self, vault: Vault, case_id: int, values: dict[str, Any], notify: Changed):
        super().__init__(tr("New outside audience"))
        self.vault, self.case_id, self.notify = vault, case_id, notify
        self.values = outsider_values(values)
        self.outsider_id: int | None = None

    def apply(self) -> None:
        # Redo after undo: the same id again (a handover made since may point at it).
        self.outsider_id = svc.create_outsider(
            self.vault, self.case_id, outsider_id=self.outsider_id, **self.values
        )
        self.notify("outsider", self.outsider_id)

    def revert(self) -> None:
        assert self.outsider_id is not None
        svc.delete_outsider(self.vault, self.outsider_id)
        self.notify("outsider", None)


class EditOutsider(ServiceCommand):
    def __init__(self, vault: Vault, outsider_id: int, changes: dict[str, Any], notify: Changed):
        super().__init__(tr("Edit outside audience"))
        self.vault, self.outsider_id, self.notify = vault, outsider_id, notify
        self.changes = {k: v for k, v in outsider_values(changes).items() if k in changes}
        self._old: dict[str, Any] = {}

    def apply(self) -> None:
        self._old = svc.update_outsider(self.vault, self.outsider_id, **self.changes)
        self.notify("outsider", self.outsider_id)

    def revert(self) -> None:
        svc.update_outsider(self.vault, self.outsider_id, **self._old)
        self.notify("outsider", self.outsider_id)


class DeleteOutsider(ServiceCommand):
    """Delete an outside audience that was given nothing (refused otherwise)."""

    def __init__(self, vault: Vault, case_id: int, outsider_id: int, notify: Changed):
        super().__init__(tr("Delete outside audience"))
        self.vault, self.case_id, self.outsider_id, self.notify = (
            vault,
            case_id,
            outsider_id,
            notify,
        )
        self._values: dict[str, Any] = {}

    def apply(self) -> None:
        rows = svc.outsiders_of(self.vault, self.case_id)
        found = next((o for o in rows if o.id == self.outsider_id), None)
        if found is None:
            raise NotFound(tr("That outside audience is gone already."))
        self._values = {k: getattr(found, k) for k in OUTSIDER_FIELDS}
        svc.delete_outsider(self.vault, self.outsider_id)
        self.notify("outsider", None)

    def revert(self) -> None:
        svc.create_outsider(self.vault, self.case_id, outsider_id=self.outsider_id, **self._values)
        self.notify("outsider", self.outsider_id)


# --- linked cases --------------------------------------------------------------------------


def _link_between(vault: Vault, from_case_id: int, to_case_id: int) -> int | None:
    """The link from one case to the other, found by its two cases (a link that undo
    brought back has a new id; its two cases are what stay)."""
    return next(
        (
            r.id
            for r in svc.links_of(vault, from_case_id)
            if r.outgoing and r.other_case_id == to_case_id
        ),
        None,
    )


class LinkCases(ServiceCommand):
    def __init__(
        self,
        vault: Vault,
        from_case_id: int,
        to_case_id: int,
        kind: CaseLinkKind,
        note: str,
        notify: Changed,
    ) -> None:
        super().__init__(tr("Link cases"))
        self.vault, self.notify = vault, notify
        self.link = (from_case_id, to_case_id, CaseLinkKind(kind), note)

    def apply(self) -> None:
        a, b, kind, note = self.link
        link_id = svc.link_cases(self.vault, a, b, kind=kind, note=note)
        self.notify("case_link", link_id)

    def revert(self) -> None:
        link_id = _link_between(self.vault, self.link[0], self.link[1])
        if link_id is not None:
            svc.unlink_cases(self.vault, link_id)
        self.notify("case_link", None)


class UnlinkCases(ServiceCommand):
    def __init__(self, vault: Vault, link_id: int, notify: Changed) -> None:
        super().__init__(tr("Unlink cases"))
        self.vault, self.link_id, self.notify = vault, link_id, notify
        self._link: tuple[int, int, CaseLinkKind, str] | None = None

    def apply(self) -> None:
        if self._link is not None:  # redo: the link undo brought back, by its two cases
            found = _link_between(self.vault, self._link[0], self._link[1])
            self.link_id = found if found is not None else self.link_id
        self._link = svc.unlink_cases(self.vault, self.link_id)
        self.notify("case_link", None)

    def revert(self) -> None:
        assert self._link is not None
        a, b, kind, note = self._link
        self.link_id = svc.link_cases(self.vault, a, b, kind=kind, note=note)
        self.notify("case_link", self.link_id)
