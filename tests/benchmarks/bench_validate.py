"""Benchmark: `sb validate` against `check-jsonschema` on the same YAML files and schema.

    python tests/benchmarks/bench_validate.py 1000 10000

For each N it builds a corpus of N YAML documents by copying the shipped ones under new ids, runs
both tools once each in a fresh process and prints wall time and peak memory (max RSS) of each.
check-jsonschema only validates the schema; sb also runs every other rule on the same files.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
_MEASURE = (
    "import resource, subprocess, sys, time\n"
    "t = time.perf_counter()\n"
    "code = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL).returncode\n"
    "t = time.perf_counter() - t\n"
    "print(code, t, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n"
)


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
    out = subprocess.run([sys.executable, "-c", _MEASURE, *command], capture_output=True, text=True,
                         check=True).stdout.split()
    return int(out[0]), float(out[1]), int(out[2])


def main(sizes: list[int]) -> None:
    sb = [shutil.which("sb") or "sb"]
    cjs = shutil.which("check-jsonschema")
    if cjs is None:
        sys.exit("check-jsonschema saknas: pip install -e '.[test]'")
    print(f"{'N':>6}  {'sb s':>7}  {'sb MB':>6}  {'cjs s':>7}  {'cjs MB':>6}  {'sb/cjs':>6}")
    for count in sizes:
        with tempfile.TemporaryDirectory() as folder:
            root = Path(folder)
            files = build_corpus(root, count)
            _, sb_time, sb_rss = measure([*sb, "validate", "--root", str(root), "--as-of", "2026-11-22",
                                          "--format", "json"])
            _, cjs_time, cjs_rss = measure([cjs, "--schemafile", str(REPO / "schemas" / "document.schema.json"),
                                            *map(str, files)])
            print(f"{count:>6}  {sb_time:>7.2f}  {sb_rss / 1024:>6.0f}  {cjs_time:>7.2f}  {cjs_rss / 1024:>6.0f}"
                  f"  {sb_time / cjs_time:>6.2f}")


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]] or [1000, 10000])
