"""Crash safety: `sb render`, `sb new` and `sb adjust` killed with SIGKILL at random moments leave
every output as the old file or a complete new one. KILLS runs per command (default 12)."""

import os
import random
import shutil
import signal
import subprocess
import sys
import time

import pytest
import yaml

from tests.conftest import REPO

KILLS = int(os.environ.get("SB_KILLS", "12"))


def start(*args, cwd):
    return subprocess.Popen(
        [sys.executable, "-m", "sb_cli", *map(str, args)], cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )


def duration(*args, cwd) -> float:
    """How long the command takes uninterrupted: kills land at random moments within it."""
    started = time.perf_counter()
    assert start(*args, cwd=cwd).wait() == 0
    return time.perf_counter() - started


def kill_at_random(process, rng, longest):
    time.sleep(rng.uniform(0, longest))
    process.send_signal(signal.SIGKILL)
    process.wait()


@pytest.fixture
def repo(tmp_path):
    shutil.copytree(REPO / "documents", tmp_path / "documents")
    return tmp_path


def test_render_killed_leaves_old_or_complete_files(repo):
    import pikepdf

    out = repo / "ut"
    out.mkdir()
    old = b"old file"
    rng = random.Random(1)
    survived, replaced = 0, 0
    command = (
        "render",
        "protocol",
        "documents/protokoll/LSVO/2023-06-16.yaml",
        "--to",
        "md",
        "--to",
        "pdf",
        "--out",
        out,
    )
    longest = duration(*command, cwd=repo)
    for _ in range(KILLS):
        for name in ("LSVO-2023-06-16.pdf", "LSVO-2023-06-16.md"):
            (out / name).write_bytes(old)
        kill_at_random(start(*command, cwd=repo), rng, longest)
        pdf = (out / "LSVO-2023-06-16.pdf").read_bytes()
        if pdf != old:
            replaced += 1
            with pikepdf.open(out / "LSVO-2023-06-16.pdf") as document:  # complete, or this raises
                assert len(document.pages) > 0
        md = (out / "LSVO-2023-06-16.md").read_text("utf-8", errors="replace")
        assert md == old.decode() or md.rstrip().endswith("sb " + __import__("sb_cli").__version__)
        survived += 1
    assert survived == KILLS
    assert start(*command, cwd=repo).wait() == 0
    assert not list(out.glob(".*.tmp")), "the next run removes what killed runs left behind"
    print(f"\nsb render: {KILLS} avbrott, {replaced} med ny PDF, {KILLS - replaced} med den gamla, 0 trasiga")


def test_new_and_adjust_killed_leave_old_or_complete_files(repo):
    rng = random.Random(2)
    kallelse = repo / "documents" / "kallelse" / "LSVO" / "2026-12-04.yaml"
    new = ("new", "kallelse", "--forum", "LSVO", "--date", "2026-12-04", "--force")
    longest = duration(*new, cwd=repo)
    complete = kallelse.read_bytes()
    written = 0
    for _ in range(KILLS):
        kallelse.write_bytes(b"# old\n")
        kill_at_random(start(*new, cwd=repo), rng, longest)
        assert kallelse.read_bytes() in (b"# old\n", complete)
        written += kallelse.read_bytes() == complete

    protocol = repo / "documents" / "protokoll" / "LSVO" / "2023-06-16.yaml"
    original = protocol.read_bytes()
    longest = duration("adjust", protocol, "--date", "2023-06-20", cwd=repo)
    adjusted = 0
    for _ in range(KILLS):
        protocol.write_bytes(original)
        kill_at_random(start("adjust", protocol, "--date", "2023-06-20", cwd=repo), rng, longest)
        now = protocol.read_bytes()
        if now != original:
            adjusted += 1
            data = yaml.safe_load(now)  # complete, or this raises
            assert str(data["adjusted"]) == "2023-06-20"
            assert len(data["items"]) == 12
    assert start(*new, cwd=repo).wait() == 0
    assert not list(kallelse.parent.glob(".*.tmp"))
    print(
        f"\nsb new: {KILLS} avbrott, {written} med ny fil; sb adjust: {KILLS} avbrott, {adjusted} justerade; 0 trasiga"
    )
