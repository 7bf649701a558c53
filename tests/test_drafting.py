"""The parts of a new kallelse that are pure functions: deadlines already passed, and the commented
placeholders for time and place."""

import datetime as dt

from sb_cli import drafting

KALLELSE = {"register_by": "2026-11-20", "reply_by": None, "send_by": "2026-11-27"}


def test_no_deadline_has_passed_on_or_before_the_day_itself():
    assert drafting.passed_deadlines(KALLELSE, dt.date(2026, 11, 20)) == []


def test_each_passed_deadline_is_one_warning_in_swedish():
    assert drafting.passed_deadlines(KALLELSE, dt.date(2026, 11, 28)) == [
        "sista dag att anmäla ärenden (register_by), 2026-11-20, har redan passerat (per 2026-11-28)",
        "sista dag att skicka kallelsen, 2026-11-27, har redan passerat (per 2026-11-28)",
    ]
    reply = drafting.passed_deadlines({"reply_by": "2026-11-01"}, dt.date(2026, 11, 2))
    assert reply == ["sista dag att svara (reply_by), 2026-11-01, har redan passerat (per 2026-11-02)"]


def test_placeholders_only_for_what_is_not_given():
    text = 'id: k\nmeeting:\n  date: 2026-12-04\n  start: "13:00"\nitems: []\n'
    placed = drafting._with_placeholders(text, {"date": "2026-12-04", "start": "13:00"})
    assert placed.splitlines()[5:7] == ['  # end: "TT:MM"', '  # place: ""']
    assert placed.splitlines()[-1] == "items: []"
    full = {"date": "2026-12-04", "start": "13:00", "end": "15:00", "place": "via Teams"}
    assert drafting._with_placeholders(text, full) == text
