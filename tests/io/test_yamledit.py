"""An edited document is written back with only the lines of what changed, and always reads back as
the new data."""

import copy
import difflib
import os
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sb_cli.core.model import Path_
from sb_cli.errors import SbError
from sb_cli.io.loader import parse_bytes
from sb_cli.io.yamledit import edited_document, edited_yaml, same
from sb_cli.io.yamlpos import parse_yaml
from tests.conftest import REPO

EXAMPLES = int(os.environ.get("HYPOTHESIS_EXAMPLES", "150"))
CORPUS = sorted(
    path.relative_to(REPO).as_posix()
    for path in (REPO / "documents").rglob("*")
    if path.suffix in (".yaml", ".md") and path.name != "organisation.yaml"
) + ["documents/organisation.yaml"]
LSVO = "documents/protokoll/LSVO/2023-06-16.yaml"
AWKWARD = [
    "12:00",
    "08:15",
    "yes",
    "no",
    "null",
    "~",
    "",
    " lead",
    "trail ",
    "a: b",
    "- x",
    "#",
    "a # b",
    "[x]",
    "{x}",
    "'quoted'",
    '"double"',
    "it's",
    "2024-02-30",
    "0123",
    "1e3",
    "rad ett\nrad två",
    "rad ett\nrad två\n",
    " indragen\nrad",
    "\n\nblank först",
    "slut\n\n",
    "å ä ö – ”citat” 😀",
    "---",
    "...",
    "@at",
    "%procent",
    "!tag",
    "&anchor",
    "*alias",
    "|",
    ">",
    "tab\there",
]

SAMPLE = """\
# Huvudkommentar
id: x   # id-kommentar
title: "Gammal titel"
meeting: {by: LSVO, date: 2026-01-16}
# om texten
body: |
  rad ett
  rad två

# om listan
list:
  # om a
  - a
  - b   # b-kommentar
nested:
  inner: 1   # inner-kommentar
  other: 'två'
end: 1
"""


def _edited(change: Any) -> str:
    data = parse_yaml(SAMPLE).data
    change(data)
    result = edited_yaml(SAMPLE, data)
    assert same(parse_yaml(result).data, data)
    return result


def _changed_lines(old: str, new: str) -> list[str]:
    diff = difflib.unified_diff(old.splitlines(), new.splitlines(), n=0, lineterm="")
    return [line for line in diff if line[:1] in "+-" and not line.startswith(("+++", "---"))]


def _set(path: Path_, value: Any) -> Any:
    def change(data: Any) -> None:
        for part in path[:-1]:
            data = data[part]
        data[path[-1]] = value

    return change


def _remove(path: Path_) -> Any:
    def change(data: Any) -> None:
        for part in path[:-1]:
            data = data[part]
        del data[path[-1]]

    return change


def _append(path: Path_, value: Any) -> Any:
    def change(data: Any) -> None:
        for part in path:
            data = data[part]
        data.append(value)

    return change


def _insert(path: Path_, index: int, value: Any) -> Any:
    def change(data: Any) -> None:
        for part in path:
            data = data[part]
        data.insert(index, value)

    return change


def _add_after(key: str, new_key: str, value: Any, within: Path_ = ()) -> Any:
    def change(data: Any) -> None:
        target = data
        for part in within:
            target = target[part]
        items = list(target.items())
        at = [k for k, _ in items].index(key) + 1
        items.insert(at, (new_key, value))
        target.clear()
        target.update(items)

    return change


