"""`sb publish` as the secretary runs it: what is published and what never is, the final leak check,
and builds that are reproducible, incremental and atomic."""

import gzip
import json
import os
import re
import shutil
import subprocess
import sys
import time
import urllib.request
import zipfile
from pathlib import Path

import pytest
from pypdf import PdfReader
from typer.testing import CliRunner

from sb_cli.cli.app import app
from sb_cli.errors import SbError
from sb_cli.io.cache import Cache
from sb_cli.publish.leaks import check_files, readable_text
from tests.conftest import CASES, REPO, build_repo, sb
from tests.publish.conftest import publish_site

pytestmark = pytest.mark.slow

AS_OF = "2026-11-22"
EPOCH = {"SOURCE_DATE_EPOCH": "1767225600"}
WITHHELD = "Redovisning av ett enskilt ärende."
DRAFT_BODY = "planeringsdagen i Olofström"
NUMBER = re.compile(r"19811218-?9876|811218-?9876")


def publish(root: Path, out: Path, *extra: str, env: dict[str, str] | None = None):
    return sb(
        "publish", "--root", root, "--out", out, "--as-of", AS_OF, *extra, env={**os.environ, **EPOCH, **(env or {})}
    )


@pytest.fixture(scope="module")
def case(tmp_path_factory) -> Path:
    return build_repo(CASES / "publish", tmp_path_factory.mktemp("repo"))


