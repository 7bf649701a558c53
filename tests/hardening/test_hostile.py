"""Named hostile inputs, each through the command a user runs: a finding or a clear error, never a
traceback, and nothing written outside the output folder."""

import json
import shutil

import pytest

from tests.conftest import CASES, REPO, sb

HOSTILE_FILES = {
    "alias-bomb.yaml": b"a: &a [x,x,x,x,x,x,x,x,x,x]\n"
    + b"".join(
        f"{c}: &{c} [{', '.join([f'*{p}'] * 10)}]\n".encode() for p, c in zip("abcdefgh", "bcdefghi", strict=True)
    ),
    "binary.yaml": bytes(range(256)) * 4,
    "utf16.yaml": "id: x\ntitle: Sölvesborg\n".encode("utf-16"),
    "cp1252.yaml": "id: x\ntitle: Sölvesborg\n".encode("cp1252"),
    "control.yaml": b"id: x\ntitle: a\x0bb\n",
    "unclosed.md": b"---\nid: x\n",
}


@pytest.fixture
def repo(tmp_path):
    (tmp_path / "documents").mkdir()
    shutil.copy(CASES / "organisation.yaml", tmp_path / "documents" / "organisation.yaml")
    return tmp_path


def validate(root):
    result = sb("validate", "--format", "json", "--as-of", "2026-03-01", cwd=root)
    assert "Traceback" not in result.stderr
    return result.returncode, json.loads(result.stdout)


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(HOSTILE_FILES))
def test_hostile_file_is_one_sb001(repo, name):
    (repo / "documents" / name).write_bytes(HOSTILE_FILES[name])
    code, report = validate(repo)
    assert code == 1
    assert [(f["code"], f["path"]) for f in report["findings"] if f["code"] != "SB041"] == [
        ("SB001", f"documents/{name}")
    ]


def test_a_100_mb_file_is_refused_without_reading_it(repo):
    with open(repo / "documents" / "huge.yaml", "wb") as stream:
        stream.truncate(100 * 1024 * 1024)
    code, report = validate(repo)
    assert code == 1
    (finding,) = [f for f in report["findings"] if f["code"] == "SB001"]
    assert "för stor (104.9 MB" in finding["message"]


def test_bom_and_crlf_are_fine(repo):
    text = (CASES / "valid" / "documents" / "kallelse.yaml").read_text("utf-8")
    (repo / "documents" / "k.yaml").write_bytes(b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode())
    code, report = validate(repo)
    assert code == 0


def test_symlink_loops_and_links_out_of_the_repository(repo, tmp_path_factory):
    outside = tmp_path_factory.mktemp("outside") / "secret.yaml"
    outside.write_text("id: secret\n")
    (repo / "documents" / "out.yaml").symlink_to(outside)
    (repo / "documents" / "loop.yaml").symlink_to(repo / "documents" / "loop.yaml")
    (repo / "documents" / "dir-loop").symlink_to(repo / "documents")
    code, report = validate(repo)
    paths = {f["path"]: f["message"] for f in report["findings"] if f["code"] == "SB001"}
    assert "utanför" in paths["documents/out.yaml"]
    assert "documents/loop.yaml" in paths
    assert not any(p.startswith("documents/dir-loop") for p in paths)


@pytest.mark.slow
def test_ids_with_path_separators(repo, tmp_path):
    (repo / "documents" / "r.yaml").write_text(
        "id: ../../etc/passwd\ntype: rutin\ntitle: T\nowner: LSVO\nstatus: utkast\nversion: '0.1'\n"
    )
    code, report = validate(repo)
    assert ("SB002", 1) in {(f["code"], f["line"]) for f in report["findings"]}
    result = sb("render", "documents/r.yaml", "--to", "md", "--out", str(tmp_path / "ut"), cwd=repo)
    assert result.returncode == 1 and "documents/r.yaml renderas inte" in result.stderr
    assert not (tmp_path / "etc").exists()
    result = sb("new", "rutin", "--id", "../x", "--title", "T", "--owner", "LSVO", cwd=repo)
    assert result.returncode == 2 and not (repo / "x.md").exists()


