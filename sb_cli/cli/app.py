"""The `sb` command line: registers the commands and maps failures to exit codes.

Each command imports its implementation inside its body, so that `sb --help` starts fast.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from sb_cli import __version__
from sb_cli.cli import (
    announce,
    catalog,
    compare,
    edit,
    importing,
    init,
    new,
    publish,
    render,
    report,
    sign,
    swedish,
    validate,
)
from sb_cli.cli.helptext import examples
from sb_cli.errors import ExitCode

swedish.install()

app = typer.Typer(
    name="sb",
    help="Dokumentstyrning för Samverkan Blekinge: validera, rendera och bevaka styrdokument, "
    "kallelser och protokoll.\n\n"
    + examples(
        "sb validate                      # kontrollera alla dokument",
        "sb validate --format github      # i CI: anteckningar i pull requesten",
        "sb report expiring               # avtal att säga upp eller som löper ut",
        "sb show LSVO-2023-06-16          # ett dokuments kort och historik",
        "sb calendar --out samverkan.ics  # datumen i din kalender",
        "sb render protocol FIL           # protokollet i Word och PDF",
        "sb compare ID                    # vad som ändrats sedan beslutet",
        "sb edit                          # kallelser och protokoll i webbläsaren",
        "sb init regionens-dokument       # ett eget dokumentrepositorium",
    ),
    no_args_is_help=True,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)
app.command(epilog=validate.EPILOG)(validate.validate)
app.add_typer(report.report_app, name="report")
app.command("list", epilog=catalog.LIST_EPILOG)(catalog.list_documents)
app.command(epilog=catalog.SHOW_EPILOG)(catalog.show)
app.command(epilog=catalog.CALENDAR_EPILOG)(catalog.calendar)
app.command(epilog=render.EPILOG)(render.render)
app.command(epilog=compare.EPILOG)(compare.compare)
app.command(epilog=new.NEW_EPILOG)(new.new)
app.command(epilog=new.ADJUST_EPILOG)(new.adjust)
app.command(epilog=sign.SIGN_EPILOG)(sign.sign)
app.command(epilog=sign.FINALIZE_EPILOG)(sign.finalize)
app.command(epilog=sign.VERIFY_EPILOG)(sign.verify)
app.command(epilog=announce.EPILOG)(announce.announce)
app.command(epilog=edit.EPILOG)(edit.edit)
app.command(epilog=publish.EPILOG)(publish.publish)
app.command("import", epilog=importing.EPILOG)(importing.import_documents)
app.command(epilog=init.INIT_EPILOG)(init.init)
app.command(epilog=init.SCHEMAS_EPILOG)(init.schemas)

_state = {"debug": False}


def _version(value: bool) -> None:
    if value:
        typer.echo(f"sb {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Visa versionen och avsluta.")
    ] = False,
    debug: Annotated[bool, typer.Option("--debug", help="Visa hela felspårningen vid internt fel.")] = False,
) -> None:
    _state["debug"] = debug


def main() -> None:
    """Entry point: the one place that maps exceptions to exit codes (see ExitCode)."""
    import signal

    from sb_cli.errors import SbError, Terminated, os_error_message

    def terminate(signum: int, frame: object) -> None:
        raise Terminated

    signal.signal(signal.SIGTERM, terminate)
    command = typer.main.get_command(app)
    swedish.translate_completion_options(command)
    try:
        code = command.main(prog_name="sb", standalone_mode=False)  # returns Exit's code
    except SbError as exc:
        typer.echo(f"sb: fel: {exc.message}", err=True)
        if exc.hint:
            typer.echo(f"    tips: {exc.hint}", err=True)
        sys.exit(exc.exit_code)
    except typer.Exit as exc:
        sys.exit(exc.exit_code)
    except (KeyboardInterrupt, typer.Abort):
        typer.echo("sb: avbrutet", err=True)
        sys.exit(ExitCode.INTERRUPTED)
    except Terminated:
        typer.echo("sb: avslutat (SIGTERM)", err=True)
        sys.exit(ExitCode.TERMINATED)
    except OSError as exc:  # the environment, not a bug: a read-only folder, a full disk …
        typer.echo(f"sb: fel: {os_error_message(exc)}", err=True)
        sys.exit(ExitCode.USAGE)
    except typer.TyperException as exc:  # usage errors of typer's own Click
        _usage_error(exc)
        sys.exit(ExitCode.USAGE)
    except Exception as exc:
        _internal_error(exc)
    sys.exit(code if isinstance(code, int) else ExitCode.OK)


def _usage_error(exc: Exception) -> None:
    """The usage line, where to find help, and the error, in Swedish; a bare `sb report` shows its help."""
    from typer._click.exceptions import ClickException, NoArgsIsHelpError

    ctx = getattr(exc, "ctx", None)
    if isinstance(exc, NoArgsIsHelpError) or ctx is None:
        show = getattr(exc, "show", None)
        if show is not None and ctx is not None:
            show()
        else:
            typer.echo(f"sb: fel: {swedish.message(str(exc))}", err=True)
        return
    typer.echo(ctx.get_usage(), err=True)
    if ctx.command.get_help_option(ctx) is not None:
        typer.echo(swedish.hint(ctx.command_path, ctx.help_option_names[0]), err=True)
    text = exc.format_message() if isinstance(exc, ClickException) else str(exc)
    typer.echo(f"\nsb: fel: {swedish.message(text)}", err=True)


def _internal_error(exc: BaseException) -> None:
    import traceback

    trace = "".join(traceback.format_exception(exc))
    if _state["debug"]:
        typer.echo(trace, err=True)
    else:
        log = _write_log(trace)
        where = f"; detaljer i {log}" if log else ""
        typer.echo(f"sb: internt fel: {exc}{where} (kör med --debug för att se dem)", err=True)
    sys.exit(ExitCode.INTERNAL)


def _write_log(trace: str) -> Path | None:
    """The traceback in a new file in the user's own cache folder (never a fixed name in a shared
    folder, never through a symbolic link), or None when that cannot be done safely."""
    import datetime as dt
    import os

    from sb_cli.io.cache import user_folder

    folder = user_folder()
    if folder is None:
        return None
    try:
        stamp = dt.datetime.now(tz=dt.UTC).strftime("%Y%m%dT%H%M%S")
        log = folder / f"fel-{stamp}-{os.getpid()}.log"
        flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
        handle = os.open(log, flags, 0o600)
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            stream.write(trace)
    except OSError:
        return None
    return log
