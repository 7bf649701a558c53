"""`sb init` and `sb schemas`: start a document repository of one's own."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from sb_cli.cli.helptext import examples

INIT_EPILOG = examples(
    "sb init regionens-dokument   # en ny mapp med allt som behövs",
    "sb init                      # i mappen du står i",
    note="Skriver sb.toml (med mappens namn som webbplatsens namn), documents/organisation.yaml, schemas/, "
    ".pre-commit-config.yaml, .gitignore och .github/workflows/sb.yml. En fil som redan finns skrivs aldrig över.",
)
SCHEMAS_EPILOG = examples(
    "sb schemas --out schemas     # för redigeraren och check-jsonschema",
    note="Schemana skrivs över med sb:s version; varje schema har ett $id som inte ändras.",
)


def init(
    folder: Annotated[
        Path, typer.Argument(metavar="[MAPP]", help="Mappen för repositoriet. Standard: den du står i.")
    ] = Path(),
) -> None:
    """Lägg upp ett nytt dokumentrepositorium: inställningar, organisation, scheman, krok och CI."""
    from sb_cli import __version__
    from sb_cli.errors import UsageError
    from sb_cli.io.starter import lay_out

    if folder.exists() and not folder.is_dir():
        raise UsageError(f"{folder} är ingen mapp")
    written = lay_out(folder, __version__)
    for entry in written:
        shown = entry.path.relative_to(folder).as_posix()
        if not shown.startswith("schemas/"):
            typer.echo(f"{'skrev' if entry.new else 'finns redan, orörd:'} {shown}")
    schemas = [e for e in written if e.path.parent.name == "schemas"]
    typer.echo(f"{'skrev' if any(e.new for e in schemas) else 'finns redan:'} schemas/ ({len(schemas)} scheman)")
    typer.echo(
        "Nästa steg: fyll i documents/organisation.yaml och webbplatsens uppgifter i sb.toml, kör sb validate, "
        "och sb new kallelse --forum ID --date DAG",
        err=True,
    )


def schemas(
    out: Annotated[Path, typer.Option("--out", "-o", metavar="MAPP", help="Mappen schemana skrivs till.")],
) -> None:
    """Skriv sb:s JSON Schema (2020-12), ett per dokumenttyp, för redigerare och andra verktyg."""
    from sb_cli.io.starter import write_schemas

    written = write_schemas(out)
    typer.echo(f"{len(written)} scheman skrivna till {out}", err=True)
