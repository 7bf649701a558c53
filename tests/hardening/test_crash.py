"""Crash safety: `sb render`, `sb new` and `sb adjust` killed with SIGKILL at random moments leave
every file byte for byte as it was before or as an uninterrupted run writes it, never anything in
between. KILLS runs per command (default 12)."""

import os
import random
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

KILLS = int(os.environ.get("SB_KILLS", "12"))
ENV = {**os.environ, "SOURCE_DATE_EPOCH": "1700000000"}  # byte-reproducible output, so "complete" is one value

Tree = dict[str, bytes]


def start(*args, cwd):
    return subprocess.Popen(
        [sys.executable, "-m", "sb_cli", *map(str, args)],
        cwd=cwd,
        env=ENV,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
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


def is_temporary(path: Path) -> bool:
    """What `write_atomic` writes before the rename; a killed writer may leave it, the next write removes it."""
    return path.name.startswith(".") and path.name.endswith(".tmp")


def snapshot(root: Path) -> Tree:
    return {
        path.relative_to(root).as_posix(): path.read_bytes()
        for path in sorted(root.rglob("*"))
        if path.is_file() and not is_temporary(path)
    }


def old_or_new(name: str, now: bytes | None, old: bytes | None, new: bytes | None) -> str:
    """'old' or 'new' for a file that is exactly one of them (None: no such file); anything else fails."""
    if now == old:
        return "old"
    if now == new:
        return "new"

    def size(content: bytes | None) -> str:
        return "missing" if content is None else f"{len(content)} bytes"

    raise AssertionError(f"{name} is torn: {size(now)}, neither the old file ({size(old)}) nor the new ({size(new)})")


def compare(before: Tree, complete: Tree, now: Tree) -> dict[str, str]:
    """Every file in any of the three trees must be old or new; returns which for each."""
    names = sorted(before.keys() | complete.keys() | now.keys())
    return {name: old_or_new(name, now.get(name), before.get(name), complete.get(name)) for name in names}


def restore(root: Path, before: Tree, names: list[str]) -> None:
    for name in names:
        if name in before:
            (root / name).write_bytes(before[name])
        else:
            (root / name).unlink(missing_ok=True)


def kill_repeatedly(
    root: Path, command: tuple[object, ...], rng: random.Random
) -> tuple[Tree, dict[str, Counter[str]]]:
    """Run `command` once uninterrupted, then KILLS times killed, each from the same starting files.

    Returns the complete output and, per file the command writes, how often a kill left it old or new."""
    before = snapshot(root)
    longest = duration(*command, cwd=root)
    complete = snapshot(root)
    outputs = sorted(name for name in before.keys() | complete.keys() if before.get(name) != complete.get(name))
    assert outputs, "the uninterrupted run changes at least one file"
    left: dict[str, Counter[str]] = {name: Counter() for name in outputs}
    for _ in range(KILLS):
        restore(root, before, outputs)
        kill_at_random(start(*command, cwd=root), rng, longest)
        for name, outcome in compare(before, complete, snapshot(root)).items():
            if name in left:
                left[name][outcome] += 1
    restore(root, before, outputs)
    assert start(*command, cwd=root).wait() == 0
    assert snapshot(root) == complete, "an uninterrupted run writes the same bytes every time"
    assert not [p for p in root.rglob("*") if is_temporary(p)], "the next run removes what killed runs left behind"
    return complete, left


def summary(command: str, left: dict[str, Counter[str]]) -> str:
    files = "; ".join(f"{Path(name).name}: {c['old']} gamla, {c['new']} nya" for name, c in left.items())
    return f"\nsb {command}: {KILLS} avbrott; {files}; 0 trasiga"


def test_render_killed_leaves_old_or_complete_files(repo):
    import pikepdf

    out = repo / "ut"
    out.mkdir()
    names = ("LSVO-2023-06-16.pdf", "LSVO-2023-06-16.md")
    for name in names:
        (out / name).write_bytes(b"old file")
    command = ("render", "protocol", "documents/protokoll/LSVO/2023-06-16.yaml", "--to", "md", "--to", "pdf")
    complete, left = kill_repeatedly(repo, (*command, "--out", out), random.Random(1))
    assert sorted(left) == [f"ut/{name}" for name in sorted(names)]
    with pikepdf.open(out / "LSVO-2023-06-16.pdf") as document:  # the reference itself is a whole PDF
        assert len(document.pages) > 0
    assert complete["ut/LSVO-2023-06-16.md"].decode().rstrip().endswith("sb " + __import__("sb_cli").__version__)
    print(summary("render", left))


def test_new_killed_leaves_old_or_complete_file(repo):
    (repo / "documents" / "kallelse" / "LSVO").mkdir(parents=True, exist_ok=True)
    (repo / "documents" / "kallelse" / "LSVO" / "2026-12-04.yaml").write_bytes(b"# old\n")
    command = ("new", "kallelse", "--forum", "LSVO", "--date", "2026-12-04", "--force")
    _, left = kill_repeatedly(repo, command, random.Random(2))
    assert list(left) == ["documents/kallelse/LSVO/2026-12-04.yaml"]
    print(summary("new", left))


def test_adjust_killed_leaves_old_or_complete_file(repo):
    protocol = "documents/protokoll/LSVO/2023-06-16.yaml"
    complete, left = kill_repeatedly(repo, ("adjust", protocol, "--date", "2023-06-20"), random.Random(3))
    assert list(left) == [protocol]
    assert b"2023-06-20" in complete[protocol]
    print(summary("adjust", left))


def test_the_comparison_refuses_torn_missing_and_stray_files():
    """The check above is the whole test: it must fail on anything but the exact old or new bytes."""
    old, new = b"old file", b"%PDF-1.7 complete new output %%EOF"
    assert old_or_new("p.pdf", old, old, new) == "old"
    assert old_or_new("p.pdf", new, old, new) == "new"
    assert old_or_new("p.pdf", None, None, new) == "old"
    for torn in (new[: len(new) // 2], new[:-1], b"", None, new + b"\n", old[:3]):
        with pytest.raises(AssertionError, match="torn"):
            old_or_new("p.pdf", torn, old, new)
    before, complete = {"a": old, "b": b"same"}, {"a": new, "b": b"same"}
    assert compare(before, complete, {"a": new, "b": b"same"}) == {"a": "new", "b": "old"}
    for now in ({"a": new[:5], "b": b"same"}, {"a": new, "b": b"sam"}, {"a": new, "b": b"same", "c": b"stray"}):
        with pytest.raises(AssertionError, match="torn"):
            compare(before, complete, now)
