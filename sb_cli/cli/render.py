"""`sb render`: documents to Word, PDF, HTML and Markdown from the mallar."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from sb_cli.cli.common import AsOf, RenderOut, Root, choices, open_corpus, parse_as_of, progress_bar, refuse
from sb_cli.cli.helptext import examples
from sb_cli.errors import UsageError
from sb_cli.render.formats import RENDER_FORMATS

if TYPE_CHECKING:
    from sb_cli.core.model import Document
    from sb_cli.core.records import Record
    from sb_cli.corpus import Loaded
    from sb_cli.io.repo import Settings

EPILOG = examples(
    "sb render protocol documents/protokoll/LSVO/2023-06-16.yaml",
    "sb render documents/styrdokument/ledningssystem-2021.md --to pdf",
    "sb render protocol FIL --extract 64      # protokollsutdrag för § 64",
    "sb render protocol FIL --public --to pdf # utan punkter med public: false",
    "sb render --all --out ut/                # alla dokument, alla kärnor",
    "sb render documents/styrdokument/ledningssystem-2021.md --to pdf --compare",
    note="Filerna heter UT/<id>.<format>. Med SOURCE_DATE_EPOCH satt blir utdata byte för byte densamma. "
    "--compare skriver också jämförelsen med den senast beslutade versionen, UT/<id>-<från>-<till>.<format> "
    "som sb compare skriver den, för styrdokument i utkast eller remiss.",
)


if TYPE_CHECKING:
    Target = str
else:
    Target = choices(RENDER_FORMATS, "Target")


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
    out: RenderOut = None,
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
    compare: Annotated[
        bool,
        typer.Option(
            "--compare",
            help="Skriv också jämförelsen med den senast beslutade versionen (styrdokument i utkast eller remiss).",
        ),
    ] = False,
    as_of: AsOf = None,
    root: Root = None,
) -> None:
    """Rendera dokument till Word och PDF (och HTML, Markdown) från samverkans mallar."""
    from sb_cli import comparing
    from sb_cli.render import service

    day = parse_as_of(as_of)
    wanted_type, names = _type_and_files(list(arguments or []))
    if not names and not all_documents:
        raise UsageError("ange filer att rendera, eller --all", hint="sb render --help visar exempel")
    settings, loaded = open_corpus(root)
    try:
        documents = _chosen(settings, loaded, names, wanted_type, all_documents=all_documents)
        if compare and not all_documents:
            _check_comparable(documents)
        with progress_bar("Renderar", shown=all_documents or len(documents) > 3) as update:
            formats = tuple(str(t) for t in to) if to else service.FORMATS
            written = service.render(
                settings,
                loaded.corpus,
                documents,
                as_of=day,
                formats=formats,
                out=out,
                public=public,
                extract=extract,
                force=force,
                progress=lambda job, done, total: update(job.view.id, done, total),
            )
        if compare:
            compared, notes = comparing.draft_comparisons(
                settings, loaded, documents, as_of=day, formats=formats, out=out
            )
            written += compared
            for note in notes:
                typer.echo(f"sb: {note}", err=True)
    except service.NotRendered as stopped:
        refuse(stopped.findings, stopped.message)
    for path in written:
        typer.echo(str(path))


def _check_comparable(documents: list[Document[Record]]) -> None:
    """--compare is for the drafts of styrdokument: the version that goes to a meeting for decision."""
    from sb_cli.comparing import COMPARED_STATUSES
    from sb_cli.core.records import Styrdokument

    for document in documents:
        record = document.record
        if not isinstance(record, Styrdokument):
            raise UsageError(
                f"{document.path}: --compare gäller bara styrdokument, inte {document.type}",
                hint="sb compare ID jämför två versioner av vilket dokument som helst",
            )
        if record.status not in COMPARED_STATUSES:
            raise UsageError(
                f"{document.path}: --compare gäller styrdokument i utkast eller remiss, inte status {record.status}",
                hint="sb compare ID --from VERSION --to VERSION jämför två beslutade versioner",
            )


def _type_and_files(names: list[str]) -> tuple[str | None, list[str]]:
    """The optional type first (its canonical name), and the files."""
    from sb_cli.core.doctypes import canonical_type

    if names and not Path(names[0]).exists() and canonical_type(names[0]):
        return canonical_type(names[0]), names[1:]
    if len(names) > 1 and not Path(names[0]).exists() and _looks_like_a_type(names[0]):
        raise UsageError(f"okänd dokumenttyp '{names[0]}'", hint=_type_hint(names[0]))
    return None, names


def _chosen(
    settings: Settings, loaded: Loaded, names: list[str], wanted_type: str | None, *, all_documents: bool
) -> list[Document[Record]]:
    """Every document of the type with --all, else the files named, which must be of the type."""
    from sb_cli.render.service import documents_at

    if all_documents:
        return [d for d in loaded.corpus.documents if wanted_type in (None, d.type)]
    documents = documents_at(settings, loaded.corpus, loaded.problems, [Path(name) for name in names])
    for document in documents:
        if wanted_type and document.type != wanted_type:
            raise UsageError(f"{document.path} är av typen {document.type}, inte {wanted_type}")
    return documents


def _looks_like_a_type(name: str) -> bool:
    return "/" not in name and "." not in name and name.replace("-", "").isalpha()


def _type_hint(name: str) -> str:
    """ "menade du protokoll?" and the types there are."""
    from difflib import get_close_matches

    from sb_cli.core.doctypes import aliases, names

    close = get_close_matches(name.lower(), [*names(), *aliases()], n=1)
    guess = f"menade du {close[0]}? " if close else ""
    return f"{guess}Typerna: {', '.join(names())} (eller på engelska, t.ex. protocol)"