UNIT_CASES = [
    pytest.param(_set(("id",), "y"), ["-id: x   # id-kommentar", "+id: y   # id-kommentar"], id="scalar-keeps-comment"),
    pytest.param(_set(("title",), "12:00"), ['-title: "Gammal titel"', "+title: '12:00'"], id="scalar-quoted"),
    pytest.param(_set(("title",), "yes"), ['-title: "Gammal titel"', "+title: 'yes'"], id="scalar-yes"),
    pytest.param(_set(("end",), None), ["-end: 1", "+end: null"], id="scalar-null"),
    pytest.param(
        _set(("nested", "inner"), 2),
        ["-  inner: 1   # inner-kommentar", "+  inner: 2   # inner-kommentar"],
        id="nested-scalar",
    ),
    pytest.param(
        _set(("meeting", "by"), "PSVO"),
        ["-meeting: {by: LSVO, date: 2026-01-16}", "+meeting: {by: PSVO, date: 2026-01-16}"],
        id="flow-mapping-rewritten-whole",
    ),
    pytest.param(
        _set(("body",), "ny rad\nandra\ntredje\n"),
        ["-  rad ett", "-  rad två", "+  ny rad", "+  andra", "+  tredje"],
        id="block-scalar-stays-block",
    ),
    pytest.param(
        _set(("body",), "en rad"),
        ["-body: |", "-  rad ett", "-  rad två", "+body: en rad"],
        id="block-scalar-to-one-line",
    ),
    pytest.param(
        _set(("title",), "två\nrader"),
        ['-title: "Gammal titel"', "+title: |-", "+  två", "+  rader"],
        id="scalar-to-block",
    ),
    pytest.param(
        _set(("end",), {"a": 1, "b": [1, 2]}),
        ["-end: 1", "+end:", "+  a: 1", "+  b:", "+    - 1", "+    - 2"],
        id="type-change-rewrites-block",
    ),
    pytest.param(
        _set(("nested",), "platt"),
        ["-nested:", "-  inner: 1   # inner-kommentar", "-  other: 'två'", "+nested: platt"],
        id="mapping-to-scalar",
    ),
    pytest.param(
        _set(("list",), []), ["-list:", "-  # om a", "-  - a", "-  - b   # b-kommentar", "+list: []"], id="emptied"
    ),
    pytest.param(_remove(("end",)), ["-end: 1"], id="remove-key"),
    pytest.param(
        _remove(("body",)), ["-# om texten", "-body: |", "-  rad ett", "-  rad två"], id="remove-key-with-comment"
    ),
    pytest.param(
        _remove(("nested",)), ["-nested:", "-  inner: 1   # inner-kommentar", "-  other: 'två'"], id="remove-block"
    ),
    pytest.param(_remove(("nested", "other")), ["-  other: 'två'"], id="remove-nested-key"),
    pytest.param(_add_after("title", "status", "utkast"), ["+status: utkast"], id="add-key-in-order"),
    pytest.param(_add_after("inner", "ny", "12:00", ("nested",)), ["+  ny: '12:00'"], id="add-nested-key"),
    pytest.param(_add_after("list", "extra", {"a": [1]}), ["+extra:", "+  a:", "+    - 1"], id="add-key-with-mapping"),
    pytest.param(_append(("list",), "c"), ["+  - c"], id="append-item"),
    pytest.param(_insert(("list",), 0, "först"), ["+  - först"], id="insert-first-item"),
    pytest.param(_insert(("list",), 1, "mitt: i"), ["+  - 'mitt: i'"], id="insert-item"),
    pytest.param(_set(("list", 1), "B"), ["-  - b   # b-kommentar", "+  - B   # b-kommentar"], id="change-item"),
    pytest.param(_remove(("list", 0)), ["-  # om a", "-  - a"], id="remove-item-with-comment"),
    pytest.param(_remove(("list", 1)), ["-  - b   # b-kommentar"], id="remove-item"),
    pytest.param(
        _set(("list",), ["b", "a"]),
        ["+  - b", "-  - b   # b-kommentar"],
        id="reordered-list",
    ),
]


@pytest.mark.parametrize(("change", "expected"), UNIT_CASES)
def test_only_the_changed_lines_change(change: Any, expected: list[str]) -> None:
    assert _changed_lines(SAMPLE, _edited(change)) == expected


def test_an_unchanged_document_is_returned_byte_for_byte() -> None:
    text = SAMPLE.replace("\n", "  \n", 3).removesuffix("\n")  # trailing spaces, no final newline
    assert edited_yaml(text, parse_yaml(text).data) is text


def test_the_files_key_order_wins_over_the_datas() -> None:
    data = parse_yaml(SAMPLE).data
    reordered = dict(reversed(list(data.items())))
    assert edited_yaml(SAMPLE, reordered) == SAMPLE


def test_a_flow_mapping_keeps_the_files_key_order() -> None:
    data = parse_yaml(SAMPLE).data
    data["meeting"] = {"date": "2026-01-17", "by": "LSVO"}
    assert _changed_lines(SAMPLE, edited_yaml(SAMPLE, data)) == [
        "-meeting: {by: LSVO, date: 2026-01-16}",
        "+meeting: {by: LSVO, date: 2026-01-17}",
    ]


def test_an_added_first_key_goes_below_the_files_leading_comments() -> None:
    data = {"ny": 1, **parse_yaml(SAMPLE).data}
    assert edited_yaml(SAMPLE, data) == SAMPLE.replace("id: x", "ny: 1\nid: x", 1)


def test_removing_the_first_key_keeps_the_files_leading_comments() -> None:
    data = parse_yaml(SAMPLE).data
    del data["id"]
    assert edited_yaml(SAMPLE, data) == SAMPLE.replace("id: x   # id-kommentar\n", "")


