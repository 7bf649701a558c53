"""`sb render` as a library call: documents to files in DIR, atomically, in parallel for many."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from sb_cli import __version__
from sb_cli.core.model import ID_CHARACTERS, Corpus, Document, is_valid_id
from sb_cli.core.records import Protocol, Record
from sb_cli.errors import SbError
from sb_cli.io.atomic import write_atomic
from sb_cli.io.repo import Settings, packaged
from sb_cli.render.view import View, build


@dataclass(frozen=True)
class Job:
    """One document to render: its view model and where each format goes."""

    view: View
    targets: dict[str, Path]  # format -> output file


@contextmanager
def template_folder(settings: Settings) -> Iterator[Path]:
    """The shipped mallar with the repository's templates/ laid over them, file by file."""
    with tempfile.TemporaryDirectory(prefix="sb-mallar-") as folder:
        root = Path(folder)
        shutil.copytree(packaged("templates"), root, dirs_exist_ok=True)
        own = settings.root / settings.templates
        if own.is_dir() and own.resolve() != packaged("templates").resolve():
            shutil.copytree(own, root, dirs_exist_ok=True, symlinks=False, ignore=shutil.ignore_patterns(".*"))
        yield root


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
    commit_of: Callable[[str], str | None],
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
        view = build(
            document,
            corpus.organisation,
            as_of=as_of,
            commit=commit_of(document.path),
            version=__version__,
            public=public,
            extract=extract,
        )
        name = output_name(document, public=public, extract=extract)
        jobs.append(Job(view, {fmt: out / f"{name}.{fmt}" for fmt in formats}))
    return jobs


def run_job(job: Job, templates: Path, timestamp: int | None) -> list[Path]:
    """Render every format of one job; each file appears complete or not at all."""
    written = []
    for fmt, target in job.targets.items():
        write_atomic(target, render_bytes(job.view, fmt, templates, timestamp))
        written.append(target)
    return written


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

    text = to_html(view, templates) if fmt == "html" else to_markdown(view)
    return text.encode("utf-8")


def run_all(
    jobs: list[Job], templates: Path, timestamp: int | None, progress: Callable[[Job], None] | None = None
) -> list[Path]:
    """Many jobs on every core; few in this process (a pool costs more than it saves)."""
    written: list[Path] = []
    workers = min(os.cpu_count() or 1, len(jobs))
    if workers < 2 or len(jobs) < 4:
        for job in jobs:
            written += run_job(job, templates, timestamp)
            if progress:
                progress(job)
        return written
    from concurrent.futures import ProcessPoolExecutor, as_completed

    with ProcessPoolExecutor(workers) as pool:
        futures = {pool.submit(run_job, job, templates, timestamp): job for job in jobs}
        for future in as_completed(futures):
            written += future.result()
            if progress:
                progress(futures[future])
    return written
