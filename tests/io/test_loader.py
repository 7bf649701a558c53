import datetime as dt
import os
import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from sb_cli.io.loader import discover, load
from sb_cli.io.yamlpos import YamlError, parse_yaml


def write(root: Path, name: str, content: bytes | str) -> str:
    path = root / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content if isinstance(content, bytes) else content.encode())
    return name


def problem(root: Path, name: str, content: bytes | str, **kwargs):
    result = load(root, write(root, name, content), **kwargs)
    assert result.source is None
    return result.finding


def test_keys_carry_line_and_column(tmp_path):
    name = write(tmp_path, "d.yaml", "id: x\ntype: rutin\nmeeting:\n  date: 2023-06-16\n")
    document = load(tmp_path, name).source
    assert document.data["meeting"]["date"] == "2023-06-16"  # dates stay strings, as in JSON
    assert document.position("meeting", "date") == (document.positions[("meeting", "date")])
    assert (document.position("meeting", "date").line, document.position("meeting", "date").column) == (4, 3)


def test_markdown_front_matter_lines_are_file_lines(tmp_path):
    name = write(tmp_path, "d.md", "---\nid: x\ntitle: T\n---\n# Rubrik\n\nText\n")
    document = load(tmp_path, name).source
    assert document.position("title").line == 3
    assert document.body.startswith("# Rubrik")
    assert document.body_line == 5


@pytest.mark.parametrize(
    ("content", "line", "words"),
    [
        ("id: a\nid: b\n", 2, "två gånger"),
        ("id: [a\n", 2, "ogiltig YAML"),
        ("", 1, "tomt"),
        ("- a\n- b\n", 1, "mappning"),
        ("a: &x [*x]\n", 1, "rekursivt alias"),
        ("a: 1\n---\nb: 2\n", 2, "flera YAML-dokument"),
        ("a: \x07\n", 1, "styrtecken"),
        ("[" * 1000 + "]" * 1000, 1, "djup"),
    ],
)
def test_bad_yaml_is_one_sb001_finding_with_a_line(tmp_path, content, line, words):
    finding = problem(tmp_path, "d.yaml", content)
    assert finding.code == "SB001"
    assert finding.line == line
    assert words in finding.message


@pytest.mark.parametrize(
    ("content", "line", "column", "words", "hint"),
    [
        ("id: a\ntitle: Beslut: godkänt\n", 2, 14, "kolon följt av mellanslag", "sätt citattecken"),
        ("id: a\n\ttype: rutin\n", 2, 1, "tabbtecken", "ersätt tabben med mellanslag"),
        ('id: a\ntitle: "öppen\n', 2, 8, "citattecken stängs aldrig", "samma citattecken"),  # where it opens
        ("id: a\nparties: [a, b\n", 3, 1, "lista inom [ ]", "kommatecknen"),
        ('id: a\ntitle: "a" b\n', 2, 12, "text efter ett värde", "citattecken"),
        ("id: a\nowner: @x\n", 2, 8, "inte kan inleda", "citattecken"),
        ('id: a\ntitle: "x\\q"\n', 2, 10, "okänd kombination med \\", "enkla citattecken"),
        ("- a\nb: c\n", 2, 1, "indraget i listan", "-"),
    ],
)
def test_yaml_errors_say_in_swedish_what_to_do(tmp_path, content, line, column, words, hint):
    finding = problem(tmp_path, "d.yaml", content)
    assert finding.message.startswith("ogiltig YAML: ")
    assert words in finding.message
    assert hint in (finding.hint or "")
    assert (finding.line, finding.column) == (line, column)
    assert not any(english in finding.message for english in ("found", "expected", "while", "mapping"))


def test_alias_bomb_is_refused_quickly(tmp_path):
    rows = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    rows += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]" for i in range(1, 9)]
    finding = problem(tmp_path, "bomb.yaml", "\n".join(rows) + "\n")
    assert "alias-bomb" in finding.message


