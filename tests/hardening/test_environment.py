"""Failures of the operating system are usage errors (exit 2) that name the path in Swedish, and
signals end `sb render --all` quickly and cleanly."""

import os
import resource
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import sb

PROTOCOL = "documents/protokoll/LSVO/2023-06-16.yaml"


def test_an_output_folder_that_is_a_file(repo):
    (repo / "ut").write_text("en fil")
    result = sb("render", PROTOCOL, "--to", "md", "--out", "ut/sub", cwd=repo)
    assert result.returncode == 2
    assert result.stderr.strip().endswith("ut: en del av sökvägen är en fil, inte en mapp")
    assert (repo / "ut").read_text() == "en fil"


def test_a_folder_sb_may_not_write_in(repo):
    result = sb("render", PROTOCOL, "--to", "md", "--out", "/sys/sb-ut", cwd=repo)
    assert result.returncode == 2
    assert result.stderr.strip() in (
        "sb: fel: /sys/sb-ut: åtkomst nekas",
        "sb: fel: /sys/sb-ut: filsystemet är skrivskyddat",
    )


def test_a_full_disk(repo):
    """The file-size limit makes every write past 10 kB fail, as a full disk does."""
    limit = lambda: resource.setrlimit(resource.RLIMIT_FSIZE, (10_000, 10_000))  # noqa: E731
    result = subprocess.run(
        [sys.executable, "-m", "sb_cli", "render", PROTOCOL, "--to", "pdf", "--out", "ut"],
        cwd=repo,
        capture_output=True,
        text=True,
        preexec_fn=limit,
        timeout=120,
    )
    assert result.returncode == 2, result.stderr
    assert "filen blir större än filsystemet eller filgränsen tillåter" in result.stderr
    assert "Traceback" not in result.stderr
    assert not list((repo / "ut").glob("*")) if (repo / "ut").exists() else True


def _ours(tmp: Path) -> list[int]:
    """Processes still running with our TMPDIR (the command and its workers)."""
    found = []
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            if f"TMPDIR={tmp}".encode() in Path(f"/proc/{pid}/environ").read_bytes().split(b"\0"):
                found.append(int(pid))
        except OSError:
            continue
    return found


@pytest.mark.parametrize(("sent", "code"), [(signal.SIGINT, 130), (signal.SIGTERM, 143)])
def test_a_signal_stops_render_all_within_two_seconds_and_leaves_nothing(repo, tmp_path_factory, sent, code):
    tmp = tmp_path_factory.mktemp("tmp")
    environment = {**os.environ, "TMPDIR": str(tmp)}
    process = subprocess.Popen(
        [sys.executable, "-m", "sb_cli", "render", "--all", "--to", "pdf", "--to", "docx", "--out", "ut"],
        cwd=repo,
        env=environment,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 60
    while not list(tmp.glob("sb-mallar-*")) and time.monotonic() < deadline:
        time.sleep(0.05)  # rendering has begun once the mallar are laid out
    time.sleep(0.5)
    process.send_signal(sent)
    started = time.monotonic()
    _, stderr = process.communicate(timeout=30)
    assert time.monotonic() - started < 2, stderr
    assert process.returncode == code, stderr
    assert list(tmp.iterdir()) == []
    time.sleep(0.2)
    assert _ours(tmp) == []
    leftovers = [p for p in (repo / "ut").glob(".*.tmp")] if (repo / "ut").exists() else []
    assert leftovers == []
