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
    return subprocess.Popen([sys.executable, "-m", "sb_cli", *map(str, args)], cwd=cwd,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


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
    survived = 0
    for _ in range(KILLS):
        for name in ("LSVO-2023-06-16.pdf", "LSVO-2023-06-16.md"):
            (out / name).write_bytes(old)
        process = start("render", "protocol", "documents/protokoll/LSVO/2023-06-16.yaml", "--to", "md",
                        "--to", "pdf", "--out", out, cwd=repo)
        kill_at_random(process, rng, 2.5)
        pdf = (out / "LSVO-2023-06-16.pdf").read_bytes()
        if pdf != old:
            with pikepdf.open(out / "LSVO-2023-06-16.pdf") as document:  # complete, or this raises
                assert len(document.pages) > 0
        md = (out / "LSVO-2023-06-16.md").read_text("utf-8", errors="replace")
        assert md == old.decode() or md.rstrip().endswith("sb " + __import__("sb_cli").__version__)
        survived += 1
    assert survived == KILLS


def test_new_and_adjust_killed_leave_old_or_complete_files(repo):
    rng = random.Random(2)
    kallelse = repo / "documents" / "kallelse" / "LSVO" / "2026-12-04.yaml"
    subprocess.run([sys.executable, "-m", "sb_cli", "new", "kallelse", "--forum", "LSVO", "--date", "2026-12-04"],
                   cwd=repo, check=True, capture_output=True)
    complete = kallelse.read_bytes()
    for _ in range(KILLS):
        kallelse.write_bytes(b"# old\n")
        kill_at_random(start("new", "kallelse", "--forum", "LSVO", "--date", "2026-12-04", "--force", cwd=repo),
                       rng, 1.5)
        assert kallelse.read_bytes() in (b"# old\n", complete)

    protocol = repo / "documents" / "protokoll" / "LSVO" / "2023-06-16.yaml"
    original = protocol.read_bytes()
    for _ in range(KILLS):
        protocol.write_bytes(original)
        kill_at_random(start("adjust", protocol, "--date", "2023-06-20", cwd=repo), rng, 2.0)
        now = protocol.read_bytes()
        if now != original:
            data = yaml.safe_load(now)  # complete, or this raises
            assert str(data["adjusted"]) == "2023-06-20"
            assert len(data["items"]) == 12