def test_unclosed_front_matter(tmp_path):
    finding = problem(tmp_path, "d.md", "---\nid: x\n# no end\n")
    assert "avslutas aldrig" in finding.message


@pytest.mark.parametrize(
    ("content", "words", "line"),
    [
        ("id: x\ntitle: Å\n".encode("utf-16"), "UTF-16", 1),
        ("id: x\ntitle: Sölvesborg\n".encode("cp1252"), "UTF-8", 2),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "binär", 1),
    ],
)
def test_encodings_other_than_utf8_are_named(tmp_path, content, words, line):
    finding = problem(tmp_path, "d.yaml", content)
    assert words in finding.message
    assert finding.line == line


def test_bom_and_crlf_are_accepted(tmp_path):
    name = write(tmp_path, "d.yaml", b"\xef\xbb\xbfid: x\r\ntitle: Sk\xc3\xa5ne\r\n")
    document = load(tmp_path, name).source
    assert document.data == {"id": "x", "title": "Skåne"}
    assert document.position("title").line == 2


def test_oversized_files_are_not_read(tmp_path):
    finding = problem(tmp_path, "big.yaml", "a: " + "x" * 2000 + "\n", max_bytes=1000)
    assert "för stor" in finding.message


def test_links_outside_the_repository_and_loops(tmp_path):
    outside = tmp_path / "outside.yaml"
    outside.write_text("id: x\n")
    root = tmp_path / "repo"
    (root / "documents").mkdir(parents=True)
    (root / "documents" / "link.yaml").symlink_to(outside)
    (root / "documents" / "loop.yaml").symlink_to(root / "documents" / "loop.yaml")
    assert "utanför" in load(root, "documents/link.yaml").finding.message
    assert load(root, "documents/loop.yaml").finding.code == "SB001"


def test_discover_skips_hidden_and_does_not_follow_directory_links(tmp_path):
    write(tmp_path, "documents/a.yaml", "id: a\n")
    write(tmp_path, "documents/sub/b.md", "---\nid: b\n---\n")
    write(tmp_path, "documents/.git/c.yaml", "id: c\n")
    write(tmp_path, "documents/notes.txt", "x")
    (tmp_path / "documents" / "again").symlink_to(tmp_path / "documents")
    assert discover(tmp_path, "documents") == ["documents/a.yaml", "documents/sub/b.md"]


LOOKALIKES = [
    *["12:00", "08:15", "190:20:30", "1:2:3.5", "yes", "No", "on", "OFF", "y", "n", "True", "FALSE", "~", "null"],
    *["Null", "", "0123", "0o17", "0x1F", "0b101", "1_000", "+12", "-0", "1e3", "1.5e-3", ".5", "1.", ".inf"],
    *["-.Inf", ".nan", "NaN", "2023-06-16", "2023-6-6", "2023-06-16 12:00:00", "2023-06-16T12:00:00Z", "=", "<<"],
    *["2001-12-14t21:59:43.10-05:00", "- a", "a: b", "#x", "x #y", "&a", "*a", "!x", "%x", "@x", "`x", "'", '"'],
    *["{", "[", ",", "?", "|", ">", " lead", "trail ", "two\nlines", "end\n", "tab\tin", "§66", "Sölvesborg"],
    *["\u2028", "\x85", "\ufeff", "\x00", "\u200f\u202e", "💥", "a" * 200, "a " * 60, "---", "...", "- - -"],
]
offsets = st.integers(-23 * 60 - 59, 23 * 60 + 59).map(lambda minutes: dt.timezone(dt.timedelta(minutes=minutes)))
scalars = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.integers(-(10**40), 10**40)
    | st.sampled_from([2**63, -(2**63) - 1, 2**64, 10**4299, -(10**4299)])  # 4,300 digits is Python's limit
    | st.floats(allow_nan=False)
    | st.text()
    | st.sampled_from(LOOKALIKES)
    | st.dates()
    | st.datetimes()
    | st.datetimes(timezones=offsets)
)
keys = st.text(max_size=20) | st.sampled_from(LOOKALIKES)
documents = st.recursive(
    scalars,
    lambda children: st.lists(children, max_size=5) | st.dictionaries(keys, children, max_size=5),
    max_leaves=30,
)


