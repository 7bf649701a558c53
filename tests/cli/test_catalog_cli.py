"""`sb list` filters and `sb show` as a user runs them: the words the table shows, usage errors that
list what is valid, and a card in Swedish."""

import json
import os
import shutil

import msgspec
import pytest

from sb_cli.cli import catalog
from sb_cli.core.records import Arshjul, Kallelse, Paper, Protocol, Styrdokument
from tests.conftest import REPO, invoke, sb

AS_OF = ("--as-of", "2026-11-22")
PARTIES = ["region-blekinge", "karlskrona", "ronneby", "karlshamn", "solvesborg", "olofstrom", "landstinget-blekinge"]


def ids(*args):
    result = invoke("list", *args, *AS_OF, "--root", REPO, "--format", "json")
    assert result.exit_code == 0, result.output
    return sorted(r["id"] for r in json.loads(result.stdout))


# --- sb list --status, --type, --party, --owner ---------------------------------------------------------


@pytest.mark.parametrize(
    ("words", "expected"),
    [
        (("gäller", "in_force", "galler", "GÄLLER"), ["overenskommelse-malgrupper-2023"]),
        (("revision försenad", "review_overdue", "revision-forsenad"), ["ledningssystem-2021"]),
        (("utkast", "Utkast"), ["arshjul-samverkan-blekinge", "att-aldras-2024-02"]),
        (("justerat",), ["LSVO-2023-06-16"]),  # justerat, datum okänt (SPEC §3.5)
        (("beslutad",), ["ledningssystem-2021", "overenskommelse-malgrupper-2023"]),
        (("löper ut", "expiring", "upphört", "expired", "upphävd", "repealed", "remiss"), []),
    ],
)
def test_status_takes_the_words_the_table_shows_and_the_json_names(words, expected):
    for word in words:
        assert ids("--status", word) == expected, word


def test_draft_as_json_names_it_is_only_the_styrdokument_while_utkast_also_takes_the_protocols():
    assert ids("--status", "draft") == ["arshjul-samverkan-blekinge"]


def test_every_state_the_table_names_is_a_status_word():
    from sb_cli.core.catalog import status_filter
    from sb_cli.reporters.tables import STATE_NAMES

    for state, word in STATE_NAMES.items():
        found = status_filter(word)
        assert found is not None and state in found.states, word
        assert status_filter(state) is not None


def test_an_unknown_status_is_a_usage_error_that_lists_the_words():
    result = sb("list", "--status", "giltig", *AS_OF, "--root", REPO)
    assert result.returncode == 2
    assert "sb: fel: okänt läge eller okänd status 'giltig'" in result.stderr
    for word in ("gäller", "löper ut", "revision försenad", "in_force", "review_overdue", "beslutad"):
        assert word in result.stderr


def test_an_unknown_type_is_a_usage_error_that_lists_the_types():
    result = sb("list", "--type", "policy", *AS_OF, "--root", REPO)
    assert result.returncode == 2
    assert "okänd dokumenttyp 'policy'" in result.stderr
    assert "overenskommelse" in result.stderr and "tjansteskrivelse" in result.stderr and "protocol" in result.stderr


def test_an_unknown_party_is_a_usage_error_that_lists_the_parties_and_guesses():
    result = sb("list", "--party", "karlskorna", *AS_OF, "--root", REPO)
    assert (result.returncode, result.stdout) == (2, "")
    assert "sb: fel: okänd part 'karlskorna'" in result.stderr
    assert "menade du karlskrona?" in result.stderr
    assert all(party in result.stderr for party in PARTIES)
    assert "LSVO" not in result.stderr  # a forum is no party


def test_an_unknown_owner_is_a_usage_error_that_lists_forums_and_parties():
    result = sb("list", "--owner", "LSV0", *AS_OF, "--root", REPO)
    assert result.returncode == 2
    assert "sb: fel: okänd ägare 'LSV0'" in result.stderr and "menade du LSVO?" in result.stderr
    assert all(owner in result.stderr for owner in ["PSVO", "att-aldras", "regionchefsgruppen", *PARTIES])


def test_known_ids_are_found_whatever_their_case():
    assert ids("--owner", "lsvo") == ids("--owner", "LSVO")
    assert len(ids("--owner", "LSVO")) == 4
    assert ids("--party", "KARLSKRONA") == ["overenskommelse-malgrupper-2023"]
    assert ids("--party", "landstinget-blekinge") == []  # known, binds nothing: no error


# --- sb show --------------------------------------------------------------------------------------------


def facts(ident, root=REPO):
    """The card's label: value lines (labels are at most 20 wide), until the history."""
    # Without COLUMNS (the test process's own may say 80): a pipe gets every value on one line.
    environment = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES")}
    result = sb("show", ident, *AS_OF, "--root", root, env=environment)
    assert result.returncode == 0, result.stderr
    found = {}
    for line in result.stdout.split("\n\n")[0].splitlines()[1:]:  # the title first, the history after
        label, _, value = line.partition("  ")
        found[label.strip()] = value.strip()
    return found


