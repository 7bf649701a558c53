"""The editor over HTTP, as a browser without JavaScript uses it (Starlette's TestClient): the door
(token, Host, CSRF, Origin), saving through the form with only the changed lines written, the
conflict and lock refusals, and the secretary's way from kallelse to justerat protocol."""

from __future__ import annotations

import datetime as dt
import html
import re
import shutil
import subprocess
from pathlib import Path
from urllib.parse import urlencode

import lxml.html
import pytest
from starlette.testclient import TestClient

from sb_cli.edit.app import application
from sb_cli.edit.guard import COOKIE, csrf_token
from sb_cli.edit.workspace import Workspace
from sb_cli.io.cache import Cache
from sb_cli.io.repo import load_settings
from tests.conftest import REPO, as_draft, findings_json

TOKEN = "testnyckel-0123456789"
PORT = 8765
BASE = f"http://127.0.0.1:{PORT}"
AS_OF = dt.date(2026, 12, 6)
PROTOCOL = "documents/protokoll/LSVO/2023-06-16.yaml"


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    shutil.copytree(REPO / "documents", root / "documents")
    (root / PROTOCOL).write_text(as_draft((root / PROTOCOL).read_text("utf-8")), "utf-8")  # shipped: locked
    return root


def client_of(root: Path, as_of: dt.date = AS_OF) -> TestClient:
    """The editor over `root`, reached as a browser that has been through the door (it holds the cookie)."""
    workspace = Workspace(load_settings(root, root), as_of=as_of, cache=Cache(None))
    client = TestClient(application(workspace, token=TOKEN, port=PORT), base_url=BASE)
    client.cookies.set(COOKIE, TOKEN)
    return client


@pytest.fixture
def client(repo: Path) -> TestClient:
    return client_of(repo)


def form_fields(html: str, action: str) -> list[tuple[str, str]]:
    """What the browser posts from the form with this action, as the page holds it."""
    page = lxml.html.fromstring(html)
    form = next(f for f in page.forms if f.action == action)
    fields: list[tuple[str, str]] = []
    for element in form.xpath(".//input|.//textarea|.//select"):
        name = element.get("name")
        if not name or element.get("disabled") is not None or element.get("type") == "submit":
            continue
        if element.get("type") == "checkbox":
            if element.get("checked") is not None:
                fields.append((name, element.get("value")))
        elif element.tag == "select":
            chosen = [o.get("value") for o in element.xpath(".//option") if o.get("selected") is not None]
            fields.append((name, chosen[0] if chosen else ""))
        elif element.tag == "textarea":
            fields.append((name, element.text or ""))
        else:
            fields.append((name, element.get("value") or ""))
    return fields


def post(client: TestClient, url: str, fields: list[tuple[str, str]], **headers: str):
    return client.post(
        url,
        content=urlencode(fields),
        headers={"content-type": "application/x-www-form-urlencoded", **headers},
        follow_redirects=False,
    )


def save(client: TestClient, ident: str, changes: dict[str, str] | None = None):
    url = f"/dokument/{ident}"
    fields = form_fields(client.get(url).text, url)
    fields = [(name, (changes or {}).get(name, value)) for name, value in fields]
    return post(client, url, [*fields, ("_action", "spara")])


# --- the door -------------------------------------------------------------------------------------


def test_the_token_in_the_address_becomes_a_cookie(repo: Path) -> None:
    workspace = Workspace(load_settings(repo, repo), as_of=AS_OF, cache=Cache(None))
    browser = TestClient(application(workspace, token=TOKEN, port=PORT), base_url=BASE)
    assert browser.get("/").status_code == 403
    assert browser.get("/?token=fel").status_code == 403
    first = browser.get(f"/?token={TOKEN}", follow_redirects=False)
    assert first.status_code == 303 and first.headers["location"] == "/"
    assert "HttpOnly" in first.headers["set-cookie"] and "SameSite=Strict" in first.headers["set-cookie"]
    assert browser.get("/").status_code == 200  # the cookie now


@pytest.mark.parametrize("host", ["evil.example:8765", "127.0.0.1:9999", "localhost", "127.0.0.1.evil.example:8765"])
def test_another_host_is_refused(client: TestClient, host: str) -> None:
    answer = client.get("/", headers={"host": host})
    assert answer.status_code == 403
    assert "Fel värdnamn" in answer.text


