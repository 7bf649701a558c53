"""Golden outputs of every command: write them, or compare the code with them.

    python tools/golden.py                      # write tests/golden/ from this checkout's code
    python tools/golden.py --code DIR           # ... from the code of another checkout of the repository
    python tools/golden.py --check              # compare this checkout's code with tests/golden/

The outputs cover the shipped corpus and every case folder under tests/cases/: `sb validate` in every
findings format, every `sb report` and `sb list` in every rows format (xlsx reduced to its cell values),
`sb show` of every document, `sb calendar`; the renders of the shipped corpus reduced to their text (md and
html as they are, the PDF's text page by page, the Word file's paragraphs and tables); and the site
`sb publish` builds of the publish case: its sorted file list and every HTML page. Every command runs with
`--as-of 2026-11-22` and SOURCE_DATE_EPOCH set. What is normalised, and why:
- the temporary folders and the checkout's own path become <TMP> and <REPO>: they differ between runs;
- the case folders' files get SOURCE_DATE_EPOCH as their modification time, which the calendar shows for a
  file outside git (a checkout writes its own times);
- the lines `sb render --all` prints, one per file written, are sorted: the render workers run in parallel,
  so their order is the order in which the files were finished;
- Pagefind's file names carry a hash of the search index's bytes, which changes with the build tool's own
  version and with any byte of a page, so the file list shows them as <hash>; the pages themselves are
  compared whole, so a change of content still shows there.

The commands run in a child process whose PYTHONPATH is the chosen checkout, so `--code` can point at a
worktree of an earlier commit; inside the child every command runs in-process through `sb`'s own entry
point (the Swedish error messages and exit codes included), so the whole set takes seconds, not minutes.
"""

from __future__ import annotations

import argparse
import difflib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

AS_OF = "2026-11-22"
EPOCH = "1767225600"  # 2026-01-01T00:00:00Z
COMMITTED = "2026-01-20T10:00:00+01:00"  # the publish case's one commit, so its history never changes
FINDINGS_FORMATS = ("text", "json", "github", "junit", "sarif")
ROWS_FORMATS = ("table", "json", "csv", "markdown", "xlsx")
REPORTS = ("expiring", "overdue", "decisions", "arshjul", "adoption")
RENDER_FORMATS = ("md", "html", "pdf", "docx")
HERE = Path(__file__).resolve().parents[1]
GOLDEN = HERE / "tests" / "golden"
FIRST_DIFFERENCES = 5
DIFF_LINES = 40
ENVIRONMENT = {
    "SOURCE_DATE_EPOCH": EPOCH,
    "COLUMNS": "120",  # rich's tables wrap at the terminal's width
    "LINES": "50",
    "TERM": "dumb",
    "NO_COLOR": "1",
    "TZ": "Europe/Stockholm",
    "LANG": "C.UTF-8",
    "LC_ALL": "C.UTF-8",
}
_PAGEFIND_HASH = re.compile(r"(?<=_)[0-9a-f]{7,}(?=\.)")


# --- the child: runs every command of one checkout ---------------------------------------------------------