def test_a_protocol_card_says_its_meeting_and_numbering_in_swedish():
    shown = facts("LSVO-2023-06-16")
    assert shown["Möte"] == "datum 2023-06-16, början 08.15, slut 12.00, plats via Teams"
    assert shown["Numrering"] == "paragraf"
    assert shown["Sändlista"] == "Diariet, Ledamöter, Helene Håkansson, Peter Lilja, Lars Ericsson"
    assert shown["Läge"] == "justerat" and shown["Punkter"] == "12"
    assert shown["Justerat"] == "justerat (datum okänt)"


def test_a_protocol_known_by_its_month_says_the_month_and_what_is_unknown():
    shown = facts("att-aldras-2024-02")
    assert shown["Möte"] == "datum 2024-02, början okänd, slut okänt, plats okänd"
    assert shown["Numrering"] == "punkt"


def test_an_agreement_card_says_its_terms_in_swedish():
    shown = facts("overenskommelse-malgrupper-2023")
    assert shown["Beslutad"] == "av LSVO, datum okänt"
    assert shown["Villkor"] == "uppsägningstid 12 månader, förlängs med 24 månader"
    assert shown["Uppföljning"] == "var 12:e månad, av att-vaxa-upp, mitt-i-livet, LSVO och PSVO"
    assert shown["Parter"] == "region-blekinge, karlskrona, ronneby, karlshamn, solvesborg, olofstrom"
    assert shown["Läge"] == "gäller" and shown["Säg upp senast"] == "2027-12-31"


@pytest.mark.slow
def test_a_kallelse_card_says_its_dates_in_swedish(tmp_path):
    shutil.copytree(REPO / "documents", tmp_path / "documents")
    made = sb("new", "kallelse", "--forum", "LSVO", "--date", "2026-12-04", *AS_OF, "--root", tmp_path)
    assert made.returncode == 0, made.stderr
    shown = facts("kallelse-LSVO-2026-12-04", tmp_path)
    assert shown["Möte"] == "datum 2026-12-04, början okänd, slut okänt, plats okänd"
    assert "Skickad" not in shown and shown["Anmäl ärenden senast"] == "2026-11-20"  # sent when it goes out
    assert shown["Numrering"] == "paragraf"


@pytest.mark.slow
def test_no_card_shows_an_english_key_or_a_python_value():
    english = ["date ", "start ", "end ", "place ", "by ", "ref ", "notice_months", "renewal_months", "every_months"]
    for ident in ("LSVO-2023-06-16", "att-aldras-2024-02", "overenskommelse-malgrupper-2023", "ledningssystem-2021"):
        shown = facts(ident)
        text = " ".join(f"{k} {v}" for k, v in shown.items() if k not in ("Id", "Fil"))
        assert not [word for word in english if word in text], ident
        assert "('" not in text and "None" not in text and "paragraph" not in text


def test_every_header_key_of_every_document_type_has_a_swedish_label():
    shown_elsewhere = {"id", "title", "items", "body", "attendance", "events"}
    for kind in (Protocol, Kallelse, Paper, Styrdokument, Arshjul):
        keys = {f.encode_name for f in msgspec.structs.fields(kind)} - shown_elsewhere
        assert keys <= set(catalog.LABELS), (kind.__name__, keys - set(catalog.LABELS))


@pytest.mark.parametrize(
    ("key", "value", "said"),
    [
        ("meeting", {"date": "2023-06-16", "start": "08:15", "end": None, "place": None}, None),
        ("term", {"notice_months": 1, "renewal_months": None}, "uppsägningstid 1 månad"),
        ("follow_up", {"every_months": 1, "by": ["LSVO"]}, "varje månad, av LSVO"),
        ("follow_up", {"every_months": 2, "by": []}, "var 2:a månad"),
        ("follow_up", {"every_months": 11, "by": []}, "var 11:e månad"),
        ("follow_up", {"every_months": 21, "by": []}, "var 21:a månad"),
        ("adopted", [{"party": "ronneby", "date": "2024-01-01", "by": "KF", "diarienummer": "KS 1"}], None),
        (
            "proposed_decisions",
            [{"text": "att godkänna", "responsible": "Ordförande", "due": "2027-01-01"}, {"text": "att notera"}],
            "att godkänna, ansvarig Ordförande, senast 2027-01-01; att notera",
        ),
        ("status", "upphavd", "upphävd"),
        ("numbering", "list", "punkt"),
        ("adjusters", ("Anna", "Bo"), "Anna, Bo"),
        ("x", True, "ja"),
    ],
)
def test_values_are_said_in_swedish(key, value, said):
    expected = {
        "meeting": "datum 2023-06-16, början 08.15, slut okänt, plats okänd",
        "adopted": "part ronneby, datum 2024-01-01, av KF, diarienummer KS 1",
    }
    assert catalog._value(key, value) == (said if said is not None else expected[key])


@pytest.mark.slow
def test_show_offers_only_text_and_json():
    for bad in ("csv", "table", "markdown", "xlsx"):
        result = sb("show", "LSVO-2023-06-16", "--format", bad, *AS_OF, "--root", REPO)
        assert result.returncode == 2 and result.stdout == ""
        assert "'text', 'json'" in result.stderr
    assert json.loads(invoke("show", "LSVO-2023-06-16", "-f", "json", *AS_OF, "--root", REPO).stdout)["id"]
    assert invoke("show", "LSVO-2023-06-16", "-f", "text", *AS_OF, "--root", REPO).stdout.startswith(
        "Sammanträdesprotokoll LSVO 2023-06-16\n"
    )
