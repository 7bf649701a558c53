"""`sb edit` in a real browser (SPEC §11): headless Chromium through Playwright against the server
started as a user starts it, over a git repository holding a copy of documents/.

The secretary's ways through it (a kallelse to a justerat protocol, a styrdokument to its next
version, a file changed on disk while its form is open, a draft saved with findings), each checked
on the YAML written and with `sb validate`; the door's refusals; and on every page type axe-core at
WCAG 2.1 A and AA, the keyboard reaching every control, and no horizontal scrolling at 320 px.
Screenshots at 1280 and 375 px go to docs/edit/ for the README.

Without Chromium the tests are skipped; with SB_REQUIRE_BROWSER=1 (as in CI) they fail instead."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx2 as httpx
import pytest
import yaml
from playwright.sync_api import Browser, Page, expect

from tests.conftest import REPO, SHIPPED_PROTOCOL, as_draft, wait_until
from tests.publish.test_browser import (
    BROKEN_WORDS,
    FOCUSABLE,
    FOCUSED,
    HEIGHT,
    axe,
    focus_faults,
)

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.git]

AS_OF = "2026-12-06"
SHOTS = REPO / "docs" / "edit"
FORUM_NAME = "Ledningssamverkan vård och omsorg"  # LSVO in documents/organisation.yaml
STYRDOKUMENT = ("rutin-avvikelser-2026", "Rutin för avvikelsehantering")  # made by the fixture, a draft
KALLELSE_DAY = "2026-12-18"  # a kallelse the fixture makes, for the page checks
IDENTITY = ["-c", "user.name=Sekreteraren", "-c", "user.email=sekreterare@example.org"]


@dataclass(frozen=True)
class Desk:
    """The running editor: its repository, its base address and the address with the token."""

    root: Path
    base: str
    address: str
    port: int

    def file(self, relpath: str) -> Path:
        return self.root / relpath

    @contextmanager
    def client(self) -> Iterator[httpx.Client]:
        """A browser-like client that has been through the door once (it holds the cookie)."""
        with httpx.Client(follow_redirects=True, timeout=120) as client:
            assert client.get(self.address).status_code == 200
            yield client


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def answers(base: str) -> bool:
    try:
        httpx.get(base, timeout=2)
    except httpx.TransportError:
        return False
    return True


def csrf_of(html: str) -> str:
    found = re.search(r'name="_csrf" value="([^"]+)"', html)
    assert found, "sidan har inget formulär med CSRF-nyckel"
    return found.group(1)


@pytest.fixture(scope="module")
def desk(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Desk]:
    root = tmp_path_factory.mktemp("skrivbord")
    shutil.copytree(REPO / "documents", root / "documents")
    (root / SHIPPED_PROTOCOL).write_text(as_draft((root / SHIPPED_PROTOCOL).read_text("utf-8")), "utf-8")
    home = tmp_path_factory.mktemp("hem")
    (home / "gitconfig").write_text("")
    env = {
        **os.environ,
        "GIT_CONFIG_GLOBAL": str(home / "gitconfig"),
        "GIT_CONFIG_NOSYSTEM": "1",
        "SB_CACHE_DIR": str(tmp_path_factory.mktemp("cache")),
    }
    for command in (["init", "-q"], ["add", "-A"], [*IDENTITY, "commit", "-q", "-m", "Dokumenten"]):
        subprocess.run(["git", *command], cwd=root, env=env, check=True, capture_output=True)
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "sb_cli", "edit", "--no-browser", "--root", str(root), "--as-of", AS_OF,
         "--port", str(port)],
        cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        assert server.stdout is not None
        address = server.stdout.readline().strip()
        assert re.fullmatch(rf"http://127\.0\.0\.1:{port}/\?token=[\w-]{{20,}}", address), address
        base = f"http://127.0.0.1:{port}"
        wait_until(lambda: answers(base), 60, "sb edit svarar inte")
        running = Desk(root, base, address, port)
        make_fixtures(running)
        yield running
    finally:
        server.send_signal(signal.SIGINT)
        try:
            code = server.wait(timeout=60)
        except subprocess.TimeoutExpired:
            server.kill()
            raise
        stderr = server.stderr.read() if server.stderr else ""
    assert code == 130, stderr
    assert "Traceback" not in stderr, stderr


def make_fixtures(desk: Desk) -> None:
    """A kallelse and a styrdokument draft to look at, made through the forms as a browser would."""
    with desk.client() as client:
        form = client.get(f"{desk.base}/ny/kallelse?forum=LSVO")
        made = client.post(
            f"{desk.base}/ny/kallelse",
            data={"_csrf": csrf_of(form.text), "forum": "LSVO", "date": KALLELSE_DAY, "start": "09:00",
                  "place": "Region Blekinge, Karlskrona"},
        )  # fmt: skip
        assert made.status_code == 200 and made.url.path == f"/dokument/kallelse-LSVO-{KALLELSE_DAY}", made.text
        form = client.get(f"{desk.base}/ny/styrdokument")
        ident, title = STYRDOKUMENT
        made = client.post(
            f"{desk.base}/ny/styrdokument",
            data={"_csrf": csrf_of(form.text), "type": "rutin", "id": ident, "title": title, "owner": "LSVO"},
        )
        assert made.status_code == 200 and made.url.path == f"/dokument/{ident}", made.text


@pytest.fixture
def page(browser: Browser, desk: Desk) -> Iterator[Page]:
    """A tab that has opened the address `sb edit` printed (so it holds the cookie)."""
    context = browser.new_context(viewport={"width": 1280, "height": HEIGHT}, locale="sv-SE")
    context.set_default_timeout(60_000)
    opened = context.new_page()
    response = opened.goto(desk.address)
    assert response is not None and response.status == 200
    assert "token" not in opened.url, "nyckeln ska inte stanna i adressen"
    yield opened
    context.close()


def validate(desk: Desk) -> list[dict[str, Any]]:
    """`sb validate` on the repository, as the user runs it: the findings."""
    done = subprocess.run(
        [sys.executable, "-m", "sb_cli", "validate", "--as-of", AS_OF, "--root", str(desk.root), "--format", "json"],
        cwd=REPO, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert done.returncode in (0, 1), done.stderr
    findings: list[dict[str, Any]] = json.loads(done.stdout)["findings"]
    return findings


def errors_of(desk: Desk, *documents: str) -> list[dict[str, Any]]:
    return [f for f in validate(desk) if f["severity"] == "error" and f["document"] in documents]


def front_matter(path: Path) -> dict[str, Any]:
    text = path.read_text("utf-8")
    if text.startswith("---"):
        text = text.split("---", 2)[1]
    data: dict[str, Any] = yaml.safe_load(text)
    return data


def go(page: Page, desk: Desk, path: str) -> None:
    response = page.goto(desk.base + path)
    assert response is not None and response.status == 200, f"{path}: {response.status if response else None}"


def click(page: Page, name: str) -> None:
    page.get_by_role("button", name=name, exact=True).click()


# --- 1. a kallelse to a justerat protocol -------------------------------------------------------


def test_the_secretary_goes_from_a_new_kallelse_to_a_justerat_protocol(page, desk):
    go(page, desk, "/")
    page.get_by_role("link", name=f"Ny kallelse för {FORUM_NAME}").click()
    page.get_by_label("Mötesdatum").fill("2026-12-04")
    page.get_by_label("Starttid").fill("13:00")
    page.get_by_label("Plats").fill("Stadshuset, Karlskrona")
    click(page, "Skapa kallelsen")
    page.wait_for_url(f"{desk.base}/dokument/kallelse-LSVO-2026-12-04")
    kallelse = desk.file("documents/kallelse/LSVO/2026-12-04.yaml")
    data = yaml.safe_load(kallelse.read_text("utf-8"))
    assert data["meeting"] == {"date": dt.date(2026, 12, 4), "start": "13:00", "place": "Stadshuset, Karlskrona"}
    assert "sent" not in data, "skickad sätts med knappen, aldrig i förväg"
    expect(page.locator("main")).not_to_contain_text("Beslutsförhet")  # a kallelse has no attendance

    click(page, "Markera kallelsen som skickad i dag")
    expect(page.get_by_role("button", name="Markera kallelsen som skickad i dag")).to_have_count(0)
    assert str(yaml.safe_load(kallelse.read_text("utf-8"))["sent"]) == AS_OF

    click(page, "Skapa protokoll från kallelsen")
    page.wait_for_url(f"{desk.base}/dokument/LSVO-2026-12-04")
    protocol = desk.file("documents/protokoll/LSVO/2026-12-04.yaml")
    assert protocol.is_file()

    # Attendance: the roster as checkboxes; the quorum line follows the ticks (htmx, no save).
    present = page.get_by_role("group", name="Närvarande")
    quorum = page.locator("#kvorum")
    expect(quorum).to_contain_text("kommun 14 av 14")
    present.get_by_label("Gunilla Råberg").uncheck()
    expect(quorum).to_contain_text("kommun 13 av 14")
    present.get_by_label("Cecilia Grefve-Lang").uncheck()
    expect(quorum).to_contain_text("kommun 12 av 14")
    present.get_by_label("Cecilia Grefve-Lang").check()
    expect(quorum).to_contain_text("kommun 13 av 14")

    # Decisions: an att-clause for § 1 only, then Spara: § 2 is reported, at the top and beside it.
    page.locator('button[value="add:items.0.decisions"]').click()
    page.locator("#f-items-0-decisions-0-text").fill("godkänna dagordningen")
    page.locator('button[value="add:adjusters"]').click()
    page.locator("#f-adjusters-0").fill("Martin Åsman")
    click(page, "Spara")
    findings = page.locator(".findings")
    expect(findings).to_contain_text("SB025")
    expect(page.locator("#f-items-1-kind")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#f-items-0-kind")).not_to_have_attribute("aria-invalid", "true")
    expect(page.get_by_role("group", name="Närvarande").get_by_label("Gunilla Råberg")).not_to_be_checked()

    # Fixed: § 2 gets its clause (typed with "att" as people do; the form never doubles it).
    page.locator('button[value="add:items.1.decisions"]').click()
    page.locator("#f-items-1-decisions-0-text").fill("att lägga protokollet till handlingarna")
    click(page, "Spara")
    expect(page.locator(".message.ok")).to_contain_text("Sparat")
    expect(page.locator(".findings li.error")).to_have_count(0)
    data = yaml.safe_load(protocol.read_text("utf-8"))
    assert "Gunilla Råberg" not in data["attendance"]["present"]
    assert "Cecilia Grefve-Lang" in data["attendance"]["present"]
    assert any("Gunilla Råberg" in json.dumps(a, ensure_ascii=False) for a in data["attendance"]["absent"])
    texts = [d if isinstance(d, str) else d["text"] for item in data["items"][:2] for d in item["decisions"]]
    assert texts == ["godkänna dagordningen", "lägga protokollet till handlingarna"]
    assert data["adjusters"] == ["Martin Åsman"]
    assert errors_of(desk, "LSVO-2026-12-04", "kallelse-LSVO-2026-12-04") == []

    # Justera: read-only afterwards, and the page says how a correction is made.
    page.get_by_label("Justeringsdatum").fill("2026-12-05")  # never after the as-of day (sb adjust refuses)
    click(page, "Justera protokollet")
    locked = page.locator(".locked")
    expect(locked).to_contain_text("Protokollet justerades 2026-12-05")
    expect(locked).to_contain_text("En rättelse görs genom ett beslut i nästa protokoll")
    expect(page.get_by_role("button", name="Spara")).to_have_count(0)
    expect(page.get_by_role("button", name="Justera protokollet")).to_have_count(0)
    expect(page.locator("#f-title")).to_have_attribute("readonly", "")
    data = yaml.safe_load(protocol.read_text("utf-8"))
    assert str(data["adjusted"]) == "2026-12-05"
    assert errors_of(desk, "LSVO-2026-12-04") == []

    pdf = page.get_by_role("link", name="PDF", exact=True).get_attribute("href")
    answer = page.request.get(desk.base + str(pdf), timeout=240_000)
    assert answer.status == 200 and answer.body().startswith(b"%PDF"), answer.text()[:500]


# --- 2. a styrdokument to its next version ------------------------------------------------------


DECISION_FIELDS = {"decided.by": "LSVO", "decided.date": "2026-12-04", "valid_from": "2027-01-01",
                   "review_by": "2028-12-31"}  # fmt: skip


def new_rutin(page: Page, desk: Desk, ident: str, title: str) -> Path:
    go(page, desk, "/")
    page.get_by_role("navigation").get_by_role("link", name="Nytt styrdokument").click()
    page.get_by_label("Dokumenttyp").select_option("rutin")
    page.get_by_label("Dokument-id").fill(ident)
    page.get_by_label("Dokumentnamn").fill(title)
    page.get_by_label("Dokumentägare").select_option("LSVO")
    click(page, "Skapa utkastet")
    page.wait_for_url(f"{desk.base}/dokument/{ident}")
    path = desk.file(f"documents/styrdokument/{ident}.md")
    data = front_matter(path)
    assert (data["status"], data["title"], data["owner"]) == ("utkast", title, "LSVO")
    return path


def test_a_styrdokument_is_decided_locked_and_gets_a_next_version(page, desk):
    path = new_rutin(page, desk, "rutin-provtagning-2026", "Rutin för provtagning i hemmet")
    missing = [name for name in DECISION_FIELDS if page.locator(f'[name="{name}"]').count() != 1]
    assert missing == [], "formuläret för ett nytt utkast saknar fälten för beslutet"
    page.get_by_label("Status").select_option("beslutad")
    page.get_by_label("Version", exact=True).fill("1.0")
    for name, value in DECISION_FIELDS.items():
        field = page.locator(f'[name="{name}"]')
        if field.evaluate("(el) => el.tagName") == "SELECT":
            field.select_option(value)
        else:
            field.fill(value)
    click(page, "Spara")
    expect(page.locator(".locked")).to_contain_text("Dokumentet är beslutat och ändras inte")
    expect(page.get_by_role("button", name="Spara")).to_have_count(0)
    data = front_matter(path)
    assert (data["status"], str(data["version"])) == ("beslutad", "1.0")
    assert (data["decided"]["by"], str(data["decided"]["date"]), str(data["valid_from"]), str(data["review_by"])) == (
        "LSVO", "2026-12-04", "2027-01-01", "2028-12-31",
    )  # fmt: skip
    assert errors_of(desk, "rutin-provtagning-2026") == []
    alone = {**os.environ, "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}
    for command in (["add", "--", str(path)], [*IDENTITY, "commit", "-q", "-m", "Rutinen beslutad"]):
        subprocess.run(["git", *command], cwd=desk.root, env=alone, check=True, capture_output=True)

    click(page, "Ny version")
    expect(page.get_by_role("button", name="Spara")).to_have_count(1)
    expect(page.get_by_label("Status")).to_have_value("utkast")
    data = front_matter(path)
    assert (data["status"], str(data["version"])) == ("utkast", "2.0")
    assert errors_of(desk, "rutin-provtagning-2026") == []

    page.get_by_role("link", name="Visa ändringarna mot version 1.0").click()  # the decided version in git
    page.wait_for_url(f"{desk.base}/dokument/rutin-provtagning-2026/andringar")
    expect(page.get_by_role("heading", level=1)).to_have_text("Ändringarna mot version 1.0")
    expect(page.locator("main table").first).to_contain_text("version 1.0, beslutad 2026-12-04")
    report = axe(page)
    assert report["violations"] == [], report["violations"]


# --- 3. a conflict -----------------------------------------------------------------------------


def open_conflict(page: Page, desk: Desk) -> tuple[Path, str]:
    """The styrdokument draft's form opened, its file changed on disk, then Spara: the 409 page."""
    ident, _title = STYRDOKUMENT
    go(page, desk, f"/dokument/{ident}")
    path = desk.file(f"documents/styrdokument/{ident}.md")
    changed = path.read_text("utf-8").replace("Skriv texten här.", "Ändrat i en annan redigerare.")
    path.write_text(changed, "utf-8")
    page.get_by_label("Dokumentnamn").fill("Rutin för avvikelser, ändrad i webbläsaren")
    with page.expect_response(lambda r: r.request.method == "POST") as posted:
        click(page, "Spara")
    assert posted.value.status == 409
    assert posted.value.request.headers.get("hx-request") == "true", "htmx sände inte formuläret"
    return path, changed


