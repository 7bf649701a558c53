"""The final leak check reads every published file as a reader's software reads it: the attributes,
comments and URLs of markup with entities and percent-encoding decoded, a PDF's page text, link
annotations, metadata and other strings, a Word file's relationships and properties. What a mall or
a site template adds is read too, and a styrdokument's page lists only its published versions."""

from __future__ import annotations

import gzip
import io
import os
import subprocess
import zipfile
from collections.abc import Callable
from pathlib import Path

import pikepdf
import pytest
import typst
from hypothesis import given
from hypothesis import strategies as st

from sb_cli.errors import SbError
from sb_cli.io.cache import Cache
from sb_cli.publish.changes import published_history
from sb_cli.publish.leaks import check_files
from tests.conftest import CASES, REPO, build_repo, sb

AS_OF = "2026-11-22"
EPOCH = {"SOURCE_DATE_EPOCH": "1767225600"}
NUMBER = "19811218-9876"  # a valid personnummer
# How a hyphen is written where a reader's software decodes it: as is, as an entity (decimal, hex,
# named), percent-encoded, and percent-encoded with the percent sign as an entity.
HYPHENS = {
    "som-det-står": "-",
    "decimal-entitet": "&#45;",
    "hex-entitet": "&#x2D;",
    "namngiven-entitet": "&hyphen;",
    "procentkodat": "%2D",
    "procent-som-entitet": "&#37;2D",
}
# Where an HTML page can hold a text that is not its visible text.
HTML_PLACES = {
    "href": '<a href="https://example.se/p/{n}">länk</a>',
    "src": '<img src="/bilder/{n}.png" alt="bild">',
    "alt": '<img src="bild.png" alt="{n}">',
    "title": '<abbr title="{n}">förkortning</abbr>',
    "meta-content": '<meta name="description" content="{n}">',
    "data-attribut": '<div data-person="{n}"></div>',
    "aria-label": '<button aria-label="{n}">x</button>',
    "kommentar": "<!-- {n} -->",
    "skript": "<script>var p = '{n}';</script>",
}


def check(folder: Path, withheld: list[str] | None = None) -> None:
    check_files(folder, folder.rglob("*"), withheld or [], Cache(None))


def written(number: str, hyphen: str) -> str:
    return number.replace("-", hyphen)


def leaks(folder: Path, name: str, data: bytes) -> str:
    """The leak check's message for one file, or "" when the file passes."""
    (folder / name).write_bytes(data)
    try:
        check(folder)
    except SbError as error:
        return error.message
    finally:
        (folder / name).unlink()
    return ""


@pytest.mark.parametrize("place", HTML_PLACES.values(), ids=HTML_PLACES.keys())
@pytest.mark.parametrize("hyphen", HYPHENS.values(), ids=HYPHENS.keys())
def test_every_attribute_comment_and_url_of_a_page_is_read_decoded(tmp_path, place, hyphen):
    page = f"<!DOCTYPE html><html><head></head><body><p>Ingen text här.</p>{place}</body></html>"
    found = leaks(tmp_path, "sida.html", page.format(n=written(NUMBER, hyphen)).encode())
    assert "sida.html: ett personnummer" in found


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("bild.svg", '<svg xmlns="http://www.w3.org/2000/svg"><a href="https://example.se/19811218&#45;9876"/></svg>'),
        ("feed.atom", '<feed><link href="https://example.se/19811218%2D9876/"/></feed>'),
        # An Atom entry's HTML is escaped markup: a tag inside it splits the number.
        ("feed.atom", '<feed><content type="html">&lt;p&gt;19811218-&lt;b&gt;9876&lt;/b&gt;</content></feed>'),
        # A calendar folds long lines anywhere (RFC 5545), inside a number too.
        ("kalender.ics", "BEGIN:VEVENT\r\nDESCRIPTION:Ansvarig 19811218-98\r\n 76\r\nEND:VEVENT\r\n"),
        ("kalender.ics", "BEGIN:VEVENT\r\nURL:https://example.se/19811218%2D9876\r\nEND:VEVENT\r\n"),
        ("data.json", '{"url": "/p/19811218\\u002d9876/"}'),
    ],
    ids=["svg-href", "atom-href", "atom-html", "ics-vikt-rad", "ics-url", "json-escape"],
)
def test_feeds_calendars_and_data_are_read_as_their_readers_decode_them(tmp_path, name, text):
    assert f"{name}: ett personnummer" in leaks(tmp_path, name, text.encode())


