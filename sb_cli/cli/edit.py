"""`sb edit`: the browser editor on this machine (SPEC §11)."""

from __future__ import annotations

import socket
from typing import Annotated

import typer

from sb_cli.cli.common import AsOf, Root, parse_as_of
from sb_cli.cli.helptext import examples
from sb_cli.errors import UsageError

EPILOG = examples(
    "sb edit                         # forumen och mötena i webbläsaren",
    "sb edit LSVO-2023-06-16         # öppna ett dokument direkt",
    "sb edit --port 9000 --no-browser",
    note="Lyssnar bara på 127.0.0.1. Första raden på standard ut är adressen med nyckeln; "
    "den som inte har nyckeln får 403. Ctrl-C avslutar.",
)
DEFAULT_PORT = 8765
PORTS_TRIED = 50


def edit(
    ident: Annotated[str | None, typer.Argument(metavar="[ID]", help="Dokumentet att öppna först.")] = None,
    port: Annotated[
        int | None,
        typer.Option(
            "--port", metavar="N", min=1, max=65535, help=f"Porten (standard {DEFAULT_PORT} eller nästa lediga)."
        ),
    ] = None,
    no_browser: Annotated[bool, typer.Option("--no-browser", help="Öppna inte webbläsaren.")] = False,
    as_of: AsOf = None,
    root: Root = None,
) -> None:
    """Redigera kallelser, protokoll och styrdokument i webbläsaren."""
    import webbrowser
    from pathlib import Path
    from urllib.parse import quote

    import uvicorn

    from sb_cli.edit.app import application
    from sb_cli.edit.guard import new_token
    from sb_cli.edit.workspace import Workspace
    from sb_cli.io.repo import load_settings

    settings = load_settings(root, Path.cwd())
    workspace = Workspace(settings, as_of=parse_as_of(as_of) if as_of else None)
    if ident is not None:
        workspace.path_of(ident)  # an unknown id is an error now, not a 404 in the browser
    workspace.refresh()
    workspace.load_in_background()  # while the server starts and the browser opens
    listening = _socket(port)
    chosen = listening.getsockname()[1]
    token = new_token()
    start = f"/dokument/{quote(ident, safe='')}" if ident else "/"
    address = f"http://127.0.0.1:{chosen}{start}?token={token}"
    typer.echo(address)
    if not no_browser:
        webbrowser.open(address)
    config = uvicorn.Config(
        application(workspace, token=token, port=chosen), log_level="warning", access_log=False, lifespan="off"
    )
    uvicorn.Server(config).run(sockets=[listening])


def _socket(port: int | None) -> socket.socket:
    """A listening socket on 127.0.0.1: the port asked for, or the first free one from 8765."""
    candidates = [port] if port is not None else range(DEFAULT_PORT, DEFAULT_PORT + PORTS_TRIED)
    for candidate in candidates:
        listening = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        try:
            listening.bind(("127.0.0.1", candidate))
        except OSError:
            listening.close()
            continue
        listening.listen(64)
        return listening
    if port is not None:
        raise UsageError(f"porten {port} är upptagen", hint="ange en annan med --port, eller utelämna den")
    raise UsageError(f"ingen ledig port mellan {DEFAULT_PORT} och {DEFAULT_PORT + PORTS_TRIED - 1}")
