"""`sb publish`: the public register as a static website, and a look at it on localhost."""

from __future__ import annotations

import datetime as dt
import os
import time
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from sb_cli.cli.common import AsOf, Root, open_corpus, parse_as_of, progress_bar, refuse
from sb_cli.cli.helptext import examples

if TYPE_CHECKING:
    from sb_cli.io.cache import Cache
    from sb_cli.publish.site import Built

EPILOG = examples(
    "sb publish                   # webbplatsen i site/",
    "sb publish --out /srv/webb --skip-invalid",
    "sb publish --serve           # bygg och titta på http://127.0.0.1:8000/",
    "sb publish --no-cache        # räkna fram allt på nytt",
    note="Bara justerade protokoll (offentlig version), skickade kallelser och beslutade eller upphävda "
    "styrdokument publiceras. Ett dokument med fel stoppar bygget; med --skip-invalid lämnas det utanför. "
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
    serve: Annotated[bool, typer.Option("--serve", help="Visa webbplatsen på 127.0.0.1 efter bygget.")] = False,
    port: Annotated[int, typer.Option("--port", min=1024, max=65535, help="Porten för --serve.")] = 8000,
    no_cache: Annotated[
        bool,
        typer.Option("--no-cache", help="Räkna fram allt på nytt, utan det som sparats från tidigare byggen."),
    ] = False,
    as_of: AsOf = None,
    root: Root = None,
) -> None:
    """Bygg den offentliga webbplatsen: forum, protokoll, register, beslut, årshjul, sök och flöden."""
    from sb_cli.io.cache import Cache, using

    day = parse_as_of(as_of)
    with Cache(None) if no_cache else Cache.for_user() as cache, using(cache):
        built = _build(out, skip_invalid, day, root, cache)
    for path, why in built.left_out:
        typer.echo(f"sb: {path} publiceras inte: {why}", err=True)
    typer.echo(
        f"{built.pages} sidor och {built.files} PDF- och Word-filer i {built.out} "
        f"({built.rendered} dokument renderade, resten oförändrade)",
        err=True,
    )
    if serve:
        _serve(built.out, port)


def _build(out: Path | None, skip_invalid: bool, day: dt.date, root: Path | None, cache: Cache) -> Built:
    from sb_cli.io import git as gitio
    from sb_cli.publish.site import Blocked
    from sb_cli.publish.site import publish as build

    settings, loaded = open_corpus(root)
    target = out if out is not None else _default_folder(settings.root)
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    reproducible = bool(epoch and epoch.isdigit())
    timestamp = int(epoch) if epoch and reproducible else int(time.time())
    git = gitio.open_repository(settings.root)
    files = {d.path: (settings.root / d.path).read_bytes() for d in loaded.corpus.documents}
    stamps = gitio.stamps(git, settings.documents, files)

    def stamp_of(path: str) -> gitio.Stamp:
        return stamps[path]

    def history_of(path: str) -> list[dict[str, object]] | None:
        return gitio.file_log(git, path) if isinstance(git, gitio.Git) else None

    try:
        with progress_bar("Renderar") as progress:
            return build(
                settings,
                loaded.corpus,
                out=target,
                as_of=day,
                skip_invalid=skip_invalid,
                timestamp=timestamp,
                reproducible=reproducible,
                stamp_of=stamp_of,
                history_of=history_of,
                progress=progress,
                cache=cache,
            )
    except Blocked as blocked:
        refuse(blocked.findings, f"{blocked.message} (--skip-invalid lämnar dem utanför)")


def _default_folder(root: Path) -> Path:
    """site/ in the repository, which must not be a link out of it: whoever can commit to the
    repository must not choose where sb writes (--out, the user's own choice, may be a link)."""
    from sb_cli.io.atomic import check_inside

    check_inside(root, root / "site")
    return root / "site"


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
