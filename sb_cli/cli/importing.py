"""`sb import`: existing Word, PDF and text documents as draft sb documents."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from sb_cli.cli import completion
from sb_cli.cli.common import AsOf, Root, open_corpus, parse_as_of, progress_bar, refuse
from sb_cli.cli.helptext import examples
from sb_cli.errors import ExitCode, Refused, SbError, UsageError

if TYPE_CHECKING:
    import datetime as dt

    from sb_cli.core.records import Organisation
    from sb_cli.corpus import Loaded
    from sb_cli.importing.source import Draft
    from sb_cli.io.repo import Settings

EPILOG = examples(
    "sb import gamla/protokoll-2023-06-16.docx",
    "sb import kallelse.pdf --forum LSVO",
    "sb import --dry-run avtal.pdf          # visa utkastet, skriv inget",
    "sb import --type rutin rutin.docx --out documents/styrdokument/rutin.md",
    "sb import arkiv/*.docx                 # flera filer, med förloppsindikator",
    note="Utkastet hamnar där sb new skulle lägga det och skriver aldrig över en fil utan --force. "
    "Det som inte står i källan lämnas tomt med en kommentar; kontrollera utkastet och kör sb validate.",
)


def import_documents(
    files: Annotated[list[Path], typer.Argument(metavar="FIL...", help="Word-, PDF- eller textfiler att läsa in.")],
    doc_type: Annotated[
        str | None,
        typer.Option("--type", metavar="TYP", help="Dokumenttyp, om sb inte ska avgöra den själv."),
    ] = None,
    forum: Annotated[
        str | None,
        typer.Option(
            "--forum", metavar="ID", help="Forum (för protokoll och kallelser).", autocompletion=completion.forum_ids
        ),
    ] = None,
    out: Annotated[
        Path | None,
        typer.Option("--out", "-o", metavar="SÖKVÄG", help="Fil att skriva (eller mapp, för flera filer)."),
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="Skriv över en befintlig fil.")] = False,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Skriv ut utkastet i stället för att spara det.")] = False,
    as_of: AsOf = None,
    root: Root = None,
) -> None:
    """Läs in befintliga protokoll, kallelser och styrdokument som utkast att granska."""
    kind = _importable_kind(doc_type)
    day = parse_as_of(as_of)
    settings, loaded = open_corpus(root)
    organisation = loaded.corpus.organisation
    if forum is not None:  # the id, any name or alias, any case: "att åldras" is att-aldras
        forum = _forum_id(loaded, forum)
    _check_destination(out, files)
    taken = {d.id: d.path for d in loaded.corpus.documents}
    written: list[Path] = []
    failed = 0
    with progress_bar("Läser in", shown=len(files) > 1) as update:
        for done, file in enumerate(files, start=1):
            try:
                target = _import_one(
                    file, settings, organisation, kind, forum, out, taken, force=force, dry_run=dry_run
                )
            except SbError as error:
                failed += 1
                _echo_error(error)
            else:
                written += [target] if target is not None else []
            update(file.name, done, len(files))
    if written:
        _report_findings(settings, written, day)
    if failed:
        raise typer.Exit(ExitCode.USAGE)


def _importable_kind(doc_type: str | None) -> str | None:
    """The type --type names, when sb import can read it in."""
    from sb_cli.core.doctypes import canonical_type
    from sb_cli.importing import importable_types

    if doc_type is None:
        return None
    kind = canonical_type(doc_type)
    if kind not in importable_types():
        known = ", ".join(importable_types())
        raise UsageError(f"sb import kan inte läsa in typen '{doc_type}'", hint=f"typerna är: {known}")
    return kind


def _forum_id(loaded: Loaded, given: str) -> str:
    from sb_cli.drafting import forum_of

    try:
        return forum_of(loaded, given).id
    except Refused as stopped:
        refuse(stopped.findings, stopped.message)


def _check_destination(out: Path | None, files: list[Path]) -> None:
    if out is not None and len(files) > 1 and not out.is_dir():
        raise UsageError("--out måste vara en befintlig mapp när flera filer läses in")


def _echo_error(error: SbError) -> None:
    """One file's error; the others are still read in."""
    typer.echo(f"sb: fel: {error.message}", err=True)
    if error.hint:
        typer.echo(f"    tips: {error.hint}", err=True)