@pytest.mark.slow
def test_templates_that_try_to_read_files_or_run_code(tmp_path):
    repo = tmp_path / "repo"
    shutil.copytree(REPO / "documents", repo / "documents")
    (repo / "templates" / "_common").mkdir(parents=True)
    (repo / "templates" / "_common" / "dokument.html.j2").write_text(
        "{{ view.__class__.__init__.__globals__['os'].system('touch pwned') }}"
    )
    result = sb("render", "documents/protokoll/LSVO/2023-06-16.yaml", "--to", "html", "--out", "ut", cwd=repo)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert not (repo / "pwned").exists()
    (repo / "templates" / "protokoll").mkdir()
    (repo / "templates" / "protokoll" / "mall.typ").write_text('#read("../../../../../../etc/passwd")\n')
    result = sb("render", "documents/protokoll/LSVO/2023-06-16.yaml", "--to", "pdf", "--out", "ut", cwd=repo)
    assert result.returncode == 2 and "mallen" in result.stderr
    assert not list((repo / "ut").glob("*.pdf")) if (repo / "ut").exists() else True


@pytest.mark.slow
def test_control_characters_word_would_reject(tmp_path):
    from docx import Document as WordDocument

    repo = tmp_path / "repo"
    shutil.copytree(REPO / "documents", repo / "documents")
    path = repo / "documents" / "protokoll" / "LSVO" / "2023-06-16.yaml"
    path.write_text(
        path.read_text("utf-8")
        .replace("LSVO beslutar", "LSVO beslutar")
        .replace("via Teams", 'via Teams "\\x0b\\x1b"'),
        "utf-8",
    )
    result = sb("render", "documents/protokoll/LSVO/2023-06-16.yaml", "--to", "docx", "--out", "ut", cwd=repo)
    assert result.returncode == 0, result.stderr
    WordDocument(repo / "ut" / "LSVO-2023-06-16.docx")  # opens: no illegal XML characters


def test_fifos_sockets_and_devices_are_sb001_and_never_opened(repo):
    import os
    import socket
    import stat

    os.mkfifo(repo / "documents" / "fifo.yaml")  # opening it for reading would wait for a writer for ever
    listener = socket.socket(socket.AF_UNIX)
    listener.bind(str(repo / "documents" / "uttag.yaml"))
    try:
        os.mknod(repo / "documents" / "noll.yaml", stat.S_IFCHR | 0o600, os.makedev(1, 5))  # /dev/zero
        device = True
    except (PermissionError, OSError):  # no CAP_MKNOD here: the FIFO and the socket still count
        device = False
    code, report = validate(repo)
    listener.close()
    found = {f["path"]: f["message"] for f in report["findings"] if f["code"] == "SB001"}
    assert found["documents/fifo.yaml"] == "ingen vanlig fil utan en namngiven pipe (FIFO)"
    assert found["documents/uttag.yaml"] == "ingen vanlig fil utan ett uttag (socket)"
    if device:
        assert found["documents/noll.yaml"] == "ingen vanlig fil utan en enhetsfil"
    assert code == 1


def test_an_anchored_long_text_aliased_a_thousand_times_is_one_sb001(repo):
    text = "a: &a '" + "x" * 1_000_000 + "'\nb: [" + ", ".join(["*a"] * 1000) + "]\n"
    (repo / "documents" / "alias.yaml").write_text(text)
    code, report = validate(repo)
    (finding,) = [f for f in report["findings"] if f["code"] == "SB001"]
    assert finding["message"] == "aliasen i dokumentet blir över 20 miljoner tecken text (alias-bomb?)"
    assert (finding["path"], finding["line"]) == ("documents/alias.yaml", 2)