def test_localhost_with_the_port_is_let_in(client: TestClient) -> None:
    assert client.get("/", headers={"host": f"localhost:{PORT}"}).status_code == 200


def test_a_post_without_its_csrf_token_writes_nothing(client: TestClient, repo: Path) -> None:
    before = (repo / PROTOCOL).read_bytes()
    url = "/dokument/LSVO-2023-06-16"
    fields = [(n, "x" if n == "title" else v) for n, v in form_fields(client.get(url).text, url) if n != "_csrf"]
    assert post(client, url, [*fields, ("_action", "spara")]).status_code == 403
    assert post(client, url, [*fields, ("_csrf", "fel"), ("_action", "spara")]).status_code == 403
    assert (repo / PROTOCOL).read_bytes() == before


def test_a_post_from_another_origin_is_refused(client: TestClient, repo: Path) -> None:
    before = (repo / PROTOCOL).read_bytes()
    url = "/dokument/LSVO-2023-06-16"
    fields = [(n, "x" if n == "title" else v) for n, v in form_fields(client.get(url).text, url)]
    answer = post(client, url, [*fields, ("_action", "spara")], origin="http://evil.example")
    assert answer.status_code == 403
    assert (repo / PROTOCOL).read_bytes() == before


def test_the_csrf_token_is_derived_from_the_token() -> None:
    assert csrf_token(TOKEN) == csrf_token(TOKEN) != csrf_token(TOKEN + "x")
    assert TOKEN not in csrf_token(TOKEN)


# --- saving ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "ident", ["LSVO-2023-06-16", "att-aldras-2024-02", "arshjul-samverkan-blekinge", "tjansteskrivelse-samverkan"]
)
def test_saving_an_unchanged_form_changes_nothing(client: TestClient, repo: Path, ident: str) -> None:
    before = {p: p.read_bytes() for p in (repo / "documents").rglob("*") if p.is_file()}
    assert save(client, ident).status_code == 200
    assert {p: p.read_bytes() for p in (repo / "documents").rglob("*") if p.is_file()} == before


def changed_lines(before: str, after: str) -> list[tuple[str, str]]:
    import difflib

    return [
        (line[0], line[1:].strip())
        for line in difflib.unified_diff(before.splitlines(), after.splitlines(), lineterm="", n=0)
        if line[:1] in "+-" and not line.startswith(("+++", "---"))
    ]


def test_editing_one_field_of_the_lsvo_protocol_changes_only_its_line(client: TestClient, repo: Path) -> None:
    before = (repo / PROTOCOL).read_text("utf-8")
    answer = save(client, "LSVO-2023-06-16", {"items.0.title": "Godkännande av dagordningen"})
    assert answer.status_code == 200 and "Sparat" in answer.text
    assert changed_lines(before, (repo / PROTOCOL).read_text("utf-8")) == [
        ("-", "title: Godkännande av föredragningslista"),
        ("+", "title: Godkännande av dagordningen"),
    ]


def test_an_att_clause_never_begins_with_att(client: TestClient, repo: Path) -> None:
    save(client, "LSVO-2023-06-16", {"items.2.decisions.0.text": "att  godkänna revideringen"})
    assert "      - godkänna revideringen\n" in (repo / PROTOCOL).read_text("utf-8")


def test_a_file_changed_on_disk_since_the_form_was_loaded_is_not_overwritten(client: TestClient, repo: Path) -> None:
    url = "/dokument/LSVO-2023-06-16"
    fields = [(n, "Ny rubrik" if n == "items.0.title" else v) for n, v in form_fields(client.get(url).text, url)]
    elsewhere = (repo / PROTOCOL).read_text("utf-8") + "# ändrad i en annan redigerare\n"
    (repo / PROTOCOL).write_text(elsewhere, "utf-8")
    answer = post(client, url, [*fields, ("_action", "spara")])
    assert answer.status_code == 409
    assert "Filen har ändrats sedan du öppnade den" in answer.text
    assert "ändrad i en annan redigerare" in answer.text and "Ny rubrik" in answer.text  # both versions
    assert (repo / PROTOCOL).read_text("utf-8") == elsewhere


def test_a_decided_document_is_read_only(client: TestClient, repo: Path) -> None:
    path = repo / "documents/styrdokument/ledningssystem-2021.md"
    before = path.read_bytes()
    page = client.get("/dokument/ledningssystem-2021").text
    assert "Dokumentet är beslutat och ändras inte" in page
    assert 'value="spara"' not in page
    assert save(client, "ledningssystem-2021", {"title": "Något annat"}).status_code == 409
    assert path.read_bytes() == before