def test_items_apart_with_blank_lines_stay_apart() -> None:
    text = "items:\n  - number: 1\n    title: a\n\n  - number: 2\n    title: b\n"
    data = parse_yaml(text).data
    data["items"].insert(1, {"number": 3, "title": "c"})
    assert edited_yaml(text, data) == (
        "items:\n  - number: 1\n    title: a\n\n  - number: 3\n    title: c\n\n  - number: 2\n    title: b\n"
    )
    data = parse_yaml(text).data
    del data["items"][1]
    assert edited_yaml(text, data) == "items:\n  - number: 1\n    title: a\n"


def test_neighbours_apart_with_blank_lines_can_go_together() -> None:
    text = "items:\n  - a: 1\n\n  - a: 2\n\n  - a: 3\nend: 1\n"
    assert edited_yaml(text, {"items": [{"a": 3}], "end": 1}) == "items:\n  - a: 3\nend: 1\n"
    assert edited_yaml(text, {"items": [{"a": 1}], "end": 1}) == "items:\n  - a: 1\nend: 1\n"


def test_a_text_kept_with_its_final_blank_lines_gets_no_end_mark() -> None:
    text = "a: 1\nb: 2\n"
    assert edited_yaml(text, {"a": "slut\n\n", "b": 2}) == "a: |+\n  slut\n\nb: 2\n"
    assert edited_yaml(text, {"a": 1, "ny": "slut\n\n", "b": 2}) == "a: 1\nny: |+\n  slut\n\nb: 2\n"


KEPT = "slut\n\n"


@pytest.mark.parametrize(
    ("text", "value", "expected"),
    [
        ("  a: 1\n\n  b: 2\n", {"a": KEPT, "b": 2}, "  a: |+\n    slut\n\n  b: 2\n"),
        ("  a: 1\n\n  b: 2\n", {"a": 1, "ny": KEPT, "b": 2}, "  a: 1\n  ny: |+\n    slut\n\n  b: 2\n"),
        ("  a:\n    - x\n\n  b: 2\n", {"a": ["x", KEPT], "b": 2}, "  a:\n    - x\n    - |+\n      slut\n\n  b: 2\n"),
    ],
)
def test_a_text_kept_with_its_final_blank_lines_takes_in_no_blank_line_below(
    text: str, value: Any, expected: str
) -> None:
    head = "top:\n  # kommentar\n  först: 0\n"
    data = {"top": {"först": 0, **value}}
    assert edited_yaml(head + text, data) == head + expected


def test_a_heading_at_the_end_of_a_text_is_not_a_comment_of_the_next_key() -> None:
    text = "items:\n  - body: |\n      Text.\n      # Rubrik\n    end: 1\n  # kvar\n  - x: 1\n"
    data = {"items": [{"body": "Text.\n# Rubrik\n"}, {"x": 1}]}
    assert edited_yaml(text, data) == text.replace("    end: 1\n", "")


def test_a_block_scalar_keeps_its_indentation() -> None:
    text = "body: |\n    fyra\n    steg\nend: 1\n"
    assert edited_yaml(text, {"body": "ny\ntext\n", "end": 1}) == "body: |\n    ny\n    text\nend: 1\n"


def test_the_first_key_of_a_list_item_changes_in_place() -> None:
    text = "items:\n  - number: 1  # nr\n    title: a\n"
    data = {"items": [{"number": 2, "title": "a"}]}
    assert edited_yaml(text, data) == "items:\n  - number: 2  # nr\n    title: a\n"
    data = {"items": [{"title": "a"}]}
    assert edited_yaml(text, data) == "items:\n  - title: a\n"


UNUSUAL = [
    pytest.param("a: &x 1\nb: *x\n", id="anchor"),
    pytest.param("a:\n\t- 1\n", id="tab"),
    pytest.param("{a: 1, b: 2}\n", id="flow-document"),
    pytest.param("a: !!str 1\n", id="tag"),
    pytest.param("- 1\n", id="not-a-mapping"),
    pytest.param("a: [1\n", id="unreadable"),
]


@pytest.mark.parametrize("text", UNUSUAL)
def test_an_unusual_file_is_written_whole_and_reads_back(text: str) -> None:
    data = {"a": "ny", "b": [1, "12:00"]}
    result = edited_yaml("# behålls\n" + text, data)
    assert result == "# behålls\na: ny\nb:\n  - 1\n  - '12:00'\n"


def test_data_that_cannot_be_written_is_refused_in_swedish() -> None:
    with pytest.raises(SbError, match="läses tillbaka"):
        edited_yaml(SAMPLE, {"when": object()})


