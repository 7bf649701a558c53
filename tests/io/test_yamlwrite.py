"""What sb writes reads back as the same data, and a change touches only the lines it must."""

import datetime as dt
import os
import subprocess
import sys

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from sb_cli.io.yamlpos import parse_yaml
from sb_cli.io.yamlwrite import add_key, dump, dump_new
from tests.conftest import REPO, as_draft

EXAMPLES = int(os.environ.get("HYPOTHESIS_EXAMPLES", "150"))
TRICKY = [
    "12:00",
    "08:15",
    "13:00",
    "1:30:00",
    "yes",
    "no",
    "on",
    "off",
    "y",
    "n",
    "Yes",
    "NO",
    "true",
    "False",
    "null",
    "Null",
    "~",
    "",
    " ",
    "0123",
    "0o17",
    "0x1F",
    "1e3",
    "1E-3",
    "-1",
    "+1",
    "1_000",
    ".5",
    "5.",
    ".inf",
    "-.Inf",
    ".nan",
    "2023-06-16",
    "2023-6-16",
    "2023-06-16T08:15:00",
    "#kommentar",
    "a #b",
    "a: b",
    "- x",
    "[x]",
    "{x}",
    "*x",
    "&x",
    "!x",
    "%x",
    "@x",
    "`x`",
    "'x'",
    '"x"',
    "x\ny",
    "x\n",
    "\tx",
    "x ",
    "§ 61",
    "Åsa Gyberg-Karlsson",
    "att\tgodkänna",
    "=1+1",
    "<<",
]
scalars = st.none() | st.booleans() | st.integers(-(10**20), 10**20) | st.sampled_from(TRICKY) | st.text(max_size=30)
keys = st.text(alphabet="abcdefghijklmnopqrstuvwxyz_", min_size=1, max_size=12)
values = st.recursive(
    scalars, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(keys, inner, max_size=4), max_leaves=20
)


@pytest.mark.slow
@settings(max_examples=EXAMPLES, deadline=None, derandomize=True)
@given(st.dictionaries(keys, values, min_size=1, max_size=6))
def test_what_sb_writes_reads_back_as_the_same_data(data):
    text = dump_new(data, header="Rubrik\n\nmed tom rad", comments={key: "en kommentar" for key in list(data)[:2]})
    assert parse_yaml(text).data == data
    assert yaml.safe_load(text) == _as_pyyaml_reads(data)


def _as_pyyaml_reads(value):
    """PyYAML makes dates of plain dates; sb's own reader keeps them as text."""
    if isinstance(value, str) and len(value) == 10 and value[4] == "-" and value[7] == "-":
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            return value
    if isinstance(value, dict):
        return {k: _as_pyyaml_reads(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_as_pyyaml_reads(v) for v in value]
    return value


def test_times_and_words_yaml_would_misread_are_quoted_dates_are_plain():
    assert dump({"end": "12:00", "ok": "yes", "n": "0123", "e": "1e3", "d": "2023-06-20"}) == (
        "end: '12:00'\nok: 'yes'\nn: '0123'\ne: '1e3'\nd: 2023-06-20\n"
    )


def test_adjusting_the_shipped_protocol_adds_exactly_one_line(tmp_path):
    shipped = (REPO / "documents" / "protokoll" / "LSVO" / "2023-06-16.yaml").read_text("utf-8")
    original = as_draft(shipped)
    path = tmp_path / "p.yaml"
    path.write_text(original, "utf-8")
    add_key(path, "adjusted", "2023-06-20", after="adjusters")
    before, after = original.splitlines(), path.read_text("utf-8").splitlines()
    assert len(after) == len(before) + 1
    added = next(i for i, (a, b) in enumerate(zip(before, after, strict=False)) if a != b)
    assert after[added] == "adjusted: 2023-06-20"
    assert after[:added] + after[added + 1 :] == before
    assert after[added - 1] == "adjusters: []"
    data = parse_yaml(path.read_text("utf-8")).data
    assert data["adjusted"] == "2023-06-20" and data["meeting"]["end"] == "12:00"


def test_a_key_is_added_at_the_end_when_its_neighbour_is_missing(tmp_path):
    path = tmp_path / "p.yaml"
    path.write_text("id: x\nitems: []", "utf-8")
    add_key(path, "adjusted", "2023-06-20", after="adjusters")
    assert path.read_text("utf-8") == "id: x\nitems: []\nadjusted: 2023-06-20\n"


@pytest.mark.slow
def test_two_processes_creating_one_file_one_wins_and_the_other_is_told(tmp_path):
    script = (
        "import sys; from pathlib import Path; from sb_cli.io.yamlwrite import write_new\n"
        "from sb_cli.errors import SbError\n"
        "try:\n    write_new(Path(sys.argv[1]), sys.argv[2] * 200000, force=False)\n"
        "except SbError as e:\n    print(e.message); sys.exit(2)\n"
    )
    for attempt in range(10):
        target = tmp_path / f"r{attempt}.md"
        processes = [
            subprocess.Popen([sys.executable, "-c", script, str(target), letter], stdout=subprocess.PIPE, text=True)
            for letter in "ab"
        ]
        results = [(p.wait(), p.stdout.read()) for p in processes]
        assert sorted(code for code, _ in results) == [0, 2]
        loser = next(out for code, out in results if code == 2)
        assert "finns redan" in loser
        winner = "ab"[[code for code, _ in results].index(0)]
        assert target.read_text() == winner * 200000
        assert sorted(p.name for p in tmp_path.iterdir()) == sorted(f"r{i}.md" for i in range(attempt + 1))


def test_a_protocol_written_as_json_gets_its_key_inside_the_braces(tmp_path):
    import json

    data = yaml.safe_load((REPO / "documents" / "protokoll" / "LSVO" / "2023-06-16.yaml").read_text("utf-8"))
    assert data.pop("adjusted") is True  # as the draft it was before it was recorded justerat
    path = tmp_path / "p.yaml"
    path.write_text(json.dumps(data, ensure_ascii=False, default=str), "utf-8")
    add_key(path, "adjusted", "2023-06-20", after="adjusters")
    read = parse_yaml(path.read_text("utf-8")).data
    assert read == {"adjusted": "2023-06-20", **json.loads(json.dumps(data, default=str))}