def test_a_draft_with_findings_is_saved_and_each_finding_is_shown_at_its_field(client: TestClient, repo: Path) -> None:
    answer = save(client, "LSVO-2023-06-16", {"items.0.kind": "X"})
    assert answer.status_code == 200
    page = lxml.html.fromstring(answer.text)
    summary = page.get_element_by_id("fynd-rubrik").getparent()
    links = [a.get("href") for a in summary.xpath(".//a")]
    assert links, "the findings at the top link to their fields"
    for href in links:
        target = page.get_element_by_id(href.removeprefix("#"))
        assert target is not None
    invalid = page.xpath('//*[@aria-invalid="true"]')
    assert invalid and all(e.get("aria-describedby") for e in invalid)
    assert page.get_element_by_id("meddelanden").get("aria-live") == "polite"


def test_a_form_that_would_be_unreadable_yaml_is_never_written(client: TestClient, repo: Path) -> None:
    before = (repo / PROTOCOL).read_text("utf-8")
    answer = save(client, "LSVO-2023-06-16", {"items.0.title": "a: b\n- c\t#d {e} [f] *g &h"})
    assert answer.status_code == 200
    after = (repo / PROTOCOL).read_text("utf-8")
    assert after != before
    from sb_cli.io.yamlpos import parse_yaml

    assert parse_yaml(after).data["items"][0]["title"] == "a: b\n- c\t#d {e} [f] *g &h"


def test_list_buttons_add_move_and_remove_without_saving(client: TestClient, repo: Path) -> None:
    before = (repo / PROTOCOL).read_bytes()
    url = "/dokument/LSVO-2023-06-16"
    fields = form_fields(client.get(url).text, url)
    added = post(client, url, [*fields, ("_action", "add:items.2.decisions")])
    assert added.status_code == 200
    assert 'name="items.2.decisions.2.text"' in added.text
    moved = post(client, url, [*form_fields(added.text, url), ("_action", "down:items.0")])
    titles = re.findall(r'name="items\.(\d+)\.title" value="([^"]*)"', moved.text)
    assert titles[0][1] != titles[1][1] and titles[1][1] == "Godkännande av föredragningslista"
    assert (repo / PROTOCOL).read_bytes() == before


def test_an_unknown_document_is_a_swedish_404(client: TestClient) -> None:
    answer = client.get("/dokument/finns-inte")
    assert answer.status_code == 404 and "inget dokument har id 'finns-inte'" in html.unescape(answer.text)


def test_a_path_in_the_address_is_never_a_file(client: TestClient) -> None:
    for ident in ("..%2F..%2Fetc%2Fpasswd", "%2E%2E", "documents%2Forganisation.yaml"):
        assert client.get(f"/dokument/{ident}").status_code == 404


# --- from kallelse to justerat protocol -----------------------------------------------------------


def csrf_of(client: TestClient) -> str:
    found = re.search(r'name="_csrf" value="([^"]+)"', client.get("/ny/kallelse").text)
    assert found is not None
    return found.group(1)


def test_kallelse_then_protocol_then_justering(client: TestClient, repo: Path) -> None:
    csrf = csrf_of(client)
    made = post(
        client,
        "/ny/kallelse",
        [("_csrf", csrf), ("forum", "LSVO"), ("date", "2026-12-11"), ("start", "09:00"), ("place", "via Teams")],
    )
    assert made.status_code == 303 and made.headers["location"] == "/dokument/kallelse-LSVO-2026-12-11"
    kallelse = (repo / "documents/kallelse/LSVO/2026-12-11.yaml").read_text("utf-8")
    assert "\nsent:" not in kallelse  # set by the button when it goes out, never pre-filled
    assert "start: '09:00'" in kallelse and "place: via Teams" in kallelse

    assert post(client, "/dokument/kallelse-LSVO-2026-12-11/skickad", [("_csrf", csrf)]).status_code == 303
    assert "\nsent: 2026-12-06\n" in (repo / "documents/kallelse/LSVO/2026-12-11.yaml").read_text("utf-8")

    protocol = post(client, "/dokument/kallelse-LSVO-2026-12-11/protokoll", [("_csrf", csrf)])
    assert protocol.status_code == 303 and protocol.headers["location"] == "/dokument/LSVO-2026-12-11"
    page = client.get("/dokument/LSVO-2026-12-11").text
    assert page.count('name="_närvarande"') >= 10  # the roster that day, one checkbox each
    assert "Beslutsförhet" in page

    refused = post(client, "/dokument/LSVO-2026-12-11/justera", [("_csrf", csrf), ("date", "2026-12-12")])
    assert refused.status_code == 422 and "2026-12-12 ligger efter 2026-12-06" in refused.text  # never in advance


