"""What verification must catch and what signing must refuse: a revoked signer, a page changed after
signing, a signer outside the trust list, an EC key, a PDF that is not the protocol's rendering."""

from __future__ import annotations

import io
import json
import shutil

import pytest

from sb_cli.signing.verify import SWEDEN, verify_pdf
from tests.conftest import invoke, sb
from tests.signing.conftest import PROTOCOL, draft_repository, sign
from tests.signing.pki import TSA, services

pytestmark = pytest.mark.slow


def verify_json(arch, justering, pdf, root=None, at="2023-06-23T12:00:00Z"):
    with services(arch, at):
        result = invoke("verify", pdf, "--trust", justering.credentials["ca"], "--format", "json",
                        "--root", root or justering.repo)  # fmt: skip
    return result.exit_code, json.loads(result.stdout)


def signed_by(arch, justering, who: str, tmp_path, *extra: str):
    out = tmp_path / f"{who}.pdf"
    result = sign(arch, "2023-06-20T07:12:00Z", justering.rendered, justering.credentials[who],
                  justering.credentials["password"], "justerare", "--out", out, *extra)  # fmt: skip
    assert result.exit_code == 0, result.output
    return out


def painted_over(data: bytes) -> bytes:
    """The PDF with a blue box painted over the first page, in an incremental update after signing."""
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    writer = IncrementalPdfFileWriter(io.BytesIO(data))
    box = writer.add_object(generic.StreamObject(stream_data=b"0 0 1 rg 100 100 200 50 re f"))
    writer.add_stream_to_page(0, box)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_a_revoked_signer_is_not_valid(arch, justering, tmp_path):
    code, found = verify_json(arch, justering, signed_by(arch, justering, "revoked", tmp_path, "--tsa", TSA))
    assert code == 1 and found["valid"] is False
    assert found["signatures"][0]["valid"] is False and found["signatures"][0]["intact"] is True


def test_a_signer_outside_the_trust_list_is_not_valid(arch, justering, tmp_path):
    pdf = signed_by(arch, justering, "stranger", tmp_path, "--tsa", TSA)
    code, found = verify_json(arch, justering, pdf)
    assert code == 1 and found["signatures"][0]["signer"] == "Okänd Undertecknare"
    assert found["signatures"][0]["valid"] is False
    with services(arch, "2023-06-23T12:00:00Z"):
        text = invoke("verify", pdf, "--trust", justering.credentials["ca"], "--root", justering.repo).stdout
    assert "certifikatkedjan leder inte till en betrodd rot (--trust)" in text


def test_a_page_changed_after_signing_is_reported_as_modified(arch, justering, tmp_path):
    changed = tmp_path / "ändrad.pdf"
    changed.write_bytes(painted_over(justering.signed_twice.read_bytes()))
    code, found = verify_json(arch, justering, changed)
    assert code == 1 and found["valid"] is False
    assert [s["modified_after"] for s in found["signatures"]] == [True, True]
    assert [s["intact"] for s in found["signatures"]] == [True, True]


def test_a_pdf_that_is_not_the_rendering_of_the_protocol_does_not_match_its_source(arch, justering, tmp_path):
    repo = draft_repository(tmp_path / "repo")
    protocol = repo / PROTOCOL
    text = protocol.read_text("utf-8")
    protocol.write_text(text.replace("i övrigt godkänna", "i övrigt avslå", 1), "utf-8")
    code, found = verify_json(arch, justering, justering.signed_twice, root=repo)
    assert code == 1 and found["document"]["matches_source"] is False
    assert all(s["valid"] for s in found["signatures"])  # the signatures themselves are fine