def test_a_save_over_a_file_changed_on_disk_is_refused_with_both_versions(page, desk):
    path, changed = open_conflict(page, desk)
    expect(page.get_by_role("heading", level=1)).to_contain_text("Filen har ändrats")
    versions = page.locator(".versions")
    expect(versions).to_contain_text("Ändrat i en annan redigerare.")
    expect(versions).to_contain_text("Rutin för avvikelser, ändrad i webbläsaren")
    assert path.read_text("utf-8") == changed, "sparandet skrev över filen"
    path.write_text(changed.replace("Ändrat i en annan redigerare.", "Skriv texten här."), "utf-8")


# --- 4. the door --------------------------------------------------------------------------------


def refusals(desk: Desk) -> dict[str, int]:
    with desk.client() as client:
        csrf = csrf_of(client.get(f"{desk.base}/ny/kallelse").text)
        form = {"_csrf": csrf, "forum": "LSVO", "date": "2027-01-15"}
        return {
            "no token": httpx.get(f"{desk.base}/").status_code,
            "wrong token": httpx.get(f"{desk.base}/?token=fel-nyckel").status_code,
            "wrong cookie": httpx.get(f"{desk.base}/", cookies={"sb_edit": "fel-nyckel"}).status_code,
            "foreign host": client.get(f"{desk.base}/", headers={"Host": f"evil.example:{desk.port}"}).status_code,
            "foreign host with token": httpx.get(
                desk.address, headers={"Host": f"evil.example:{desk.port}"}
            ).status_code,
            "post without csrf": client.post(f"{desk.base}/ny/kallelse", data={**form, "_csrf": ""}).status_code,
            "post with foreign origin": client.post(
                f"{desk.base}/ny/kallelse", data=form, headers={"Origin": "http://evil.example"}
            ).status_code,
        }


