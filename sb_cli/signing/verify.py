"""`sb verify`: who signed a PDF, in what role and when, whether each signature validates and
whether anything was changed after it, and whether the PDF is the rendering of its protocol."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from sb_cli.signing.sign import ROLES, signer_name
from sb_cli.signing.source import SourceClaim, read_claim

SWEDEN = ZoneInfo("Europe/Stockholm")


@dataclass(frozen=True)
class SignatureCheck:
    signer: str
    role: str | None  # ordförande, justerare, sekreterare; None when the signature names none
    time: dt.datetime | None  # the TSA's time when timestamped, else the time the signer's machine gave
    timestamped: bool
    valid: bool  # intact, trusted chain, not revoked, nothing changed after it
    intact: bool  # the signed bytes are unchanged and the signature value is right
    modified_after: bool  # the document was changed after it beyond signing and archival data
    problems: tuple[str, ...] = ()  # why it is not valid, in Swedish


@dataclass(frozen=True)
class DocumentCheck:
    id: str | None
    version: str | None
    matches_source: bool | None  # None: sb cannot tell (no claim, no repository, no such protocol)


@dataclass(frozen=True)
class Verification:
    document: DocumentCheck
    signatures: tuple[SignatureCheck, ...]
    archived: bool = False  # a document timestamp with validation data (PAdES B-LTA)
    problems: tuple[str, ...] = field(default=())

    @property
    def valid(self) -> bool:
        return (
            bool(self.signatures)
            and all(s.valid for s in self.signatures)
            and self.document.matches_source is not False
            and not self.problems
        )

    def as_json(self) -> dict[str, Any]:
        """SPEC §12's object."""
        return {
            "valid": self.valid,
            "document": {
                "id": self.document.id,
                "version": self.document.version,
                "matches_source": self.document.matches_source,
            },
            "signatures": [
                {
                    "signer": s.signer,
                    "role": s.role,
                    "time": s.time.isoformat() if s.time else None,
                    "timestamped": s.timestamped,
                    "valid": s.valid,
                    "intact": s.intact,
                    "modified_after": s.modified_after,
                }
                for s in self.signatures
            ],
        }


# Whether the PDF is the rendering of the source it claims; None when that cannot be told.
SourceMatcher = Callable[[SourceClaim, bytes], bool | None]


def verify_pdf(data: bytes, trust: Sequence[bytes], matcher: SourceMatcher | None = None) -> Verification:
    """Every signature of the PDF validated against the trusted roots (PEM or DER certificates), at
    the time it is run; with a document timestamp, from the validation data in the PDF (B-LTA)."""
    from pyhanko.pdf_utils.reader import PdfFileReader

    claim = read_claim(data)
    matches = matcher(claim, data) if matcher is not None and claim.id is not None else None
    document = DocumentCheck(claim.id, claim.version, matches)
    try:
        reader = PdfFileReader(io.BytesIO(data), strict=False)
        signatures = list(reader.embedded_regular_signatures)
        stamps = list(reader.embedded_timestamp_signatures)
    except Exception as error:  # pyHanko's reader raises several kinds for a broken file
        return Verification(document, (), problems=(f"filen kan inte läsas som PDF: {error}",))
    roots = [_certificate(pem) for pem in trust]
    archive = _archive(reader, stamps, roots) if stamps else None
    checks = tuple(_check(signature, roots, archive) for signature in signatures)
    problems = [] if signatures else ["PDF-filen har inga underskrifter"]
    if stamps and archive is None:
        problems.append("dokumenttidsstämpeln validerar inte")
    return Verification(document, checks, archived=archive is not None, problems=tuple(problems))


def _certificate(data: bytes) -> Any:
    from asn1crypto import pem, x509

    if pem.detect(data):
        _, _, data = pem.unarmor(data)
    return x509.Certificate.load(data)


def _check(signature: Any, roots: list[Any], archive: Any) -> SignatureCheck:
    """One signature validated now (fetching revocation data), or, in an archived PDF, at the time of
    its document timestamp with the validation data in the PDF (so after the certificate expired)."""
    from pyhanko.sign.general import UnacceptableSignerError
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko.sign.validation.errors import SignatureValidationError
    from pyhanko_certvalidator import ValidationContext
    from pyhanko_certvalidator.fetchers.requests_fetchers import RequestsFetcherBackend

    reason = str(signature.sig_object.get("/Reason", ""))
    role = next((key for key, label in ROLES.items() if label == reason), None)
    signer = signer_name(signature.signer_cert)
    try:
        if archive is not None:
            dss, moment = archive
            context = dss.as_validation_context({"trust_roots": roots, "moment": moment, "allow_fetching": False})
        else:
            context = ValidationContext(
                trust_roots=roots, allow_fetching=True, fetcher_backend=RequestsFetcherBackend()
            )
        status = validate_pdf_signature(signature, signer_validation_context=context, ts_validation_context=context)
    except (SignatureValidationError, UnacceptableSignerError, ValueError) as error:
        problem = f"underskriften kan inte valideras: {error}"
        return SignatureCheck(signer, role, None, False, False, False, False, (problem,))
    return _summary(signer, role, status)