@pytest.mark.parametrize("hyphen", ["-", "%2D", "\\u002d"], ids=["som-det-står", "procentkodat", "json-escape"])
def test_the_search_index_fragments_urls_are_read(tmp_path, hyphen):
    fragment = '{"url": "/dokument/URL/", "content": "Ingen text."}'.replace("URL", written(NUMBER, hyphen))
    assert "x.pf_fragment: ett personnummer" in leaks(tmp_path, "x.pf_fragment", gzip.compress(fragment.encode()))


def word_file(parts: dict[str, str]) -> bytes:
    clean = {
        "[Content_Types].xml": "<Types/>",
        "word/document.xml": '<w:document><w:body><w:hyperlink r:id="rId9"><w:r><w:t>länk</w:t></w:r>'
        "</w:hyperlink></w:body></w:document>",
        "word/_rels/document.xml.rels": '<Relationships><Relationship Id="rId9" Type="hyperlink" '
        'Target="https://example.se/dokument/" TargetMode="External"/></Relationships>',
        "docProps/core.xml": "<cp:coreProperties><dc:title>Rutin</dc:title></cp:coreProperties>",
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, text in {**clean, **parts}.items():
            archive.writestr(name, text)
    return buffer.getvalue()


WORD_PLACES = {
    "relation-target": (
        "word/_rels/document.xml.rels",
        '<Relationships><Relationship Id="rId9" Type="hyperlink" Target="https://example.se/{n}" '
        'TargetMode="External"/></Relationships>',
    ),
    "egenskaper": ("docProps/core.xml", "<cp:coreProperties><dc:title>{n}</dc:title></cp:coreProperties>"),
    "egna-egenskaper": (
        "docProps/custom.xml",
        '<Properties><property name="p"><vt:lpwstr>{n}</vt:lpwstr></property></Properties>',
    ),
    "sidhuvud": ("word/header1.xml", "<w:hdr><w:p><w:r><w:t>{n}</w:t></w:r></w:p></w:hdr>"),
}


@pytest.mark.parametrize("place", WORD_PLACES.values(), ids=WORD_PLACES.keys())
@pytest.mark.parametrize("hyphen", ["-", "&#45;", "%2D"], ids=["som-det-står", "entitet", "procentkodat"])
def test_every_part_of_a_word_file_its_links_included_is_read(tmp_path, place, hyphen):
    part, text = place
    data = word_file({part: text.format(n=written(NUMBER, hyphen))})
    assert "d.docx: ett personnummer" in leaks(tmp_path, "d.docx", data)


def typst_pdf(tmp_path: Path, text: str) -> bytes:
    source = tmp_path / "källa" / "sida.typ"
    source.parent.mkdir(exist_ok=True)
    source.write_text(text, "utf-8")
    return bytes(typst.compile(str(source)))


def with_objects(data: bytes, change: Callable[[pikepdf.Pdf], None]) -> bytes:
    with pikepdf.open(io.BytesIO(data)) as pdf:
        change(pdf)
        out = io.BytesIO()
        pdf.save(out)
    return out.getvalue()


def link_annotation(uri: str) -> Callable[[pikepdf.Pdf], None]:
    def change(pdf: pikepdf.Pdf) -> None:
        annotation = pdf.make_indirect(
            pikepdf.Dictionary(
                Type=pikepdf.Name.Annot,
                Subtype=pikepdf.Name.Link,
                Rect=[0, 0, 100, 20],
                A=pikepdf.Dictionary(S=pikepdf.Name.URI, URI=pikepdf.String(uri)),
            )
        )
        pdf.pages[0].obj["/Annots"] = pdf.make_indirect(pikepdf.Array([annotation]))

    return change


def note_annotation(text: str) -> Callable[[pikepdf.Pdf], None]:
    def change(pdf: pikepdf.Pdf) -> None:
        note = pikepdf.Dictionary(Type=pikepdf.Name.Annot, Subtype=pikepdf.Name.Text, Rect=[0, 0, 9, 9])
        note["/Contents"] = pikepdf.String(text)
        pdf.pages[0].obj["/Annots"] = pikepdf.Array([note])

    return change


def document_info(text: str) -> Callable[[pikepdf.Pdf], None]:
    def change(pdf: pikepdf.Pdf) -> None:
        pdf.docinfo["/Subject"] = pikepdf.String(text)

    return change


def xmp_metadata(text: str) -> Callable[[pikepdf.Pdf], None]:
    def change(pdf: pikepdf.Pdf) -> None:
        with pdf.open_metadata(set_pikepdf_as_editor=False) as meta:
            meta["dc:description"] = text

    return change


def bookmark(text: str) -> Callable[[pikepdf.Pdf], None]:
    def change(pdf: pikepdf.Pdf) -> None:
        with pdf.open_outline() as outline:
            outline.root.append(pikepdf.OutlineItem(text, 0))

    return change


def embedded_file(text: str) -> Callable[[pikepdf.Pdf], None]:
    def change(pdf: pikepdf.Pdf) -> None:
        pdf.attachments["bilaga.txt"] = pikepdf.AttachedFileSpec(pdf, text.encode())

    return change


PDF_PLACES = {
    "länkens-uri": link_annotation,
    "anteckning": note_annotation,
    "dokumentinfo": document_info,
    "xmp": xmp_metadata,
    "bokmärke": bookmark,
    "bifogad-fil": embedded_file,
}


@pytest.mark.parametrize("place", PDF_PLACES.values(), ids=PDF_PLACES.keys())
@pytest.mark.parametrize("hyphen", ["-", "%2D"], ids=["som-det-står", "procentkodat"])
def test_every_annotation_string_and_metadata_of_a_pdf_is_read(tmp_path, place, hyphen):
    clean = typst_pdf(tmp_path, "Ingen text här.")
    assert leaks(tmp_path, "a.pdf", clean) == ""
    data = with_objects(clean, place(f"https://example.se/p/{written(NUMBER, hyphen)}"))
    assert "a.pdf: ett personnummer" in leaks(tmp_path, "a.pdf", data)


@pytest.mark.parametrize(
    "text",
    ["Ansvarig: 19811218-9876", '#link("https://example.se/19811218-9876")[länk]', "#text(fill: white)[8112189876]"],
    ids=["text", "länktext", "vit-text"],
)
def test_the_text_of_a_pdf_is_read_from_the_pdf_itself(tmp_path, text):
    # The PDF as it is, not the view it was made from: what its mall printed is read too.
    assert "a.pdf: ett personnummer" in leaks(tmp_path, "a.pdf", typst_pdf(tmp_path, text))


def test_a_withheld_text_in_a_pdf_is_found(tmp_path):
    (tmp_path / "a.pdf").write_bytes(typst_pdf(tmp_path, "Redovisning av ett enskilt ärende."))
    with pytest.raises(SbError, match="a.pdf: texten i en punkt som inte är offentlig"):
        check(tmp_path, ["Redovisning av ett enskilt ärende."])


def test_many_pdfs_are_read_on_all_cores_and_each_is_found(tmp_path, monkeypatch):
    monkeypatch.setattr("sb_cli.publish.leaks._PARALLEL_FROM", 2)
    clean = typst_pdf(tmp_path, "Ingen text här.")
    for index in range(4):
        (tmp_path / f"{index}.pdf").write_bytes(clean)
    (tmp_path / "2.pdf").write_bytes(with_objects(clean, link_annotation(f"https://example.se/{NUMBER}")))
    (tmp_path / "sida.html").write_text(f'<a href="/{written(NUMBER, "&#45;")}">x</a>', "utf-8")
    with pytest.raises(SbError) as raised:
        check(tmp_path)
    assert "2.pdf: ett personnummer" in raised.value.message and "sida.html: ett personnummer" in raised.value.message
    assert "0.pdf" not in raised.value.message


@pytest.mark.parametrize("name", ["a.pdf", "d.docx"])
def test_a_pdf_or_word_file_that_cannot_be_read_is_not_published(tmp_path, name):
    assert f"{name}: filen går inte att läsa" in leaks(tmp_path, name, b"%PDF-1.7 trasig")


def test_dates_times_phone_numbers_and_dnr_in_links_and_metadata_are_no_alarm(tmp_path):
    ordinary = "https://example.se/LSVO/2026-01-16/index.html?dnr=2023-0412&tel=0455-123456"
    page = (
        f'<html><head><meta name="description" content="LSVO 2026-01-16 kl. 15.00"></head><body>'
        f'<a href="{ordinary}" title="2026-01-16 15:00">möte</a>'
        '<img src="bild-20260116.png" alt="2026-01-16"></body></html>'
    )
    (tmp_path / "sida.html").write_text(page, "utf-8")
    (tmp_path / "d.docx").write_bytes(
        word_file(
            {"docProps/core.xml": "<cp:coreProperties><dc:title>LSVO 2026-01-16 §4</dc:title></cp:coreProperties>"}
        )
    )
    pdf = typst_pdf(tmp_path, "Protokoll LSVO 2026-01-16, dnr 2023-0412, kl. 15.00, org.nr 556677-8899.")
    for place in (link_annotation, document_info, bookmark):
        pdf = with_objects(pdf, place(ordinary))
    (tmp_path / "a.pdf").write_bytes(pdf)
    check(tmp_path)


def publish(root: Path, out: Path) -> subprocess.CompletedProcess[str]:
    return sb("publish", "--root", root, "--out", out, "--as-of", AS_OF, env={**os.environ, **EPOCH})


def files_of(folder: Path) -> dict[Path, bytes]:
    return {p.relative_to(folder): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


@pytest.mark.slow
@pytest.mark.parametrize("hyphen", ["-", "&#45;"], ids=["som-det-står", "entitet"])
def test_a_site_template_that_puts_a_number_in_an_attribute_stops_publish(tmp_path, hyphen):
    root = build_repo(CASES / "publish", tmp_path / "repo")
    out = tmp_path / "site"
    assert publish(root, out).returncode == 0
    before = files_of(out)
    layout = (REPO / "templates" / "site" / "layout.html.j2").read_text("utf-8")
    assert layout.count("<head>") == 1
    own = root / "templates" / "site"
    own.mkdir(parents=True)
    meta = f'<head><meta name="kontakt" content="{written(NUMBER, hyphen)}">'
    (own / "layout.html.j2").write_text(layout.replace("<head>", meta), "utf-8")
    failed = publish(root, out)
    assert failed.returncode == 2, failed.stderr
    assert "webbplatsen publiceras inte" in failed.stderr and "index.html: ett personnummer" in failed.stderr
    assert "Traceback" not in failed.stderr
    assert files_of(out) == before  # the old site is whole
    assert publish(root, tmp_path / "ny").returncode == 2 and not (tmp_path / "ny").exists()


@pytest.mark.slow
def test_a_number_in_a_link_destination_written_with_an_entity_is_not_published(tmp_path):
    # The example: SB030 or, should it pass SB030, the leak check (the page's href, the
    # PDF's /URI, the Word file's relationship) stops it; either way nothing is published.
    root = build_repo(CASES / "publish", tmp_path / "repo")
    rutin = root / "documents" / "rutin.md"
    link = "Se [kontakten](https://example.se/kontakt/19811218&#45;9876).\n"
    rutin.write_text(rutin.read_text("utf-8") + "\n" + link, "utf-8")
    failed = publish(root, tmp_path / "site")
    assert failed.returncode in (1, 2), failed.stderr
    if failed.returncode == 2:
        assert "webbplatsen publiceras inte" in failed.stderr and "ett personnummer" in failed.stderr
    else:
        assert "SB030" in failed.stdout
    assert not (tmp_path / "site").exists()


@pytest.mark.slow
def test_a_mall_that_reads_a_file_with_a_number_into_the_pdf_stops_publish(tmp_path):
    root = build_repo(CASES / "publish", tmp_path / "repo")
    out = tmp_path / "site"
    assert publish(root, out).returncode == 0
    before = files_of(out)
    own = root / "templates" / "styrdokument"
    own.mkdir(parents=True)
    mall = (REPO / "templates" / "styrdokument" / "mall.typ").read_text("utf-8")
    (own / "mall.typ").write_text(mall + '\n#read("kontakter.txt")\n', "utf-8")
    (own / "kontakter.txt").write_text(f"Ansvarig handläggare {NUMBER}\n", "utf-8")
    failed = publish(root, out)
    assert failed.returncode == 2, failed.stderr
    assert "webbplatsen publiceras inte" in failed.stderr
    assert "rutin-avvikelser.pdf: ett personnummer" in failed.stderr
    assert files_of(out) == before
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".site")] == []


