from pathlib import Path

import pytest

from sb_cli.io.loader import discover, load


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
