"""Every benchmark in one run: validation against check-jsonschema, --changed-since against a full
run, rendering against pandoc, `sb publish` (full build and rebuilds) and the start-up of `sb --help`.

    python tests/benchmarks/bench.py [N ...]      (default 1000 10000)
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import bench_publish
import bench_render
import bench_validate


def help_startup() -> tuple[float, int]:
    """Best of five `sb --help` wall times, and how many modules it imports."""
    import time

    times = []
    for _ in range(5):
        started = time.perf_counter()
        subprocess.run([sys.executable, "-m", "sb_cli", "--help"], capture_output=True, check=True)
        times.append(time.perf_counter() - started)
    trace = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", "import sb_cli.cli.app"], capture_output=True, text=True
    ).stderr
    return min(times), trace.count("import time:") - 1


def main(sizes: list[int]) -> None:
    seconds, modules = help_startup()
    print(f"sb --help: {seconds * 1000:.0f} ms, {modules} moduler importeras")
    print(f"\n{'N':>6}  {'sb s':>7}  {'sb MB':>6}  {'cjs s':>7}  {'cjs MB':>6}  {'sb/cjs':>6}")
    for count in sizes:
        r = bench_validate.compare(count)
        print(
            f"{count:>6}  {r['sb_s']:>7.2f}  {r['sb_mb']:>6.0f}  {r['cjs_s']:>7.2f}  {r['cjs_mb']:>6.0f}"
            f"  {r['sb_s'] / r['cjs_s']:>6.2f}"
        )
    r = bench_validate.changed_since(max(sizes))
    print(
        f"\n--changed-since, 1 av {r['n']} ändrad: {r['changed_s']:.2f} s mot {r['full_s']:.2f} s "
        f"för allt ({r['changed_s'] / r['full_s']:.0%})"
    )
    r = bench_render.compare(5)
    print(f"\nprotokoll → DOCX {r['docx_s'] * 1000:.0f} ms, → PDF {r['pdf_s'] * 1000:.0f} ms", end="")
    if r["pandoc_s"]:
        print(
            f"; pandoc Markdown → DOCX {r['pandoc_s'] * 1000:.0f} ms; sb DOCX / pandoc = "
            f"{r['docx_s'] / r['pandoc_s']:.2f} (kommandot sb render: {r['command_s'] * 1000:.0f} ms, "
            f"{r['command_s'] / r['pandoc_s']:.2f})"
        )
    else:
        print("; pandoc saknas")
    protocols, styrdokument = bench_publish.PROTOCOLS, bench_publish.STYRDOKUMENT
    print(f"\nsb publish, {protocols} protokoll och {styrdokument} styrdokument:")
    bench_publish.report(bench_publish.compare(protocols, styrdokument), protocols, styrdokument)


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]] or [1000, 10000])