def test_the_door_refuses_without_token_from_another_host_and_forged_posts(desk):
    assert refusals(desk) == dict.fromkeys(
        ["no token", "wrong token", "wrong cookie", "foreign host", "foreign host with token",
         "post without csrf", "post with foreign origin"], 403,
    )  # fmt: skip
    assert not desk.file("documents/kallelse/LSVO/2027-01-15.yaml").exists()


# --- 5. findings beside their fields ------------------------------------------------------------


def test_a_draft_with_findings_shows_each_at_the_top_and_beside_its_field(page, desk):
    go(page, desk, f"/dokument/kallelse-LSVO-{KALLELSE_DAY}")
    click(page, "Skapa protokoll från kallelsen")
    page.wait_for_url(f"{desk.base}/dokument/LSVO-{KALLELSE_DAY}")
    page.get_by_label("Plats", exact=True).fill("Ronneby, Kallinge")
    click(page, "Spara")
    expect(page.locator(".message.ok")).to_contain_text("som utkast med")
    assert page.locator("#meddelanden").get_attribute("aria-live") == "polite"
    links = page.locator(".findings li a")
    assert links.count() >= 2
    for index in range(links.count()):
        target = str(links.nth(index).get_attribute("href")).removeprefix("#")
        field = page.locator(f"#{target}")
        expect(field).to_have_count(1)
        if field.evaluate("(el) => el.matches('input, select, textarea')"):
            expect(field).to_have_attribute("aria-invalid", "true")
            described = str(field.get_attribute("aria-describedby")).split()
            assert f"{target}-fynd" in described
            code = links.nth(index).locator("xpath=..").locator("strong").inner_text()
            expect(page.locator(f"#{target}-fynd")).to_contain_text(code)
        else:  # a fieldset: the note inside it
            expect(field.locator(f"#{target}-fynd")).to_have_count(1)
    links.first.click()
    assert page.evaluate("location.hash") == f"#{links.first.get_attribute('href').removeprefix('#')}"
    saved = yaml.safe_load(desk.file(f"documents/protokoll/LSVO/{KALLELSE_DAY}.yaml").read_text("utf-8"))
    assert saved["meeting"]["place"] == "Ronneby, Kallinge", "ett utkast med fel sparas ändå"
    assert {f["code"] for f in errors_of(desk, f"LSVO-{KALLELSE_DAY}")} >= {"SB025"}


