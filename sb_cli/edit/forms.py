"""The form of a document: a tree of fields and groups built from its data and its schema, the
actions on its lists (add, remove, move), and the secretary's own widgets on top of the generic
ones: the roster as one checkbox per member, and att-clauses that never begin with "att".
Pure functions; the templates draw the tree and `schemaform` reads the posted fields back."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

from sb_cli.core.meetings import QuorumGroup, name_key, quorum
from sb_cli.core.records import Forum, Member, Organisation
from sb_cli.edit.schemaform import LIST_MARK, LONG_TEXT_KEYS, MAP_MARK, Node, Path_, Schemas, label, name_of, path_of

ROSTER_FIELD = "_närvarande"  # one value per ticked member of the roster
_ATT = re.compile(r"^\s*att\s+", re.IGNORECASE)
_HIDDEN = frozenset({"type"})  # fixed by the document's type: shown, never edited
# Set by their own buttons, which check first: never offered as empty fields.
_BY_BUTTON = frozenset({"adjusted", "sent", "announced"})  # announced: by sb announce, once justerat


@dataclass
class Field:
    name: str
    label: str
    kind: str  # text, long, markdown, number, date, time, choice, yesno, fixed
    value: str
    description: str = ""
    choices: list[tuple[str, str]] = field(default_factory=list)  # (value, label)
    required: bool = False
    prefix: str = ""  # shown before the input ("att")
    preview: str = ""  # a Markdown text as HTML, when the user asked to see it


@dataclass
class Group:
    name: str
    legend: str
    children: list[Field | Group] = field(default_factory=list)
    is_list: bool = False
    entry_label: str = ""  # for a list: what "Lägg till" adds
    position: int | None = None  # for a list entry: its index
    last: bool = False
    roster: list[RosterEntry] = field(default_factory=list)
    marker: str = ""  # the hidden field that keeps the list or mapping when it is empty
    folded: bool = False  # shown closed (<details>): optional keys to add


@dataclass
class RosterEntry:
    name: str
    detail: str
    present: bool


@dataclass(frozen=True)
class Context:
    """What the widgets need besides the data: the organisation, and the forum's roster that day."""

    organisation: Organisation
    forum: Forum | None = None
    day: dt.date | None = None
    secretary: str = ""  # name_key of the protocol's secretary


def tree(data: dict[str, Any], schemas: Schemas, doc_type: str, context: Context) -> Group:
    """The whole form of a document."""
    root = Group("", label(schemas, doc_type, ()))
    for key, value in data.items():
        if key in _HIDDEN:
            continue
        root.children.append(_part(value, (key,), schemas, doc_type, context, data))
    node = schemas.node(doc_type, ())
    for key in node.properties if node is not None else ():
        if key not in data and key not in _HIDDEN | _BY_BUTTON:
            root.children.append(_empty((key,), schemas, doc_type, context))
    return root


def _empty(path: Path_, schemas: Schemas, doc_type: str, context: Context) -> Field | Group:
    """A key the document does not have yet, to fill in: empty, so an untouched form adds nothing."""
    node = schemas.node(doc_type, path)
    title = label(schemas, doc_type, path)
    if node is not None and "array" in node.kinds:
        entry = _entry_label(schemas, doc_type, path)
        return Group(name_of(path), title, is_list=True, entry_label=entry)
    if node is not None and "object" in node.kinds and node.properties and "string" not in node.kinds:
        group = Group(name_of(path), title)
        for child in node.properties:
            child_path = (*path, child)
            group.children.append(
                _field(
                    None, child_path, label(schemas, doc_type, child_path), schemas.node(doc_type, child_path), context
                )
            )
        return group
    return _field(None, path, title, node, context)