class Collector:
    """Runs `sb` in-process and keeps each output as a text file under `out`, temp paths normalised."""

    def __init__(self, code: Path, work: Path, out: Path) -> None:
        self.code = code
        self.work = work
        self.out = out

    def normalise(self, text: str) -> str:
        for path, placeholder in ((self.work, "<TMP>"), (self.code, "<REPO>")):
            for spelling in {str(path), str(path.resolve())}:
                text = text.replace(spelling, placeholder)
        return text

    def keep(self, name: str, text: str) -> None:
        target = self.out / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(self.normalise(text), "utf-8")

    def run(self, args: Sequence[str], cwd: Path | None = None) -> tuple[int, str, str]:
        """`sb ARGS` as its entry point runs it: exit code, standard out and standard error."""
        from click.testing import CliRunner

        main = entry_point(self.code)
        previous_argv, previous_cwd = sys.argv, Path.cwd()
        sys.argv = ["sb", *args]
        os.chdir(cwd or self.work)
        code = 0
        try:
            with CliRunner().isolation(env=ENVIRONMENT) as streams:
                try:
                    main()
                except SystemExit as exit_:
                    code = exit_.code if isinstance(exit_.code, int) else (0 if exit_.code is None else 1)
                sys.stdout.flush()
                sys.stderr.flush()
                stdout, stderr = streams[0].getvalue(), streams[1].getvalue()
        finally:
            sys.argv = previous_argv
            os.chdir(previous_cwd)
        return code, stdout.decode("utf-8", "replace"), stderr.decode("utf-8", "replace")

    def record(self, name: str, args: Sequence[str], cwd: Path | None = None) -> int:
        code, stdout, stderr = self.run(args, cwd)
        self.keep(name, transcript(args, code, stdout, stderr))
        return code

    def record_with_file(self, name: str, args: Sequence[str], produced: Path, reduce: str = "text") -> None:
        """A command that writes a file: its streams, then the file reduced to text."""
        code, stdout, stderr = self.run(args)
        content = file_text(produced, reduce) if produced.is_file() else "(ingen fil)\n"
        self.keep(name, f"{transcript(args, code, stdout, stderr)}--- {produced.name}\n{content}")

    def repository(self, label: str, root: Path) -> None:
        """Every read-only command on one repository."""
        common = ("--root", str(root), "--as-of", AS_OF)
        for fmt in FINDINGS_FORMATS:
            self.record(f"{label}/validate.{fmt}.txt", ["validate", *common, "--format", fmt])
        for fmt in ROWS_FORMATS:
            self.rows(f"{label}/list.{fmt}.txt", ["list", *common], fmt)
            for report in REPORTS:
                self.rows(f"{label}/report-{report}.{fmt}.txt", ["report", report, *common], fmt)
        self.rows(f"{label}/report-decisions-open.json.txt", ["report", "decisions", "--open", *common], "json")
        self.rows(f"{label}/list.csv-semicolon.txt", ["list", *common, "--delimiter", ";"], "csv")
        calendar = self.work / f"{label}.ics"
        self.record_with_file(f"{label}/calendar.ics.txt", ["calendar", *common, "--out", str(calendar)], calendar)
        for identifier in self.identifiers(root):
            for fmt in ("text", "json"):
                self.record(f"{label}/show/{identifier}.{fmt}.txt", ["show", identifier, *common, "--format", fmt])

    def rows(self, name: str, args: Sequence[str], fmt: str) -> None:
        if fmt == "xlsx":
            produced = self.work / "rader.xlsx"
            produced.unlink(missing_ok=True)
            self.record_with_file(name, [*args, "--format", fmt, "--out", str(produced)], produced, "xlsx")
        else:
            self.record(name, [*args, "--format", fmt])

    def identifiers(self, root: Path) -> list[str]:
        code, stdout, _ = self.run(["list", "--root", str(root), "--as-of", AS_OF, "--format", "json"])
        if code != 0:
            return []
        rows = json.loads(stdout)
        items = rows if isinstance(rows, list) else rows.get("documents", rows.get("rows", []))
        return sorted({str(row["id"]) for row in items if isinstance(row, dict) and "id" in row})

    def renders(self, label: str, root: Path) -> None:
        out = self.work / f"{label}-ut"
        args = ["render", "--all", "--root", str(root), "--as-of", AS_OF, "--out", str(out)]
        for fmt in RENDER_FORMATS:
            args += ["--to", fmt]
        code, stdout, stderr = self.run(args)
        # the render workers run in parallel and each file's line comes as it is written: sorted, it is stable
        written = "".join(sorted(stdout.splitlines(keepends=True)))
        self.keep(f"{label}/render/render-all.txt", transcript(args, code, written, stderr))
        listing = sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file()) if out.is_dir() else []
        self.keep(f"{label}/render/filer.txt", "".join(f"{name}\n" for name in listing))
        for name in listing:
            self.keep(f"{label}/render/{name}.txt", file_text(out / name, Path(name).suffix.lstrip(".")))

    def site(self, label: str, root: Path) -> None:
        out = self.work / f"{label}-site"
        args = ["publish", "--root", str(root), "--out", str(out), "--as-of", AS_OF]
        self.record(f"{label}/publish/publish.txt", args)
        files = sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file()) if out.is_dir() else []
        self.keep(f"{label}/publish/filer.txt", "".join(f"{name}\n" for name in sorted(map(pagefind_name, files))))
        for name in files:
            if name.endswith(".html"):
                self.keep(f"{label}/publish/sidor/{name}.txt", (out / name).read_text("utf-8"))