# --- accessibility on every page type -----------------------------------------------------------


def opener(path: str) -> Callable[[Page, Desk], None]:
    return lambda page, desk: go(page, desk, path)


def open_conflict_page(page: Page, desk: Desk) -> None:
    path, changed = open_conflict(page, desk)
    path.write_text(changed.replace("Ändrat i en annan redigerare.", "Skriv texten här."), "utf-8")


class _StillLoading:
    """A desk whose first load is under way: how its start page looks before the forums."""

    is_loaded = False
    progress = (450, 1200)

    def __init__(self, workspace: Any) -> None:
        self._workspace = workspace

    def load_in_background(self) -> None:
        return None

    def __getattr__(self, name: str) -> Any:
        return getattr(self._workspace, name)


def open_loading_page(page: Page, desk: Desk) -> None:
    """The start page while the first load runs, as the server makes it, shown at the desk's own
    address (so its style sheet and script come from the desk)."""
    from starlette.testclient import TestClient

    from sb_cli.edit import app as edit_app
    from sb_cli.edit.guard import COOKIE
    from sb_cli.edit.workspace import Workspace
    from sb_cli.io.repo import load_settings

    workspace = _StillLoading(Workspace(load_settings(desk.root, desk.root)))
    patience, edit_app.PATIENCE_S = edit_app.PATIENCE_S, 0.0
    try:
        client = TestClient(edit_app.application(workspace, token="t", port=desk.port), base_url=desk.base)
        client.cookies.set(COOKIE, "t")
        html = client.get("/").text
    finally:
        edit_app.PATIENCE_S = patience
    assert "450 är inlästa" in html
    page.route(f"{desk.base}/", lambda route: route.fulfill(status=200, content_type="text/html", body=html))
    go(page, desk, "/")