def test_the_roster_ticks_become_present_and_absent(client: TestClient, repo: Path) -> None:
    csrf = csrf_of(client)
    post(client, "/ny/kallelse", [("_csrf", csrf), ("forum", "LSVO"), ("date", "2026-12-11")])
    post(client, "/dokument/kallelse-LSVO-2026-12-11/protokoll", [("_csrf", csrf)])
    url = "/dokument/LSVO-2026-12-11"
    fields = form_fields(client.get(url).text, url)
    ticked = [v for n, v in fields if n == "_närvarande"]
    away = ticked[0]
    fields = [(n, v) for n, v in fields if not (n == "_närvarande" and v == away)]
    assert post(client, url, [*fields, ("_action", "spara")]).status_code == 200
    from sb_cli.io.yamlpos import parse_yaml

    attendance = parse_yaml((repo / "documents/protokoll/LSVO/2026-12-11.yaml").read_text("utf-8")).data["attendance"]
    assert away in attendance["absent"] and away not in attendance["present"]
    assert sorted(attendance["present"]) == sorted(ticked[1:])


def test_the_quorum_shows_as_the_boxes_are_ticked(client: TestClient) -> None:
    csrf = csrf_of(client)
    post(client, "/ny/kallelse", [("_csrf", csrf), ("forum", "LSVO"), ("date", "2026-12-11")])
    post(client, "/dokument/kallelse-LSVO-2026-12-11/protokoll", [("_csrf", csrf)])
    none_ticked = post(client, "/dokument/LSVO-2026-12-11/kvorum", [("_csrf", csrf)])
    assert "inte beslutsför" in none_ticked.text


def test_a_new_styrdokument_and_its_next_version(client: TestClient, repo: Path) -> None:
    csrf = csrf_of(client)
    made = post(
        client,
        "/ny/styrdokument",
        [("_csrf", csrf), ("type", "rutin"), ("id", "rutin-test"), ("title", "Testrutin"), ("owner", "LSVO")],
    )
    assert made.status_code == 303 and made.headers["location"] == "/dokument/rutin-test"
    path = repo / "documents/styrdokument/rutin-test.md"
    assert "status: utkast" in path.read_text("utf-8")
    taken = post(
        client,
        "/ny/styrdokument",
        [("_csrf", csrf), ("type", "rutin"), ("id", "rutin-test"), ("title", "Igen"), ("owner", "LSVO")],
    )
    assert taken.status_code == 422 and "används redan" in taken.text

    decided = path.read_text("utf-8").replace("status: utkast", "status: beslutad").replace("'0.1'", "'1.0'")
    path.write_text(decided, "utf-8")
    assert "Ny version" in client.get("/dokument/rutin-test").text
    assert post(client, "/dokument/rutin-test/ny-version", [("_csrf", csrf)]).status_code == 303
    text = path.read_text("utf-8")
    assert "status: utkast" in text and "version: '2.0'" in text


@pytest.mark.git
def test_what_the_editor_writes_validates_as_sb_validate_sees_it(client: TestClient, repo: Path) -> None:
    subprocess.run(["git", "init", "-q"], cwd=repo, check=True)
    csrf = csrf_of(client)
    post(client, "/ny/kallelse", [("_csrf", csrf), ("forum", "LSVO"), ("date", "2026-12-11")])
    report = findings_json(repo, "2026-12-06")
    mine = [f for f in report["findings"] if f["path"] == "documents/kallelse/LSVO/2026-12-11.yaml"]
    assert not [f for f in mine if f["severity"] == "error"]


# --- the overviews --------------------------------------------------------------------------------


