"""Benchmark: `sb validate` against `check-jsonschema` on the same YAML files and schema.

    python tests/benchmarks/bench_validate.py 1000 10000

For each N it builds a corpus of N YAML documents by copying the shipped ones under new ids, runs
both tools once each in a fresh process and prints wall time and peak memory of each (the
largest sum of resident memory over the process and its workers, sampled every 50 ms).
check-jsonschema only validates the schema; sb also runs every other rule on the same files.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
_MEASURE = '''
import os, subprocess, sys, time

def tree_rss_kb(root):
    """Resident memory of a process and all its descendants (workers included), from /proc."""
    parents, rss = {}, {}
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            with open(f"/proc/{pid}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        parents[int(pid)], rss[int(pid)] = int(fields[1]), int(fields[21]) * os.sysconf("SC_PAGE_SIZE") // 1024
    tree, grew = {root}, True
    while grew:
        more = {p for p, parent in parents.items() if parent in tree} - tree
        tree |= more
        grew = bool(more)
    return sum(rss.get(p, 0) for p in tree)

started = time.perf_counter()
child = subprocess.Popen(sys.argv[1:], stdout=subprocess.DEVNULL)
peak = 0
while child.poll() is None:
    peak = max(peak, tree_rss_kb(child.pid))
    time.sleep(0.05)
print(child.returncode, time.perf_counter() - started, peak)
'''


def tool(name: str) -> str:
    """A command of this environment: beside the running Python first, then on PATH."""
    beside = Path(sys.executable).parent / name
    found = str(beside) if beside.exists() else shutil.which(name)
    if found is None:
        sys.exit(f"{name} saknas: pip install -e '.[test]'")
    return found


def build_corpus(destination: Path, count: int) -> list[Path]:
    sources = sorted(p for p in (REPO / "documents").rglob("*.yaml") if p.name != "organisation.yaml")
    (destination / "documents").mkdir(parents=True)
    shutil.copy(REPO / "documents" / "organisation.yaml", destination / "documents")
    files = []
    for index in range(count):
        source = sources[index % len(sources)]
        text = re.sub(r"^id: (.+)$", rf"id: \1-kopia-{index}", source.read_text("utf-8"), count=1, flags=re.M)
        target = destination / "documents" / f"{index // 1000:03d}" / f"{index:05d}-{source.name}"
        target.parent.mkdir(exist_ok=True)
        target.write_text(text, "utf-8")
        files.append(target)
    return files


def measure(command: list[str]) -> tuple[int, float, int]:
    out = subprocess.run(
        [sys.executable, "-c", _MEASURE, *command], capture_output=True, text=True, check=True
    ).stdout.split()
    return int(out[0]), float(out[1]), int(out[2])


def compare(count: int) -> dict[str, float]:
    """sb validate and check-jsonschema on the same N files: seconds and peak MB of each."""
    sb, cjs = tool("sb"), tool("check-jsonschema")
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        files = build_corpus(root, count)
        _, sb_time, sb_rss = measure([sb, "validate", "--root", str(root), "--as-of", "2026-11-22", "--format", "json"])
        _, cjs_time, cjs_rss = measure(
            [
                cjs,
                "--base-uri",
                (REPO / "schemas").as_uri() + "/",
                "--schemafile",
                str(REPO / "schemas" / "document.schema.json"),
                *map(str, files),
            ]
        )
    return {"n": count, "sb_s": sb_time, "sb_mb": sb_rss / 1024, "cjs_s": cjs_time, "cjs_mb": cjs_rss / 1024}


def changed_since(count: int) -> dict[str, float]:
    """A full run against --changed-since with one protocol changed, in a git repository of N files."""
    sb = tool("sb")
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        files = build_corpus(root, count)
        commit = ["-c", "user.name=b", "-c", "user.email=b@b", "commit", "-qm", "x"]
        for args in (["init", "-q"], ["add", "-A"], commit):
            subprocess.run(["git", *args], cwd=root, check=True)
        changed = next(f for f in files[count // 2 :] if "\nforum: att-aldras\n" in f.read_text("utf-8"))
        changed.write_text(changed.read_text("utf-8") + "# ändrad\n", "utf-8")
        base = [sb, "validate", "--root", str(root), "--as-of", "2026-11-22", "--format", "json"]
        _, full, _ = measure(base)
        _, one, _ = measure([*base, "--changed-since", "HEAD"])
    return {"n": count, "full_s": full, "changed_s": one}


def main(sizes: list[int]) -> None:
    print(f"{'N':>6}  {'sb s':>7}  {'sb MB':>6}  {'cjs s':>7}  {'cjs MB':>6}  {'sb/cjs':>6}")
    for count in sizes:
        r = compare(count)
        print(
            f"{count:>6}  {r['sb_s']:>7.2f}  {r['sb_mb']:>6.0f}  {r['cjs_s']:>7.2f}  {r['cjs_mb']:>6.0f}"
            f"  {r['sb_s'] / r['cjs_s']:>6.2f}"
        )


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]] or [1000, 10000])