def test_a_pdf_whose_text_was_changed_before_signing_is_caught_by_the_new_rendering(arch, justering, tmp_path):
    """The same XMP claim (id and digest) on a PDF with another text: the digest agrees, the text not."""
    import pikepdf

    other = tmp_path / "annan.pdf"
    with pikepdf.open(justering.rendered) as pdf:
        del pdf.pages[-1]
        pdf.save(other)
    code, found = verify_json(arch, justering, signed_by_file(arch, justering, other, tmp_path))
    assert code == 1 and found["document"] == {"id": "LSVO-2023-06-16", "version": None, "matches_source": False}


def signed_by_file(arch, justering, pdf, tmp_path):
    out = tmp_path / "undertecknad.pdf"
    result = sign(arch, "2023-06-20T07:12:00Z", pdf, justering.credentials["sundlof"],
                  justering.credentials["password"], "ordförande", "--tsa", TSA, "--out", out)  # fmt: skip
    assert result.exit_code == 0, result.output
    return out


def test_an_ec_key_is_refused_in_swedish_and_nothing_is_written(justering, tmp_path):
    out = tmp_path / "ec.pdf"
    result = sb("sign", justering.rendered, "--key", justering.credentials["ec-signer"], "--password-file",
                justering.credentials["password"], "--role", "justerare", "--out", out)  # fmt: skip
    assert result.returncode == 2
    assert "elliptisk-kurvnyckel" in result.stderr and "PDF 2.0" in result.stderr and "PDF/A-2a" in result.stderr
    assert "Traceback" not in result.stderr and not out.exists()


def test_without_a_tsa_the_signature_is_b_b_and_says_so(arch, justering, tmp_path):
    out = tmp_path / "utan-tsa.pdf"
    result = sign(arch, "2023-06-20T07:12:00Z", justering.rendered, justering.credentials["sundlof"],
                  justering.credentials["password"], "ordförande", "--out", out)  # fmt: skip
    assert "(PAdES B-B, utan tidsstämpel; ange --tsa för styrkt tid)" in result.output
    code, found = verify_json(arch, justering, out)
    assert code == 0 and found["signatures"][0]["timestamped"] is False


def test_the_input_is_never_overwritten(justering):
    result = sb("sign", justering.rendered, "--key", justering.credentials["sundlof"], "--password-file",
                justering.credentials["password"], "--role", "ordförande", "--out", justering.rendered)  # fmt: skip
    assert result.returncode == 2 and "skriver aldrig över den" in result.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--role", "ledamot", "--key", "x.p12"], "okänd roll 'ledamot'"),
        (["--role", "justerare"], "ange antingen --key NYCKEL.p12 eller --pkcs11 MODUL"),
        (["--role", "justerare", "--pkcs11", "/finns/inte/opensc-pkcs11.so"], "PKCS#11-modulen"),
        (["--role", "justerare", "--key", "finns-inte.p12"], "nyckelfilen finns-inte.p12 finns inte"),
    ],
)
def test_usage_errors_exit_2_in_swedish_without_a_traceback(justering, args, message, tmp_path):
    result = sb("sign", justering.rendered, *args, cwd=tmp_path)
    assert result.returncode == 2 and message in result.stderr and "Traceback" not in result.stderr


def test_a_wrong_password_is_a_clear_error(justering, tmp_path):
    wrong = tmp_path / "fel.txt"
    wrong.write_text("fel\n", "utf-8")
    result = sb("sign", justering.rendered, "--key", justering.credentials["sundlof"], "--password-file", wrong,
                "--role", "ordförande", cwd=tmp_path)  # fmt: skip
    assert result.returncode == 2 and "kan inte läsas som .p12-fil" in result.stderr
    assert "Traceback" not in result.stderr