@pytest.fixture(scope="module")
def site(case, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("webb") / "site"
    result = publish(case, out)
    assert result.returncode == 0, result.stderr
    return out


def every_text(site: Path) -> dict[str, str]:
    """What a reader gets from each file, PDFs included (read here with pypdf, not by sb)."""
    texts = {}
    for path in site.rglob("*"):
        if path.suffix == ".pdf":
            texts[path.as_posix()] = " ".join((p.extract_text() or "") for p in PdfReader(path).pages)
        elif path.is_file():
            texts[path.as_posix()] = readable_text(path)
    return texts


def test_the_urls_of_spec_8(site):
    for path in (
        "index.html",
        "LSVO/index.html",
        "LSVO/2026-01-16/index.html",
        "LSVO/2026-02-13/index.html",
        "LSVO/2026-02-13/LSVO-2026-02-13-offentlig.pdf",
        "LSVO/2026-02-13/LSVO-2026-02-13-offentlig.docx",
        "LSVO/2026-02-13/LSVO-2026-02-13-utdrag-4.pdf",
        "LSVO/2026-02-13/LSVO-2026-02-13-utdrag-4.docx",
        "LSVO/2026-03-13/kallelse-LSVO-2026-03-13.pdf",
        "LSVO/2026-03-13/kallelse-LSVO-2026-03-13.docx",
        "LSVO/feed.atom",
        "dokument/rutin-avvikelser/index.html",
        "dokument/rutin-avvikelser/rutin-avvikelser.pdf",
        "dokument/rutin-avvikelser/rutin-avvikelser.docx",
        "styrdokument/index.html",
        "beslut/index.html",
        "beslut/forum/LSVO/index.html",
        "beslut/ar/2026/index.html",
        "beslut/lage/uppfoljt/index.html",
        "arshjul/index.html",
        "sok/index.html",
        "feed.atom",
        "kalender.ics",
        "tillganglighet/index.html",
    ):
        assert (site / path).is_file(), path
    assert (site / "pagefind/pagefind-ui.js").is_file()


def test_a_withheld_item_is_a_placeholder_and_its_text_is_in_no_file(site):
    meeting = (site / "LSVO/2026-02-13/index.html").read_text("utf-8")
    assert "Sekretess enligt 26 kap. 1 § OSL" in meeting and "Offentlig version" in meeting
    assert not (site / "LSVO/2026-02-13/LSVO-2026-02-13-utdrag-6.pdf").exists()
    texts = every_text(site)
    assert any(path.endswith(".pf_fragment") for path in texts)  # the search index is read too
    assert [p for p, t in texts.items() if "enskilt ärende" in t or "Ärende om en enskild" in t] == []


def test_drafts_are_never_published_and_a_personnummer_in_one_stops_nothing_else(site):
    assert not (site / "dokument/rutin-utkast").exists()
    kallelse_only = (site / "LSVO/2026-03-13/index.html").read_text("utf-8")
    assert "Dagordning" in kallelse_only  # the draft protocol's PDF is not there; the kallelse's is
    assert [p.name for p in (site / "LSVO/2026-03-13").glob("*.pdf")] == ["kallelse-LSVO-2026-03-13.pdf"]
    texts = every_text(site)
    assert [p for p, t in texts.items() if DRAFT_BODY in t] == []
    assert [p for p, t in texts.items() if NUMBER.search(t)] == []


def test_a_kallelse_waits_for_its_sent_date(case, tmp_path):
    out = tmp_path / "site"
    assert publish(case, out, "--as-of", "2026-03-01").returncode == 0  # sent 2026-03-06
    assert not (out / "LSVO/2026-03-13").exists()


def test_a_published_document_with_errors_stops_the_build_or_is_left_out(case, tmp_path):
    root = build_repo(CASES / "publish", tmp_path / "repo")
    rutin = root / "documents" / "rutin.md"
    rutin.write_text(rutin.read_text("utf-8").replace("owner: LSVO", "owner: LSVO\nfarg: blå"), "utf-8")
    out = tmp_path / "site"
    stopped = publish(root, out)
    assert stopped.returncode == 1 and "SB002" in stopped.stdout and not out.exists()
    assert "--skip-invalid" in stopped.stderr
    skipped = publish(root, out, "--skip-invalid")
    assert skipped.returncode == 0, skipped.stderr
    assert "documents/rutin.md publiceras inte" in skipped.stderr
    assert not (out / "dokument/rutin-avvikelser").exists() and (out / "dokument/overenskommelse-test").is_dir()


def test_the_same_input_and_source_date_epoch_give_the_same_bytes(case, site, tmp_path):
    # The second build takes views, pages and leak checks from the cache the first one left, the
    # third makes everything anew: all three are the same site.
    again, anew = tmp_path / "site", tmp_path / "utan-cache"
    assert publish(case, again).returncode == 0
    assert publish(case, anew, "--no-cache").returncode == 0
    first, second, third = (
        {p.relative_to(s): p.read_bytes() for p in s.rglob("*") if p.is_file() and not unordered(p)}
        for s in (site, again, anew)
    )
    assert len(first) > 40 and first.keys() == second.keys() == third.keys()
    assert [p for p in first if not first[p] == second[p] == third[p]] == []


def unordered(path: Path) -> bool:
    """Pagefind writes the values of a search filter in no fixed order: its filter files, and the
    two files that name them, are the only ones that differ between two builds."""
    return path.parent.name == "filter" or path.suffix == ".pf_meta" or path.name == "pagefind-entry.json"


def test_the_manifest_of_a_large_site_cannot_read_as_a_personnummer(site):
    # Hexadecimal digests of 1,200 documents held a run of digits that the leak check rightly
    # took for a personnummer; the digests are in base 32 (a–z, 2–7) instead.
    manifest = json.loads((site / ".sb-webbplats.json").read_text("utf-8"))
    keys = {name: value for name, value in manifest.items() if not name.startswith("publicerad:")}
    assert len(keys) > 10
    assert all(re.fullmatch("[a-z2-7]{52}", key) for key in keys.values())
    # beside them, the day each protocol and kallelse was first published, for "Publicerat den"
    assert {name: day for name, day in manifest.items() if name not in keys} == {
        "publicerad:LSVO-2026-01-16": AS_OF,
        "publicerad:LSVO-2026-02-13": AS_OF,
        "publicerad:kallelse-LSVO-2026-03-13": AS_OF,
    }


def test_a_rebuild_renders_only_what_changed_and_drops_what_is_gone(tmp_path):
    root = build_repo(CASES / "publish", tmp_path / "repo")
    out = tmp_path / "site"
    assert publish(root, out).returncode == 0
    pdf = out / "LSVO/2026-01-16/LSVO-2026-01-16-offentlig.pdf"
    before = pdf.stat().st_mtime_ns, (out / "dokument/rutin-avvikelser/rutin-avvikelser.pdf").stat().st_ino
    unchanged = publish(root, out)
    assert "(0 dokument renderade" in unchanged.stderr, unchanged.stderr
    searched_before, searched_before_document = (
        searched(out, "Avvikelser"),
        searched(out, "dokument/overenskommelse-test/"),
    )
    protocol = root / "documents" / "lsvo-2.yaml"
    protocol.write_text(protocol.read_text("utf-8").replace("title: Avvikelsehantering", "title: Avvikelser"), "utf-8")
    protocol_only = publish(root, out)
    assert "(1 dokument renderade" in protocol_only.stderr, protocol_only.stderr
    assert searched(out, "Avvikelser") > searched_before  # the search index is made anew
    agreement = root / "documents" / "avtal.yaml"  # back on remiss: no longer published
    agreement.write_text(agreement.read_text("utf-8").replace("status: beslutad", "status: remiss"), "utf-8")
    changed = publish(root, out)
    assert changed.returncode == 0, changed.stderr
    assert "(0 dokument renderade" in changed.stderr, changed.stderr
    assert pdf.stat().st_mtime_ns == before[0]  # another protocol's PDF is the old file
    assert (out / "dokument/rutin-avvikelser/rutin-avvikelser.pdf").stat().st_ino == before[1]
    assert "Avvikelser" in (out / "LSVO/2026-02-13/index.html").read_text("utf-8")
    assert not (out / "dokument/overenskommelse-test").exists()
    assert searched(out, "dokument/overenskommelse-test/") == 0 < searched_before_document


def searched(site: Path, word: str) -> int:
    """How many of the search index's page fragments hold the word."""
    fragments = site.glob("pagefind/fragment/*.pf_fragment")
    return sum(word in gzip.decompress(p.read_bytes()).decode("utf-8") for p in fragments)


def test_a_rebuild_takes_views_pages_and_checks_from_the_cache(tmp_path, monkeypatch):
    root = build_repo(CASES / "publish", tmp_path / "repo")
    out = tmp_path / "site"
    monkeypatch.setenv("SB_CACHE_DIR", str(tmp_path / "cache"))
    publish_site(root, out)
    before = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file() and not unordered(p)}
    index = (out / "pagefind" / "pagefind-entry.json").stat().st_ino

    def never(*args, **kwargs):
        raise AssertionError("gjordes om trots att det fanns i cachen")

    read_again: list[Path] = []

    def reading(path: Path, data: bytes | None = None) -> str:
        read_again.append(path)
        return readable_text(path, data)

    with monkeypatch.context() as patch:
        patch.setattr("sb_cli.render.service.build", never)  # the views
        patch.setattr("jinja2.environment.Template.render", never)  # the pages
        patch.setattr("sb_cli.io.loader._parse", never)  # the documents
        patch.setattr("sb_cli.validation.check_source", never)  # their checks
        patch.setattr("sb_cli.io.cache.Later.made", never)  # the data of pages that are in the cache
        patch.setattr("sb_cli.publish.leaks.readable_text", reading)  # the leak check
        publish_site(root, out)
    assert read_again == []
    assert (out / "pagefind" / "pagefind-entry.json").stat().st_ino == index  # the same pages: the old index
    after = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file() and not unordered(p)}
    assert after == before