def transcript(args: Sequence[str], code: int, stdout: str, stderr: str) -> str:
    return f"$ sb {' '.join(args)}\nslutstatus: {code}\n--- standard ut\n{stdout}--- standard fel\n{stderr}"


def entry_point(code: Path) -> Callable[[], object]:
    """The function the `sb` command runs, as the checkout's pyproject.toml names it."""
    import importlib
    import tomllib

    target = tomllib.loads((code / "pyproject.toml").read_text("utf-8"))["project"]["scripts"]["sb"]
    module, _, function = target.partition(":")
    found: Callable[[], object] = getattr(importlib.import_module(module), function)
    return found


def pagefind_name(name: str) -> str:
    """Pagefind's hashed file names, with the hash as <hash> (see the module's docstring)."""
    return _PAGEFIND_HASH.sub("<hash>", name) if name.startswith("pagefind/") else name


def file_text(path: Path, kind: str) -> str:
    if kind == "xlsx":
        return xlsx_text(path)
    if kind == "pdf":
        return pdf_text(path)
    if kind == "docx":
        return docx_text(path)
    return path.read_text("utf-8")


def xlsx_text(path: Path) -> str:
    import openpyxl

    book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    lines: list[str] = []
    for sheet in book.worksheets:
        lines.append(f"[{sheet.title}]")
        for row in sheet.iter_rows(values_only=True):
            lines.append("\t".join("" if cell is None else repr(cell) for cell in row))
    return "\n".join(lines) + "\n"


def pdf_text(path: Path) -> str:
    import pypdf

    reader = pypdf.PdfReader(path)
    pages = [f"--- sida {number}\n{page.extract_text()}\n" for number, page in enumerate(reader.pages, 1)]
    return "".join(pages)


def docx_text(path: Path) -> str:
    import docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    document = docx.Document(str(path))
    lines: list[str] = []
    for section in document.sections:
        lines.extend(f"[sidhuvud] {p.text}" for p in section.header.paragraphs if p.text)
        lines.extend(f"[sidfot] {p.text}" for p in section.footer.paragraphs if p.text)
    for block in document.iter_inner_content():
        if isinstance(block, Paragraph):
            lines.append(block.text)
        elif isinstance(block, Table):
            lines.extend(" | ".join(cell.text for cell in row.cells) for row in block.rows)
    return "\n".join(lines) + "\n"


def case_root(case: Path, cases: Path, destination: Path) -> Path:
    """A repository made of a case folder, with the shared organisation.yaml unless it has its own. Outside
    git the calendar dates a file by its modification time, which is when the checkout wrote it: every file
    gets SOURCE_DATE_EPOCH's instead."""
    shutil.copytree(case / "documents", destination / "documents", symlinks=True)
    if not (destination / "documents" / "organisation.yaml").exists():
        shutil.copy(cases / "organisation.yaml", destination / "documents" / "organisation.yaml")
    if (case / "sb.toml").is_file():
        shutil.copy(case / "sb.toml", destination / "sb.toml")
    for path in destination.rglob("*"):
        if not path.is_symlink():
            os.utime(path, (int(EPOCH), int(EPOCH)))
    return destination


def commit_all(root: Path) -> None:
    """One commit at a fixed time and author, so the site's history never changes."""
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "Sekreteraren",
        "GIT_AUTHOR_EMAIL": "sekreterare@example.se",
        "GIT_COMMITTER_NAME": "Sekreteraren",
        "GIT_COMMITTER_EMAIL": "sekreterare@example.se",
        "GIT_AUTHOR_DATE": COMMITTED,
        "GIT_COMMITTER_DATE": COMMITTED,
        "GIT_CONFIG_GLOBAL": "/dev/null",
        "GIT_CONFIG_SYSTEM": "/dev/null",
    }
    for args in (["init", "-q", "-b", "main"], ["add", "-A"], ["commit", "-q", "-m", "Protokoll och styrdokument"]):
        subprocess.run(["git", *args], cwd=root, check=True, capture_output=True, env=env)


def case_folders(cases: Path) -> Iterator[tuple[str, Path]]:
    yield "valid", cases / "valid"
    for case in sorted((cases / "invalid").iterdir()):
        if (case / "documents").is_dir():
            yield f"invalid-{case.name}", case
    yield "publish", cases / "publish"


