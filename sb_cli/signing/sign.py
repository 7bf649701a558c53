"""`sb sign`: one PAdES signature on a rendered PDF, by incremental update, with an invisible widget
that keeps PDF/UA-1 and PDF/A-2a (outside the crop box, printable, with a Swedish /TU).

Every signature goes through pyHanko's interrupted signing: the document is prepared and digested,
a `SigningService` signs the signed attributes, and the signature is embedded. A local key (a .p12
file, a PKCS#11 token) is one such service; an external one (a BankID provider, Sweden Connect)
implements the same two members."""

from __future__ import annotations

import asyncio
import io
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from sb_cli.errors import SbError, UsageError

if TYPE_CHECKING:
    from asn1crypto import x509

ROLES = {"ordförande": "Ordförande", "justerare": "Justerare", "sekreterare": "Sekreterare"}
DIGEST = "sha256"
FIELD_PREFIX = "Justering"


class SigningService(Protocol):
    """Who signs: the certificate, its chain, and a signature over the DER bytes of the signed
    attributes. An external service may take its time (the signer approves on a phone)."""

    @property
    def certificate(self) -> x509.Certificate: ...

    @property
    def chain(self) -> list[x509.Certificate]: ...

    def sign(self, data: bytes, digest_algorithm: str) -> bytes: ...


@dataclass(frozen=True)
class Signed:
    pdf: bytes
    signer: str
    timestamped: bool


@dataclass
class Pending:
    """A signature prepared and waiting for its value: `to_sign` goes to the signing service, its
    answer to `finish`. Holds the document in its prepared state."""

    to_sign: bytes
    certificate: x509.Certificate
    chain: list[x509.Certificate]
    state: Any  # pyHanko's prepared digest, signed attributes, post-sign instructions and output
    tsa: str | None


def signer_name(certificate: x509.Certificate) -> str:
    name = certificate.subject.native.get("common_name")
    return str(name) if name else certificate.subject.human_friendly


def check_key(certificate: x509.Certificate) -> None:
    """Refuse an elliptic-curve or EdDSA key: pyHanko marks such a signature as ISO 32002 and raises
    the catalog to PDF 2.0, which a PDF/A-2 file may not claim."""
    algorithm = certificate.public_key.algorithm
    if algorithm != "rsa":
        kind = {"ec": "en elliptisk-kurvnyckel (ECDSA)", "ed25519": "en Ed25519-nyckel", "ed448": "en Ed448-nyckel"}
        raise SbError(
            f"nyckeln är {kind.get(algorithm, algorithm)}; en sådan underskrift gör PDF-filen till PDF 2.0, "
            "och då är den inte längre PDF/A-2a",
            hint="underteckna med en RSA-nyckel (SITHS-kort och BankID har RSA-nycklar)",
        )


def prepare(
    pdf: bytes, certificate: x509.Certificate, chain: list[x509.Certificate], role: str, tsa: str | None
) -> Pending:
    """The first half of signing: a new invisible field, the signature placeholder, and the
    attributes the service signs."""
    return asyncio.run(_prepare(pdf, certificate, chain, role, tsa))


async def _prepare(
    pdf: bytes, certificate: x509.Certificate, chain: list[x509.Certificate], role: str, tsa: str | None
) -> Pending:
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign import fields, signers
    from pyhanko_certvalidator.registry import SimpleCertificateStore

    check_key(certificate)
    label = ROLES.get(role)
    if label is None:
        raise UsageError(f"okänd roll '{role}'", hint="roller: " + ", ".join(ROLES))
    name = signer_name(certificate)
    writer = incremental_writer(pdf)
    existing = list(fields.enumerate_sig_fields(PdfFileReader(io.BytesIO(pdf), strict=False)))
    field = f"{FIELD_PREFIX} {len(existing) + 1}"
    spec = fields.SigFieldSpec(
        sig_field_name=field,
        on_page=0,
        # Printable (PDF/A-2 6.3.2), zero-sized far outside the crop box, so that PDF/UA asks neither for
        # a tag nor for the hidden flag (veraPDF 7.18.1-3, 7.18.4-1).
        invis_sig_settings=fields.InvisSigSettings(set_print_flag=True, set_hidden_flag=False, box_out_of_bounds=True),
        readable_field_name=f"Elektronisk underskrift: {label} {name}",
    )
    metadata = signers.PdfSignatureMetadata(
        field_name=field,
        md_algorithm=DIGEST,
        subfilter=fields.SigSeedSubFilter.PADES,
        reason=label,
        name=name,
    )
    registry = SimpleCertificateStore.from_certs(chain)
    placeholder = signers.ExternalSigner(signing_cert=certificate, cert_registry=registry, signature_value=512)
    pdf_signer = signers.PdfSigner(metadata, signer=placeholder, timestamper=_timestamper(tsa), new_field_spec=spec)
    prepared, tbs, output = await pdf_signer.async_digest_doc_for_signing(writer)
    attributes = await placeholder.signed_attrs(prepared.document_digest, DIGEST, use_pades=True)
    state = (prepared, attributes, tbs.post_sign_instructions, output)
    return Pending(attributes.dump(), certificate, chain, state, tsa)