def _part(
    value: Any, path: Path_, schemas: Schemas, doc_type: str, context: Context, data: dict[str, Any]
) -> Field | Group:
    node = schemas.node(doc_type, path)
    title = label(schemas, doc_type, path)
    if path == ("attendance", "present") and context.forum is not None and context.day is not None:
        return _roster(value, path, title, context)
    if isinstance(value, list):
        entry = _entry_label(schemas, doc_type, path)
        group = Group(name_of(path), title, is_list=True, entry_label=entry, marker=LIST_MARK)
        for index, entry in enumerate(value):
            child = _part(entry, (*path, index), schemas, doc_type, context, data)
            entry_group = child if isinstance(child, Group) else Group(name_of((*path, index)), title, [child])
            entry_group.position, entry_group.last = index, index == len(value) - 1
            if isinstance(child, Field):
                child.label = f"{entry} {index + 1}"
            group.children.append(entry_group)
        return group
    primary = node.primary() if node is not None else None
    if isinstance(value, dict) or (primary is not None and _is_decision(path)):
        mapping: dict[str, Any] = value if isinstance(value, dict) else {str(primary): value}
        group = Group(name_of(path), title, marker=MAP_MARK if isinstance(value, dict) else "")
        for key, child in mapping.items():
            group.children.append(_part(child, (*path, key), schemas, doc_type, context, data))
        _add_optional(group, mapping, path, schemas, doc_type, node)
        _add_more(group, mapping, path, schemas, doc_type, node, context)
        return group
    return _field(value, path, title, node, context)


def _is_decision(path: Path_) -> bool:
    """An att-clause in a list of decisions: always shown with its responsible and due date."""
    return len(path) >= 2 and path[-2] == "decisions" and isinstance(path[-1], int)


def _add_optional(
    group: Group, mapping: dict[str, Any], path: Path_, schemas: Schemas, doc_type: str, node: Node | None
) -> None:
    """A decision's responsible and due date are there to fill in even when empty."""
    if node is None or not _is_decision(path):
        return
    for key in node.properties:
        if key not in mapping:
            group.children.append(
                _field(
                    None,
                    (*path, key),
                    label(schemas, doc_type, (*path, key)),
                    schemas.node(doc_type, (*path, key)),
                    None,
                )
            )


def _add_more(
    group: Group,
    mapping: dict[str, Any],
    path: Path_,
    schemas: Schemas,
    doc_type: str,
    node: Node | None,
    context: Context,
) -> None:
    """A point's keys it does not have yet (an item's sub-items, public flag, send list …),
    folded under "Fler uppgifter" so that the form stays short. Only points (numbered or lettered
    entries): a person or a decision has its few fields shown already."""
    if node is None or not path or not isinstance(path[-1], int) or not _POINT_KEYS & set(node.required):
        return
    missing = [key for key in node.properties if key not in mapping and key not in _BY_BUTTON]
    if missing:
        more = Group(f"{name_of(path)}.mer", "Fler uppgifter", folded=True)
        more.children = [_empty((*path, key), schemas, doc_type, context) for key in missing]
        group.children.append(more)


def _field(value: Any, path: Path_, title: str, node: Node | None, context: Context | None) -> Field:
    """One input: the first kind in _KINDS whose test the key passes."""
    text = "" if value is None else ("ja" if value is True else "nej" if value is False else str(value))
    spot = _Spot(path, node, value, text)
    field = Field(name_of(path), title, "text", text, node.description if node else "")
    for test, dress in _KINDS:
        if test(spot):
            return dress(field, spot, context)
    return field


@dataclass(frozen=True)
class _Spot:
    """What decides a field's kind: where it is, its schema, and its value."""

    path: Path_
    node: Node | None
    value: Any
    text: str

    @property
    def last(self) -> str | int:
        return self.path[-1]

    def allows(self, kind: str) -> bool:
        return self.node is not None and kind in self.node.kinds


def _as(kind: str, **changes: Any) -> Callable[[Field, _Spot, Context | None], Field]:
    def dress(field: Field, spot: _Spot, context: Context | None) -> Field:
        return replace(field, kind=kind, **changes)

    return dress


def _enum(field: Field, spot: _Spot, context: Context | None) -> Field:
    values = spot.node.enum if spot.node else ()
    return replace(field, kind="choice", choices=[(str(v), str(v)) for v in values])


def _dated(field: Field, spot: _Spot, context: Context | None) -> Field:
    if spot.node and spot.node.format == "date" and _MONTH_ONLY.fullmatch(spot.text):
        return replace(field, kind="month")  # a meeting known by its month only keeps it (SPEC §3.5)
    return replace(field, kind=spot.node.format if spot.node else "text")


_MONTH_ONLY = re.compile(r"\d{4}-\d{2}")


def _att(field: Field, spot: _Spot, context: Context | None) -> Field:
    return replace(field, kind="long", value=_ATT.sub("", field.value), prefix="att")


def _party(field: Field, spot: _Spot, context: Context | None) -> Field:
    return _party_choice(field.name, field.label, field.value, field.description, context)


