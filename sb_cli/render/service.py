"""`sb render` as a library call: documents to files in DIR, atomically, in parallel for many."""

from __future__ import annotations

import datetime as dt
import os
import stat
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from sb_cli import __version__
from sb_cli.core.model import ID_CHARACTERS, Corpus, Document, is_valid_id
from sb_cli.core.records import Protocol, Record
from sb_cli.errors import SbError
from sb_cli.io.git import Stamp
from sb_cli.io.loader import TooLarge, read_regular
from sb_cli.io.repo import Settings, packaged
from sb_cli.render.isolation import Limits, render_isolated
from sb_cli.render.view import View, build


@dataclass(frozen=True)
class Job:
    """One document to render: its view model and where each format goes; `also` are more views of
    the same document (a protocol's extracts) rendered in the same child process."""

    view: View
    targets: dict[str, Path]  # format -> output file
    also: tuple[tuple[View, dict[str, Path]], ...] = ()

    def outputs(self) -> list[tuple[View, dict[str, Path]]]:
        return [(self.view, self.targets), *self.also]


@contextmanager
def template_folder(settings: Settings) -> Iterator[Path]:
    """The shipped mallar with the repository's templates/ laid over them, file by file.

    Only regular files inside the repository's template folder are taken: a symbolic link (git
    keeps them) could bring in any readable file, a FIFO or a device could hang or flood the copy."""
    with tempfile.TemporaryDirectory(prefix="sb-mallar-") as folder:
        root = Path(folder)
        _lay_over(packaged("templates"), root, "templates")
        own = settings.root / settings.templates
        if own.is_dir() and own.resolve() != packaged("templates").resolve():
            _lay_over(own, root, settings.templates)
        yield root


MAX_TEMPLATE_BYTES = 50 * 1024 * 1024


def _lay_over(own: Path, root: Path, name: str) -> None:
    for folder, dirs, files in os.walk(own):  # os.walk does not follow links to folders
        here = Path(folder)
        for entry in sorted(dirs + files):
            path = here / entry
            shown = f"{name}/{path.relative_to(own).as_posix()}"
            if entry.startswith("."):
                dirs[:] = [d for d in dirs if d != entry]
                continue
            mode = path.lstat().st_mode
            if stat.S_ISDIR(mode):
                continue
            if not stat.S_ISREG(mode):
                kind = "en symbolisk länk" if stat.S_ISLNK(mode) else "ingen vanlig fil"
                raise SbError(
                    f"mallfilen {shown} är {kind}; mallar får bara bestå av vanliga filer i mallmappen",
                    hint=f"ersätt {shown} med en kopia av filen",
                )
            try:
                data = read_regular(path, MAX_TEMPLATE_BYTES)
            except TooLarge:
                raise SbError(f"mallfilen {shown} är större än {MAX_TEMPLATE_BYTES // 1_000_000} MB") from None
            target = root / path.relative_to(own)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)


def output_name(document: Document[Record], *, public: bool, extract: int | None) -> str:
    ident = document.id
    if not is_valid_id(ident):
        raise SbError(
            f"{document.path}: id {ident!r} kan inte bli ett filnamn", hint=f"ett id får bara innehålla {ID_CHARACTERS}"
        )
    if extract is not None:
        ident += f"-utdrag-{extract}"
    if public:
        ident += "-offentlig"
    return ident


def plan(
    corpus: Corpus,
    documents: list[Document[Record]],
    formats: tuple[str, ...],
    out: Path,
    *,
    as_of: dt.date,
    stamp_of: Callable[[str], Stamp],
    public: bool = False,
    extract: int | None = None,
) -> list[Job]:
    jobs = []
    for document in documents:
        if extract is not None:
            if not isinstance(document.record, Protocol):
                raise SbError(f"{document.path}: --extract gäller bara protokoll")
            if extract not in [item.number for item in document.record.items]:
                raise SbError(f"{document.path}: protokollet har ingen punkt {extract}")
        stamp = stamp_of(document.path)
        view = build(
            document,
            corpus.organisation,
            as_of=as_of,
            commit=stamp.commit,
            changed=stamp.changed,
            version=__version__,
            public=public,
            extract=extract,
        )
        name = output_name(document, public=public, extract=extract)
        jobs.append(Job(view, {fmt: out / f"{name}.{fmt}" for fmt in formats}))
    return jobs


def render_bytes(view: View, fmt: str, templates: Path, timestamp: int | None) -> bytes:
    if fmt == "pdf":
        from sb_cli.render.pdf import render_pdf

        return render_pdf(view, templates, timestamp=timestamp)
    if fmt == "docx":
        from sb_cli.render.docx import render_docx
        from sb_cli.render.pdf import render_wheel_png

        wheel = render_wheel_png(view, templates) if view.wheel is not None else None
        return render_docx(view, templates, timestamp=timestamp, wheel_png=wheel)
    from sb_cli.render.text import to_html, to_markdown

    if fmt == "html":
        from sb_cli.render.pdf import render_wheel_svg

        wheel_svg = render_wheel_svg(view, templates) if view.wheel is not None else ""
        return to_html(view, templates, wheel_svg=wheel_svg).encode("utf-8")
    text = to_markdown(view)
    return text.encode("utf-8")


def run_all(
    jobs: list[Job],
    templates: Path,
    timestamp: int | None,
    limits: Limits,
    progress: Callable[[Job], None] | None = None,
) -> list[Path]:
    """Every job, each in a child process under the limits (see isolation.py), on every core."""
    return render_isolated(jobs, templates, timestamp, limits, progress)
