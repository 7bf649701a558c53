"""`sb render`: documents to Word, PDF, HTML and Markdown from the mallar."""

from __future__ import annotations

import datetime as dt
import os
import time
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from sb_cli.cli.common import AsOf, Root, open_corpus, parse_as_of, progress_bar, refuse
from sb_cli.cli.helptext import examples
from sb_cli.errors import UsageError

if TYPE_CHECKING:
    from sb_cli.core.model import Document
    from sb_cli.core.records import Record
    from sb_cli.corpus import Loaded
    from sb_cli.io.repo import Settings
    from sb_cli.render.isolation import Limits
    from sb_cli.render.service import Job

EPILOG = examples(
    "sb render protocol documents/protokoll/LSVO/2023-06-16.yaml",
    "sb render documents/styrdokument/ledningssystem-2021.md --to pdf",
    "sb render protocol FIL --extract 64      # protokollsutdrag för § 64",
    "sb render protocol FIL --public --to pdf # utan punkter med public: false",
    "sb render --all --out ut/                # alla dokument, alla kärnor",
    note="Filerna heter UT/<id>.<format>. Med SOURCE_DATE_EPOCH satt blir utdata byte för byte densamma.",
)


class Target(StrEnum):
    docx = "docx"
    pdf = "pdf"
    html = "html"
    md = "md"


def render(
    arguments: Annotated[
        list[str] | None,
        typer.Argument(
            metavar="[TYP] [FIL]...", help="Dokumenttyp (valfri, t.ex. protocol eller protokoll) och filer."
        ),
    ] = None,
    to: Annotated[
        list[Target] | None, typer.Option("--to", "-t", help="Format; kan upprepas. Standard: docx och pdf.")
    ] = None,
    out: Annotated[
        Path | None,
        typer.Option("--out", "-o", metavar="MAPP", help="Mapp för utdata. Standard: ut/ i repositoriets rot."),
    ] = None,
    all_documents: Annotated[bool, typer.Option("--all", help="Rendera alla dokument i repositoriet.")] = False,
    extract: Annotated[
        int | None,
        typer.Option("--extract", metavar="N", help='Protokollsutdrag för punkt N, med "Rätt utdraget intygar".'),
    ] = None,
    public: Annotated[bool, typer.Option("--public", help="Utelämna punkter med public: false.")] = False,
    force: Annotated[
        bool,
        typer.Option("--force", help="Rendera trots fel i dokumenten (men aldrig --public med personnummer, SB030)."),
    ] = False,
    as_of: AsOf = None,
    root: Root = None,
) -> None:
    """Rendera dokument till Word och PDF (och HTML, Markdown) från samverkans mallar."""
    from sb_cli.core.model import canonical_type
    from sb_cli.io import git as gitio
    from sb_cli.render import service
    from sb_cli.render.isolation import Limits

    day = parse_as_of(as_of)
    names = list(arguments or [])
    wanted_type = None
    if names and not Path(names[0]).exists() and canonical_type(names[0]):
        wanted_type = canonical_type(names.pop(0))
    elif len(names) > 1 and not Path(names[0]).exists() and _looks_like_a_type(names[0]):
        raise UsageError(f"okänd dokumenttyp '{names[0]}'", hint=_type_hint(names[0]))
    if not names and not all_documents:
        raise UsageError("ange filer att rendera, eller --all", hint="sb render --help visar exempel")
    settings, loaded = open_corpus(root)
    if all_documents:
        documents = [d for d in loaded.corpus.documents if wanted_type in (None, d.type)]
    else:
        documents = [_document_for(Path(name), settings, loaded) for name in names]
        for document in documents:
            if wanted_type and document.type != wanted_type:
                raise UsageError(f"{document.path} är av typen {document.type}, inte {wanted_type}")
    _check_first(settings, documents, day, force=force, public=public)
    git = gitio.open_repository(settings.root)
    formats = tuple(t.value for t in to) if to else ("docx", "pdf")
    jobs = service.plan(
        loaded.corpus,
        documents,
        formats,
        _output_folder(settings, out),
        as_of=day,
        stamp_of=lambda path: gitio.stamp(git, path, (settings.root / path).read_bytes()),
        public=public,
        extract=extract,
    )
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    timestamp = int(epoch) if epoch and epoch.isdigit() else int(time.time())
    limits = Limits.of(settings)
    with service.template_folder(settings) as templates:
        written = _run(jobs, templates, timestamp, limits, show_progress=all_documents or len(jobs) > 3)
    for path in written:
        typer.echo(str(path))


def _output_folder(settings: Settings, out: Path | None) -> Path:
    """--out as given (the user chose it, links and all), or ut/ in the repository, which must not be
    a link out of it: whoever can commit to the repository must not choose where sb writes."""
    if out is not None:
        return out
    from sb_cli.io.atomic import check_inside

    check_inside(settings.root, settings.root / "ut")
    return settings.root / "ut"


def _looks_like_a_type(name: str) -> bool:
    return "/" not in name and "." not in name and name.replace("-", "").isalpha()


def _type_hint(name: str) -> str:
    """ "menade du protokoll?" and the types there are."""
    from difflib import get_close_matches

    from sb_cli.core.model import DOCUMENT_TYPES, TYPE_ALIASES

    close = get_close_matches(name.lower(), [*DOCUMENT_TYPES, *TYPE_ALIASES], n=1)
    guess = f"menade du {close[0]}? " if close else ""
    return f"{guess}Typerna: {', '.join(DOCUMENT_TYPES)} (eller på engelska, t.ex. protocol)"


def _check_first(
    settings: Settings, documents: list[Document[Record]], day: dt.date, *, force: bool, public: bool
) -> None:
    """SPEC §7: what is rendered is validated first. Errors stop it unless --force; a personnummer
    (SB030) always stops a public version."""
    from sb_cli.core.model import Severity
    from sb_cli.validation import validate_repository

    report = validate_repository(settings, as_of=day, paths=[settings.root / d.path for d in documents])
    errors = [f for f in report.findings if f.severity == Severity.ERROR]
    personal = [f for f in errors if f.code == "SB030"]
    if public and personal:
        refuse(personal, "en offentlig version med personnummer renderas aldrig, inte heller med --force")
    if errors and not force:
        refuse(errors, "dokumenten renderas inte: rätta felen först, eller ange --force")


def _document_for(path: Path, settings: Settings, loaded: Loaded) -> Document[Record]:
    rel = settings.relpath(path)
    found = next((d for d in loaded.corpus.documents if d.path == rel), None)
    if found is not None:
        return found
    if rel in loaded.corpus.left_out:
        refuse([p for p in loaded.problems if p.path == rel], f"{rel} renderas inte: rätta felen först")
    raise UsageError(f"{rel} är inget dokument under {settings.documents}/")


def _run(jobs: list[Job], templates: Path, timestamp: int, limits: Limits, *, show_progress: bool) -> list[Path]:
    from sb_cli.render.service import run_all

    done = [0]
    with progress_bar("Renderar", shown=show_progress) as update:

        def advanced(job: Job) -> None:
            done[0] += 1
            update(job.view.id, done[0], len(jobs))

        return run_all(jobs, templates, timestamp, limits, progress=advanced)
