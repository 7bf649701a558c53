"""Benchmark: rendering one protocol to DOCX and PDF, against pandoc converting the same protocol,
written as Markdown by `sb render --to md`, to DOCX.

    python tests/benchmarks/bench_render.py [RUNS]

Two comparisons, best of RUNS (default 5) each: the library calls in-process (no start-up), and
the whole `sb render protocol FILE --to docx` command as a process, which is what pandoc, a separate
program, is always measured as.
"""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
PROTOCOL = "documents/protokoll/LSVO/2023-06-16.yaml"


def best(runs: int, action) -> float:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        action()
        times.append(time.perf_counter() - started)
    return min(times)


def compare(runs: int) -> dict[str, float | None]:
    """Best-of-RUNS seconds: sb to DOCX and to PDF in-process, the sb DOCX command as a process, and
    pandoc Markdown → DOCX (None without pandoc)."""
    from sb_cli import __version__
    from sb_cli.corpus import load_corpus
    from sb_cli.io.repo import load_settings
    from sb_cli.render.formats import render_bytes
    from sb_cli.render.service import template_folder
    from sb_cli.render.text import to_markdown
    from sb_cli.render.view import build

    settings = load_settings(REPO, REPO)
    corpus = load_corpus(settings).corpus
    document = next(d for d in corpus.documents if d.path == PROTOCOL)
    view = build(document, corpus.organisation, as_of=dt.date(2026, 11, 22), commit=None, version=__version__)
    with template_folder(settings) as templates, tempfile.TemporaryDirectory() as folder:
        docx = best(runs, lambda: render_bytes(view, "docx", templates, 0))
        pdf = best(runs, lambda: render_bytes(view, "pdf", templates, 0))
        sb = Path(sys.executable).parent / "sb"
        command = best(
            runs,
            lambda: subprocess.run(
                [str(sb), "render", "protocol", PROTOCOL, "--to", "docx", "--out", folder, "--as-of", "2026-11-22"],
                cwd=REPO,
                check=True,
                capture_output=True,
            ),
        )
        pandoc = shutil.which("pandoc")
        seconds = None
        if pandoc is not None:
            source = Path(folder) / "protokoll.md"
            source.write_text(to_markdown(view), "utf-8")
            target = Path(folder) / "protokoll.docx"
            seconds = best(runs, lambda: subprocess.run([pandoc, str(source), "-o", str(target)], check=True))
    return {"docx_s": docx, "pdf_s": pdf, "command_s": command, "pandoc_s": seconds}


def main(runs: int) -> None:
    r = compare(runs)
    print(f"sb DOCX  {r['docx_s'] * 1000:7.1f} ms")
    print(f"sb PDF   {r['pdf_s'] * 1000:7.1f} ms")
    print(f"sb render protocol --to docx (process) {r['command_s'] * 1000:7.1f} ms")
    if r["pandoc_s"] is None:
        print("pandoc saknas (apt-get install pandoc): ingen jämförelse")
        return
    print(f"pandoc   {r['pandoc_s'] * 1000:7.1f} ms  (Markdown → DOCX, som process)")
    print(
        f"sb DOCX / pandoc = {r['docx_s'] / r['pandoc_s']:.2f} in-process, "
        f"{r['command_s'] / r['pandoc_s']:.2f} process mot process"
    )


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 5)