def collect(code: Path, out: Path) -> None:
    """The child's work: every output of the checkout `code` into `out`."""
    import sb_cli

    loaded = Path(sb_cli.__file__).resolve()
    if code.resolve() not in loaded.parents:
        raise SystemExit(f"sb_cli laddades från {loaded}, inte från {code}")
    with tempfile.TemporaryDirectory(prefix="sb-golden-") as temporary:
        work = Path(temporary)
        os.environ["SB_CACHE_DIR"] = str(work / "cache")
        collector = Collector(code, work, out)
        collector.repository("corpus", code)
        collector.renders("corpus", code)
        cases = code / "tests" / "cases"
        for label, case in case_folders(cases):
            collector.repository(label, case_root(case, cases, work / label))
        published = case_root(cases / "publish", cases, work / "publish-git")
        commit_all(published)
        collector.site("publish", published)


# --- the parent: writes or compares --------------------------------------------------------------------


def produce(code: Path, out: Path) -> None:
    """Runs the child on `code` with that checkout first on the import path."""
    env = {**os.environ, "PYTHONPATH": str(code), "SOURCE_DATE_EPOCH": EPOCH}
    command = [sys.executable, str(Path(__file__).resolve()), "--collect", str(out), "--code", str(code)]
    subprocess.run(command, check=True, env=env, cwd=out)


def files(folder: Path) -> dict[str, Path]:
    return {p.relative_to(folder).as_posix(): p for p in sorted(folder.rglob("*")) if p.is_file()}


def differences(golden: Path, produced: Path) -> list[str]:
    """Each difference as a readable block: a missing or extra file, or a unified diff of the first lines."""
    expected, got = files(golden), files(produced)
    found = [f"saknas nu (finns i {golden.name}/): {name}" for name in sorted(expected.keys() - got.keys())]
    found += [f"ny (finns inte i {golden.name}/): {name}" for name in sorted(got.keys() - expected.keys())]
    for name in sorted(expected.keys() & got.keys()):
        before, now = expected[name].read_text("utf-8"), got[name].read_text("utf-8")
        if before != now:
            diff = difflib.unified_diff(
                before.splitlines(), now.splitlines(), f"golden/{name}", f"nu/{name}", n=2, lineterm=""
            )
            lines = list(diff)
            more = f"\n... ({len(lines) - DIFF_LINES} rader till)" if len(lines) > DIFF_LINES else ""
            found.append("\n".join(lines[:DIFF_LINES]) + more)
    return found


def check(code: Path, golden: Path) -> list[str]:
    with tempfile.TemporaryDirectory(prefix="sb-golden-nu-") as temporary:
        produce(code, Path(temporary))
        return differences(golden, Path(temporary))


def summary(found: list[str]) -> str:
    shown = "\n\n".join(found[:FIRST_DIFFERENCES])
    rest = f"\n\n... och {len(found) - FIRST_DIFFERENCES} skillnader till" if len(found) > FIRST_DIFFERENCES else ""
    return f"{len(found)} skillnader mot de gyllene utdata:\n\n{shown}{rest}\n"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="compare with the goldens instead of writing them")
    parser.add_argument("--code", type=Path, default=HERE, help="the checkout whose sb_cli runs (default: this one)")
    parser.add_argument("--golden", type=Path, default=GOLDEN, help="the goldens' folder")
    parser.add_argument("--all", action="store_true", help="with --check: print every difference")
    parser.add_argument("--collect", type=Path, help=argparse.SUPPRESS)
    options = parser.parse_args(argv)
    code = options.code.resolve()
    if options.collect:
        collect(code, options.collect)
        return 0
    if options.check:
        found = check(code, options.golden)
        if found:
            sys.stdout.write(summary(found) if not options.all else "\n\n".join(found) + "\n")
            return 1
        sys.stdout.write("inga skillnader\n")
        return 0
    with tempfile.TemporaryDirectory(prefix="sb-golden-") as temporary:
        produce(code, Path(temporary))
        shutil.rmtree(options.golden, ignore_errors=True)
        shutil.copytree(temporary, options.golden)
    sys.stdout.write(f"skrev {len(files(options.golden))} filer till {options.golden}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