_POINT_KEYS = frozenset({"number", "letter"})
_YES_NO = [("", "—"), ("ja", "Ja"), ("nej", "Nej")]
_PARTY_KEYS = frozenset({"owner", "forum", "party"})
_KINDS: list[tuple[Callable[[_Spot], bool], Callable[[Field, _Spot, Context | None], Field]]] = [
    (lambda s: s.path == ("id",) or (s.node is not None and len(s.node.enum) == 1), _as("fixed")),
    (lambda s: isinstance(s.value, bool) or s.allows("boolean"), _as("yesno", choices=_YES_NO)),
    (lambda s: s.node is not None and bool(s.node.enum), _enum),
    (lambda s: s.last in _PARTY_KEYS or s.path[-2:-1] == ("parties",), _party),
    (lambda s: s.node is not None and s.node.format in ("date", "time"), _dated),
    (lambda s: (s.allows("integer") or s.allows("number")) and not s.allows("string"), _as("number")),
    (lambda s: s.last == "body", _as("markdown")),
    (lambda s: s.path[-2:-1] == ("presenters",), _as("person")),
    (lambda s: s.last == "text" and _is_decision(s.path[:-1]), _att),
    (lambda s: s.last in LONG_TEXT_KEYS or "\n" in s.text, _as("long")),
]


def _party_choice(name: str, title: str, value: str, description: str, context: Context | None) -> Field:
    choices = [("", "—")]
    if context is not None:
        choices += [(f.id, f.name) for f in context.organisation.forums.values()]
        choices += [(p.id, p.name) for p in context.organisation.parties.values()]
    if value and value not in [c[0] for c in choices]:
        choices.append((value, value))
    return Field(name, title, "choice", value, description, choices)


def _roster(value: Any, path: Path_, title: str, context: Context) -> Group:
    assert context.forum is not None and context.day is not None
    present = {name_key(person_name(p)) for p in value or []}
    group = Group(name_of(path), title)
    for member in _members_to_tick(context):
        party = context.organisation.name_of(member.party)
        detail = ", ".join(part for part in (member.title, party) if part)
        group.roster.append(RosterEntry(member.name, detail, name_key(member.name) in present))
    known = {name_key(m.name) for m in context.forum.roster(context.day)}
    for index, person in enumerate(value or []):
        if name_key(person_name(person)) not in known:
            group.children.append(_field(person_name(person), (*path, index), "Annan närvarande", None, None))
    return group


def _members_to_tick(context: Context) -> list[Member]:
    """The forum's members that day, without the secretary, who keeps the minutes (the protocol
    names her as secretary, neither present nor absent)."""
    assert context.forum is not None and context.day is not None
    secretary = context.secretary
    return [m for m in context.forum.roster(context.day) if name_key(m.name) != secretary]


def with_previews(group: Group) -> Group:
    """Every Markdown text of the form with its HTML beside it."""
    from sb_cli.render.markdown import as_html

    for child in group.children:
        if isinstance(child, Group):
            with_previews(child)
        elif child.kind == "markdown" and child.value.strip():
            child.preview = as_html(child.value)
    return group


def attendees(data: dict[str, Any]) -> list[str]:
    """Everyone the protocol lists as attending, to pick presenters from."""
    attendance = data.get("attendance") or {}
    people = [*(attendance.get("present") or []), *(attendance.get("others") or [])]
    return list(dict.fromkeys(name for name in map(person_name, people) if name))


def person_name(person: Any) -> str:
    return str(person.get("name", "")) if isinstance(person, dict) else str(person)


def _entry_label(schemas: Schemas, doc_type: str, path: Path_) -> str:
    node = schemas.node(doc_type, (*path, 0))
    return node.title if node is not None and node.title else "Post"


# --- reading a posted form back --------------------------------------------------------------------