GIT = ["git", "-c", "user.name=Sekreteraren", "-c", "user.email=s@example.se", "-c", "commit.gpgsign=false"]


def commit(root: Path, message: str) -> None:
    env = {
        **os.environ,
        "GIT_AUTHOR_DATE": "2026-01-20T10:00:00+01:00",
        "GIT_COMMITTER_DATE": "2026-01-20T10:00:00+01:00",
    }
    subprocess.run([*GIT, "add", "-A"], cwd=root, check=True, env=env)
    subprocess.run([*GIT, "commit", "-qm", message], cwd=root, check=True, env=env)


def rutin_with_history(tmp_path: Path, unpublished: str, decided_message: str) -> Path:
    """The case corpus in git: the other documents first, then the rutin as `unpublished` (a draft)
    with a message that names a person, then the rutin as beslutad with `decided_message`."""
    root = build_repo(CASES / "publish", tmp_path / "repo")
    subprocess.run(["git", "init", "-q", "-b", "main"], cwd=root, check=True)
    rutin = root / "documents" / "rutin.md"
    decided = rutin.read_text("utf-8")
    rutin.unlink()
    commit(root, "Protokoll och styrdokument")
    draft = decided.replace("status: beslutad", f"status: {unpublished}").replace('version: "1.0"', 'version: "0.9"')
    draft = "\n".join(line for line in draft.splitlines() if not line.startswith("decided:")) + "\n"
    rutin.write_text(draft, "utf-8")
    commit(root, "Utkast efter samtal med Anna Andersson om hennes ärende")
    rutin.write_text(decided, "utf-8")
    commit(root, decided_message)
    return root


