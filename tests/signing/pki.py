"""The test PKI of data/certomancer.yml, served offline: certomancer's Illusionist answers the OCSP,
CRL and TSA requests through requests-mock, at a time freezegun chooses."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path

import requests_mock
from certomancer.integrations.illusionist import Illusionist
from certomancer.registry import ArchLabel, CertLabel, CertomancerConfig, PKIArchitecture
from freezegun import freeze_time

DATA = Path(__file__).resolve().parent / "data"
TSA = "http://pki.test/test/tsa/tsa"
PASSWORD = "hemligt"
SIGNERS = ("sundlof", "asman", "revoked", "ec-signer", "stranger")


def architecture() -> PKIArchitecture:
    return CertomancerConfig.from_file(str(DATA / "certomancer.yml")).get_pki_arch(ArchLabel("test"))


def write_credentials(arch: PKIArchitecture, folder: Path) -> dict[str, Path]:
    """A .p12 per signer, the password file, and the CA's certificate as PEM (the trust list)."""
    from asn1crypto import pem

    files = {name: folder / f"{name}.p12" for name in SIGNERS}
    for name, path in files.items():
        path.write_bytes(arch.package_pkcs12(CertLabel(name), password=PASSWORD.encode()))
    files["password"] = folder / "lösen.txt"
    files["password"].write_text(PASSWORD + "\n", "utf-8")
    files["ca"] = folder / "ca.pem"
    files["ca"].write_bytes(pem.armor("CERTIFICATE", arch.get_cert(CertLabel("root")).dump()))
    files["other-ca"] = folder / "okänd-ca.pem"
    files["other-ca"].write_bytes(pem.armor("CERTIFICATE", arch.get_cert(CertLabel("other-root")).dump()))
    return files


@cache
def _records_typed_before_the_clock_stops() -> None:
    """msgspec reads the record types once, on first use; under freezegun it would see its FakeDate
    in them and refuse. Reading the shipped documents once first keeps the real types."""
    from sb_cli.corpus import load_corpus
    from sb_cli.io.repo import load_settings
    from tests.conftest import REPO

    load_corpus(load_settings(REPO, REPO))


@contextmanager
def services(arch: PKIArchitecture, at: str) -> Iterator[None]:
    """The clock at `at` (UTC) and the PKI's services answering; no request leaves the machine."""
    _records_typed_before_the_clock_stops()
    with freeze_time(at), requests_mock.Mocker() as mocker:
        Illusionist(arch).register(mocker)
        yield
