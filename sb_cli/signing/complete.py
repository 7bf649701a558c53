"""The completion of an electronic justering: when every signer has signed, validation data for
each signature (the DSS) and one document timestamp, PAdES B-LTA, so that the signatures can be
validated after the certificates have expired. The protocol's `adjusted` is the last signing day."""

from __future__ import annotations

import asyncio
import datetime as dt
import io
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sb_cli.errors import SbError
from sb_cli.signing.sign import DIGEST, incremental_writer
from sb_cli.signing.verify import Verification, _certificate, verify_pdf

TIMESTAMP_FIELD = "Arkivtidsstämpel"


@dataclass(frozen=True)
class Completed:
    pdf: bytes
    last_signed: dt.date  # the last signature's day (Swedish time), from its timestamp
    verification: Verification


def complete(pdf: bytes, tsa: str, trust: Sequence[bytes]) -> Completed:
    """The signed PDF with validation data and a document timestamp, after checking that every
    signature is valid and timestamped (the signing days must be provable)."""
    checked = verify_pdf(pdf, trust)
    if not checked.signatures:
        raise SbError("PDF-filen har inga underskrifter att slutföra")
    if checked.archived:
        raise SbError("PDF-filen är redan slutförd: den har en dokumenttidsstämpel")
    for number, signature in enumerate(checked.signatures, 1):
        if not signature.valid:
            why = "; ".join(signature.problems) or "ogiltig"
            raise SbError(f"underskrift {number} ({signature.signer}) validerar inte: {why}")
        if not signature.timestamped or signature.time is None:
            raise SbError(
                f"underskrift {number} ({signature.signer}) saknar tidsstämpel, så dagen kan inte styrkas",
                hint="låt undertecknaren underteckna igen med sb sign --tsa URL",
            )
    from pyhanko.sign.timestamps import TimestampRequestError
    from pyhanko_certvalidator.errors import CRLValidationError, OCSPValidationError, PathError, ValidationError

    last = max(s.time for s in checked.signatures if s.time is not None).date()
    roots = [_certificate(pem) for pem in trust]
    try:
        archived = asyncio.run(_archive(pdf, tsa, roots))
    except TimestampRequestError as error:
        raise SbError(f"tidsstämpeltjänsten {tsa} svarade inte som väntat: {error}") from None
    except (PathError, ValidationError, CRLValidationError, OCSPValidationError) as error:
        raise SbError(f"valideringsdata för underskrifterna kunde inte hämtas: {error}") from None
    return Completed(archived, last, checked)


async def _archive(pdf: bytes, tsa: str, roots: list[Any]) -> bytes:
    from pyhanko.sign import fields, signers
    from pyhanko.sign.signers.pdf_signer import TimestampDSSContentSettings
    from pyhanko.sign.timestamps.requests_client import HTTPTimeStamper
    from pyhanko.sign.validation.dss import DocumentSecurityStore, collect_validation_info
    from pyhanko_certvalidator import ValidationContext
    from pyhanko_certvalidator.fetchers.requests_fetchers import RequestsFetcherBackend

    context = ValidationContext(
        trust_roots=roots, allow_fetching=True, fetcher_backend=RequestsFetcherBackend(), revocation_mode="require"
    )
    writer = incremental_writer(pdf)
    for signature in writer.prev.embedded_regular_signatures:
        paths = await collect_validation_info(signature, context)
        DocumentSecurityStore.supply_dss_in_writer(
            writer, signature.pkcs7_content.hex().encode("ascii"), validation_context=context, paths=paths
        )
    with_dss = io.BytesIO()
    writer.write(with_dss)
    # Set explicitly: the widget of use_pades_lta's timestamp is [0 0 0 0] on the page, which breaks
    # PDF/UA (veraPDF 7.18.4-1); this one is printable, outside the crop box, with a Swedish /TU.
    stamper = signers.PdfTimeStamper(
        HTTPTimeStamper(tsa),
        field_name=TIMESTAMP_FIELD,
        invis_settings=fields.InvisSigSettings(set_print_flag=True, set_hidden_flag=False, box_out_of_bounds=True),
        readable_field_name="Dokumenttidsstämpel för arkivering",
    )
    # The TSA's own validation data goes into the timestamp's revision, through the writer that keeps
    # the XMP (after the timestamp, pyHanko would open a writer of its own).
    settings = TimestampDSSContentSettings(update_before_ts=True, include_vri=False)
    output = await stamper.async_timestamp_pdf(
        incremental_writer(with_dss.getvalue()), DIGEST, validation_context=context, dss_settings=settings
    )
    data: bytes = output.getvalue()
    return data