def _import_one(
    file: Path,
    settings: Settings,
    organisation: Organisation,
    kind: str | None,
    forum: str | None,
    out: Path | None,
    taken: dict[str, str],
    *,
    force: bool,
    dry_run: bool,
) -> Path | None:
    """Read, recognise and write one file; the path written (None for --dry-run)."""
    from sb_cli.importing import import_draft
    from sb_cli.importing.draft import checked_size, draft_text
    from sb_cli.io.yamlwrite import write_new
    from sb_cli.render.isolation import Limits

    limits = Limits.of(settings)
    draft = import_draft(file, organisation, doc_type=kind, forum=forum, limits=limits)
    documents = settings.root / settings.documents
    target, within = _target(draft, documents, out)
    ident = str(draft.data["id"])
    if ident in taken and settings.root / taken[ident] != target.resolve():
        raise SbError(
            f"{file}: id '{ident}' används redan i {taken[ident]}",
            hint="ange en annan sökväg med --out och ändra id i utkastet",
        )
    schema = Path(_relative(settings.root / "schemas" / "document.schema.json", target.parent))
    header = (
        f"yaml-language-server: $schema={schema.as_posix()}\n"
        f"Utkast inläst av sb import från {file.name}. Kontrollera det mot källan, fyll i det som saknas "
        "och kör sb validate innan det checkas in."
    )
    text = checked_size(draft_text(draft, header=header), max_bytes=settings.max_file_bytes, source=file)
    summary = _summary(draft)
    if dry_run:
        typer.echo(text, nl=False)
        typer.echo(f"sb: {file.name}: {summary}", err=True)
        return None
    write_new(target, text, force=force, within=within)
    taken[ident] = str(target)
    shown = target.relative_to(Path.cwd()) if target.is_relative_to(Path.cwd()) else target
    typer.echo(str(shown))
    typer.echo(f"sb: {file.name}: {summary}", err=True)
    return target


def _summary(draft: Draft) -> str:
    """'12 paragrafer, 35 beslut, 17 närvarande; justeringsdatum saknas'."""
    found = ", ".join(draft.summary) or "inget innehåll hittades"
    if not draft.missing:
        return found
    return f"{found}; {', '.join(draft.missing)} saknas"


def _target(draft: Draft, documents: Path, out: Path | None) -> tuple[Path, Path | None]:
    """Where the draft goes, and the folder it must stay in (None: the file named by --out, in its
    own folder). A link at the file's own name is never resolved here: the writer decides."""
    from sb_cli.core.doctypes import find
    from sb_cli.drafting import inside

    suffix = ".md" if draft.body is not None else ".yaml"
    if out is not None and not out.is_dir():
        return out.parent.resolve() / out.name, None
    ident = str(draft.data["id"])
    entry = find(draft.type)
    folder = entry.folder if entry else "styrdokument"
    if entry is not None and entry.of_meeting:
        parts = _meeting_parts(folder, draft.data, ident, suffix)
    else:
        parts = (folder, f"{ident}{suffix}")
    if out is not None:
        return out.resolve() / parts[-1], out.resolve()
    return inside(documents, *parts), documents


def _meeting_parts(folder: str, data: dict[str, Any], ident: str, suffix: str) -> tuple[str, ...]:
    """A meeting's document: in its forum's folder, named by the meeting's date (or its id)."""
    forum = data.get("forum")
    meeting = data.get("meeting")
    day = meeting.get("date") if isinstance(meeting, dict) else None
    name = f"{day}{suffix}" if isinstance(day, str) else f"{ident}{suffix}"
    return (folder, forum, name) if isinstance(forum, str) else (folder, name)


def _relative(path: Path, start: Path) -> str:
    import os

    return os.path.relpath(path.resolve(), start.resolve())


def _report_findings(settings: Settings, written: list[Path], day: dt.date) -> None:
    """What `sb validate` says of the drafts: the facts still to fill in."""
    from sb_cli.reporters.findings import text
    from sb_cli.validation import validate_repository

    inside_repo = [p for p in written if p.resolve().is_relative_to(settings.root.resolve())]
    if not inside_repo:
        return
    report = validate_repository(settings, as_of=day, paths=inside_repo)
    typer.echo(text(report), nl=False, err=True)