def test_two_builds_at_once_share_one_cache(tmp_path):
    root = build_repo(CASES / "publish", tmp_path / "repo")
    env = {**os.environ, **EPOCH, "SB_CACHE_DIR": str(tmp_path / "cache")}
    command = [sys.executable, "-m", "sb_cli", "publish", "--root", str(root), "--as-of", AS_OF, "--out"]
    runs = [
        subprocess.Popen([*command, str(tmp_path / name)], env=env, stderr=subprocess.PIPE, text=True)
        for name in ("a", "b")
    ]
    for run in runs:
        _, said = run.communicate(timeout=300)
        assert run.returncode == 0, said
    a, b = (
        {p.relative_to(s): p.read_bytes() for p in s.rglob("*") if p.is_file() and not unordered(p)}
        for s in (tmp_path / "a", tmp_path / "b")
    )
    assert len(a) > 40 and a == b


def test_a_changed_site_template_is_not_hidden_by_the_cache(tmp_path, monkeypatch):
    root = build_repo(CASES / "publish", tmp_path / "repo")
    monkeypatch.setenv("SB_CACHE_DIR", str(tmp_path / "cache"))
    publish_site(root, tmp_path / "site")
    own = root / "templates" / "site"
    own.mkdir(parents=True)
    start = (REPO / "templates" / "site" / "start.html.j2").read_text("utf-8")
    block = "{% block content %}"
    assert start.count(block) == 1
    (own / "start.html.j2").write_text(start.replace(block, block + "<p>Egen startsida</p>"), "utf-8")
    publish_site(root, tmp_path / "site")
    assert "<p>Egen startsida</p>" in (tmp_path / "site" / "index.html").read_text("utf-8")


def test_a_failed_search_index_leaves_the_old_site_whole(tmp_path, monkeypatch):
    root = build_repo(CASES / "publish", tmp_path / "repo")
    out = publish_site(root, tmp_path / "site")
    before = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    own = root / "templates" / "site"
    own.mkdir(parents=True)
    layout = (REPO / "templates" / "site" / "layout.html.j2").read_text("utf-8")
    (own / "layout.html.j2").write_text(layout.replace("</main>", "<p>Ny rad</p></main>"), "utf-8")
    monkeypatch.setattr("sys.executable", "/bin/false")  # Pagefind, the only process this build starts
    with pytest.raises(SbError, match="sökindexet kunde inte byggas: Pagefind avslutades med 1"):
        CliRunner().invoke(
            app,
            ["publish", "--root", str(root), "--out", str(out), "--as-of", AS_OF],
            env=EPOCH,
            catch_exceptions=False,
        )
    assert {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()} == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["repo", "site"]  # no half-built folders beside


