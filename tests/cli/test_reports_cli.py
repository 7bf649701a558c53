"""`sb report`, `sb list`, `sb show` and `sb calendar` as a user runs them, with a fixed --as-of."""

import csv
import io
import json
import shutil

import pytest
from icalendar import Calendar
from openpyxl import load_workbook

from tests.conftest import REPO, invoke, sb

AS_OF = ("--as-of", "2026-11-22")


def rows(*args):
    result = invoke(*args, *AS_OF, "--root", REPO, "--format", "json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_expiring_shows_the_agreement_renewed_to_2028_with_notice_by_2027():
    (row,) = rows("report", "expiring")
    assert row["id"] == "overenskommelse-malgrupper-2023"
    assert (row["valid_until"], row["effective_end"], row["next_notice_deadline"]) == (
        "2026-12-31",
        "2028-12-31",
        "2027-12-31",
    )
    assert row["note"] == "förlängs automatiskt till 2028-12-31"
    assert {
        "id",
        "title",
        "type",
        "owner",
        "parties",
        "valid_until",
        "effective_end",
        "next_notice_deadline",
        "state",
        "days_left",
    } <= set(row)


def test_expiring_table_says_it_in_swedish():
    result = invoke("report", "expiring", *AS_OF, "--root", REPO)
    assert "förlängs" in result.stdout
    assert "Löper ut inom 90 dagar (per 2026-11-22)" in result.stdout


TITLE = "Överenskommelse om samarbete mellan Region Blekinge och kommunerna i Blekinge"
PARTIES = "region-blekinge, karlskrona, ronneby, karlshamn, solvesborg, olofstrom"


def test_expiring_rows_carry_title_owner_and_parties_in_every_format():
    args = ("report", "expiring", *AS_OF, "--root", REPO, "--format")
    (row,) = rows("report", "expiring")
    assert (
        row["title"].startswith(TITLE)
        and row["owner"] == "LSVO"
        and row["parties"][:2] == ["region-blekinge", "karlskrona"]
    )
    (shown,) = list(csv.DictReader(io.StringIO(invoke(*args, "csv").stdout.lstrip("\ufeff"))))
    assert (shown["Ägare"], shown["Parter"], shown["Händelse"]) == ("LSVO", PARTIES, "förlängs")
    assert shown["Titel"].startswith(TITLE)
    markdown = invoke(*args, "markdown").stdout
    assert "| Titel | Ägare | Parter |" in markdown and f"| LSVO | {PARTIES} |" in markdown
    table = invoke(*args, "table").stdout
    assert TITLE.split()[0] in table and PARTIES in table
    sheet = load_workbook(io.BytesIO(invoke(*args, "xlsx").stdout_bytes)).active
    header = [c.value for c in sheet[1]]
    values = dict(zip(header, (c.value for c in sheet[2]), strict=True))
    assert (values["Ägare"], values["Parter"], values["Händelse"]) == ("LSVO", PARTIES, "förlängs")
    assert values["Titel"].startswith(TITLE)
    assert values["Anmärkning"] == "förlängs automatiskt till 2028-12-31"


def test_within_narrows_the_window():
    assert rows("report", "expiring", "--within", "30") == []


def test_overdue_names_the_ledningssystem():
    assert [(r["id"], r["review_by"]) for r in rows("report", "overdue")] == [("ledningssystem-2021", "2022-12-31")]


def test_decisions_and_open_decisions():
    every = rows("report", "decisions")
    assert len([r for r in every if r["kind"] == "beslut"]) == 37
    assert len([r for r in every if r["kind"] == "bordlagd"]) == 9
    (open_,) = rows("report", "decisions", "--open")
    assert (open_["reference"], open_["due"], open_["responsible"]) == (
        "LSVO-2023-06-16 §66",
        "2023-08-25",
        "Länssamordnare UPH",
    )


def test_arshjul_lists_every_duty_of_the_year():
    duties = rows("report", "arshjul", "--year", "2023")
    assert len(duties) == 15
    lsvo = next(d for d in duties if d["duty"] == "moten" and d["forum"] == "LSVO")
    assert (lsvo["status"], lsvo["detail"]) == ("saknas", "1 möte (krav 8–10)")


def test_adoption_lists_six_parties_none_adopted():
    adopted = rows("report", "adoption")
    assert len(adopted) == 6 and not any(r["adopted"] for r in adopted)


@pytest.mark.parametrize("name", ["expiring", "overdue", "decisions", "arshjul", "adoption"])
def test_csv_and_markdown(name):
    args = ["report", name, "--root", REPO, *AS_OF]
    table = list(csv.reader(io.StringIO(invoke(*args, "--format", "csv").stdout)))
    assert len(table) == len(rows(*args[:2])) + 1
    markdown = invoke(*args, "--format", "markdown").stdout
    assert markdown.startswith("## ") and "| --- |" in markdown


@pytest.mark.slow
def test_list_filters():
    assert {r["id"] for r in rows("list", "--type", "protocol")} == {"LSVO-2023-06-16", "att-aldras-2024-02"}
    assert [r["id"] for r in rows("list", "--party", "karlskrona")] == ["overenskommelse-malgrupper-2023"]
    assert [r["id"] for r in rows("list", "--status", "review_overdue")] == ["ledningssystem-2021"]
    assert [r["id"] for r in rows("list", "--owner", "att-aldras")] == ["att-aldras-2024-02"]
    result = sb("list", "--type", "policy")
    assert result.returncode == 2 and "okänd dokumenttyp 'policy'" in result.stderr


def test_show_card_has_state_dates_references_and_history():
    card = rows("show", "overenskommelse-malgrupper-2023")
    assert card["state"] == "in_force"
    assert (card["effective_end"], card["next_notice_deadline"]) == ("2028-12-31", "2027-12-31")
    assert card["references_in"] == ["arshjul-samverkan-blekinge"]
    assert isinstance(card["history"], list)


def test_calendar_parses_and_matches_the_reports(tmp_path):
    out = tmp_path / "samverkan.ics"
    result = invoke("calendar", "--out", out, *AS_OF, "--root", REPO)
    assert result.exit_code == 0
    calendar = Calendar.from_ical(out.read_bytes())
    found = {str(e["UID"]).split("@")[0]: e for e in calendar.walk("VEVENT")}
    (expiring,) = rows("report", "expiring")
    assert (
        found["uppsagning-overenskommelse-malgrupper-2023"].decoded("DTSTART").isoformat()
        == expiring["next_notice_deadline"]
    )
    assert found["slut-overenskommelse-malgrupper-2023"].decoded("DTSTART").isoformat() == expiring["effective_end"]
    (overdue,) = rows("report", "overdue")
    assert found["revision-ledningssystem-2021"].decoded("DTSTART").isoformat() == overdue["review_by"]
    meeting = found["mote-LSVO-2023-06-16"]
    assert meeting.decoded("DTSTART").isoformat() == "2023-06-16T08:15:00+02:00"
    assert meeting["LOCATION"] == "via Teams"
    assert all(e.walk("VALARM") for k, e in found.items() if not k.startswith("mote"))
    again = tmp_path / "again.ics"
    invoke("calendar", "--out", again, "--as-of", "2026-12-01", "--root", REPO)
    assert set(found) == {str(e["UID"]).split("@")[0] for e in Calendar.from_ical(again.read_bytes()).walk("VEVENT")}


def test_calendar_is_the_same_for_the_same_input(tmp_path):
    first, second = tmp_path / "a.ics", tmp_path / "b.ics"
    invoke("calendar", "--out", first, *AS_OF, "--root", REPO)
    invoke("calendar", "--out", second, *AS_OF, "--root", REPO)
    assert first.read_bytes() == second.read_bytes()


@pytest.mark.slow
def test_a_document_that_fails_its_schema_is_left_out_with_one_note(tmp_path):
    shutil.copytree(REPO / "documents", tmp_path / "documents")
    broken = tmp_path / "documents" / "styrdokument" / "arshjul.yaml"
    broken.write_text(
        broken.read_text("utf-8").replace(
            "    duty: verksamhetsplan\n", "    duty: verksamhetsplan\n    month: 13\n", 1
        )
    )
    result = sb("list", "--root", tmp_path, "--as-of", "2026-11-22", "--format", "json")
    assert result.returncode == 0
    assert "arshjul-samverkan-blekinge" not in result.stdout
    assert len(json.loads(result.stdout)) == 5
    assert result.stderr.splitlines() == [
        "sb: documents/styrdokument/arshjul.yaml är inte med: documents/styrdokument/arshjul.yaml:17:5: SB002 "
        "13 är större än 12 (kör sb validate för alla fel)"
    ]
    for command in (("report", "arshjul"), ("calendar", "--out", str(tmp_path / "k.ics"))):
        result = sb(*command, "--root", tmp_path, "--as-of", "2026-11-22")
        assert result.returncode == 0 and "arshjul.yaml är inte med" in result.stderr
    shown = sb("show", "arshjul-samverkan-blekinge", "--root", tmp_path, "--as-of", "2026-11-22")
    assert shown.returncode == 1
    assert "documents/styrdokument/arshjul.yaml:17:5: SB002 fel: 13 är större än 12" in shown.stdout
    rendered = sb("render", broken, "--to", "md", "--out", tmp_path / "ut", "--root", tmp_path)
    assert rendered.returncode == 1 and not (tmp_path / "ut").exists()