def test_markdown_keeps_front_matter_minimal_and_replaces_the_body() -> None:
    text = "---\n# kommentar\nid: x\ntitle: T  # t\n---\n# Rubrik\n\nText.\n"
    result = edited_document(text, {"id": "x", "title": "Ny", "body": "# Rubrik\n\nAnnan text.\n"}, markdown=True)
    assert result == "---\n# kommentar\nid: x\ntitle: Ny  # t\n---\n# Rubrik\n\nAnnan text.\n"
    assert edited_document(text, {"id": "x", "title": "T", "body": "# Rubrik\n\nText.\n"}, markdown=True) == text


def test_unchanged_markdown_is_returned_byte_for_byte() -> None:
    text = "---\nid: x\n---"
    assert edited_document(text, {"id": "x", "body": ""}, markdown=True) is text


def test_markdown_without_front_matter_gets_one() -> None:
    assert edited_document("bara text\n", {"id": "x", "body": "ny\n"}, markdown=True) == "---\nid: x\n---\nny\n"


# --- The diff test: single-field edits of every shipped document -------------------------------


def _read(relpath: str) -> tuple[str, dict[str, Any], dict[Path_, Any], int]:
    """Text, data (with a Markdown body), key positions in file lines, and the YAML's last line."""
    text = (REPO / relpath).read_text("utf-8")
    if relpath.endswith(".md"):
        lines = text.split("\n")
        close = next(i for i in range(1, len(lines)) if lines[i].rstrip() in ("---", "..."))
        parsed = parse_yaml("\n".join(lines[1:close]), 1)
        return text, {**parsed.data, "body": "\n".join(lines[close + 1 :])}, parsed.positions, close
    parsed = parse_yaml(text)
    return text, parsed.data, parsed.positions, text.count("\n")


def _block(positions: dict[Path_, Any], path: Path_, last: int) -> tuple[int, int]:
    """The lines of `path`'s block: from its key to the line before the next key outside it."""
    start = positions[path].line
    later = [p.line for key, p in positions.items() if key[: len(path)] != path and p.line > start]
    return start, (min(later) - 1 if later else last)


def _paths(value: Any, path: Path_ = ()) -> list[tuple[Path_, Any]]:
    found = [(path, value)]
    children = value.items() if isinstance(value, dict) else enumerate(value) if isinstance(value, list) else []
    for key, child in children:
        found.extend(_paths(child, (*path, key)))
    return found