def test_a_failed_build_leaves_the_old_site_whole(tmp_path):
    root = build_repo(CASES / "publish", tmp_path / "repo")
    out = tmp_path / "site"
    assert publish(root, out).returncode == 0
    before = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    broken = root / "templates" / "site"
    broken.mkdir(parents=True)
    (broken / "start.html.j2").write_text("{{ page.finns_inte }}", "utf-8")
    failed = publish(root, out)
    assert failed.returncode != 0 and "start.html.j2" in failed.stderr
    assert "Traceback" not in failed.stderr
    assert {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()} == before
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".site")] == []


def check_site(root: Path, withheld: list[str], cache: Cache | None = None) -> None:
    check_files(root, root.rglob("*"), withheld, cache or Cache(None))


def test_the_leak_check_reads_html_search_fragments_and_word_files(tmp_path):
    (tmp_path / "a.html").write_text("<p>Kontakt 19811218-<b>9876</b></p>", "utf-8")
    with pytest.raises(SbError, match="a.html: ett personnummer"):
        check_site(tmp_path, [])
    (tmp_path / "a.html").unlink()
    (tmp_path / "x.pf_fragment").write_bytes(gzip.compress(f'{{"content": "{WITHHELD}"}}'.encode()))
    with pytest.raises(SbError, match="x.pf_fragment: texten i en punkt som inte är offentlig"):
        check_site(tmp_path, [WITHHELD])
    (tmp_path / "x.pf_fragment").unlink()
    with zipfile.ZipFile(tmp_path / "d.docx", "w") as archive:
        archive.writestr("word/document.xml", "<w:t>Redovisning av ett</w:t><w:t> enskilt ärende.</w:t>")
    with pytest.raises(SbError, match="d.docx"):
        check_site(tmp_path, [WITHHELD])
    (tmp_path / "d.docx").unlink()
    (tmp_path / "ok.html").write_text("<p>Redovisning av något annat.</p>", "utf-8")
    check_site(tmp_path, [WITHHELD])


def test_a_file_found_clean_is_read_again_against_other_withheld_texts(tmp_path):
    site, folder = tmp_path / "site", tmp_path / "cache"
    site.mkdir()
    (site / "a.html").write_text(f"<p>{WITHHELD}</p>", "utf-8")
    with Cache(folder) as cache:
        check_site(site, [], cache)  # clean while nothing is withheld
    with Cache(folder) as cache, pytest.raises(SbError, match="a.html: texten i en punkt"):
        check_site(site, [WITHHELD], cache)
    (site / "a.html").write_text("<p>Kontakt 19811218-9876</p>", "utf-8")
    for _ in range(2):  # what was found is never kept as clean
        with Cache(folder) as cache, pytest.raises(SbError, match="a.html: ett personnummer"):
            check_site(site, [], cache)


def test_the_shipped_corpus_publishes_its_two_decided_styrdokument(tmp_path):
    out = tmp_path / "site"
    result = sb("publish", "--root", REPO, "--out", out, "--as-of", AS_OF, "--draft-site", env={**os.environ, **EPOCH})
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in (out / "dokument").iterdir()) == [
        "ledningssystem-2021",
        "overenskommelse-malgrupper-2023",
    ]
    forum = (out / "LSVO/index.html").read_text("utf-8")
    assert "Uppdrag" in forum and "ledningssystem-2021" in forum  # the mandate, from the ledningssystem
    start = (out / "index.html").read_text("utf-8")
    assert "dokument/overenskommelse-malgrupper-2023/index.html" in start and "2027-12-31" in start  # säg upp senast


def test_serve_shows_the_site_on_localhost_only(site):
    port = 8700 + os.getpid() % 200
    command = [sys.executable, "-m", "sb_cli", "publish", "--root", str(REPO), "--out", str(site.parent / "visad")]
    server = subprocess.Popen(
        [*command, "--as-of", AS_OF, "--draft-site", "--serve", "--port", str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env={**os.environ, **EPOCH},
        cwd=REPO,
    )
    try:
        for _ in range(100):
            try:
                page = urllib.request.urlopen(f"http://127.0.0.1:{port}/index.html", timeout=1).read()
                break
            except OSError:
                time.sleep(0.2)
        else:
            pytest.fail("webbplatsen visades inte")
        assert b"Samverkan Blekinge" in page
        listening = Path("/proc/net/tcp").read_text() if Path("/proc/net/tcp").exists() else ""
        if listening:
            assert f"0100007F:{port:04X}" in listening  # bound to 127.0.0.1, not to every address
    finally:
        server.terminate()
        server.wait(timeout=10)
    shutil.rmtree(site.parent / "visad", ignore_errors=True)
