"""`sb publish`: the public register as a static website, and a look at it on localhost."""

from __future__ import annotations

import time
from collections.abc import Callable
from contextlib import ExitStack
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from sb_cli.cli.common import AsOf, Root, counting_bar, note_problems, parse_as_of, progress_bar, refuse
from sb_cli.cli.helptext import examples

if TYPE_CHECKING:
    from sb_cli.core.model import Finding
    from sb_cli.publish.site import Stage

EPILOG = examples(
    "sb publish                   # webbplatsen i site/",
    "sb publish --out /srv/webb --skip-invalid",
    "sb publish --serve           # bygg och titta på http://127.0.0.1:8000/",
    "sb publish --no-cache        # räkna fram allt på nytt",
    "sb publish --verbose         # varje steg och dess tid",
    "sb publish --draft-site      # ett utkast, märkt Utkast på varje sida",
    note="Bara justerade protokoll (offentlig version), skickade kallelser och beslutade eller upphävda "
    "styrdokument publiceras; varje dokument som lämnas utanför står på en rad med skälet. Ett dokument med "
    "fel stoppar bygget; med --skip-invalid lämnas det utanför. Webbplatsens namn och "
    "tillgänglighetsredogörelsens uppgifter står i sb.toml; utan accessibility_contact byggs bara ett utkast. "
    "Webbplatsen byggs bredvid utmappen och byts in först när allt är klart och kontrollerat. Det som "
    "räknats fram sparas till nästa bygge i ~/.cache/sb/ (SB_CACHE_DIR väljer en annan mapp).",
)


def publish(
    out: Annotated[
        Path | None,
        typer.Option(
            "--out",
            "-o",
            metavar="MAPP",
            help="Webbplatsens mapp: en som inte finns, en tom eller en webbplats som sb byggt. "
            "Standard: site/ i repositoriets rot.",
        ),
    ] = None,
    skip_invalid: Annotated[
        bool, typer.Option("--skip-invalid", help="Lämna dokument med fel utanför i stället för att stoppa.")
    ] = False,
    draft_site: Annotated[
        bool,
        typer.Option(
            "--draft-site",
            help='Bygg ett utkast, med "Utkast" på varje sida, också när sb.toml saknar accessibility_contact.',
        ),
    ] = False,
    serve: Annotated[bool, typer.Option("--serve", help="Visa webbplatsen på 127.0.0.1 efter bygget.")] = False,
    port: Annotated[int, typer.Option("--port", min=1024, max=65535, help="Porten för --serve.")] = 8000,
    no_cache: Annotated[
        bool,
        typer.Option("--no-cache", help="Räkna fram allt på nytt, utan det som sparats från tidigare byggen."),
    ] = False,
    verbose: Annotated[
        bool, typer.Option("--verbose", help="Skriv ut varje steg i bygget och hur lång tid det tog.")
    ] = False,
    as_of: AsOf = None,
    root: Root = None,
) -> None:
    """Bygg den offentliga webbplatsen: forum, protokoll, register, beslut, årshjul, sök och flöden."""
    from sb_cli.io.cache import Cache
    from sb_cli.io.repo import load_settings
    from sb_cli.publish import site

    day = parse_as_of(as_of)
    settings = load_settings(root, Path.cwd())
    began = time.perf_counter()
    timings: list[tuple[Stage, float]] = []
    try:
        with Cache(None) if no_cache else Cache.for_user() as cache, ExitStack() as bars:
            loading = bars.enter_context(ExitStack())

            def name_left_out(found: list[Finding]) -> None:
                loading.close()  # the load's bar goes first, so that it overwrites none of them
                note_problems(found)

            built = site.publish(
                settings,
                out=out,
                as_of=day,
                skip_invalid=skip_invalid,
                draft_site=draft_site,
                cache=cache,
                watch=site.Watch(
                    loading=loading.enter_context(counting_bar("Läser in")),
                    problems=name_left_out,
                    progress=_bar_after_loading(bars),
                    finished=lambda stage, seconds: timings.append((stage, seconds)),
                ),
            )
    except site.Blocked as blocked:
        refuse(blocked.findings, f"{blocked.message} (--skip-invalid lämnar dem utanför)")
    finally:  # once the bar is gone, so that it overwrites none of them
        if verbose:
            for stage, seconds in timings:
                typer.echo(f"sb: {stage.label} {_seconds(seconds)}", err=True)
            typer.echo(f"sb: totalt {_seconds(time.perf_counter() - began)}", err=True)
    for path, why in built.left_out:
        typer.echo(f"sb: {path} publiceras inte: {why}", err=True)
    typer.echo(f"sb: {len(built.left_out)} dokument lämnades utanför webbplatsen", err=True)
    kept = built.documents - built.rendered
    typer.echo(
        f"{built.pages} sidor och {built.files} PDF- och Word-filer i {built.out} "
        f"({built.rendered} dokument renderade{f', {kept} oförändrade sedan förra bygget' if kept else ''})"
        f"{' – ett utkast' if draft_site else ''}",
        err=True,
    )
    if serve:
        _serve(built.out, port)


def _bar_after_loading(holder: ExitStack) -> Callable[[str, int, int], None]:
    """The progress bar, from the stage after loading on: the files left out are named before it
    (the load has a bar of its own, gone before they are named)."""
    shown: list[Callable[[str, int, int], None]] = []

    def update(what: str, done: int, total: int) -> None:
        if done == 0:
            return
        if not shown:
            shown.append(holder.enter_context(progress_bar("Publicerar")))
        shown[0](what, done, total)

    return update


def _seconds(seconds: float) -> str:
    """ "0,42 s", as Swedish writes it."""
    return f"{seconds:.2f} s".replace(".", ",")


def _serve(folder: Path, port: int) -> None:
    import functools
    import http.server

    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(folder))
    try:
        server = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
    except OSError as exc:
        from sb_cli.errors import UsageError

        raise UsageError(
            f"porten {port} går inte att använda: {exc.strerror}", hint="välj en annan med --port"
        ) from None
    typer.echo(f"Webbplatsen visas på http://127.0.0.1:{port}/ (Ctrl-C avslutar)", err=True)
    with server:
        server.serve_forever()