DUPLICATE_IDS = """() => {
  const ids = [...document.querySelectorAll('[id]')].map((el) => el.id);
  return [...new Set(ids.filter((id, i) => ids.indexOf(id) !== i))];
}"""

PAGES: dict[str, Callable[[Page, Desk], None]] = {
    "hem": opener("/"),
    "bevakning": opener("/samordning"),
    "protokoll": opener("/dokument/LSVO-2023-06-16"),
    "kallelse": opener(f"/dokument/kallelse-LSVO-{KALLELSE_DAY}"),
    "styrdokument": opener(f"/dokument/{STYRDOKUMENT[0]}"),
    "last-dokument": opener("/dokument/ledningssystem-2021"),
    "ny-kallelse": opener("/ny/kallelse?forum=LSVO"),
    "nytt-styrdokument": opener("/ny/styrdokument"),
    "konflikt": open_conflict_page,
    "spara-i-git": opener("/git"),
    "inlasning": open_loading_page,
}


@pytest.mark.parametrize("kind", PAGES)
def test_axe_core_finds_no_violation(page, desk, kind):
    PAGES[kind](page, desk)
    report = axe(page)
    assert report["violations"] == [], report["violations"]
    assert page.evaluate(DUPLICATE_IDS) == [], "samma id på flera element"
    assert "color-contrast" in report["passes"], "färgkontrasten prövades inte"


