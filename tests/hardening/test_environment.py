"""Failures of the operating system are usage errors (exit 2) that name the path in Swedish, and
signals end `sb render --all` quickly and cleanly."""

import os
import resource
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import processes_with, sb, wait_until

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
    return processes_with("TMPDIR", str(tmp))


def _cpu_limit(pid: int) -> str:
    """The soft limit on a process's CPU time, as /proc shows it ("unlimited" or seconds)."""
    for line in Path(f"/proc/{pid}/limits").read_text().splitlines():
        if line.startswith("Max cpu time"):
            return line.split()[3]
    return "unlimited"


def rendering(tmp: Path) -> bool:
    """A worker has taken a document: it set its own CPU-time limit, which it does first with each
    job (render/isolation.py, limit_time)."""
    ours = _cpu_limit(os.getpid())
    for pid in _ours(tmp):
        try:
            if _cpu_limit(pid) != ours:
                return True
        except OSError:  # it ended meanwhile
            continue
    return False


STOP_SECONDS = 2  # "inom ett par sekunder" (README)


@pytest.mark.slow
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
    wait_until(lambda: rendering(tmp) or process.poll() is not None, 60, "ingen arbetsprocess tog ett dokument")
    assert process.poll() is None, process.communicate()[1]
    process.send_signal(sent)
    try:
        _, stderr = process.communicate(timeout=STOP_SECONDS)
    except subprocess.TimeoutExpired:
        process.kill()
        process.communicate()
        pytest.fail(f"sb render --all slutade inte inom {STOP_SECONDS} s efter {sent.name}")
    assert process.returncode == code, stderr
    assert list(tmp.iterdir()) == []
    wait_until(lambda: _ours(tmp) == [], STOP_SECONDS, f"processer lever kvar efter {sent.name}: {_ours(tmp)}")
    leftovers = [p for p in (repo / "ut").glob(".*.tmp")] if (repo / "ut").exists() else []
    assert leftovers == []
