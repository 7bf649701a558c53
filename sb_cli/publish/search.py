"""The site's search index: Pagefind's, made in a process of its own while the rest of the build goes on."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from pathlib import Path

from sb_cli.errors import SbError
from sb_cli.io.cache import key
from sb_cli.publish.folder import beside, plain_tree


class SearchIndex:
    """Pagefind's static index with the Swedish stemmer, and its search UI, made in a process of its
    own while the build goes on; the old site's index when the pages it is made from are the same.
    Pagefind reads only the pages it indexes: those with data-pagefind-body, as Pagefind itself
    chooses them (all if none has it). `key` says what the index is made from.

    One index, not one per forum: where a word is in no page of an index, Pagefind matches ever
    shorter beginnings of it, so the indexes without the word would answer with unrelated pages."""

    def __init__(self, texts: dict[str, bytes], out: Path, before: str | None) -> None:
        import subprocess
        from importlib.metadata import version

        indexed = _indexed(texts)
        self.key = key("sökindex", version("pagefind"), *(part for p in indexed for part in (p, texts[p])))
        self._old = out / "pagefind"
        self._read = beside(out, "sök")  # the pages Pagefind reads
        self._made = beside(out, "sökindex")  # and the index it writes
        self._run: subprocess.Popen[bytes] | None = None
        if before == self.key and plain_tree(self._old) and (self._old / "pagefind-entry.json").is_file():
            return
        try:
            self._start(indexed, texts)
        except BaseException:  # a full disk, say: what it wrote is removed
            self.stop()
            raise

    def _start(self, indexed: list[str], texts: dict[str, bytes]) -> None:
        import subprocess
        import sys

        for folder in (self._read, self._made):
            shutil.rmtree(folder, ignore_errors=True)
        for path in indexed:
            (self._read / path).parent.mkdir(parents=True, exist_ok=True)
            (self._read / path).write_bytes(texts[path])
        command = [sys.executable, "-m", "pagefind", "--site", str(self._read), "--output-path", str(self._made)]
        self._run = subprocess.Popen(
            [*command, "--force-language", "sv", "--keep-index-url", "--silent"],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            preexec_fn=_ended_with_this_process(),
        )

    def place(self, target: Path) -> None:
        """The index, once Pagefind is done, as `target` (the old site's, when it is the same)."""
        import subprocess

        if self._run is None:
            shutil.copytree(self._old, target, copy_function=lambda a, b: take(Path(a), Path(b)))
            return
        try:
            said, _ = self._run.communicate(timeout=600)
        except subprocess.TimeoutExpired:
            raise SbError("sökindexet kunde inte byggas: Pagefind blev inte klar på tio minuter") from None
        if self._run.returncode != 0:
            why = said.decode("utf-8", "replace").strip()[:500] or f"Pagefind avslutades med {self._run.returncode}"
            raise SbError(f"sökindexet kunde inte byggas: {why}")
        self._made.rename(target)

    def stop(self) -> None:
        """Pagefind ended, and what it read and wrote removed (a placed index is not)."""
        if self._run is not None and self._run.poll() is None:
            self._run.kill()
            self._run.wait()
        for folder in (self._read, self._made):
            shutil.rmtree(folder, ignore_errors=True)


def _indexed(texts: dict[str, bytes]) -> list[str]:
    """The pages Pagefind indexes: those with data-pagefind-body, or every page when none has it."""
    html = sorted(p for p in texts if p.endswith(".html"))
    return [p for p in html if b"data-pagefind-body" in texts[p]] or html


def _ended_with_this_process() -> Callable[[], None] | None:
    """On Linux, what makes a child end when this process ends, even by SIGKILL: a killed build's
    Pagefind would otherwise go on writing its index beside the site after the next build has
    removed the killed one's folders. Prepared here, so that the child only makes one call."""
    import ctypes
    import signal
    import sys

    if not sys.platform.startswith("linux"):
        return None
    try:
        prctl = ctypes.CDLL(None, use_errno=True).prctl
    except (OSError, AttributeError):
        return None
    return lambda: prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG


def take(previous: Path, target: Path) -> None:
    """The old site's file, unchanged (a hard link where the file system allows one)."""
    try:
        os.link(previous, target, follow_symlinks=False)
    except OSError:
        shutil.copy2(previous, target, follow_symlinks=False)