def test_an_external_signing_service_signs_through_interrupted_signing(arch, justering):
    """A fake service that answers later, as BankID does: prepare, hand the bytes over, finish."""
    from asn1crypto import keys
    from certomancer.registry import CertLabel, KeyLabel
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import padding

    from sb_cli.signing.sign import finish, prepare

    certificate = arch.get_cert(CertLabel("asman"))
    key_info: keys.PrivateKeyInfo = arch.key_set.get_private_key(KeyLabel("asman"))
    private = serialization.load_der_private_key(key_info.dump(), password=None)
    with services(arch, "2023-06-21T08:30:00Z"):
        pending = prepare(justering.signed_once.read_bytes(), certificate, [certificate], "justerare", TSA)
        queued = bytes(pending.to_sign)  # what the service receives
        answer = private.sign(queued, padding.PKCS1v15(), hashes.SHA256())
        signed = finish(pending, answer)
    with services(arch, "2023-06-23T12:00:00Z"):
        result = verify_pdf(signed, [justering.credentials["ca"].read_bytes()])
    assert result.valid
    last = result.signatures[-1]
    assert (last.signer, last.role, last.timestamped) == ("Martin Åsman", "justerare", True)
    assert last.time is not None and last.time.astimezone(SWEDEN).isoformat() == "2023-06-21T10:30:00+02:00"


def test_validate_reports_a_signed_pdf_that_was_changed_as_sb042(justering, tmp_path):
    repo = tmp_path / "repo"
    shutil.copytree(justering.repo, repo)
    findings = _sb042(repo)
    assert findings == []
    pdf = repo / PROTOCOL.replace(".yaml", ".pdf")
    pdf.write_bytes(painted_over(pdf.read_bytes()))
    findings = _sb042(repo)
    assert [f["severity"] for f in findings] == ["error", "error"]
    messages = " | ".join(f["message"] for f in findings)
    assert "PDF-filen documents/protokoll/LSVO/2023-06-16.pdf validerar inte: dokumentet har ändrats" in messages
    assert "efter underskrift 1 (Bodil Sundlöf)" in messages and "efter underskrift 2 (Martin Åsman)" in messages


def test_validate_reports_a_signed_pdf_of_another_text_as_sb042(justering, tmp_path):
    repo = tmp_path / "repo"
    shutil.copytree(justering.repo, repo)
    protocol = repo / PROTOCOL
    protocol.write_text(protocol.read_text("utf-8").replace("i övrigt godkänna", "i övrigt avslå", 1), "utf-8")
    messages = [f["message"] for f in _sb042(repo)]
    assert messages == [
        "PDF-filen documents/protokoll/LSVO/2023-06-16.pdf validerar inte: "
        "den är inte renderingen av protokollets nuvarande text"
    ]


def _sb042(repo):
    from tests.conftest import findings_json

    report = findings_json(repo, "2023-06-23")
    return [f for f in report["findings"] if f["code"] == "SB042"]


def test_finalize_refuses_a_pdf_without_signatures_and_leaves_the_protocol_as_it_was(justering, tmp_path):
    repo = draft_repository(tmp_path / "repo")
    before = (repo / PROTOCOL).read_text("utf-8")
    result = sb("finalize", repo / PROTOCOL, "--pdf", justering.rendered, "--tsa", TSA, "--trust",
                justering.credentials["ca"], "--as-of", "2023-06-22", "--root", repo)  # fmt: skip
    assert result.returncode == 2 and "PDF-filen har inga underskrifter att slutföra" in result.stderr
    assert (repo / PROTOCOL).read_text("utf-8") == before and not (repo / PROTOCOL).with_suffix(".pdf").exists()


def test_finalize_refuses_the_rendering_of_another_text(justering, tmp_path):
    repo = draft_repository(tmp_path / "repo")
    protocol = repo / PROTOCOL
    protocol.write_text(protocol.read_text("utf-8").replace("i övrigt godkänna", "i övrigt avslå", 1), "utf-8")
    result = sb("finalize", protocol, "--pdf", justering.signed_twice, "--tsa", TSA, "--trust",
                justering.credentials["ca"], "--as-of", "2023-06-22", "--root", repo)  # fmt: skip
    assert result.returncode == 2 and "är inte renderingen av" in result.stderr
    assert "Traceback" not in result.stderr
