"""What each list of the GUI shows: its columns (as SQL over the list's FROM clause), its
scope, its default order and how its text filter searches. :mod:`app.core.services.lists`
runs them as paged queries."""

from __future__ import annotations

from dataclasses import dataclass, field

from app.core.services.messages import summary_sql


@dataclass(frozen=True)
class ListColumn:
    key: str
    label: str
    sql: str  # expression in the list's FROM clause
    kind: str = "text"  # text | datetime | date | bool | int | enum


@dataclass(frozen=True)
class ListSpec:
    kind: str  # the record kind each row is
    columns: tuple[ListColumn, ...]
    from_sql: str  # FROM ... JOIN ..., with the main table aliased as ``t``
    scope: str  # the column that scopes the list: "case_id", "party_id", ... or "" for none
    default_sort: str  # a column key
    default_desc: bool = False
    # Columns searched with LIKE when the list is small; None: use the full-text index.
    like_columns: tuple[str, ...] | None = ()
    extra_where: str = ""
    scope_sql: str = ""  # custom scope condition using :scope_id
    hidden: tuple[str, ...] = field(default=())  # keys fetched but not shown (e.g. disclosure)


def _c(key: str, label: str, sql: str, kind: str = "text") -> ListColumn:
    return ListColumn(key, label, sql, kind)


_PERSON_NAME = "(SELECT coalesce(name, '') FROM people WHERE id = {col})"