def test_the_start_page_lists_each_forum_and_its_meetings(client: TestClient) -> None:
    page = lxml.html.fromstring(client.get("/").text)
    forums = [h.text_content() for h in page.xpath("//section[@class='forum']/h2")]
    assert "Ledningssamverkan vård och omsorg" in forums and len(forums) >= 5
    row = page.xpath("//section[h2='Ledningssamverkan vård och omsorg']//tbody/tr")[0]
    cells = [c.text_content().strip() for c in row.xpath("./th|./td")]
    assert cells[:3] == ["2023-06-16", "saknas", "utkast"]
    assert row.xpath(".//a/@href") == ["/dokument/LSVO-2023-06-16"]


def test_the_coordinators_views_come_from_the_reports(client: TestClient) -> None:
    from sb_cli.core import reports
    from sb_cli.corpus import load_corpus

    page = client.get("/samordning").text
    for heading in ("Avtal att säga upp", "Försenade revisioner", "Öppna beslut"):
        assert heading in page
    overdue = reports.overdue(load_corpus(load_settings(REPO, REPO)).corpus, AS_OF)
    assert overdue and all(f'href="/dokument/{row["id"]}"' in page for row in overdue)


# --- saving to git --------------------------------------------------------------------------------


def git(cwd: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True, text=True).stdout


@pytest.mark.git
def test_spara_i_git_commits_the_chosen_files_and_pushes(
    client: TestClient, repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(tmp_path / "gitconfig"))
    upstream = tmp_path / "upstream.git"
    git(tmp_path, "init", "-q", "--bare", str(upstream))
    git(repo, "init", "-q", "-b", "main")
    git(repo, "config", "user.name", "Sekreteraren")
    git(repo, "config", "user.email", "sekreterare@example.org")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "Start")
    git(repo, "remote", "add", "origin", str(upstream))
    git(repo, "push", "-q", "-u", "origin", "main")

    save(client, "LSVO-2023-06-16", {"items.0.title": "Godkännande av dagordningen"})
    page = client.get("/git").text
    assert f'value="{PROTOCOL}"' in page and "(ändrad)" in page
    csrf = re.search(r'name="_csrf" value="([^"]+)"', page)
    assert csrf is not None
    done = post(client, "/git", [("_csrf", csrf.group(1)), ("fil", PROTOCOL), ("meddelande", "Rubriken i §61")])
    assert done.status_code == 200 and "Sparat i git som" in done.text
    assert git(upstream, "log", "-1", "--format=%s|%an", "main").strip() == "Rubriken i §61|Sekreteraren"
    assert "Inga ändrade filer" in client.get("/git").text


@pytest.mark.git
def test_spara_i_git_without_a_message_commits_nothing(
    client: TestClient, repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(tmp_path / "gitconfig"))
    git(repo, "init", "-q")
    git(repo, "config", "user.name", "S")
    git(repo, "config", "user.email", "s@example.org")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "Start")
    save(client, "LSVO-2023-06-16", {"items.0.title": "Ny"})
    csrf = re.search(r'name="_csrf" value="([^"]+)"', client.get("/git").text)
    assert csrf is not None
    done = post(client, "/git", [("_csrf", csrf.group(1)), ("fil", PROTOCOL), ("meddelande", " ")])
    assert done.status_code == 422
    assert git(repo, "rev-list", "--count", "HEAD").strip() == "1"


def test_the_shipped_htmx_is_the_npm_package_with_its_licence() -> None:
    package = REPO / "tests" / "web" / "node_modules" / "htmx.org"
    assert package.is_dir(), "kör: npm ci --prefix tests/web"
    static = REPO / "sb_cli" / "edit" / "static"
    assert (static / "htmx.min.js").read_bytes() == (package / "dist" / "htmx.min.js").read_bytes()
    assert (static / "htmx.LICENSE").read_bytes() == (package / "LICENSE").read_bytes()


def test_the_secretary_is_not_among_the_members_to_tick(client: TestClient, repo: Path) -> None:
    csrf = csrf_of(client)
    post(client, "/ny/kallelse", [("_csrf", csrf), ("forum", "LSVO"), ("date", "2026-12-11")])
    post(client, "/dokument/kallelse-LSVO-2026-12-11/protokoll", [("_csrf", csrf)])
    from sb_cli.io.yamlpos import parse_yaml

    secretary = parse_yaml((repo / "documents/protokoll/LSVO/2026-12-11.yaml").read_text("utf-8")).data["secretary"]
    page = client.get("/dokument/LSVO-2026-12-11").text
    ticks = re.findall(r'name="_närvarande" value="([^"]+)"', page)
    assert ticks and secretary not in ticks