def _single_field_edits(data: dict[str, Any]) -> list[tuple[str, Path_, Any]]:
    """(name, the field's path, the change) for each kind of edit the document has a field for."""
    fields = [(path, value) for path, value in _paths(data) if path and path[0] != "body"]
    edits: list[tuple[str, Path_, Any]] = []
    top = next(((p, v) for p, v in fields if len(p) == 1 and isinstance(v, str)), None)
    if top:
        edits.append(("top-level scalar", top[0], _set(top[0], top[1] + " (ändrad)")))
    nested = [(p, v) for p, v in fields if len(p) > 1 and isinstance(v, str) and isinstance(p[-1], str)]
    for path, value in [
        *nested[:: max(1, len(nested) // 4)][:4],
        *[(p, v) for p, v in nested if p[-2:] == (0, "title")],
    ]:
        edits.append(("nested scalar", path, _set(path, value + " ändrad")))
    lists = [(p, v) for p, v in fields if isinstance(v, list) and v and all(isinstance(x, str) for x in v)]
    for path, value in lists[:: max(1, len(lists) // 3)][:3]:
        edits.append(("list item added", path, _append(path, "ny punkt: med kolon")))
        edits.append(("list item removed", path, _remove((*path, len(value) - 1))))
    records = [(p, v) for p, v in fields if isinstance(v, list) and v and all(isinstance(x, dict) for x in v)]
    for path, value in records[:2]:
        edits.append(("list item added", path, _append(path, {**value[-1], "title": "Ny punkt"})))
        edits.append(("list item removed", path, _remove((*path, 0))))
    last_key = [key for key in data if key != "body"][-1]
    edits.append(("top-level key added", (last_key,), _add_after(last_key, "zz_ny", "12:00")))
    return edits


DIFF_CASES = [
    pytest.param(relpath, name, path, change, id=f"{relpath.split('/')[-1]}-{name}-{'/'.join(map(str, path))}")
    for relpath in CORPUS
    for name, path, change in _single_field_edits(_read(relpath)[1])
]


def _edited_file(relpath: str, text: str, data: dict[str, Any]) -> str:
    result = edited_document(text, data, markdown=relpath.endswith(".md"))
    loaded = parse_bytes(relpath, result.encode("utf-8")).source
    assert loaded is not None
    read = {**loaded.data, "body": loaded.body} if relpath.endswith(".md") else loaded.data
    assert same(read, data)
    return result


@pytest.mark.parametrize(("relpath", "name", "path", "change"), DIFF_CASES)
def test_one_field_edit_touches_only_that_fields_lines(relpath: str, name: str, path: Path_, change: Any) -> None:
    text, data, positions, last = _read(relpath)
    new = copy.deepcopy(data)
    change(new)
    result = _edited_file(relpath, text, new)
    lo, hi = _block(positions, path, last)
    matcher = difflib.SequenceMatcher(a=text.splitlines(), b=result.splitlines(), autojunk=False)
    changed = [(tag, i1 + 1, i2) for tag, i1, i2, _, _ in matcher.get_opcodes() if tag != "equal"]
    assert changed, "nothing changed"
    for tag, first, end in changed:
        touched = range(first, end + 1) if tag != "insert" else range(first, first + 1)
        assert lo <= min(touched) and max(touched) <= hi + 1, (tag, first, end, lo, hi)
        assert tag == "insert" or name != "top-level key added"


def test_the_diff_test_covers_every_document_and_kind_of_edit() -> None:
    assert {case.values[0] for case in DIFF_CASES} == set(CORPUS)
    assert {case.values[1] for case in DIFF_CASES} >= {
        "top-level scalar",
        "nested scalar",
        "list item added",
        "list item removed",
        "top-level key added",
    }


def test_editing_a_decision_of_the_lsvo_protocol_changes_one_line() -> None:
    text, data, _, _ = _read(LSVO)
    new = copy.deepcopy(data)
    new["items"][1]["decisions"][0] = "godkänna protokollet"
    assert _changed_lines(text, _edited_file(LSVO, text, new)) == [
        "-      - godkänna för 2023-05-12 upprättat sammanträdesprotokoll",
        "+      - godkänna protokollet",
    ]


# --- The property: generated edits of the corpus always read back ------------------------------------

SCALARS = st.one_of(
    st.sampled_from(AWKWARD),
    st.text(max_size=12),
    st.integers(-5, 10**6),
    st.booleans(),
    st.none(),
    st.floats(allow_nan=False, allow_infinity=False, width=32),
)
VALUES = st.recursive(
    SCALARS,
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.sampled_from(["a", "b", "12:00", "ja"]), inner, max_size=3)
    ),
    max_leaves=5,
)


def _containers(value: Any, path: Path_ = ()) -> list[Path_]:
    return [p for p, v in _paths(value, path) if isinstance(v, (dict, list))]


def _mutate(draw: Any, data: dict[str, Any]) -> None:
    """One change somewhere in `data`: a value changed, added or removed."""
    path = draw(st.sampled_from(_containers(data)))
    target: Any = data
    for part in path:
        target = target[part]
    action = draw(st.sampled_from(["change", "add", "remove"]))
    if isinstance(target, dict):
        keys = [k for k in target if not (path == () and k in ("body",))]
        if action == "add" or not keys or (action == "remove" and len(target) == 1):
            key, value = draw(st.sampled_from(["ny", "12:00", "yes", "a b"])), draw(VALUES)
            items = [(k, v) for k, v in target.items() if k != key]
            items.insert(draw(st.integers(0, len(items))), (key, value))
            target.clear()
            target.update(items)
        elif action == "remove":
            del target[draw(st.sampled_from(keys))]
        else:
            target[draw(st.sampled_from(keys))] = draw(VALUES)
    elif action == "add" or not target:
        target.insert(draw(st.integers(0, len(target))), draw(VALUES))
    elif action == "remove":
        del target[draw(st.integers(0, len(target) - 1))]
    else:
        target[draw(st.integers(0, len(target) - 1))] = draw(VALUES)


@pytest.mark.slow
@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_generated_edits_of_the_corpus_always_read_back(data: st.DataObject) -> None:
    relpath = data.draw(st.sampled_from(CORPUS))
    text, old, _, _ = _read(relpath)
    assert _edited_file(relpath, text, copy.deepcopy(old)) == text
    new = copy.deepcopy(old)
    for _ in range(data.draw(st.integers(1, 3))):
        _mutate(data.draw, new)
    _edited_file(relpath, text, new)


def test_corpus_files_are_found() -> None:
    assert LSVO in CORPUS and any(path.endswith(".md") for path in CORPUS)
    assert all((REPO / path).is_file() for path in CORPUS) and Path(REPO / LSVO).exists()
