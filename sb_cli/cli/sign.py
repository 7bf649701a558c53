"""`sb sign`, `sb verify` and `sb finalize`: electronic justering of a rendered protocol (SPEC §12)."""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from sb_cli.cli.common import AsOf, Root, parse_as_of
from sb_cli.cli.helptext import examples
from sb_cli.errors import ExitCode, UsageError, os_error_message

SIGN_EPILOG = examples(
    "sb sign ut/LSVO-2023-06-16.pdf --key bodil.p12 --role ordförande --tsa $TSA",
    "sb sign FIL.pdf --key anna.p12 --password-file lösen.txt --role justerare",
    "sb sign FIL.pdf --pkcs11 opensc-pkcs11.so --role justerare --tsa $TSA",
    note="Skriver FIL.signed.pdf och aldrig över indatafilen. Utan --tsa blir underskriften PAdES B-B, "
    "utan styrkt tid.",
)
VERIFY_EPILOG = examples(
    "sb verify documents/protokoll/LSVO/2023-06-16.pdf --trust ca.pem",
    "sb verify FIL.pdf --trust ca.pem --format json",
    note="Slutkod 0 när varje underskrift validerar och inget ändrats efter den, annars 1.",
)
FINALIZE_EPILOG = examples(
    "sb finalize PROTOKOLL.yaml --pdf FIL.pdf --tsa $TSA --trust ca.pem",
    note="Lägger den slutförda PDF-filen bredvid protokollet och sätter adjusted till sista underskriftsdagen.",
)


class VerifyFormat(StrEnum):
    text = "text"
    json = "json"


def _password(path: Path | None) -> bytes | None:
    if path is None:
        return None
    try:  # a file or a pipe: --password-file <(pass show sb/p12)
        return path.read_bytes().rstrip(b"\r\n")
    except OSError as error:
        raise UsageError(f"lösenordsfilen kan inte läsas: {os_error_message(error)}") from None


def sign(
    file: Annotated[Path, typer.Argument(metavar="FIL.pdf", help="Den renderade PDF-filen som undertecknas.")],
    role: Annotated[str, typer.Option("--role", metavar="ROLL", help="ordförande, justerare eller sekreterare.")],
    key: Annotated[Path | None, typer.Option("--key", metavar="NYCKEL.p12", help="Nyckel och certifikat.")] = None,
    password_file: Annotated[
        Path | None, typer.Option("--password-file", metavar="FIL", help="Lösenordet (eller PIN-koden) i en fil.")
    ] = None,
    pkcs11: Annotated[
        Path | None, typer.Option("--pkcs11", metavar="MODUL", help="PKCS#11-modul, t.ex. OpenSC:s för SITHS-kort.")
    ] = None,
    slot: Annotated[int | None, typer.Option("--slot", metavar="N", help="Kortplatsen i PKCS#11-modulen.")] = None,
    tsa: Annotated[
        str | None, typer.Option("--tsa", metavar="URL", help="Tidsstämpeltjänst: PAdES B-T med styrkt tid.")
    ] = None,
    out: Annotated[Path | None, typer.Option("--out", "-o", metavar="FIL", help="Standard: FIL.signed.pdf.")] = None,
) -> None:
    """Underteckna en renderad PDF med en osynlig PAdES-underskrift (en underskrift per körning)."""
    from sb_cli.io.atomic import write_atomic
    from sb_cli.signing import sign as signing

    if role not in signing.ROLES:
        raise UsageError(f"okänd roll '{role}'", hint="roller: " + ", ".join(signing.ROLES))
    if (key is None) == (pkcs11 is None):
        raise UsageError("ange antingen --key NYCKEL.p12 eller --pkcs11 MODUL")
    if not file.is_file():
        raise UsageError(f"{file} finns inte")
    target = out or file.with_name(f"{file.stem}.signed.pdf")
    if target.resolve() == file.resolve():
        raise UsageError(
            f"{target} är indatafilen; sb sign skriver aldrig över den", hint="ange en annan fil med --out"
        )
    secret = _password(password_file)
    if key is not None:
        service = signing.p12_key(key, secret)
    else:
        assert pkcs11 is not None
        service = signing.pkcs11_key(pkcs11, slot, secret.decode() if secret else None)
    signed = signing.sign_pdf(file.read_bytes(), service, role, tsa)
    write_atomic(target, signed.pdf)
    level = (
        "PAdES B-T, med tidsstämpel" if signed.timestamped else "PAdES B-B, utan tidsstämpel; ange --tsa för styrkt tid"
    )
    typer.echo(f"{target}: undertecknad av {signed.signer} som {role} ({level})")