def test_a_document_with_errors_is_not_made_beslutad(client: TestClient, repo: Path) -> None:
    csrf = csrf_of(client)
    made = [("_csrf", csrf), ("type", "rutin"), ("id", "rutin-test"), ("title", "Testrutin"), ("owner", "LSVO")]
    post(client, "/ny/styrdokument", made)
    path = repo / "documents/styrdokument/rutin-test.md"
    before = path.read_bytes()
    answer = save(client, "rutin-test", {"status": "beslutad"})  # without its decision: SB errors
    assert answer.status_code == 422
    assert "markeras inte som beslutat" in html.unescape(answer.text)
    assert path.read_bytes() == before


@pytest.mark.slow
def test_a_protokollsutdrag_of_any_paragraph_can_be_downloaded(client: TestClient) -> None:
    page = client.get("/dokument/LSVO-2023-06-16").text
    assert 'href="/dokument/LSVO-2023-06-16/visa.pdf?utdrag=64"' in page
    answer = client.get("/dokument/LSVO-2023-06-16/visa.pdf?utdrag=64")
    assert answer.status_code == 200 and answer.content.startswith(b"%PDF")
    assert 'filename="' in answer.headers["content-disposition"]
    whole = client.get("/dokument/LSVO-2023-06-16/visa.pdf")
    assert len(answer.content) < len(whole.content)


def test_an_item_gets_a_sub_item_and_a_public_note_it_did_not_have(client: TestClient, repo: Path) -> None:
    url = "/dokument/LSVO-2023-06-16"
    page = client.get(url).text
    assert 'value="add:items.0.subitems"' in page and 'name="items.0.public"' in page
    added = post(client, url, [*form_fields(page, url), ("_action", "add:items.0.subitems")])
    assert 'name="items.0.subitems.0.letter" value="a"' in added.text
    fields = form_fields(added.text, url)
    changes = {"items.0.subitems.0.title": "Tillägg", "items.0.public": "nej", "items.0.public_note": "Sekretess"}
    saved = post(client, url, [*[(n, changes.get(n, v)) for n, v in fields], ("_action", "spara")])
    assert saved.status_code == 200
    from sb_cli.io.yamlpos import parse_yaml

    item = parse_yaml((repo / PROTOCOL).read_text("utf-8")).data["items"][0]
    assert item["subitems"] == [{"letter": "a", "title": "Tillägg"}]
    assert item["public"] is False and item["public_note"] == "Sekretess"


def test_presenters_are_picked_from_the_attendees_or_typed(client: TestClient) -> None:
    page = lxml.html.fromstring(client.get("/dokument/LSVO-2023-06-16").text)
    names = [o.get("value") for o in page.xpath("//datalist[@id='deltagare']/option")]
    assert "Carina Andersson" in names
    presenters = page.xpath("//input[starts-with(@name, 'items.') and contains(@name, '.presenters.')]")
    assert presenters and all(p.get("list") == "deltagare" and p.get("type") == "text" for p in presenters)


def test_a_markdown_text_can_be_previewed_without_saving(client: TestClient, repo: Path) -> None:
    before = (repo / PROTOCOL).read_bytes()
    url = "/dokument/LSVO-2023-06-16"
    fields = form_fields(client.get(url).text, url)
    text = "**Viktigt** beslut\n\n<script>alert(1)</script>\n\n[länk](javascript:alert(1))"
    fields = [(n, text if n == "items.0.body" else v) for n, v in fields]
    shown = post(client, url, [*fields, ("_action", "visa-text")])
    assert shown.status_code == 200
    page = lxml.html.fromstring(shown.text)
    preview = page.xpath("//section[@class='preview' and @aria-label='Förhandsvisning: Text']")[0]
    assert preview.xpath(".//strong/text()") == ["Viktigt"]
    assert not preview.xpath(".//script") and not preview.xpath(".//a[starts-with(@href, 'javascript')]")
    assert (repo / PROTOCOL).read_bytes() == before


@pytest.mark.parametrize("kind", ["link-out", "fifo"])
def test_a_document_file_that_is_a_link_out_or_a_fifo_is_never_read(
    client: TestClient, repo: Path, tmp_path: Path, kind: str
) -> None:
    import os

    target = repo / "documents/styrdokument/hemlig.yaml"
    if kind == "link-out":
        outside = tmp_path / "utanför.yaml"
        outside.write_text("id: hemlig\ntype: rutin\ntitle: Utanför repositoriet\n", "utf-8")
        target.symlink_to(outside)
    else:
        os.mkfifo(target)  # reading it would hang the server
    answer = client.get("/dokument/hemlig")
    assert answer.status_code == 404
    assert "Utanför repositoriet" not in answer.text
    assert client.get("/").status_code == 200  # and the start page names the file as left out