def with_roster(data: dict[str, Any], ticked: list[str], context: Context, before: dict[str, Any]) -> dict[str, Any]:
    """Attendance from the ticked roster: the ticked members present, the others absent. Whoever
    keeps their place keeps it as written `before` ({name, title} stays so, the order too); the
    present who are not on the roster come from their own fields. The secretary is neither."""
    if context.forum is None or context.day is None:
        return data
    attendance = data.setdefault("attendance", {})
    earlier = before.get("attendance") or {}
    roster = _members_to_tick(replace(context, secretary=name_key(str(data.get("secretary", "")))))
    on_roster = {name_key(m.name) for m in roster}
    ticked_keys = {name_key(name) for name in ticked} & on_roster
    others = [p for p in attendance.get("present") or [] if name_key(person_name(p)) not in on_roster]
    present = _present(earlier.get("present") or [], others, on_roster, ticked_keys)
    present += [m.name for m in roster if name_key(m.name) in ticked_keys - _keys(present)]
    absent = [p for p in earlier.get("absent") or [] if name_key(person_name(p)) not in ticked_keys]
    written = {name_key(person_name(p)): p for p in earlier.get("present") or []}
    unticked = [m for m in roster if name_key(m.name) not in ticked_keys | _keys(absent)]
    absent += [written.get(name_key(m.name), m.name) for m in unticked]
    attendance["present"], attendance["absent"] = present, absent
    return data


def _present(earlier: list[Any], others: list[Any], on_roster: set[str], ticked: set[str]) -> list[Any]:
    """The present in the order written before: a roster member while still ticked, and in the
    place of each one not on the roster, that person as the form has them now."""
    now = iter(others)
    present: list[Any] = []
    for person in earlier:
        key = name_key(person_name(person))
        if key not in on_roster:
            present += [entry] if (entry := next(now, None)) is not None else []
        elif key in ticked:
            present.append(person)
    return present + list(now)


def _keys(people: list[Any]) -> set[str]:
    return {name_key(person_name(p)) for p in people}


def quorum_of(ticked: list[str], context: Context) -> list[QuorumGroup]:
    """The quorum as the boxes are ticked (SB021): per kind or party, voting members present."""
    if context.forum is None or context.day is None or context.forum.quorum is None:
        return []
    return quorum(context.forum, context.organisation, context.day, {name_key(n) for n in ticked})


def without_att(data: Any, path: Path_ = ()) -> Any:
    """Every att-clause without a leading "att", which the form shows before the field."""
    if isinstance(data, dict):
        return {key: without_att(value, (*path, key)) for key, value in data.items()}
    if isinstance(data, list):
        return [without_att(value, (*path, index)) for index, value in enumerate(data)]
    if isinstance(data, str) and (_is_decision(path) or (path[-1:] == ("text",) and _is_decision(path[:-1]))):
        return _ATT.sub("", data)
    return data


def act(data: dict[str, Any], action: str, schemas: Schemas, doc_type: str) -> dict[str, Any]:
    """A list action from a button: add:PATH, remove:PATH.N, up:PATH.N, down:PATH.N."""
    verb, _, where = action.partition(":")
    path = path_of(where) if where else ()
    if verb == "add":
        target = _at(data, path)
        parent = _at(data, path[:-1]) if path else None
        if target is None and isinstance(parent, dict) and isinstance(path[-1], str):
            target = parent[path[-1]] = []  # a list the document does not have yet
        if isinstance(target, list):
            target.append(_new_entry(target, path, schemas, doc_type))
        return data
    parent = _at(data, path[:-1]) if path else None
    index = path[-1] if path else None
    if not isinstance(parent, list) or not isinstance(index, int) or not 0 <= index < len(parent):
        return data
    if verb == "remove":
        parent.pop(index)
    elif verb == "up" and index > 0:
        parent[index - 1], parent[index] = parent[index], parent[index - 1]
    elif verb == "down" and index < len(parent) - 1:
        parent[index + 1], parent[index] = parent[index], parent[index + 1]
    return data


def _at(data: Any, path: Path_) -> Any:
    for step in path:
        if isinstance(data, dict) and isinstance(step, str):
            data = data.get(step)
        elif isinstance(data, list) and isinstance(step, int) and 0 <= step < len(data):
            data = data[step]
        else:
            return None
    return data


def _new_entry(entries: list[Any], path: Path_, schemas: Schemas, doc_type: str) -> Any:
    """A new entry that the form can show: the required keys, numbered on after the last."""
    node = schemas.node(doc_type, (*path, 0))
    if node is None or "object" not in node.kinds or node.primary():
        return {"text": ""} if path[-1:] == ("decisions",) else ""
    entry: dict[str, Any] = {}
    for key in node.required:
        if key == "number":
            entry[key] = max((e.get("number", 0) for e in entries if isinstance(e, dict)), default=0) + 1
        elif key == "letter":
            used = [e.get("letter", "") for e in entries if isinstance(e, dict)]
            entry[key] = chr(max((ord(u) for u in used if u), default=ord("a") - 1) + 1)
        else:
            entry[key] = ""
    return entry