LISTS: dict[str, ListSpec] = {
    "case": ListSpec(
        "case",
        (
            _c("title", "Title", "t.title"),
            _c("status", "Status", "t.status", "enum"),
            _c("track", "Track", "t.track"),
            _c("started_on", "Started", "t.started_on", "date"),
        ),
        "cases t",
        "",
        "title",
        like_columns=("t.title", "t.summary"),
    ),
    "message": ListSpec(
        "message",
        (
            _c("said_at", "When", "t.said_at", "datetime"),
            _c("disclosure", "Disclosure", "t.disclosure", "enum"),
            _c(
                "sender",
                "From",
                "coalesce(sp.name, spe.name)",
            ),
            _c("recipient", "To", "coalesce(rp.name, '')"),
            _c(
                "summary",
                "Summary",
                summary_sql("t.summary", "t.content"),
            ),
            _c("round", "Round", "rd.number", "int"),
        ),
        "messages t LEFT JOIN parties sp ON sp.id = t.sender_party_id "
        "LEFT JOIN parties rp ON rp.id = t.recipient_party_id "
        "LEFT JOIN people spe ON spe.id = t.sender_person_id "
        "LEFT JOIN rounds rd ON rd.id = t.round_id",
        "case_id",
        "said_at",
        True,
        like_columns=None,
    ),
    "delivery": ListSpec(
        "delivery",
        (
            _c("delivered_at", "When", "t.delivered_at", "datetime"),
            _c("recipient", "To", "p.name"),
            _c("content", "What was conveyed", "substr(t.content, 1, 200)"),
            _c(
                "items",
                "Sources",
                "(SELECT count(*) FROM delivery_items WHERE delivery_id = t.id)",
                "int",
            ),
        ),
        "deliveries t JOIN parties p ON p.id = t.recipient_party_id",
        "case_id",
        "delivered_at",
        True,
        like_columns=None,
    ),
    # (The Handovers page reads the handovers service, which names each item; this list
    # serves counts.)
    "handover": ListSpec(
        "handover",
        (
            _c("handed_at", "When", "t.handed_at", "datetime"),
            _c("outsider", "To", "o.name"),
            _c("sources_named", "Sources named", "t.sources_named", "bool"),
            _c(
                "items",
                "Items",
                "(SELECT count(*) FROM handover_items WHERE handover_id = t.id)",
                "int",
            ),
        ),
        "handovers t JOIN outsiders o ON o.id = t.outsider_id",
        "case_id",
        "handed_at",
        True,
        like_columns=("o.name", "t.note"),
    ),
    "session": ListSpec(
        "session",
        (
            _c("starts_at", "When", "t.starts_at", "datetime"),
            _c("title", "Title", "t.title"),
            _c("kind", "Kind", "t.kind", "enum"),
            _c("status", "Status", "t.status", "enum"),
            _c("place", "Place", "t.place"),
        ),
        "sessions t",
        "case_id",
        "starts_at",
        True,
        like_columns=("t.title", "t.place"),
    ),
    "option": ListSpec(
        "option",
        (
            _c("title", "Option", "t.title"),
            _c("status", "Status", "t.status", "enum"),
            _c("raised_on", "Raised", "t.raised_on", "date"),
            _c("raised_by", "Raised by", "t.raised_by", "enum"),
            _c(
                "interests",
                "Interests",
                "(SELECT count(*) FROM option_interests oi WHERE oi.option_id = t.id)",
                "int",
            ),
            _c(
                "came_from",
                "Came from",
                "(SELECT group_concat(o2.title, ' + ') FROM option_links l "
                "JOIN options o2 ON o2.id = l.parent_id WHERE l.option_id = t.id)",
            ),
        ),
        "options t",
        "case_id",
        "raised_on",
        True,
        like_columns=("t.title", "t.text"),
    ),
    "action": ListSpec(
        "action",
        (
            _c("done", "Done", "t.done", "bool"),
            _c("due_on", "Due", "t.due_on", "date"),
            _c("title", "Action", "t.title"),
            _c(
                "owner",
                "Owner",
                "coalesce(" + _PERSON_NAME.format(col="t.owner_person_id") + ", t.owner)",
            ),
        ),
        "actions t",
        "case_id",
        "due_on",
        like_columns=("t.title", "t.owner", "t.notes"),
    ),
    "note": ListSpec(
        "note",
        (
            _c("written_at", "Written", "t.written_at", "datetime"),
            _c(
                "title",
                "Title",
                "CASE WHEN t.title != '' THEN t.title ELSE substr(t.body, 1, 120) END",
            ),
        ),
        "notes t",
        "case_id",
        "written_at",
        True,
        like_columns=("t.title", "t.body"),
    ),
    # (The Commitments section reads the register service, which knows each one's course;
    # this list serves counts and any plain list of a case's commitments.)
    "commitment": ListSpec(
        "commitment",
        (
            _c("due_on", "Due", "t.due_on", "date"),
            _c("party", "Who", "p.name"),
            _c("to_party", "To", "coalesce(tp.name, '')"),
            _c("what", "What", "t.what"),
            _c("disclosure", "Level", "t.disclosure", "enum"),
        ),
        "commitments t JOIN parties p ON p.id = t.party_id "
        "LEFT JOIN parties tp ON tp.id = t.to_party_id",
        "case_id",
        "due_on",
        like_columns=("t.what", "t.condition", "t.note"),
    ),
    "party": ListSpec(
        "party",
        (
            _c("name", "Party", "t.name"),
            _c("kind", "Kind", "t.kind", "enum"),
        ),
        "parties t",
        "case_id",
        "name",
        like_columns=("t.name", "t.description"),
    ),
    "person": ListSpec(
        "person",
        (
            _c("name", "Name", "t.name"),
            _c("codename", "Codename", "coalesce(t.codename, '')"),
            _c("role", "Role", "t.role"),
            _c(
                "parties",
                "Parties",
                "(SELECT group_concat(p.name, ', ') FROM affiliations a "
                "JOIN parties p ON p.id = a.party_id WHERE a.person_id = t.id)",
            ),
        ),
        "people t",
        "",
        "name",
        like_columns=("t.name", "t.codename", "t.role"),
        # People of a case: affiliated with one of its parties, or taking part in a session.
        scope_sql="(t.id IN (SELECT a.person_id FROM affiliations a JOIN parties p "
        "ON p.id = a.party_id WHERE p.case_id = :scope_id) OR t.id IN (SELECT pa.person_id "
        "FROM participants pa JOIN sessions s ON s.id = pa.session_id "
        "WHERE s.case_id = :scope_id))",
    ),
    "profile_entry": ListSpec(
        "profile_entry",
        (
            _c("recorded_on", "Recorded", "t.recorded_on", "date"),
            _c("kind", "Kind", "t.kind", "enum"),
            _c("text", "Entry", "t.text"),
            _c("retired_on", "Retired", "t.retired_on", "date"),
        ),
        "profile_entries t",
        "party_id",
        "recorded_on",
        True,
        like_columns=("t.text",),
    ),
    "channel": ListSpec(
        "channel",
        (
            _c("kind", "Kind", "t.kind", "enum"),
            _c("value", "Value", "t.value"),
            _c("label", "Label", "t.label"),
        ),
        "channels t",
        "person_id",
        "kind",
        like_columns=("t.value", "t.label"),
    ),
    "affiliation": ListSpec(
        "affiliation",
        (
            _c("party", "Party", "p.name"),
            _c("person", "Person", "pe.name"),
            _c("role", "Role", "t.role"),
            _c("capacity", "Capacity", "t.capacity", "enum"),
        ),
        "affiliations t JOIN parties p ON p.id = t.party_id JOIN people pe ON pe.id = t.person_id",
        "person_id",
        "party",
        like_columns=("t.role", "p.name", "pe.name"),
    ),
    "round": ListSpec(
        "round",
        (
            _c("number", "Round", "t.number", "int"),
            _c("title", "Title", "t.title"),
            _c("started_on", "Started", "t.started_on", "date"),
        ),
        "rounds t",
        "case_id",
        "number",
        like_columns=("t.title", "t.notes"),
    ),
    "agenda_item": ListSpec(
        "agenda_item",
        (
            _c("position", "#", "t.position", "int"),
            _c("title", "Item", "t.title"),
            _c("minutes", "Minutes", "t.minutes", "int"),
        ),
        "agenda_items t",
        "session_id",
        "position",
        like_columns=("t.title", "t.notes"),
    ),
    "participant": ListSpec(
        "participant",
        (
            _c("person", "Person", "pe.name"),
            _c("party", "Party", "coalesce(p.name, '')"),
            _c("capacity", "Capacity", "t.capacity", "enum"),
        ),
        "participants t JOIN people pe ON pe.id = t.person_id "
        "LEFT JOIN parties p ON p.id = t.party_id",
        "session_id",
        "person",
        like_columns=("pe.name",),
    ),
    "session_note": ListSpec(
        "session_note",
        (
            _c("noted_at", "Time", "t.noted_at", "datetime"),
            _c("kind", "Kind", "t.kind", "enum"),
            _c("text", "Note", "t.text"),
        ),
        "session_notes t",
        "session_id",
        "noted_at",
        like_columns=("t.text",),
    ),
    "stance": ListSpec(
        "stance",
        (
            _c("recorded_at", "When", "t.recorded_at", "datetime"),
            _c("party", "Party", "p.name"),
            _c("stance", "Stance", "t.stance", "enum"),
            _c("note", "Note", "t.note"),
        ),
        "stances t JOIN parties p ON p.id = t.party_id",
        "option_id",
        "recorded_at",
        True,
        like_columns=("p.name", "t.note"),
    ),
    "delivery_item": ListSpec(
        "delivery_item",
        (
            _c(
                "message",
                "Source message",
                summary_sql("m.summary", "m.content"),
            ),
            _c("disclosure", "Disclosure", "m.disclosure", "enum"),
            _c("attributed", "Attributed", "t.attributed", "bool"),
        ),
        "delivery_items t JOIN messages m ON m.id = t.message_id",
        "delivery_id",
        "message",
        like_columns=("m.summary", "m.content"),
    ),
    "release": ListSpec(
        "release",
        (
            _c("released_at", "When", "t.released_at", "datetime"),
            _c("party", "To", "coalesce(p.name, 'every party')"),
            _c("released_by", "By", "t.released_by"),
            _c("reason", "Reason", "t.reason"),
        ),
        "releases t LEFT JOIN parties p ON p.id = t.party_id",
        "message_id",
        "released_at",
        True,
        like_columns=("t.reason",),
    ),
}