def test_a_meeting_known_by_its_month_is_edited_as_a_month_and_saved_unchanged(client: TestClient, repo: Path) -> None:
    page = client.get("/dokument/att-aldras-2024-02").text
    assert re.search(r'name="meeting\.date" value="2024-02"\s+type="month"', page)
    before = (repo / "documents/protokoll/att-aldras/2024-02.yaml").read_bytes()
    assert save(client, "att-aldras-2024-02").status_code == 200
    assert (repo / "documents/protokoll/att-aldras/2024-02.yaml").read_bytes() == before


def test_a_protocol_justerat_on_an_unknown_day_is_locked(client: TestClient, repo: Path) -> None:
    path = repo / PROTOCOL
    path.write_text(path.read_text("utf-8").replace("\nadjusters: []\n", "\nadjusters: []\nadjusted: true\n"), "utf-8")
    page = client.get("/dokument/LSVO-2023-06-16").text
    assert "Protokollet justerades (datum okänt) och ändras inte." in page


def test_a_slow_first_load_shows_how_it_goes_and_then_the_page(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The first start on a large repository: the start page does not wait for every document, it
    says how far the load has come (announced to screen readers) and asks again until it is done."""
    import threading

    from sb_cli.edit import app as edit_app
    from sb_cli.edit import workspace as edit_workspace

    let_go = threading.Event()
    loading = edit_workspace.load_corpus

    def slow(settings, progress):
        progress(450, 1200)
        assert let_go.wait(10)
        return loading(settings, progress)

    monkeypatch.setattr(edit_workspace, "load_corpus", slow)
    monkeypatch.setattr(edit_app, "PATIENCE_S", 0.1)
    first = client.get("/")
    page = lxml.html.fromstring(first.text)
    status = page.xpath("//main//*[@role='status']")
    assert first.status_code == 200 and status, first.text
    assert "Läser in 1\u00a0200 dokument: 450 är inlästa" in status[0].text_content()
    assert status[0].xpath(".//progress[@max='1200' and @value='450' and @aria-label]")
    assert page.xpath("//main//*[@hx-get='/' and @hx-select='#innehall']")
    assert page.xpath("//main//a[@href='/']")  # without JavaScript
    assert client.get("/").text.count("Läser in") == 1  # asked again while loading: one load, same page
    let_go.set()
    monkeypatch.setattr(edit_app, "PATIENCE_S", 10.0)
    page = lxml.html.fromstring(client.get("/").text)
    assert "Ledningssamverkan vård och omsorg" in page.xpath("//section[@class='forum']/h2/text()")
    assert not page.xpath("//main//*[@role='status']")


def test_the_documents_are_checked_after_the_load_without_holding_up_the_start_page(
    client: TestClient, repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The check that each document's page shows (seconds, the first time in a large repository)
    starts by itself once the start page is shown, so the first document opened need not wait for
    all of it; the start page, asked for again, does not wait for the check."""
    import threading

    from sb_cli.edit import workspace as edit_workspace

    checking, let_go = threading.Event(), threading.Event()
    held: list[bool] = []  # whether the check was let go, or gave up waiting
    checks = 0
    validate = edit_workspace.validate_repository

    def held_back(settings, **options):
        nonlocal checks
        if settings.root != repo:  # a check another test started, still running
            return validate(settings, **options)
        checks += 1
        checking.set()
        held.append(let_go.wait(10))
        return validate(settings, **options)

    monkeypatch.setattr(edit_workspace, "validate_repository", held_back)
    client.get("/")  # starts the load, and once the page is made, the check
    assert checking.wait(10), "the check did not start by itself"
    page = lxml.html.fromstring(client.get("/").text)
    assert held == [], "the start page waited for the check"
    assert "Ledningssamverkan vård och omsorg" in page.xpath("//section[@class='forum']/h2/text()")
    let_go.set()
    assert client.get("/dokument/LSVO-2023-06-16").status_code == 200
    assert held == [True] and checks == 1  # the page took the check made in the background
