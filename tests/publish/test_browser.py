"""The public site in a real browser: headless Chromium (Debian's, at /usr/bin/chromium) through
Playwright. On every page type of the case corpus, of the case corpus with a decided årshjul and of
the shipped corpus: axe-core at WCAG 2.1 A and AA with colour contrast, keyboard-only navigation that
reaches every link and control with a visible focus, the skip link first, no horizontal scrolling at
320, 375 and 1280 px (screenshots at 375 and 1280), and search through the real Pagefind UI.

Without Chromium the tests are skipped; with SB_REQUIRE_BROWSER=1 (as in CI) they fail instead."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from playwright.sync_api import Browser, Page

from tests.conftest import CASES, REPO

pytestmark = [pytest.mark.browser, pytest.mark.slow]

CHROMIUM = "/usr/bin/chromium"
# Without the background-networking flags Chromium reaches out at start, which a closed network refuses.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# A Swedish browser, as the users have: date fields read ÅÅÅÅ-MM-DD. Chromium takes its language from
# the environment, and needs Debian's chromium-l10n for it.
CHROMIUM_LANGUAGE = {"LANG": "sv_SE.UTF-8", "LANGUAGE": "sv"}
AXE = REPO / "tests" / "web" / "node_modules" / "axe-core" / "axe.min.js"
WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
WIDTHS = (320, 375, 1280)  # 320 px is WCAG's reflow width; screenshots at the other two
SHOT_WIDTHS = (375, 1280)
HEIGHT = 900
QUERY = "samverkan"  # on the search page before it is checked, so results and filters are there too

# (site, page type, path): every page type of SPEC §8 on the case corpus, the årshjul and a "Vad
# ändrades" page on the corpus with a decided årshjul and a revised rutin, and the shipped corpus
# (which publishes two styrdokument and no meetings).
PAGES = [
    ("fall", "start", "index.html"),
    ("fall", "forum", "LSVO/index.html"),
    ("fall", "sammantrade-protokoll", "LSVO/2026-01-16/index.html"),
    ("fall", "sammantrade-undantagen-punkt", "LSVO/2026-02-13/index.html"),
    ("fall", "sammantrade-kallelse", "LSVO/2026-03-13/index.html"),
    ("fall", "styrdokument-overenskommelse", "dokument/overenskommelse-test/index.html"),
    ("fall", "styrdokument-rutin", "dokument/rutin-avvikelser/index.html"),
    ("fall", "register", "styrdokument/index.html"),
    ("fall", "register-urval", "styrdokument/typ/rutin/index.html"),
    ("fall", "beslut", "beslut/index.html"),
    ("fall", "beslut-forum", "beslut/forum/LSVO/index.html"),
    ("fall", "beslut-ar", "beslut/ar/2026/index.html"),
    ("fall", "beslut-lage", "beslut/lage/uppfoljt/index.html"),
    ("fall", "arshjul-tomt", "arshjul/index.html"),
    ("fall", "sok", "sok/index.html"),
    ("fall", "tillganglighet", "tillganglighet/index.html"),
    ("arshjul", "arshjul", "arshjul/index.html"),
    ("arshjul", "styrdokument-arshjul", "dokument/arshjul-test/index.html"),
    ("arshjul", "vad-andrades", "dokument/rutin-avvikelser/andringar/1.1/index.html"),
    ("levererad", "start", "index.html"),
    ("levererad", "forum", "LSVO/index.html"),
    ("levererad", "sammantrade-protokoll", "LSVO/2023-06-16/index.html"),
    ("levererad", "styrdokument-ledningssystem", "dokument/ledningssystem-2021/index.html"),
    ("levererad", "styrdokument-overenskommelse", "dokument/overenskommelse-malgrupper-2023/index.html"),
    ("levererad", "register", "styrdokument/index.html"),
    ("levererad", "register-urval", "styrdokument/part/karlskrona/index.html"),
    ("levererad", "beslut", "beslut/index.html"),
    ("levererad", "arshjul", "arshjul/index.html"),
    ("levererad", "sok", "sok/index.html"),
    ("levererad", "tillganglighet", "tillganglighet/index.html"),
    ("anslag", "anslagstavla", "anslagstavla/index.html"),
    ("anslag", "anslagsbevis", "namnd/2026-11-06/anslagsbevis/index.html"),
    ("anslag", "sammantrade-anslaget", "namnd/2026-11-06/index.html"),
]
IDS = [f"{site}-{kind}" for site, kind, _path in PAGES]

# Every element gets a key (an expando, not an attribute), and the focusable ones are listed: what
# Tab must reach. What a closed <details> holds is not visible (checkVisibility), so not reachable.
DESCRIBE = """const describe = (el) => `${el.tagName.toLowerCase()} "${(el.innerText || el.value || el.title || '')
  .trim().replace(/\\s+/g, ' ').slice(0, 60)}" ${el.getAttribute('href') || ''}`.trim();"""

FOCUSABLE = """() => {
  %DESCRIBE%
  let next = 0;
  for (const el of document.querySelectorAll('*')) el.__sbKey = next++;
  const selector = 'a[href], area[href], button, input:not([type="hidden"]), select, textarea, summary, '
    + 'iframe, audio[controls], video[controls], [contenteditable]:not([contenteditable="false"]), [tabindex]';
  return [...document.querySelectorAll(selector)]
    .filter((el) => !el.disabled && el.tabIndex >= 0 && !el.closest('[inert]')
      && el.checkVisibility({visibilityProperty: true, contentVisibilityAuto: true}))
    .map((el) => ({key: el.__sbKey, name: describe(el)}));
}""".replace("%DESCRIBE%", DESCRIBE)

# The focused element: its key, its focus indicator, and the colour around the indicator, taken from
# what the page shows just outside it on each side (not from the parents: a positioned element may lie
# over another background).
FOCUSED = """() => {
  %DESCRIBE%
  const el = document.activeElement;
  if (!el || el === document.body || el === document.documentElement) return null;
  const style = getComputedStyle(el);
  const outlined = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0;
  const opaque = (bg) => bg !== 'transparent' && !/^rgba\\(.*,\\s*0\\)$/.test(bg);
  const groundAt = (x, y) => {
    for (const under of document.elementsFromPoint(x, y)) {
      if (el.contains(under)) continue;
      const bg = getComputedStyle(under).backgroundColor;
      if (opaque(bg)) return bg;
    }
    return 'rgb(255, 255, 255)';
  };
  const box = el.getBoundingClientRect();
  const away = (parseFloat(style.outlineOffset) || 0) + (parseFloat(style.outlineWidth) || 0) + 1;
  const middle = [box.left + box.width / 2, box.top + box.height / 2];
  const grounds = [[box.left - away, middle[1]], [box.right + away, middle[1]],
                   [middle[0], box.top - away], [middle[0], box.bottom + away]]
    .filter(([x, y]) => x >= 0 && y >= 0 && x < innerWidth && y < innerHeight)
    .map(([x, y]) => groundAt(x, y));
  return {
    key: el.__sbKey,
    name: describe(el),
    id: el.id,
    outline: outlined ? style.outlineColor : null,
    outlineStyle: style.outlineStyle,
    shadow: style.boxShadow !== 'none' ? style.boxShadow : null,
    grounds: grounds.length ? grounds : ['rgb(255, 255, 255)'],
    shown: box.width > 1 && box.height > 1 && box.left >= 0 && box.top >= 0 && box.right <= innerWidth,
    scroller: el.scrollWidth > el.clientWidth && ['auto', 'scroll'].includes(style.overflowX),
    afterMain: !!document.getElementById('innehall')
      && (document.getElementById('innehall').compareDocumentPosition(el) & 20) !== 0,
  };
}""".replace("%DESCRIBE%", DESCRIBE)

# The page's title and main headings with a word too long for the line, which overflow-wrap would
# break in the middle. (A long compound deeper in a document's own text may break: Chromium has no
# Swedish hyphenation here, though most readers' browsers do, with hyphens: auto.)
BROKEN_WORDS = """() => [...document.querySelectorAll('h1, h2')].filter((h) => {
  const before = h.style.overflowWrap;
  h.style.overflowWrap = 'normal';
  const broken = h.scrollWidth > h.clientWidth;
  h.style.overflowWrap = before;
  return broken;
}).map((h) => h.textContent)"""

AXE_RUN = """async (tags) => {
  const report = await axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']});
  return {
    violations: report.violations.map((v) => ({id: v.id, help: v.help, nodes: v.nodes.map((n) => n.html)})),
    passes: report.passes.map((p) => p.id),
  };
}"""

# A result's own link; a result may also list links to its sections (Pagefind's sub-results).
RESULT_LINK = ".pagefind-ui__result-inner > .pagefind-ui__result-title > .pagefind-ui__result-link"
SEARCH_DONE = """(word) => {
  const message = document.querySelector('.pagefind-ui__message');
  if (!message || !message.textContent.includes(word)) return false;
  if (/Inga träffar/.test(message.textContent)) return true;
  const found = message.textContent.match(/gav (\\d+) träff/);
  return !!found && document.querySelectorAll(RESULT_LINK).length === Math.min(+found[1], 5);
}""".replace("RESULT_LINK", repr(RESULT_LINK))


def find_chromium(candidates: Iterable[str | None], *, required: bool) -> str:
    """The first candidate that is a file; else the test is skipped, or fails when `required`."""
    for candidate in candidates:
        if candidate and Path(candidate).is_file():
            return candidate
    why = "Chromium finns inte (/usr/bin/chromium eller chromium i PATH): installera Debians paket chromium"
    if required:
        pytest.fail(f"{why}; SB_REQUIRE_BROWSER=1 kräver webbläsartesterna", pytrace=False)
    pytest.skip(f"{why} för att köra webbläsartesterna")


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1280, "height": HEIGHT}, locale="sv-SE")
    opened = context.new_page()
    yield opened
    context.close()


@pytest.fixture(scope="module")
def screenshots(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("skarmbilder")


def open_page(page: Page, sites: dict[str, str], site: str, path: str) -> None:
    response = page.goto(sites[site] + path)
    assert response is not None and response.status == 200, f"{path} finns inte på webbplatsen"
    if path == "sok/index.html":
        search(page, QUERY)


def search(page: Page, word: str) -> list[str]:
    """Type `word` into the Pagefind UI as a user does; the addresses of the results, absolute."""
    field = page.locator(".pagefind-ui__search-input")
    field.wait_for()
    field.fill("")
    field.press_sequentially(word, delay=10)
    page.wait_for_function(SEARCH_DONE, arg=word, timeout=15_000)
    links = page.locator(RESULT_LINK)
    return [
        page.evaluate("(href) => new URL(href, location.href).href", links.nth(i).get_attribute("href"))
        for i in range(links.count())
    ]


def rgb(colour: str) -> tuple[float, float, float]:
    found = re.match(r"rgba?\(([\d.]+),\s*([\d.]+),\s*([\d.]+)", colour)
    assert found, f"okänd färg {colour!r}"
    red, green, blue = (float(c) for c in found.groups())
    return red, green, blue


def contrast(one: str, other: str) -> float:
    """The WCAG contrast ratio of two sRGB colours."""

    def luminance(colour: str) -> float:
        channels = [c / 255 for c in rgb(colour)]
        linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    light, dark = sorted((luminance(one), luminance(other)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def axe(page: Page) -> dict[str, Any]:
    page.add_script_tag(path=str(AXE))
    report: dict[str, Any] = page.evaluate(AXE_RUN, WCAG)
    return report


def tab_round(page: Page, limit: int) -> list[dict[str, Any]]:
    """Press Tab until focus comes round to an element it has been on (leaving the page for the
    browser's own controls on the way): every element it was on, in order."""
    visited: list[dict[str, Any]] = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        state: dict[str, Any] | None = page.evaluate(FOCUSED)
        if state is None:
            continue
        if any(state["key"] == seen["key"] for seen in visited):
            break
        visited.append(state)
    return visited


def focus_faults(visited: list[dict[str, Any]]) -> list[str]:
    """The focused elements without a visible indicator: no outline or shadow, or an outline with less
    than 3:1 contrast against what is around it (WCAG 1.4.11)."""
    faults = []
    for state in visited:
        if state["outline"] is None and state["shadow"] is None:
            faults.append(f"{state['name']}: ingen synlig fokusmarkering")
        elif state["outline"] is not None and state["outlineStyle"] != "auto":
            ratio, ground = min((contrast(state["outline"], g), g) for g in state["grounds"])
            if ratio < 3:
                faults.append(f"{state['name']}: fokusramen {state['outline']} mot {ground} har kontrast {ratio:.2f}")
    return faults


@pytest.mark.git
@pytest.mark.parametrize(("site", "kind", "path"), PAGES, ids=IDS)
def test_axe_core_finds_no_violation(page, sites, site, kind, path):
    open_page(page, sites, site, path)
    report = axe(page)
    assert report["violations"] == [], report["violations"]
    assert "color-contrast" in report["passes"], "färgkontrasten prövades inte"


@pytest.mark.git
@pytest.mark.parametrize(("site", "kind", "path"), PAGES, ids=IDS)
def test_the_keyboard_reaches_every_link_and_control_with_visible_focus(page, sites, site, kind, path):
    open_page(page, sites, site, path)
    focusable = page.evaluate(FOCUSABLE)
    visited = tab_round(page, len(focusable) + 20)
    missed = {f["key"] for f in focusable} - {v["key"] for v in visited}
    assert not missed, [f["name"] for f in focusable if f["key"] in missed]
    # Beyond those, focus may only stop on what scrolls sideways (a wide table), so the keyboard can scroll it.
    extra = [v["name"] for v in visited if v["key"] not in {f["key"] for f in focusable} and not v["scroller"]]
    assert extra == []
    assert len(focusable) >= 8, focusable  # the skip link, the menu and the footer at least
    assert focus_faults(visited) == []


@pytest.mark.git
@pytest.mark.parametrize(("site", "kind", "path"), PAGES, ids=IDS)
def test_the_skip_link_comes_first_shows_and_leads_to_the_content(page, sites, site, kind, path):
    page.goto(sites[site] + path)  # as it loads: nothing has focus yet
    page.keyboard.press("Tab")
    first = page.evaluate(FOCUSED)
    assert first is not None and first["name"].startswith('a "Hoppa till innehållet"'), first
    assert first["shown"], "hopplänken syns inte när den har fokus"
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#innehall"
    landed = page.evaluate(FOCUSED)
    assert landed is not None and landed["id"] == "innehall", landed
    page.keyboard.press("Tab")
    after = page.evaluate(FOCUSED)
    assert after is not None and after["afterMain"], f"Tab efter hopplänken gick till {after}"


@pytest.mark.git
@pytest.mark.parametrize(("site", "kind", "path"), PAGES, ids=IDS)
def test_no_horizontal_scrolling_at_320_375_and_1280_px(page, sites, screenshots, site, kind, path):
    taken = []
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": HEIGHT})
        open_page(page, sites, site, path)
        scroll, inner = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
        assert scroll <= inner, f"{width} px: sidan är {scroll} px bred"
        if width in SHOT_WIDTHS:  # at 320 px a long word may break, as long as nothing scrolls
            assert page.evaluate(BROKEN_WORDS) == [], f"{width} px: rubriker med avbrutna ord"
        if width in SHOT_WIDTHS:
            shot = screenshots / f"{site}-{kind}-{width}.png"
            page.screenshot(path=str(shot), full_page=True)
            assert shot.stat().st_size > 1000
            taken.append(str(shot))
    print("skärmbilder:", *taken)  # noqa: T201 - for a look at them: pytest -rP


def case_bodies(word: str) -> list[tuple[str, int, bool]]:
    """(document id, §, public) of every § body in the case corpus that has `word`."""
    found = []
    for path in sorted((CASES / "publish" / "documents").glob("*.yaml")):
        data = yaml.safe_load(path.read_text("utf-8"))
        for item in data.get("items", []):
            if word in (item.get("body") or ""):
                found.append((data["id"], item["number"], item.get("public", True)))
    return found


@pytest.mark.git
def test_a_draft_site_shows_utkast_first_in_the_header_and_a_finished_one_does_not(page, sites):
    # The shipped site is built with --draft-site (its sb.toml names no contact); the case site is not.
    for path in ("index.html", "LSVO/index.html", "tillganglighet/index.html"):
        page.goto(sites["levererad"] + path)
        banner = page.locator("header .utkast")
        assert banner.is_visible() and banner.inner_text().startswith("Utkast"), path
        assert page.title().startswith("Utkast: ")
        header_text = page.inner_text("header")
        assert header_text.index("Utkast") < header_text.index("Samverkan Blekinge")
    page.goto(sites["fall"] + "index.html")
    assert page.locator(".utkast").count() == 0 and not page.title().startswith("Utkast")


@pytest.mark.git
def test_search_finds_a_word_of_a_paragraph_body_on_its_meeting_page(page, sites):
    assert case_bodies("uppföljningen") == [("LSVO-2026-01-16", 3, True)]
    page.goto(sites["fall"] + "sok/index.html")
    found = search(page, "uppföljningen")
    assert found == [sites["fall"] + "LSVO/2026-01-16/index.html"]
    page.locator(RESULT_LINK).first.click()
    page.wait_for_url(sites["fall"] + "LSVO/2026-01-16/index.html*")
    assert "Information om uppföljningen." in page.inner_text("main")


@pytest.mark.git
def test_search_finds_both_meetings_of_a_word_in_both(page, sites):
    page.goto(sites["fall"] + "sok/index.html")
    found = search(page, "Avvikelsehantering")
    assert sorted(found) == [sites["fall"] + f"LSVO/{day}/index.html" for day in ("2026-01-16", "2026-02-13")]


def test_search_on_the_shipped_site_finds_paragraph_64_and_the_register_shows_its_35_clauses(page, sites):
    page.goto(sites["levererad"] + "sok/index.html")
    meeting = sites["levererad"] + "LSVO/2023-06-16/index.html"
    found = search(page, "hjälpmedel")
    assert meeting in found  # with the styrdokument that name hjälpmedel
    page.locator(RESULT_LINK).nth(found.index(meeting)).click()
    page.wait_for_url(meeting + "*")
    assert "§64 Ansvarsfördelning gällande hjälpmedel i skola" in page.inner_text("main")
    page.goto(sites["levererad"] + "beslut/index.html")
    paragraphs = page.locator("main .beslut-punkt")
    assert paragraphs.count() == 10  # §61–§70 decide; §71 and §72 were deferred to 25 August
    assert paragraphs.first.locator("h4").inner_text() == "LSVO-2023-06-16 §61 Godkännande av föredragningslista"
    assert page.locator("main .beslut-punkt .att-sats").count() == 35
    assert paragraphs.nth(3).locator(".att-sats").all_inner_texts() == [
        "att godkänna framtagen samverkansöverenskommelse"
    ]
    assert "Alla beslut: 35 beslut och 9 flyttade ärenden." in page.inner_text("main")


def tab_to(page: Page, name: str, limit: int = 40) -> dict[str, Any]:
    """Press Tab until the element described as `name` has focus."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        state: dict[str, Any] | None = page.evaluate(FOCUSED)
        if state is not None and state["name"] == name:
            return state
    raise AssertionError(f"Tab når inte {name}")


@pytest.mark.git
def test_the_search_filters_work_from_the_keyboard(page, sites):
    page.goto(sites["fall"] + "sok/index.html")
    assert len(search(page, "rutin")) == 3  # the rutin and both protocols
    page.evaluate(FOCUSABLE)  # the keys that FOCUSED reports
    summary = tab_to(page, 'summary "Typ"')
    page.keyboard.press("Enter")
    checkbox = tab_to(page, 'input "Rutin"')
    assert focus_faults([summary, checkbox]) == []
    page.keyboard.press("Space")
    page.wait_for_function(
        "() => /gav 1 träff/.test(document.querySelector('.pagefind-ui__message').textContent)"
        f" && document.querySelectorAll({RESULT_LINK!r}).length === 1"
    )
    link = page.locator(RESULT_LINK).get_attribute("href")
    assert page.evaluate("(href) => new URL(href, location.href).href", link) == (
        sites["fall"] + "dokument/rutin-avvikelser/index.html"
    )


@pytest.mark.git
def test_search_finds_nothing_of_a_withheld_item(page, sites):
    assert case_bodies("enskilt") == [("LSVO-2026-02-13", 6, False)]
    page.goto(sites["fall"] + "sok/index.html")
    assert search(page, "enskilt") == []
    assert "Inga träffar för enskilt" in page.inner_text(".pagefind-ui__message")


def test_the_checks_would_see_a_fault(page):
    """A page with a faint text, a link without focus indicator and a too wide block."""
    page.set_viewport_size({"width": 375, "height": HEIGHT})
    page.set_content(
        '<!DOCTYPE html><html lang="sv"><head><title>Fel</title></head><body><main>'
        '<p style="color:#bbb">Blek text</p><a href="#a" style="outline:none">Länk</a>'
        '<a href="#b" style="outline:2px solid #eee">Blek ram</a>'
        '<div style="width:600px">Bred</div></main></body></html>'
    )
    report = axe(page)
    assert "color-contrast" in {v["id"] for v in report["violations"]}
    focusable = page.evaluate(FOCUSABLE)
    visited = tab_round(page, 10)
    assert [v["key"] for v in visited] == [f["key"] for f in focusable]
    faults = focus_faults(visited)
    assert len(faults) == 2 and "ingen synlig fokusmarkering" in faults[0] and "kontrast" in faults[1], faults
    assert page.evaluate("document.documentElement.scrollWidth > window.innerWidth")


def test_a_missing_browser_skips_or_fails_when_required(tmp_path):
    absent = [str(tmp_path / "chromium"), None]
    with pytest.raises(pytest.skip.Exception, match="Chromium finns inte"):
        find_chromium(absent, required=False)
    with pytest.raises(pytest.fail.Exception, match="SB_REQUIRE_BROWSER=1"):
        find_chromium(absent, required=True)
    present = tmp_path / "chromium"
    present.write_text("")
    assert find_chromium(absent, required=True) == str(present)