def verify(
    file: Annotated[Path, typer.Argument(metavar="FIL.pdf", help="Den undertecknade PDF-filen.")],
    trust: Annotated[
        list[Path] | None, typer.Option("--trust", metavar="CA.pem", help="Betrodd rot; kan upprepas.")
    ] = None,
    output: Annotated[VerifyFormat, typer.Option("--format", "-f", help="text eller json.")] = VerifyFormat.text,
    root: Root = None,
) -> None:
    """Visa vem som undertecknat, i vilken roll och när, och om PDF-filen är oförändrad och är
    renderingen av protokollets YAML."""
    from sb_cli.signing.verify import text_lines, verify_pdf

    if not file.is_file():
        raise UsageError(f"{file} finns inte")
    roots = []
    for path in trust or []:
        if not path.is_file():
            raise UsageError(f"--trust {path} finns inte")
        roots.append(path.read_bytes())
    result = verify_pdf(file.read_bytes(), roots, _matcher(root))
    if output is VerifyFormat.json:
        typer.echo(json.dumps(result.as_json(), ensure_ascii=False))
    else:
        typer.echo("\n".join(text_lines(result)))
    if not result.valid:
        raise typer.Exit(ExitCode.FINDINGS)


def _matcher(root: Path | None):  # type: ignore[no-untyped-def]
    """The check against the repository's protocol, or None outside a repository."""
    from sb_cli.io.repo import load_settings
    from sb_cli.signing.repository import repository_matcher

    try:
        settings = load_settings(root, Path.cwd())
    except UsageError:
        if root is not None:
            raise
        return None
    if not (settings.root / settings.documents).is_dir():
        return None
    return repository_matcher(settings)


def finalize(
    protocol: Annotated[Path, typer.Argument(metavar="PROTOKOLL", help="Protokollets YAML-fil.")],
    pdf: Annotated[Path, typer.Option("--pdf", metavar="FIL.pdf", help="PDF-filen med alla underskrifter.")],
    tsa: Annotated[str, typer.Option("--tsa", metavar="URL", help="Tidsstämpeltjänst för dokumenttidsstämpeln.")],
    trust: Annotated[
        list[Path] | None, typer.Option("--trust", metavar="CA.pem", help="Betrodd rot; kan upprepas.")
    ] = None,
    as_of: AsOf = None,
    root: Root = None,
) -> None:
    """Slutför en elektronisk justering: valideringsdata och dokumenttidsstämpel (PAdES B-LTA),
    PDF-filen bredvid protokollet och adjusted satt till sista underskriftsdagen."""
    from sb_cli import drafting
    from sb_cli.cli.common import refuse
    from sb_cli.core.meetings import signed_pdf_of
    from sb_cli.errors import Refused
    from sb_cli.io.atomic import write_atomic
    from sb_cli.io.repo import load_settings
    from sb_cli.io.yamlwrite import add_key
    from sb_cli.signing.complete import complete
    from sb_cli.signing.repository import repository_matcher
    from sb_cli.signing.source import read_claim

    settings = load_settings(root, Path.cwd())
    for path in (protocol, pdf, *(trust or [])):
        if not path.is_file():
            raise UsageError(f"{path} finns inte")
    rel = settings.relpath(protocol)
    data = pdf.read_bytes()
    claim = read_claim(data)
    record_id = protocol.stem
    matches = repository_matcher(settings)(claim, data) if claim.id else None
    if not matches:
        raise UsageError(
            f"{pdf} är inte renderingen av {protocol}" + (f" (den säger sig vara {claim.id})" if claim.id else ""),
            hint=f"rendera protokollet med sb render och låt undertecknarna underteckna den filen ({record_id})",
        )
    done = complete(data, tsa, [path.read_bytes() for path in trust or []])
    try:
        drafting.adjustable_protocol(settings, rel, done.last_signed, parse_as_of(as_of), shown=str(protocol))
    except Refused as stopped:
        refuse(stopped.findings, stopped.message)
    target = settings.root / signed_pdf_of(rel)
    write_atomic(target, done.pdf)
    add_key(settings.root / rel, "adjusted", done.last_signed.isoformat(), after="adjusters")
    typer.echo(f"{settings.relpath(target)}: slutförd (PAdES B-LTA)")
    typer.echo(f"{protocol} justerat {done.last_signed}")