def finish(pending: Pending, signature: bytes) -> bytes:
    """The second half: the signature value (and the TSA's timestamp on it) into the document."""
    return asyncio.run(_finish(pending, signature))


async def _finish(pending: Pending, signature: bytes) -> bytes:
    from pyhanko.sign import signers
    from pyhanko.sign.signers.pdf_signer import PdfTBSDocument
    from pyhanko_certvalidator.registry import SimpleCertificateStore

    prepared, attributes, instructions, output = pending.state
    registry = SimpleCertificateStore.from_certs(pending.chain)
    signer = signers.ExternalSigner(signing_cert=pending.certificate, cert_registry=registry, signature_value=signature)
    cms = await signer.async_sign_prescribed_attributes(
        DIGEST, signed_attrs=attributes, timestamper=_timestamper(pending.tsa)
    )
    await PdfTBSDocument.async_finish_signing(output, prepared, cms, post_sign_instr=instructions)
    data: bytes = output.getvalue()
    return data


def incremental_writer(pdf: bytes) -> Any:
    """A pyHanko writer that appends to `pdf` and leaves its XMP as it is: pyHanko would rewrite the
    XMP in every update and lose the PDF/A extension schemas typst declares (PDF/A-2 6.6.2.3)."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    try:
        writer = IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False)
    except Exception as error:  # pyHanko's reader raises several kinds for a broken file
        raise SbError(f"filen kan inte läsas som PDF: {error}") from None
    writer._update_meta = lambda: None  # type: ignore[method-assign]
    return writer


def sign_pdf(pdf: bytes, service: SigningService, role: str, tsa: str | None) -> Signed:
    """One signature by `service` in `role`: PAdES B-T with a TSA, else B-B."""
    from pyhanko.sign.timestamps import TimestampRequestError

    try:
        pending = prepare(pdf, service.certificate, service.chain, role, tsa)
        signed = finish(pending, service.sign(pending.to_sign, DIGEST))
    except TimestampRequestError as error:
        raise SbError(f"tidsstämpeltjänsten {tsa} svarade inte som väntat: {error}") from None
    return Signed(signed, signer_name(service.certificate), tsa is not None)


def _timestamper(tsa: str | None) -> Any:
    if tsa is None:
        return None
    from pyhanko.sign.timestamps.requests_client import HTTPTimeStamper

    return HTTPTimeStamper(tsa)


class LocalKey:
    """A key the signer holds: a pyHanko signer (from a .p12 file or a PKCS#11 token) as a service."""

    def __init__(self, signer: Any) -> None:
        self._signer = signer

    @property
    def certificate(self) -> x509.Certificate:
        certificate: x509.Certificate = self._signer.signing_cert
        return certificate

    @property
    def chain(self) -> list[x509.Certificate]:
        return [self.certificate, *self._signer.cert_registry]

    def sign(self, data: bytes, digest_algorithm: str) -> bytes:
        value: bytes = asyncio.run(self._signer.async_sign_raw(data, digest_algorithm))
        return value


def p12_key(path: Path, password: bytes | None) -> LocalKey:
    """The key and certificate in a .p12 (PKCS#12) file."""
    from cryptography.hazmat.primitives.serialization import pkcs12
    from pyhanko.sign import signers

    if not path.is_file():
        raise UsageError(f"nyckelfilen {path} finns inte")
    hint = "stämmer lösenordet (--password-file)?"
    try:  # read here first: pyHanko would log its own traceback for a wrong password
        key, certificate, _ = pkcs12.load_key_and_certificates(path.read_bytes(), password)
    except ValueError as error:
        raise SbError(f"{path} kan inte läsas som .p12-fil: {error}", hint=hint) from None
    if key is None or certificate is None:
        raise SbError(f"{path} saknar nyckel eller certifikat")
    signer = signers.SimpleSigner.load_pkcs12(str(path), passphrase=password)
    if signer is None:
        raise SbError(f"{path} kan inte läsas som .p12-fil", hint=hint)
    return LocalKey(signer)


def pkcs11_key(module: Path, slot: int | None, pin: str | None) -> LocalKey:
    """The signing key on a PKCS#11 token (a SITHS card through OpenSC's module)."""
    if not module.is_file():
        raise UsageError(
            f"PKCS#11-modulen {module} finns inte",
            hint="för SITHS-kort: OpenSC:s modul, t.ex. /usr/lib/x86_64-linux-gnu/opensc-pkcs11.so",
        )
    try:
        from pyhanko.sign import pkcs11
    except ImportError:
        raise SbError("stöd för PKCS#11 saknas", hint="installera python-pkcs11: pip install python-pkcs11") from None
    try:
        session = pkcs11.open_pkcs11_session(str(module), slot_no=slot, user_pin=pin)
        signer = pkcs11.PKCS11Signer(session, key_label=None, other_certs_to_pull=None)
    except Exception as error:  # the token's own errors, from a C library
        raise SbError(f"PKCS#11-modulen {module} kunde inte användas: {error}") from None
    return LocalKey(signer)
