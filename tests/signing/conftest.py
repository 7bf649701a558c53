"""One justering of the LSVO protocol 2023-06-16, made once for the tests: rendered, signed by the
ordförande on 20 June and by a justerare on 21 June 2023, and finalized on 22 June."""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.conftest import REPO, SHIPPED_PROTOCOL, as_draft, invoke
from tests.signing.pki import TSA, architecture, services, write_credentials

PROTOCOL = "documents/protokoll/LSVO/2023-06-16.yaml"


def draft_repository(destination: Path) -> Path:
    """The repository's documents with the LSVO protocol 2023-06-16 as the draft it was before it
    was justerat (tests/conftest.py's as_draft)."""
    shutil.copytree(REPO / "documents", destination / "documents")
    protocol = destination / PROTOCOL
    protocol.write_text(as_draft((REPO / SHIPPED_PROTOCOL).read_text("utf-8")), "utf-8")
    return destination


@dataclass(frozen=True)
class Justering:
    repo: Path
    credentials: dict[str, Path]
    rendered: Path
    signed_once: Path
    signed_twice: Path
    outputs: dict[str, str]  # what each step printed

    @property
    def protocol(self) -> Path:
        return self.repo / PROTOCOL

    @property
    def finalized(self) -> Path:
        return self.protocol.with_suffix(".pdf")


@pytest.fixture(scope="session")
def arch():
    return architecture()


@pytest.fixture(scope="session")
def credentials(arch, tmp_path_factory):
    return write_credentials(arch, tmp_path_factory.mktemp("nycklar"))


def sign(arch, at: str, pdf: Path, key: Path, password: Path, role: str, *extra: str):
    with services(arch, at):
        return invoke("sign", pdf, "--key", key, "--password-file", password, "--role", role, *extra)


@pytest.fixture(scope="session")
def justering(arch, credentials, tmp_path_factory) -> Justering:
    repo = draft_repository(tmp_path_factory.mktemp("repo"))
    out = tmp_path_factory.mktemp("ut")
    rendered = invoke("render", "protocol", repo / PROTOCOL, "--to", "pdf", "--out", out, "--as-of", "2023-06-19",
                      "--root", repo)  # fmt: skip
    assert rendered.exit_code == 0, rendered.output
    pdf = out / "LSVO-2023-06-16.pdf"
    first = sign(arch, "2023-06-20T07:12:00Z", pdf, credentials["sundlof"], credentials["password"], "ordförande",
                 "--tsa", TSA)  # fmt: skip
    assert first.exit_code == 0, first.output
    once = out / "LSVO-2023-06-16.signed.pdf"
    twice = out / "LSVO-2023-06-16.justerad.pdf"
    second = sign(arch, "2023-06-21T08:30:00Z", once, credentials["asman"], credentials["password"], "justerare",
                  "--tsa", TSA, "--out", twice)  # fmt: skip
    assert second.exit_code == 0, second.output
    with services(arch, "2023-06-22T09:00:00Z"):
        final = invoke("finalize", repo / PROTOCOL, "--pdf", twice, "--tsa", TSA, "--trust", credentials["ca"],
                       "--as-of", "2023-06-22", "--root", repo)  # fmt: skip
    assert final.exit_code == 0, final.output
    outputs = {"first": first.output, "second": second.output, "final": final.output}
    return Justering(repo, credentials, pdf, once, twice, outputs)