def tab_through(page: Page, limit: int) -> list[dict[str, Any]]:
    """Press Tab until focus comes round to an element it has been on: every element it was on, in
    order. A date input takes several presses (day, month, year) and stays the element focused."""
    visited: list[dict[str, Any]] = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        state: dict[str, Any] | None = page.evaluate(FOCUSED)
        if state is None or (visited and state["key"] == visited[-1]["key"]):
            continue
        if any(state["key"] == seen["key"] for seen in visited):
            break
        visited.append(state)
    return visited


@pytest.mark.parametrize("kind", PAGES)
def test_the_keyboard_reaches_every_control_with_visible_focus(page, desk, kind):
    PAGES[kind](page, desk)
    focusable = page.evaluate(FOCUSABLE)
    visited = tab_through(page, 3 * len(focusable) + 20)
    missed = {f["key"] for f in focusable} - {v["key"] for v in visited}
    assert not missed, [f["name"] for f in focusable if f["key"] in missed]
    extra = [v["name"] for v in visited if v["key"] not in {f["key"] for f in focusable} and not v["scroller"]]
    assert extra == []
    assert focus_faults(visited) == []


@pytest.mark.parametrize("kind", PAGES)
def test_no_horizontal_scrolling_at_320_px(page, desk, kind):
    page.set_viewport_size({"width": 320, "height": HEIGHT})
    PAGES[kind](page, desk)
    scroll, inner = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert scroll <= inner, f"320 px: sidan är {scroll} px bred"


SHOT_PAGES = ("hem", "protokoll", "kallelse", "styrdokument")


@pytest.mark.parametrize("width", (1280, 375))
@pytest.mark.parametrize("kind", SHOT_PAGES)
def test_screenshots_for_the_readme(page, desk, kind, width):
    page.set_viewport_size({"width": width, "height": HEIGHT})
    PAGES[kind](page, desk)
    assert page.evaluate(BROKEN_WORDS) == [], f"{width} px: rubriker med avbrutna ord"
    SHOTS.mkdir(parents=True, exist_ok=True)
    shot = SHOTS / f"{kind}-{width}.png"
    page.screenshot(path=str(shot), full_page=False)
    assert shot.read_bytes().startswith(b"\x89PNG")