def timestamps_as_written(value: Any) -> Any:
    """What `yaml.safe_load` returned, with each date and datetime turned back into the text `safe_dump` wrote.

    The loader keeps a plain YAML timestamp as its text, as JSON would. The generated strings that only look
    like timestamps are quoted by the dumper and stay strings for both, so only real date and datetime values
    reach this: the dumper wrote each as its representer's text, and a value that round-trips gives the same
    text again, which is exactly what the loader returns."""
    if isinstance(value, dict):
        return {key: timestamps_as_written(item) for key, item in value.items()}
    if isinstance(value, list):
        return [timestamps_as_written(item) for item in value]
    if isinstance(value, dt.date):
        return yaml.representer.SafeRepresenter().represent_data(value).value
    return value


def typed(value: Any) -> Any:
    """Equality that tells True from 1, 1.0 from 1 and -0.0 from 0.0, and keeps the order of keys."""
    if isinstance(value, dict):
        return ("dict", [(key, typed(item)) for key, item in value.items()])
    if isinstance(value, list):
        return ("list", [typed(item) for item in value])
    return (type(value).__name__, repr(value) if isinstance(value, float) else value)


@pytest.mark.slow
@settings(max_examples=int(os.environ.get("HYPOTHESIS_EXAMPLES", "150")), deadline=None, derandomize=True)
@given(
    data=documents,
    flow=st.booleans(),
    allow_unicode=st.booleans(),
    sort_keys=st.booleans(),
    width=st.sampled_from([20, 80]),
)
def test_parse_yaml_reads_what_safe_load_reads(data, flow, allow_unicode, sort_keys, width):
    text = yaml.safe_dump(data, default_flow_style=flow, allow_unicode=allow_unicode, sort_keys=sort_keys, width=width)
    assert typed(parse_yaml(text).data) == typed(timestamps_as_written(yaml.safe_load(text)))


PLAIN = st.text(alphabet="0123456789abnoOtTyYfFNl.:+-_~=<exØö ", min_size=0, max_size=12)


@settings(max_examples=int(os.environ.get("HYPOTHESIS_EXAMPLES", "150")) * 4, deadline=None, derandomize=True)
# Not the anchors (&a, *a) nor "?", a key of its own: sb reads those differently on purpose.
@given(plain=st.lists(st.sampled_from([v for v in LOOKALIKES if v[:1] not in "&*?"]) | PLAIN, min_size=1, max_size=8))
def test_plain_scalars_read_as_safe_load_reads_them(plain):
    """Written plain, as a hand writes them (the dumper would quote a lookalike): each value is the
    type PyYAML's safe loader gives it (with libyaml, as sb reads), though most plain text is taken
    as text without asking its resolver."""
    text = "".join(f"k{index}: {value}\n" for index, value in enumerate(plain))
    try:
        expected = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except yaml.constructor.ConstructorError:  # a tag such as !x, which sb reads as its text
        return
    except yaml.YAMLError:
        with pytest.raises(YamlError):
            parse_yaml(text)
        return
    assert typed(parse_yaml(text).data) == typed(timestamps_as_written_plain(expected, text))


def timestamps_as_written_plain(value: Any, text: str) -> Any:
    """safe_load's mapping with each date or datetime as the text of its line, which the loader keeps."""
    lines = dict(re.findall(r"^(k\d+): (.*)$", text, flags=re.M))
    return {key: lines[key].strip() if isinstance(item, dt.date) else item for key, item in value.items()}
