"""`sb compare`: what changed between two versions of a document, for people who never saw git."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from sb_cli.cli import completion
from sb_cli.cli.common import AsOf, RenderOut, Root, choices, open_corpus, parse_as_of, refuse
from sb_cli.cli.helptext import examples
from sb_cli.render.formats import RENDER_FORMATS

EPILOG = examples(
    "sb compare ledningssystem-2021         # senast beslutade mot arbetskopian",
    "sb compare ledningssystem-2021 --from 1.0 --to 1.1 --format pdf",
    "sb compare LSVO-2023-06-16             # rättat protokoll mot det justerade",
    "sb compare ID --from HEAD~3 -f docx -f md --side-by-side",
    note="VERSION är dokumentets version (version: i filen) eller en git-revision (commit, tagg, gren). "
    "Filerna heter UT/<id>-<från>-<till>.<format>; tillägg visas understrukna och strykningar "
    "överstrukna, i Word som spårade ändringar.",
)


if TYPE_CHECKING:
    Target = str
else:
    Target = choices(RENDER_FORMATS, "CompareTarget")


def compare(
    document_id: Annotated[
        str,
        typer.Argument(
            metavar="ID", help="Dokumentets id, eller sökvägen till filen.", autocompletion=completion.document_ids
        ),
    ],
    old: Annotated[
        str | None,
        typer.Option(
            "--from",
            metavar="VERSION",
            help="Den tidigare versionen. Standard: den senast beslutade (för protokoll: den justerade).",
        ),
    ] = None,
    new: Annotated[
        str | None,
        typer.Option(
            "--to", metavar="VERSION", help="Den nya versionen. Standard: arbetskopian (filen som den är nu)."
        ),
    ] = None,
    formats: Annotated[
        list[Target] | None, typer.Option("--format", "-f", help="Format; kan upprepas. Standard: html.")
    ] = None,
    out: RenderOut = None,
    side_by_side: Annotated[
        bool, typer.Option("--side-by-side", help='Två spalter per avsnitt: "Tidigare lydelse | Ny lydelse".')
    ] = False,
    as_of: AsOf = None,
    root: Root = None,
) -> None:
    """Jämför två versioner av ett dokument: ändrade uppgifter och text, ord för ord."""
    from sb_cli import comparing
    from sb_cli.render.service import NotRendered

    day = parse_as_of(as_of)
    settings, loaded = open_corpus(root)

    def started(sides: comparing.Sides) -> None:
        from sb_cli.reporters.escape import line

        typer.echo(line(f"Jämför {sides.new.document.id}: {sides.old.label} → {sides.new.label}"), err=True)

    try:
        written = comparing.compare(
            settings,
            loaded,
            document_id,
            as_of=day,
            old=old,
            new=new,
            formats=tuple(dict.fromkeys(str(f) for f in formats)) if formats else comparing.FORMATS,
            out=out,
            side_by_side=side_by_side,
            started=started,
        )
    except NotRendered as stopped:
        refuse(stopped.findings, stopped.message)
    for path in written:
        typer.echo(str(path))