@pytest.mark.slow
@pytest.mark.git
@pytest.mark.parametrize("unpublished", ["utkast", "remiss"])
def test_a_styrdokument_page_lists_only_its_published_versions(tmp_path, unpublished):
    root = rutin_with_history(tmp_path, unpublished, "Beslutad av LSVO")
    out = tmp_path / "site"
    result = publish(root, out)
    assert result.returncode == 0, result.stderr
    page = (out / "dokument" / "rutin-avvikelser" / "index.html").read_text("utf-8")
    assert "Beslutad av LSVO" in page
    assert "Anna Andersson" not in page and "0.9" not in page
    assert [p for p, data in files_of(out).items() if b"Anna Andersson" in data] == []


@pytest.mark.slow
@pytest.mark.git
def test_a_published_versions_message_goes_through_the_leak_check(tmp_path):
    root = rutin_with_history(tmp_path, "utkast", f"Beslutad av LSVO, handläggare {NUMBER}")
    failed = publish(root, tmp_path / "site")
    assert failed.returncode == 2, failed.stderr
    assert "dokument/rutin-avvikelser/index.html: ett personnummer" in failed.stderr
    assert not (tmp_path / "site").exists()


STATUSES = st.sampled_from(["utkast", "remiss", "beslutad", "upphavd", None])


@given(st.lists(st.fixed_dictionaries({"status": STATUSES, "message": st.text(max_size=20)}), max_size=12))
def test_only_published_commits_of_a_history_are_kept_in_order(history):
    kept = published_history(history)
    assert kept == [h for h in history if h["status"] in ("beslutad", "upphavd")]