def _archive(reader: Any, stamps: list[Any], roots: list[Any]) -> tuple[Any, dt.datetime] | None:
    """The PDF's validation data and the time of its valid document timestamp, or None."""
    from pyhanko.sign.validation import validate_pdf_timestamp
    from pyhanko.sign.validation.dss import DocumentSecurityStore
    from pyhanko_certvalidator import ValidationContext
    from pyhanko_certvalidator.fetchers.requests_fetchers import RequestsFetcherBackend

    dss = DocumentSecurityStore.read_dss(reader)
    context = ValidationContext(trust_roots=roots, allow_fetching=True, fetcher_backend=RequestsFetcherBackend())
    status = validate_pdf_timestamp(stamps[-1], validation_context=context)
    if not (status.intact and status.valid and status.trusted):
        return None
    moment: dt.datetime = status.timestamp
    return dss, moment


def _summary(signer: str, role: str | None, status: Any) -> SignatureCheck:
    from pyhanko.sign.diff_analysis import ModificationLevel

    stamp = status.timestamp_validity
    time = stamp.timestamp if stamp is not None else status.signer_reported_dt
    level = status.modification_level
    modified_after = level is None or level > ModificationLevel.FORM_FILLING or status.docmdp_ok is False
    problems = []
    if not status.intact or not status.valid:
        problems.append("de undertecknade byten har ändrats eller underskriften stämmer inte")
    if not status.trusted:
        problems.append("certifikatkedjan leder inte till en betrodd rot (--trust)")
    if status.revoked:
        problems.append("certifikatet är spärrat")
    if modified_after:
        problems.append("dokumentet har ändrats efter underskriften")
    if stamp is not None and not (stamp.intact and stamp.valid and stamp.trusted):
        problems.append("tidsstämpeln validerar inte")
    return SignatureCheck(
        signer=signer,
        role=role,
        time=time.astimezone(SWEDEN) if time is not None else None,
        timestamped=stamp is not None,
        valid=not problems,
        intact=bool(status.intact and status.valid),
        modified_after=modified_after,
        problems=tuple(problems),
    )


def text_lines(result: Verification) -> list[str]:
    """The verification as a reader wants it, in Swedish."""
    lines = []
    matches = {True: "ja", False: "nej", None: "kan inte avgöras"}[result.document.matches_source]
    lines.append(
        f"Dokument: {result.document.id or '(okänt)'}"
        + (f", version {result.document.version}" if result.document.version else "")
    )
    lines.append(f"Renderat från protokollets YAML: {matches}")
    for number, check in enumerate(result.signatures, 1):
        when = check.time.strftime("%Y-%m-%d %H:%M %Z") if check.time else "okänd tid"
        source = "tidsstämpel" if check.timestamped else "undertecknarens dator, ingen tidsstämpel"
        lines.append(f"Underskrift {number}: {check.signer}, {check.role or 'roll okänd'}, {when} ({source})")
        state = "giltig" if check.valid else "OGILTIG"
        changed = _yes(check.modified_after)
        lines.append(f"  {state}; intakt: {_yes(check.intact)}; ändrad efter underskriften: {changed}")
        lines += [f"  - {problem}" for problem in check.problems]
    lines += [f"- {problem}" for problem in result.problems]
    if result.archived:
        lines.append("Arkivering: valideringsdata och dokumenttidsstämpel (PAdES B-LTA)")
    lines.append("Resultat: " + ("giltig" if result.valid else "OGILTIG"))
    return lines


def _yes(value: bool) -> str:
    return "ja" if value else "nej"


def integrity_problems(data: bytes) -> list[str]:
    """What is wrong with a signed PDF's signatures without a trust list and without the network
    (for sb validate): broken signatures and changes after signing."""
    try:
        checks = offline_signatures(data)
    except ValueError as error:
        return [str(error)]
    if not checks:
        return ["den har inga underskrifter"]
    problems: list[str] = []
    for number, check in enumerate(checks, 1):
        if check.problems and not check.signer:
            problems.extend(check.problems)
            continue
        if not check.intact:
            problems.append(f"underskrift {number} ({check.signer}) är bruten")
        if check.modified_after:
            problems.append(f"dokumentet har ändrats efter underskrift {number} ({check.signer})")
    return problems


def offline_signatures(data: bytes) -> tuple[SignatureCheck, ...]:
    """Each signature as the PDF itself holds it, checked without the network and without a trust
    list (so none is `valid`): who signed, in what role, when, whether it is intact, and whether the
    file was changed after it. ValueError when the file cannot be read as a PDF."""
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext

    try:
        signatures = list(PdfFileReader(io.BytesIO(data), strict=False).embedded_regular_signatures)
    except Exception as error:  # pyHanko's reader raises several kinds for a broken file
        raise ValueError(f"den kan inte läsas som PDF: {error}") from None
    checks = []
    for number, signature in enumerate(signatures, 1):
        reason = str(signature.sig_object.get("/Reason", ""))
        role = next((key for key, label in ROLES.items() if label == reason), None)
        try:
            offline = ValidationContext(trust_roots=[], allow_fetching=False)
            status = validate_pdf_signature(signature, signer_validation_context=offline, ts_validation_context=offline)
        except Exception as error:  # a signature pyHanko cannot even read
            checks.append(
                SignatureCheck(
                    "", role, None, False, False, False, True, (f"underskrift {number} kan inte läsas: {error}",)
                )
            )
            continue
        checks.append(_summary(signer_name(signature.signer_cert), role, status))
    return tuple(checks)
